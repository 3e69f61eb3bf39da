"""Bounded, unambiguous input: every box of text on the public and council forms says how
much it takes ("Up to N characters.") and refuses more with a message beside the field,
writing nothing; every amount is read by core.money, so "1_000", "1e3" and words are
refused beside the field, never taken as £1,000.

Property-based like tests/test_hostile_input.py: few examples, derandomized.
"""

import re

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from benefits.forms import RatingForm, SetupCostForm, TrackerStartForm
from benefits.models import BenefitRating, SetupCost, Tracker, TrackerYear
from core.forms import length_hint
from matchmaking.admin_forms import (
    AwardForm,
    CloseForm,
    DeclineForm,
    FundingAwardForm,
    MatchRequestAdminForm,
)
from matchmaking.forms import ExpertApplicationForm, MatchRequestForm, OutcomeReportForm
from matchmaking.models import ExpertApplication, MatchRequest
from submissions.admin_forms import ConfirmOnBehalfForm
from submissions.forms import ItemForm, SubmitForm
from submissions.models import ProposedChange, QuestionnaireItem
from submissions.proposal_forms import ProposalForm
from tests.benefits.factories import tracker_for
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)
from tests.test_hostile_input import (
    FEW,
    application_data,
    counts,
    figures_data,
    fresh_allowances,
    item_data,
    match_request_data,
    proposal_data,
    text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

PUBLIC_FORMS = [
    ProposalForm,
    MatchRequestForm,
    ExpertApplicationForm,
    OutcomeReportForm,
    TrackerStartForm,
    SetupCostForm,
    RatingForm,
    ItemForm,
    SubmitForm,
]
STAFF_FORMS = [CloseForm, AwardForm, DeclineForm, ConfirmOnBehalfForm]
HONEYPOT = "website"  # the robots' trap: any value at all is a robot's


def text_fields(form_class) -> list[tuple[str, forms.CharField]]:
    return [
        (name, field)
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField) and name != HONEYPOT
    ]


@pytest.mark.parametrize(
    "form_class", [*PUBLIC_FORMS, *STAFF_FORMS, MatchRequestAdminForm], ids=lambda c: c.__name__
)
def test_every_box_of_text_has_a_limit(form_class):
    for name, field in text_fields(form_class):
        assert field.max_length, f"{form_class.__name__}.{name} takes any length"
        assert field.widget.attrs.get("maxlength") == str(field.max_length)


def test_the_hint_says_the_limit_and_the_input_is_described_by_it():
    form = ProposalForm()
    description = str(form["description"].as_field_group())
    hint = re.search(r'<p class="field__hint" id="id_description_helptext">([^<]*)<', description)
    assert hint and hint[1] == (
        "A few sentences: the service, who runs it, and since when. Up to 4,000 characters."
    )
    assert re.search(r'<textarea[^>]*maxlength="4000"', description)
    assert re.search(r'<textarea[^>]*aria-describedby="id_description_helptext"', description)
    # A field without a hint of its own gets one that is only the limit.
    name = str(form["name"].as_field_group())
    assert '<p class="field__hint" id="id_name_helptext">Up to 200 characters.</p>' in name
    assert re.search(r'<input[^>]*aria-describedby="id_name_helptext"', name)
    # An email address, an amount typed as text and the robots' trap say no length.
    assert "Up to" not in str(form["email"].as_field_group())
    assert length_hint(ItemForm.base_fields["savings_amount"]) == ""
    assert length_hint(ProposalForm.base_fields[HONEYPOT]) == ""


def typed_text_fields(form_class) -> list[tuple[str, forms.CharField]]:
    """The boxes of free text (an email address has its own message for its length)."""
    return [
        (name, field)
        for name, field in text_fields(form_class)
        if not isinstance(field, forms.EmailField)
    ]


def _bound(form_class, data: dict):
    return form_class(data)


# The questionnaire's item form is drawn with its questionnaire: it is posted through its
# page below, not bound here.
@pytest.mark.parametrize(
    "form_class",
    [c for c in PUBLIC_FORMS + STAFF_FORMS if c is not ItemForm],
    ids=lambda c: c.__name__,
)
def test_a_text_one_character_too_long_is_refused_beside_its_field(form_class):
    for name, field in typed_text_fields(form_class):
        limit = field.max_length
        form = _bound(form_class, {name: "é" * (limit + 1)})
        assert not form.is_valid()
        assert form.errors[name] == [
            f"Use at most {limit:,} characters (this has {limit + 1:,})."
        ], (form_class.__name__, name)
        at_limit = _bound(form_class, {name: "é" * limit})
        at_limit.is_valid()
        assert name not in at_limit.errors or "at most" not in str(at_limit.errors[name])


