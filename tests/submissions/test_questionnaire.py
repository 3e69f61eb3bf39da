"""A council officer's questionnaire pages, through the test client."""

import datetime
import html
import re

import pytest
from django.core import mail

from partnerships.models import Council, PublicBody, PublicBodyKind, ServiceCategory
from submissions.models import Questionnaire, QuestionnaireItem, RefreshCycle
from submissions.selectors import cycle_progress
from submissions.services import cycle_close, link_issue, link_revoke, questionnaire_partnership_add
from tests.partnerships.factories import partnership_with_members
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


def _q(token, *rest) -> str:
    return "/".join(["/refresh/q", token, *[str(r) for r in rest]]) + "/"


def _form_data(item, **fields) -> dict:
    """What the item's form posts when the officer changes `fields`."""
    prefix = f"item{item.pk}-"
    data = {
        "answer": "unchanged",
        "description": item.description,
        "status": item.status,
        "categories": [c.pk for c in item.categories.all()],
        "councils": [c.pk for c in item.councils.all()],
        "public_bodies": [b.pk for b in item.public_bodies.all()],
        "other_partners": "",
        "savings_amount": "",
        "savings_recurrence": "unknown",
        "no_savings_reason": "",
        "no_savings_reason_other": "",
        "comment": "",
        "your_name": "Jo Bloggs",
        "version": item.version,
        **fields,
    }
    return {prefix + name: value for name, value in data.items()}


def _text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def test_the_invitation_link_opens_the_councils_questionnaire(client, adur, adur_token):
    response = client.get(_q(adur_token))
    assert response.status_code == 200
    text = _text(response)
    assert "Adur: shared services questionnaire 2025/26" in text
    assert f"{adur.cycle.deadline:%-d %B %Y}" in text
    total = adur.items.count()
    assert f"0 of {total} partnerships done" in text
    assert (
        f'<progress id="questionnaire-progress" max="{total}" value="0">'
        in response.content.decode()
    )
    for item in adur.items.all():
        assert item.partnership.name in text
    # Reading is not opening: a mail scanner fetches the link too (see below).
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.NOT_OPENED and adur.opened_at is None


def test_a_questionnaire_counts_as_opened_on_the_officers_first_save_not_on_a_visit(
    client, adur, adur_token
):
    item = adur.items.first()
    # A mail scanner (Safe Links) or the officer reading: every page, fetched, opens nothing.
    for url in (
        _q(adur_token),
        _q(adur_token, "all"),
        _q(adur_token, "new"),
        _q(adur_token, "submit"),
        _q(adur_token, "items", item.pk),
    ):
        assert client.get(url).status_code == 200, url
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.NOT_OPENED and adur.opened_at is None
    # The dashboard's count follows: Adur and Worthing are both still not opened.
    assert cycle_progress(cycle=adur.cycle)[0].counts["not_opened"] == 2

    client.post(_q(adur_token, "items", item.pk), _form_data(item))
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.IN_PROGRESS and adur.opened_at
    assert cycle_progress(cycle=adur.cycle)[0].counts["not_opened"] == 1
    opened_at = adur.opened_at
    item.refresh_from_db()
    client.post(_q(adur_token, "items", item.pk), _form_data(item, comment="Later"))
    adur.refresh_from_db()
    assert adur.opened_at == opened_at  # opened once


