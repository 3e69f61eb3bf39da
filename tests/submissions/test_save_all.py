"""The all-on-one-page view is one form: "Save all" saves every partnership the officer
changed, and shows the page again with every typed text kept when one is refused or a
colleague saved it meanwhile; the others are saved, and none is half-written."""

import html
import re
import uuid

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from partnerships.models import Council
from submissions.forms import ItemsForm, SaveAllForm
from submissions.models import Questionnaire, QuestionnaireItem
from submissions.services import questionnaire_partnership_add
from submissions.services.questionnaire import item_validate, item_values
from tests.form_data import form_values
from tests.partnerships.factories import partnership_with_members
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)
from tests.test_hostile_input import FEW, hostile_value

pytestmark = pytest.mark.django_db


def _q(token, *rest) -> str:
    return "/".join(["/refresh/q", token, *[str(r) for r in rest]]) + "/"


def page_form(response, action: str) -> dict:
    """The form posting to `action` as a browser would send it untouched: one value, or a
    list for a name that repeats."""
    values = form_values(response.content.decode(), action=action)
    return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


def _text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def _items(questionnaire) -> list[QuestionnaireItem]:
    return list(questionnaire.items.exclude(partnership=None).order_by("pk"))


def _open_all(client, token):
    url = _q(token, "all")
    response = client.get(url)
    assert response.status_code == 200
    return url, page_form(response, url)


def _answer(data, item, **fields) -> dict:
    return {**data, **{f"item{item.pk}-{name}": value for name, value in fields.items()}}


def _saved(item) -> dict:
    item.refresh_from_db()
    return {"answer": item.answer, "version": item.version, **item_values(item)}


def test_the_page_is_one_form_with_every_partnership_and_one_name(client, adur, adur_token):
    url = _q(adur_token, "all")
    main = client.get(url).content.decode().split('id="main"')[1]
    assert main.count("<form") == 1 and f'action="{url}"' in main
    for item in adur.items.all():
        assert f'name="item{item.pk}-answer"' in main
        assert f'name="item{item.pk}-your_name"' not in main
        assert f'name="initial-item{item.pk}-description"' in main
    assert main.count('name="your_name"') == 1
    assert '<button type="submit">Save all</button>' in main


def test_save_all_saves_the_valid_one_and_keeps_the_invalid_ones_text_and_error(
    client, adur, adur_token
):
    first, second, *others = _items(adur)
    untouched = {item.pk: _saved(item) for item in others}
    url, data = _open_all(client, adur_token)
    data = _answer(
        data,
        first,
        answer="updated",
        description="Our new words for the first",
        savings_amount="£125,000",
        savings_kind="achieved",
    )
    data = _answer(
        data,
        second,
        answer="updated",
        description="Words for the second, kept",
        savings_amount="about 125k",
        comment="A comment to keep",
    )
    data["your_name"] = "Jo Bloggs"
    response = client.post(url, data)

    assert response.status_code == 400
    text = _text(response)
    # The valid one is saved.
    first.refresh_from_db()
    assert first.answer == "updated" and first.description == "Our new words for the first"
    assert str(first.savings_amount) == "125000.00" and first.updated_by == "Jo Bloggs"
    assert f"Saved 1 partnership: “{first}”." in text
    assert "Your other changes are saved." in text
    # The invalid one is not, and its text and error are on the page beside the field.
    second.refresh_from_db()
    assert second.answer == "unanswered" and second.description != "Words for the second, kept"
    page = response.content.decode()
    assert "Words for the second, kept</textarea>" in page
    assert "A comment to keep</textarea>" in page
    assert f'name="item{second.pk}-savings_amount" value="about 125k"' in page
    assert f'id="id_item{second.pk}-savings_amount_error"' in page
    assert (
        f'<a href="#id_item{second.pk}-savings_amount">{html.escape(str(second))}: Savings in '
        f"2025/26 (£): Give the savings as a number of pounds, like 125000.</a>"
    ) in page.replace("&#x27;", "'")
    # The saved one shows what is saved; nothing else was touched.
    assert "Our new words for the first</textarea>" in page
    assert {item.pk: _saved(item) for item in others} == untouched
    # Saving again from the page as shown, with the figure corrected, saves the second.
    again = page_form(response, url)
    again[f"item{second.pk}-savings_amount"] = "125000"
    again[f"item{second.pk}-savings_kind"] = "achieved"
    response = client.post(url, again)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.description == "Words for the second, kept"
    assert second.comment == "A comment to keep" and second.answer == "updated"
    first_after = _saved(first)
    assert first_after["description"] == "Our new words for the first"