# --- Through the pages: longer than the limit, refused beside the field, nothing written ---

# Letters, digits and punctuation: nothing a form strips or refuses for itself.
SEED = st.text(alphabet=st.characters(categories=("L", "N", "P")), min_size=1, max_size=4)
OVER = st.one_of(st.integers(min_value=1, max_value=50), st.just(100_000))


def _too_long(seed: str, limit: int, over: int) -> str:
    length = max(limit + 1, over) if over == 100_000 else limit + over
    return (seed * (length // len(seed) + 1))[:length]


def _refused_beside(response, field_id: str, limit: int) -> None:
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    pattern = (
        rf'<p class="field__error" id="{re.escape(field_id)}_error">'
        rf'<span class="visually-hidden">Error:</span> Use at most {limit:,} characters'
    )
    assert re.search(pattern, html), (field_id, text(response)[:1500])


PUBLIC_PAGES = {
    "proposal": ("submissions:proposal-new", ProposalForm, proposal_data, ProposedChange),
    "request": ("matchmaking:request-new", MatchRequestForm, match_request_data, MatchRequest),
    "application": (
        "matchmaking:application-new",
        ExpertApplicationForm,
        application_data,
        ExpertApplication,
    ),
}
PUBLIC_TEXT = [
    (page, name)
    for page, (_, form, *_) in PUBLIC_PAGES.items()
    for name, _ in typed_text_fields(form)
]


@FEW
@given(target=st.sampled_from(PUBLIC_TEXT), seed=SEED, over=OVER)
def test_a_public_form_refuses_any_text_longer_than_its_limit(client, target, seed, over):
    page, name = target
    url_name, form_class, valid, table = PUBLIC_PAGES[page]
    limit = form_class.base_fields[name].max_length
    fresh_allowances()
    before = counts(table)
    response = client.post(reverse(url_name), {**valid(), name: _too_long(seed, limit, over)})
    _refused_beside(response, f"id_{name}", limit)
    assert counts(table) == before


def test_the_tracker_start_form_refuses_a_long_name(client):
    valid = {
        "for_what": "planned",
        "name": "x" * 201,
        "first_year": "2024",
        "first_year_months": "12",
        "creator_name": "Jo Bloggs",
        "creator_email": "jo.bloggs@adur-worthing.gov.uk",
        "website": "",
    }
    fresh_allowances()
    before = counts(Tracker)
    response = client.post(reverse("benefits:start"), valid)
    _refused_beside(response, "id_name", 200)
    assert counts(Tracker) == before


ITEM_TEXT = ["description", "other_partners", "no_savings_reason_other", "comment", "your_name"]


@FEW
@given(name=st.sampled_from(ITEM_TEXT), seed=SEED, over=OVER)
def test_a_questionnaire_answer_refuses_any_text_longer_than_its_limit(
    client, adur, adur_token, name, seed, over
):
    item = adur.items.exclude(partnership=None).order_by("pk").first()
    item.refresh_from_db()
    version, description = item.version, item.description
    limit = ItemForm.base_fields[name].max_length
    data = {**item_data(item), f"item{item.pk}-{name}": _too_long(seed, limit, over)}
    response = client.post(f"/refresh/q/{adur_token}/items/{item.pk}/", data)
    _refused_beside(response, f"id_item{item.pk}-{name}", limit)
    item.refresh_from_db()
    assert (item.version, item.description) == (version, description)


def test_a_100000_character_description_of_a_new_collaboration_is_refused(client, adur, adur_token):
    before = counts(QuestionnaireItem)
    response = client.post(
        f"/refresh/q/{adur_token}/new/",
        {
            "new-name": "Joint community safety team",
            "new-description": "x" * 100_000,
            "new-status": "operational",
            "new-councils": [str(adur.council_id)],
            "new-savings_recurrence": "unknown",
            "new-no_savings_reason": "not_yet_known",
            "new-your_name": "Jo Bloggs",
        },
    )
    _refused_beside(response, "id_new-description", ItemForm.base_fields["description"].max_length)
    assert "(this has 100,000)" in text(response)
    assert counts(QuestionnaireItem) == before


# --- Amounts: digits, commas and one point; "£" and spaces around -----------------------

NOT_AMOUNTS = ["1_000", "1e3", "a thousand"]


@pytest.mark.parametrize("value", NOT_AMOUNTS)
@pytest.mark.parametrize("name", ["expert_days_requested", "mediation_requested"])
def test_the_match_making_form_refuses_an_amount_that_is_not_digits(client, name, value):
    fresh_allowances()
    data = {**match_request_data(), name: value}
    response = client.post(reverse("matchmaking:request-new"), data)
    assert response.status_code in (200, 400)
    assert f'id="id_{name}_error"' in response.content.decode()
    assert not MatchRequest.objects.exists()


@pytest.mark.parametrize("value", NOT_AMOUNTS)
def test_the_expert_programme_form_refuses_an_amount_that_is_not_digits(client, value):
    fresh_allowances()
    data = {**application_data(), "funding_requested": value}
    response = client.post(reverse("matchmaking:application-new"), data)
    assert response.status_code in (200, 400)
    assert "Enter an amount in pounds, like 15000." in text(response)
    assert 'id="id_funding_requested_error"' in response.content.decode()
    assert not ExpertApplication.objects.exists()


@pytest.mark.parametrize("value", NOT_AMOUNTS)
def test_the_outcomes_form_refuses_savings_that_are_not_digits(value):
    form = OutcomeReportForm({"service_improvements": "Better", "savings_amount": value})
    assert form.errors["savings_amount"] == ["Enter an amount in pounds, like 125000."]
    assert OutcomeReportForm({"savings_amount": "£1,000"}).errors.get("savings_amount") is None


@pytest.mark.parametrize("value", NOT_AMOUNTS)
def test_a_questionnaire_answer_refuses_savings_that_are_not_digits(
    client, adur, adur_token, value
):
    item = adur.items.exclude(partnership=None).order_by("pk").first()
    data = {**item_data(item), f"item{item.pk}-savings_amount": value}
    response = client.post(f"/refresh/q/{adur_token}/items/{item.pk}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        rf'id="id_item{item.pk}-savings_amount_error">.*Give the savings as a number of pounds',
        html,
    )
    item.refresh_from_db()
    assert item.savings_amount is None and item.answer == "unanswered"


@pytest.fixture
def figures_link():
    tracker, token = tracker_for("adur-worthing")
    return tracker, reverse("benefits:tracker-figures", args=[token])


@pytest.mark.parametrize("value", NOT_AMOUNTS)
@pytest.mark.parametrize(
    "name",
    ["costs-0-amount", "years-0-staff", "partners-0-baseline_cost", "partners-0-agreed_share"],
)
def test_the_benefits_figures_refuse_an_amount_that_is_not_digits(
    client, figures_link, name, value
):
    tracker, url = figures_link
    before = counts(TrackerYear, SetupCost, BenefitRating)
    response = client.post(url, {**figures_data(tracker), name: value})
    assert response.status_code in (200, 400)
    assert f'id="id_{name}_error"' in response.content.decode()
    assert "using numbers only" in text(response)
    assert counts(TrackerYear, SetupCost, BenefitRating) == before


@pytest.mark.parametrize("value", NOT_AMOUNTS)
def test_staff_awards_refuse_an_amount_that_is_not_digits(value):
    funding = FundingAwardForm({"expert_days": value, "mediation_amount": value})
    assert funding.errors["expert_days"] == [
        "Enter a number of days using the digits 0 to 9, like 10 or 12.5."
    ]
    assert funding.errors["mediation_amount"] == [
        "Enter an amount in pounds using the digits 0 to 9, like 5000 or 5,000.50."
    ]
    award = AwardForm({"expert_name": "Sam", "amount": value, "reason": "Good"})
    assert "amount" in award.errors
    request = MatchRequestAdminForm({"expert_days_requested": value, "mediation_requested": value})
    assert request.errors["expert_days_requested"] == funding.errors["expert_days"]
    assert request.errors["mediation_requested"] == funding.errors["mediation_amount"]
    typed = FundingAwardForm({"expert_days": "12.5", "mediation_amount": "£1,000"})
    typed.is_valid()
    assert "expert_days" not in typed.errors and "mediation_amount" not in typed.errors
    assert typed.cleaned_data["mediation_amount"] == 1000