def test_questionnaire_pages_keep_the_token_out_of_caches_and_referrers(client, adur, adur_token):
    item = adur.items.first()
    for url in (
        _q(adur_token),
        _q(adur_token, "all"),
        _q(adur_token, "new"),
        _q(adur_token, "submit"),
        _q(adur_token, "items", item.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "strict-origin"
        assert '<meta name="referrer" content="strict-origin">' in response.content.decode()


@pytest.mark.parametrize("token", ["", "x" * 43, "not-a-real-token"])
def test_an_unknown_link_gets_a_helpful_404(client, adur, token):
    response = client.get(f"/refresh/q/{token or 'nothing'}/")
    assert response.status_code == 404
    assert "This questionnaire link does not work" in _text(response)
    assert "Adur" not in _text(response)


def test_revoked_and_expired_links_are_refused(client, adur, adur_token, open_cycle):
    assert client.get(_q(adur_token)).status_code == 200
    link_revoke(link=adur.links.get())
    response = client.get(_q(adur_token))
    assert response.status_code == 404 and "Adur" not in _text(response)
    fresh = link_issue(questionnaire=adur)
    assert client.get(_q(fresh)).status_code == 200
    cycle_close(cycle=open_cycle)
    assert client.get(_q(fresh)).status_code == 404


def test_a_link_never_opens_another_councils_items_or_the_admin(
    client, adur, adur_token, worthing, worthing_token
):
    adur_item = adur.items.first()
    urls = [
        _q(worthing_token, "items", adur_item.pk),
        _q(worthing_token, "items", adur_item.pk, "remove"),
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = (
                method(url, _form_data(adur_item, answer="ended", end_year="2025"))
                if method == client.post
                else method(url)
            )
            assert response.status_code in (404, 405), url
            assert adur_item.partnership.name not in _text(response) or response.status_code == 405
    adur_item.refresh_from_db()
    assert adur_item.answer == "unanswered"
    # Using a link gives no standing anywhere else.
    client.get(_q(adur_token))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    new = QuestionnaireItem.objects.create(questionnaire=adur, name="Adur only", answer="new")
    assert client.post(_q(worthing_token, "items", new.pk, "remove")).status_code == 404
    assert QuestionnaireItem.objects.filter(pk=new.pk).exists()


def test_saving_a_partnership_keeps_it_and_moves_on(client, adur, adur_token):
    first, *rest = sorted(adur.items.all(), key=lambda i: i.name.lower())
    response = client.post(
        _q(adur_token, "items", first.pk),
        _form_data(
            first,
            answer="updated",
            savings_amount="£125,000",
            savings_kind="achieved",
            savings_cashable="yes",
            savings_recurrence="recurring",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == (_q(adur_token, "items", rest[0].pk) if rest else _q(adur_token))
    first.refresh_from_db()
    assert first.answer == "updated" and str(first.savings_amount) == "125000.00"
    assert first.savings_cashable is True and first.updated_by == "Jo Bloggs"
    page = client.get(_q(adur_token))
    assert f"1 of {adur.items.count()} partnerships done" in _text(page)
    assert "Saved “" in _text(page)
    # The officer's name is remembered for the next form.
    assert 'value="Jo Bloggs"' in client.get(_q(adur_token, "items", first.pk)).content.decode()


def test_bad_input_is_explained_beside_the_field_and_nothing_typed_is_lost(
    client, adur, adur_token
):
    item = adur.items.first()
    response = client.post(
        _q(adur_token, "items", item.pk),
        _form_data(
            item,
            answer="updated",
            description="Our new words",
            savings_amount="lots",
            comment="Keep me",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Give the savings as a number of pounds, like 125000." in html
    assert f'href="#id_item{item.pk}-savings_amount"' in html
    assert f'id="id_item{item.pk}-savings_amount_error"' in html
    assert "Our new words" in html and "Keep me" in html and 'value="lots"' in html
    item.refresh_from_db()
    assert item.answer == "unanswered" and item.description != "Our new words"


def test_an_update_with_neither_figure_nor_reason_is_refused(client, adur, adur_token):
    item = adur.items.first()
    response = client.post(_q(adur_token, "items", item.pk), _form_data(item, answer="updated"))
    assert response.status_code == 400
    assert "Give the savings for 2025/26, or choose a reason there is no figure." in _text(response)


def test_two_colleagues_saving_at_once_never_silently_overwrite(client, adur, adur_token):
    item = adur.items.first()
    opened = _form_data(item, answer="updated", no_savings_reason="not_measured")
    sam = dict(opened)
    sam[f"item{item.pk}-description"] = "Sam's description"
    sam[f"item{item.pk}-your_name"] = "Sam"
    assert client.post(_q(adur_token, "items", item.pk), sam).status_code == 302

    jo = dict(opened)
    jo[f"item{item.pk}-description"] = "Jo's description"
    response = client.post(_q(adur_token, "items", item.pk), jo)
    assert response.status_code == 409
    text = _text(response)
    assert "A colleague saved this partnership while you were working on it" in text
    assert "Description Sam's description Jo's description" in text
    assert "Jo&#x27;s description</textarea>" in response.content.decode()  # still typed
    item.refresh_from_db()
    assert item.description == "Sam's description"

    # The form now carries the saved version: saving again is deliberate and wins.
    version = re.search(rf'name="item{item.pk}-version" value="(\d+)"', response.content.decode())
    jo[f"item{item.pk}-version"] = version.group(1)
    assert client.post(_q(adur_token, "items", item.pk), jo).status_code == 302
    item.refresh_from_db()
    assert item.description == "Jo's description" and item.updated_by == "Jo Bloggs"


def test_an_officer_adds_a_collaboration_with_a_fire_and_rescue_authority(client, adur, adur_token):
    fire = (
        PublicBody.objects.filter(kind=PublicBodyKind.FIRE_RESCUE_AUTHORITY)
        .order_by("name")
        .first()
    )
    page = client.get(_q(adur_token, "new")).content.decode()
    assert f'value="{fire.pk}"' in page and "Fire and rescue" in page
    legal = ServiceCategory.objects.get(slug="legal")
    response = client.post(
        _q(adur_token, "new"),
        {
            "new-name": "Joint community safety team",
            "new-description": "Home fire safety visits with the fire service.",
            "new-status": "operational",
            "new-start_year": "2024",
            "new-categories": [legal.pk],
            "new-councils": [adur.council_id],
            "new-public_bodies": [fire.pk],
            "new-other_partners": "Shoreham Port Authority",
            "new-savings_amount": "",
            "new-savings_recurrence": "unknown",
            "new-no_savings_reason": "not_yet_known",
            "new-your_name": "Jo Bloggs",
        },
    )
    assert response.status_code == 302
    item = adur.items.get(partnership=None)
    assert item.name == "Joint community safety team" and item.answer == "new"
    assert list(item.public_bodies.all()) == [fire]
    assert "Joint community safety team" in _text(client.get(_q(adur_token)))
    # It can be taken out again.
    assert client.post(_q(adur_token, "items", item.pk, "remove")).status_code == 302
    assert not adur.items.filter(partnership=None).exists()


def test_a_new_collaboration_with_missing_answers_keeps_what_was_typed(client, adur, adur_token):
    response = client.post(
        _q(adur_token, "new"),
        {
            "new-name": "",
            "new-description": "Typed words",
            "new-your_name": "Jo",
            "new-start_year": "twenty",
        },
    )
    assert response.status_code == 400
    text = _text(response)
    assert "Give the collaboration a name." in text
    assert "Give a year as four digits, like 2024." in text
    assert "Typed words" in text


def test_a_pre_filled_partnership_cannot_be_removed(client, adur, adur_token):
    item = adur.items.first()
    assert client.post(_q(adur_token, "items", item.pk, "remove")).status_code == 404
    assert QuestionnaireItem.objects.filter(pk=item.pk).exists()


def _answer_everything(client, questionnaire, token):
    for item in questionnaire.items.all():
        response = client.post(_q(token, "items", item.pk), _form_data(item))
        assert response.status_code == 302


def test_submitting_asks_for_every_answer_then_a_name_and_email(
    client, adur, adur_token, celery_eager, django_capture_on_commit_callbacks
):
    response = client.post(_q(adur_token, "submit"), {"name": "", "email": "nope"})
    assert response.status_code == 400
    text = _text(response)
    assert "Give your name." in text and "Give an email address like name@council.gov.uk." in text
    response = client.post(_q(adur_token, "submit"), {"name": "Jo", "email": "jo@adur.gov.uk"})
    assert "Answer every partnership first" in _text(response)
    _answer_everything(client, adur, adur_token)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _q(adur_token, "submit"), {"name": "Jo Bloggs", "email": "jo@adur.gov.uk"}
        )
    assert response.status_code == 302
    adur.refresh_from_db()
    assert adur.status == "submitted" and adur.submitted_by_email == "jo@adur.gov.uk"
    page = _text(client.get(_q(adur_token)))
    assert "your answers have been sent to the LGA" in page
    assert "last submitted" in page and "Jo Bloggs" in page
    confirmation = next(m for m in mail.outbox if m.to == ["jo@adur.gov.uk"])
    assert f"http://testserver{_q(adur_token)}" in confirmation.body


def test_after_the_deadline_a_submitted_questionnaire_is_read_only(
    client, adur, adur_token, open_cycle
):
    _answer_everything(client, adur, adur_token)
    client.post(_q(adur_token, "submit"), {"name": "Jo", "email": "jo@adur.gov.uk"})
    RefreshCycle.objects.filter(pk=open_cycle.pk).update(
        deadline=datetime.date.today() - datetime.timedelta(days=1)
    )
    item = adur.items.first()
    page = client.get(_q(adur_token, "items", item.pk))
    assert page.status_code == 200
    assert "Read only." in _text(page) and "has passed" in _text(page)
    assert "<form" not in page.content.decode().split('id="main"')[1]
    client.post(_q(adur_token, "items", item.pk), _form_data(item, answer="ended", end_year="2025"))
    item.refresh_from_db()
    assert item.answer == "unchanged"


def test_a_late_council_is_told_the_deadline_passed_but_may_still_answer(
    client, adur, adur_token, open_cycle
):
    RefreshCycle.objects.filter(pk=open_cycle.pk).update(
        deadline=datetime.date.today() - datetime.timedelta(days=2)
    )
    page = _text(client.get(_q(adur_token)))
    assert "has passed" in page and "still welcome" in page
    item = adur.items.first()
    assert client.post(_q(adur_token, "items", item.pk), _form_data(item)).status_code == 302


def _grow(questionnaire, n):
    adur = questionnaire.council
    others = list(Council.objects.filter(current=True).exclude(pk=adur.pk).order_by("pk")[:n])
    for council in others:
        partnership = partnership_with_members(adur, council)
        questionnaire_partnership_add(questionnaire=questionnaire, partnership=partnership)


@pytest.mark.parametrize("page", ["", "all"])
def test_the_overview_and_all_on_one_page_use_the_same_queries_at_any_size(
    client, adur, adur_token, page, django_assert_max_num_queries
):
    url = _q(adur_token, page) if page else _q(adur_token)
    client.get(url)  # the first visit also marks it opened
    with django_assert_max_num_queries(16) as few:
        assert client.get(url).status_code == 200
    _grow(adur, 12)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert adur.items.count() >= 14
    assert len(many.captured_queries) == len(few.captured_queries)


def test_replies_that_hold_a_working_token_are_not_logged(client, adur, adur_token, caplog):
    item = adur.items.first()
    with caplog.at_level("DEBUG"):
        client.post(_q(adur_token, "items", item.pk), _form_data(item, answer="updated"))
        client.get(_q(adur_token, "items", 999999))
    assert adur_token not in caplog.text


def test_the_council_sees_what_staff_decided_on_its_answers(client, adur, adur_token, real_data):
    from django.contrib.auth import get_user_model

    from submissions.models import ProposedChange
    from submissions.services import change_reject

    item = adur.items.first()
    client.post(
        _q(adur_token, "items", item.pk),
        _form_data(item, savings_amount="5000", savings_kind="achieved"),
    )
    _answer_everything_left(client, adur, adur_token)
    client.post(_q(adur_token, "submit"), {"name": "Jo", "email": "jo@adur.gov.uk"})
    change = ProposedChange.objects.get(questionnaire=adur)
    assert "Savings figure: waiting for review" in _text(client.get(_q(adur_token)))
    staff = get_user_model().objects.create_user("reviewer", "r@lga.gov.uk", "x", is_staff=True)
    change_reject(change=change, reviewer=staff, reason="The figure covers two years.")
    page = _text(client.get(_q(adur_token)))
    assert "Savings figure: rejected – The figure covers two years." in page


def _answer_everything_left(client, questionnaire, token):
    for item in questionnaire.items.filter(answer="unanswered"):
        assert client.post(_q(token, "items", item.pk), _form_data(item)).status_code == 302


def test_the_all_on_one_page_view_is_one_form_that_saves_every_change(client, adur, adur_token):
    # Behaviour changed (issue 12): one form posting to the page itself, not one form per
    # partnership posting to its own page (which lost what was typed in the others).
    url = _q(adur_token, "all")
    page = client.get(url)
    items = list(adur.items.all())
    html_page = page.content.decode()
    assert html_page.split('id="main"')[1].count("<form") == 1
    assert f'action="{url}"' in html_page
    for item in items:
        assert f'id="item-{item.pk}"' in html_page
        assert f'action="{_q(adur_token, "items", item.pk)}"' not in html_page
        # The partners travel as they are; the long lists are on each item's own page.
        for council in item.councils.all():
            assert (
                f'<input type="hidden" name="item{item.pk}-councils" value="{council.pk}">'
                in html_page
            )
        assert f'type="checkbox" name="item{item.pk}-councils"' not in html_page
    item = items[-1]
    data = {
        name: value for name, value in _form_data(item).items() if not name.endswith("your_name")
    }
    data.update({"your_name": "Jo Bloggs", "save": str(item.pk)})
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{url}#item-{item.pk}"
    item.refresh_from_db()
    assert item.answer == "unchanged" and item.updated_by == "Jo Bloggs"


def test_a_submit_page_opened_before_a_colleagues_save_is_told_to_check_again(
    client, adur, adur_token
):
    _answer_everything(client, adur, adur_token)
    page = client.get(_q(adur_token, "submit")).content.decode()
    seen = re.search(r'name="version" value="(\d+)"', page).group(1)
    item = adur.items.first()
    client.post(_q(adur_token, "items", item.pk), _form_data(item, comment="One more thing"))
    response = client.post(
        _q(adur_token, "submit"), {"name": "Jo", "email": "jo@adur.gov.uk", "version": seen}
    )
    assert "A colleague has changed the answers since you opened this page" in _text(response)
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.IN_PROGRESS
    fresh = re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)
    response = client.post(
        _q(adur_token, "submit"), {"name": "Jo", "email": "jo@adur.gov.uk", "version": fresh}
    )
    assert response.status_code == 302
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.SUBMITTED