def test_a_colleagues_save_on_one_partnership_keeps_the_text_and_blocks_no_other(
    client, adur, adur_token
):
    first, second, *others = _items(adur)
    untouched = {item.pk: _saved(item) for item in others}
    url, data = _open_all(client, adur_token)
    # Sam saves the first partnership from its own page meanwhile.
    item_page = _q(adur_token, "items", first.pk)
    sam = page_form(client.get(item_page), item_page)
    sam[f"item{first.pk}-answer"] = "updated"
    sam[f"item{first.pk}-description"] = "Sam's description"
    sam[f"item{first.pk}-no_savings_reason"] = "not_measured"
    sam[f"item{first.pk}-your_name"] = "Sam Smith"
    assert client.post(item_page, sam).status_code == 302

    data = _answer(
        data,
        first,
        answer="updated",
        description="Jo's description",
        no_savings_reason="not_measured",
    )
    data = _answer(data, second, answer="ended", end_year="2025", comment="Ended in March")
    data["your_name"] = "Jo Bloggs"
    response = client.post(url, data)

    assert response.status_code == 409
    text = _text(response)
    # The other is saved.
    second.refresh_from_db()
    assert second.answer == "ended" and second.end_year == 2025 and second.updated_by == "Jo Bloggs"
    # The first keeps Sam's answer; Jo's text is still in the form, beside what Sam changed.
    first.refresh_from_db()
    assert first.description == "Sam's description" and first.updated_by == "Sam Smith"
    assert "A colleague saved this partnership while you were working on it" in text
    assert "Sam Smith saved it" in text
    assert "Description Sam's description Jo's description" in text
    page = response.content.decode()
    assert "Jo&#x27;s description</textarea>" in page
    assert f'href="#conflict-{first.pk}"' in page and f'id="conflict-{first.pk}"' in page
    assert {item.pk: _saved(item) for item in others} == untouched

    # Saving again is a deliberate choice to replace Sam's answer with Jo's.
    response = client.post(url, page_form(response, url))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.description == "Jo's description" and first.updated_by == "Jo Bloggs"
    assert {item.pk: _saved(item) for item in others} == untouched


def test_a_partnership_left_alone_keeps_a_colleagues_answer(client, adur, adur_token):
    first, second, *_ = _items(adur)
    url, data = _open_all(client, adur_token)
    item_page = _q(adur_token, "items", first.pk)
    sam = page_form(client.get(item_page), item_page)
    sam[f"item{first.pk}-answer"] = "unchanged"
    sam[f"item{first.pk}-comment"] = "Sam's comment"
    sam[f"item{first.pk}-your_name"] = "Sam Smith"
    assert client.post(item_page, sam).status_code == 302
    # Jo, whose page showed the first before Sam's save, changes only the second.
    data = _answer(data, second, answer="unchanged")
    data["your_name"] = "Jo Bloggs"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    first.refresh_from_db()
    assert first.comment == "Sam's comment" and first.updated_by == "Sam Smith"
    second.refresh_from_db()
    assert second.answer == "unchanged" and second.updated_by == "Jo Bloggs"
    assert f"Saved 1 partnership: “{second}”." in _text(client.get(url))


def test_a_save_button_beside_a_partnership_saves_all_and_comes_back_there(
    client, adur, adur_token
):
    first, second, *_ = _items(adur)
    url, data = _open_all(client, adur_token)
    data = _answer(data, first, answer="unchanged")
    data = _answer(data, second, answer="unchanged")
    data.update(your_name="Jo Bloggs", save=str(second.pk))
    response = client.post(url, data)
    assert response["Location"] == f"{url}#item-{second.pk}"
    assert {_saved(first)["answer"], _saved(second)["answer"]} == {"unchanged"}
    assert f"Saved 2 partnerships: “{first}”, “{second}”." in _text(client.get(url))


