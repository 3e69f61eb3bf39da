"""Form rendering written once (core.forms): every field drawn by one template with one id
convention, one error summary that comes first and takes the focus, one way to put a
service's refusal beside its field, and one honeypot behaviour."""

import re

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from playwright.sync_api import expect

from core.forms import error_links, errors_onto
from core.honeypot import HoneypotForm
from tests.axe import assert_no_violations


class Sample(HoneypotForm):
    name = forms.CharField(label="Your name", help_text="As it appears on your badge.")
    colour = forms.ChoiceField(
        label="Colour",
        choices=[("red", "Red"), ("blue", "Blue")],
        widget=forms.RadioSelect,
        help_text="Pick one.",
    )
    inline_choices = frozenset({"colour"})


def _bound(**data) -> Sample:
    form = Sample(data)
    form.is_valid()
    return form


def test_a_services_refusal_lands_beside_the_field_it_names_and_the_rest_on_top():
    form = _bound(name="Sam", colour="red")
    errors_onto(
        form,
        ValidationError(
            {
                "name": "That name is taken.",
                "partnership": "Not a field of this form.",
                NON_FIELD_ERRORS: "The whole thing is wrong.",
            }
        ),
    )
    assert form.errors["name"] == ["That name is taken."]
    assert form.non_field_errors() == ["Not a field of this form.", "The whole thing is wrong."]

    plain = _bound(name="Sam", colour="red")
    errors_onto(plain, ValidationError(["One.", "Two."]))
    assert plain.non_field_errors() == ["One.", "Two."]


def test_the_summary_links_an_input_to_itself_and_a_group_to_its_row_with_the_rows_words():
    form = _bound()
    form.add_error(None, "Send it later.")
    assert error_links(form) == [
        ("", "Send it later."),
        ("id_name", "Your name: This field is required."),
        ("id_colour", "Colour: This field is required."),
    ]
    assert error_links(("Row 2, ", form))[1] == (
        "id_name",
        "Row 2, Your name: This field is required.",
    )


def test_a_field_in_error_is_described_by_its_hint_and_its_message_with_one_id_convention():
    html = str(_bound()["name"].as_field_group())
    assert 'id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_name_helptext id_name_error"', html)
    assert 'aria-invalid="true"' in html
    assert "field--error" in html


def test_a_group_of_radios_is_a_fieldset_with_a_legend_and_one_class_per_choice():
    html = str(_bound()["colour"].as_field_group())
    assert '<div class="field field--error" id="id_colour">' in html
    assert (
        '<fieldset class="choices choices--inline"'
        ' aria-describedby="id_colour_helptext id_colour_error">'
    ) in html
    assert "<legend>Colour</legend>" in html
    assert html.count('<div class="choice">') == 2
    # The fieldset is described, not each radio.
    assert "aria-describedby" not in html.split("choices__list")[1]


def test_the_robots_trap_is_hidden_from_sight_screen_readers_and_the_keyboard():
    html = str(Sample()["website"].as_field_group())
    assert html.startswith('<div class="visually-hidden" aria-hidden="true">')
    assert 'tabindex="-1"' in html
    # A whole form drawn with {{ form }} draws the trap the same way, and every field.
    whole = str(_bound())
    assert 'aria-hidden="true"' in whole
    assert 'id="id_name_error"' in whole
    assert 'id="id_colour_error"' in whole


@pytest.mark.django_db
def test_without_scripts_the_summary_is_first_in_main_and_can_take_the_focus(client):
    response = client.post("/refresh/propose/", {"name": ""})
    html = response.content.decode()
    main = html.split('<main id="main" class="wrapper" tabindex="-1">', 1)[1].lstrip()
    assert main.startswith('<div class="error-summary" role="alert"')
    assert 'tabindex="-1" id="error-summary"' in main.split(">", 1)[0]
    assert '<a href="#id_name">Your name: Give your name, so that we can reply.</a>' in html
    assert '<a href="#id_categories">' in html  # the group of boxes, by its row
    assert "error-summary.js" in html


@pytest.mark.browser
def test_the_summary_takes_the_focus_on_every_kind_of_page_that_shows_one(page, live_server):
    for path, send in (
        ("/refresh/propose/", "Send the proposal"),
        ("/matchmaking/request/", "Send request"),
        ("/benefits/", "Start the tracker"),
    ):
        page.goto(live_server.url + path)
        page.get_by_role("button", name=send).click()
        expect(page.locator("#error-summary")).to_be_focused()
    page.goto(live_server.url + "/partnerships/?start_from=abc&q=bad%07text")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("There is a problem with the filters")
    expect(summary).to_be_focused()
    assert_no_violations(page)


@pytest.mark.django_db
def test_the_search_box_in_error_is_described_by_its_message_like_every_field(client):
    html = client.get("/partnerships/", {"q": "bad\x07text"}).content.decode()
    assert "There is a problem with the filters" in html
    assert 'id="id_q_error"' in html
    assert re.search(
        r'<input[^>]*id="id_q"[^>]*aria-describedby="id_q-hint id_q_error" aria-invalid="true"',
        html,
    )