def test_without_a_name_nothing_is_saved_and_everything_typed_is_kept(client, adur, adur_token):
    first = _items(adur)[0]
    url, data = _open_all(client, adur_token)
    data = _answer(data, first, answer="unchanged", comment="Kept without a name")
    data["your_name"] = ""
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Give your name, so colleagues can see who saved this." in _text(response)
    assert 'href="#id_your_name"' in response.content.decode()
    assert "Kept without a name</textarea>" in response.content.decode()
    assert _saved(first)["answer"] == "unanswered"
    # A save with nothing changed says so, and opens the questionnaire (a POST).
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.IN_PROGRESS
    response = client.post(url, page_form(client.get(url), url), follow=True)
    assert "Nothing had changed, so there was nothing to save." in _text(response)


def test_a_new_collaboration_is_saved_from_the_page_too(client, adur, adur_token):
    new = QuestionnaireItem.objects.create(
        questionnaire=adur, name="Joint legal team", answer="new", start_year=2024
    )
    new.councils.set([adur.council_id])
    url, data = _open_all(client, adur_token)
    assert f'name="item{new.pk}-name"' in client.get(url).content.decode()
    data = _answer(
        data,
        new,
        description="One legal team for both.",
        other_partners="Shoreham Port Authority",
        no_savings_reason="not_yet_known",
    )
    data[f"item{new.pk}-categories"] = [
        str(pk)
        for pk in adur.items.exclude(partnership=None)[0].categories.values_list("pk", flat=True)
    ][:1] or ["1"]
    data["your_name"] = "Jo Bloggs"
    response = client.post(url, data)
    assert response.status_code == 302, _text(response)[:2000]
    new.refresh_from_db()
    assert new.description == "One legal team for both." and new.updated_by == "Jo Bloggs"


def test_every_box_of_text_on_the_page_has_a_limit_that_is_enforced_beside_it(
    client, adur, adur_token
):
    for form_class in (ItemsForm, SaveAllForm):
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.CharField):
                assert field.max_length, f"{form_class.__name__}.{name} takes any length"
    first = _items(adur)[0]
    url, data = _open_all(client, adur_token)
    data = _answer(data, first, answer="unchanged", comment="é" * 10_001)
    data["your_name"] = "J" * 201
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_item{first.pk}-comment_error"' in page and 'id="id_your_name_error"' in page
    text = _text(response)
    assert "Use at most 10,000 characters (this has 10,001)." in text
    assert "Use at most 200 characters (this has 201)." in text
    assert _saved(first)["answer"] == "unanswered"


# --- Whatever is typed: never a 500, never an item half-written ------------------------

ITEM_FIELDS = [
    "answer",
    "description",
    "status",
    "categories",
    "councils",
    "public_bodies",
    "other_partners",
    "savings_amount",
    "savings_kind",
    "savings_cashable",
    "savings_recurrence",
    "no_savings_reason",
    "no_savings_reason_other",
    "comment",
    "end_year",
    "version",
    "edited",
]
# Bounded text that fits, and text past every limit.
typed = st.one_of(
    hostile_value,
    st.text(max_size=200),
    st.text(min_size=10_001, max_size=10_050),
)


@FEW
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(ITEM_FIELDS), typed),
        min_size=1,
        max_size=6,
    ),
    initial=st.booleans(),
    name=st.one_of(st.just("Jo Bloggs"), hostile_value),
)
def test_save_all_never_fails_and_never_half_writes_a_partnership(
    client, adur, adur_token, changes, initial, name
):
    items = _items(adur)[:3]
    url, data = _open_all(client, adur_token)
    before = {item.pk: _saved(item) for item in items}
    for item in items:  # each answered anew, so what the changes leave valid is saved
        data = _answer(data, item, answer="unchanged", comment=f"Checked {uuid.uuid4()}")
    for index, field, value in changes:
        item = items[index % len(items)]
        prefix = "initial-" if initial and field not in ("version", "edited") else ""
        data[f"{prefix}item{item.pk}-{field}"] = value
    data["your_name"] = name
    response = client.post(url, data)
    assert response.status_code in (302, 400, 409), response.status_code
    changed = {items[index % len(items)].pk for index, _, _ in changes}
    for item in items:
        after = _saved(item)
        if name == "Jo Bloggs" and item.pk not in changed:
            # Another partnership's bad text never stops this one being saved.
            assert after["version"] == before[item.pk]["version"] + 1
        if after["version"] == before[item.pk]["version"]:
            assert after == before[item.pk]  # untouched, entirely
        else:
            # Saved whole: one complete answer that the rules accept.
            assert after["version"] == before[item.pk]["version"] + 1
            assert after["answer"] != "unanswered" and item.updated_by.strip()
            data = {k: v for k, v in after.items() if k not in ("answer", "version")}
            item_validate(
                questionnaire=adur, answer=item.answer, data=data, prefilled=item.prefilled
            )
    assert "Traceback" not in response.content.decode()


# --- Queries do not grow with the partnerships on the page -----------------------------


def _grow_to(questionnaire, size: int) -> None:
    """Add published partnerships of Adur's with other councils until it has `size`."""
    adur = questionnaire.council
    missing = size - questionnaire.items.count()
    others = Council.objects.filter(current=True).exclude(pk=adur.pk).order_by("pk")
    for council in others[:missing]:
        questionnaire_partnership_add(
            questionnaire=questionnaire, partnership=partnership_with_members(adur, council)
        )
    assert questionnaire.items.count() == size


SIZES = (3, 30)
# Reading the page: the session, the link (with its questionnaire, cycle and council),
# the items, their services, councils and public bodies, and their sent changes (one
# prefetch each), then the lists to choose partners and services from (councils, public
# bodies, services): 10, measured, at any number of partnerships.
ALL_PAGE_QUERIES = 10
# Saving two partnerships: the page's 10 reads, then for each partnership saved its row
# locked with its questionnaire and cycle, written, its three member lists set, the
# questionnaire's version and the activity log, each in a savepoint, and the session:
# 31, measured. The partnerships left alone cost nothing, however many there are.
SAVE_TWO_QUERIES = 31
# One saved and one refused: the same reads, one save, and the page read again (it is
# shown again with what was saved): 27, measured.
SAVE_ONE_REFUSE_ONE_QUERIES = 27


def _warm(client, adur, token) -> None:
    """The questionnaire opened and the officer's name in the session, as for anyone
    saving a second time (opening costs its own queries once)."""
    url, data = _open_all(client, token)
    data = _answer(data, _items(adur)[0], answer="unchanged", comment="Warming up")
    data["your_name"] = "Jo Bloggs"
    assert client.post(url, data).status_code == 302


@pytest.mark.parametrize("size", SIZES)
def test_the_all_on_one_page_view_reads_the_same_queries_at_any_size(
    client, adur, adur_token, size, django_assert_max_num_queries
):
    _grow_to(adur, size)
    _warm(client, adur, adur_token)
    with django_assert_max_num_queries(ALL_PAGE_QUERIES) as read:
        assert client.get(_q(adur_token, "all")).status_code == 200
    assert len(read.captured_queries) == ALL_PAGE_QUERIES


@pytest.mark.parametrize("size", SIZES)
def test_saving_all_costs_queries_by_the_partnerships_saved_not_those_on_the_page(
    client, adur, adur_token, size, django_assert_max_num_queries
):
    _grow_to(adur, size)
    _warm(client, adur, adur_token)
    first, second = _items(adur)[:2]
    url, data = _open_all(client, adur_token)
    data = _answer(data, first, answer="unchanged", comment="First, checked")
    data = _answer(data, second, answer="unchanged", comment="Second, checked")
    with django_assert_max_num_queries(SAVE_TWO_QUERIES) as saving:
        assert client.post(url, data).status_code == 302
    assert len(saving.captured_queries) == SAVE_TWO_QUERIES

    url, data = _open_all(client, adur_token)
    data = _answer(data, first, savings_amount="lots", comment="First, refused")
    data = _answer(data, second, comment="Second, saved")
    with django_assert_max_num_queries(SAVE_ONE_REFUSE_ONE_QUERIES) as refusing:
        assert client.post(url, data).status_code == 400
    assert len(refusing.captured_queries) == SAVE_ONE_REFUSE_ONE_QUERIES
