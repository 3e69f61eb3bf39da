"""Staff moderate the queue of proposed changes like a moderation queue: reject several
with one reason, mark spam (out of the queue, kept for audit, nobody told), and see who
sent each item."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.activity.models import ActivityEntry
from partnerships.models import ServiceCategory
from submissions.models import ProposedChange, Questionnaire
from submissions.services import change_propose, change_reject
from submissions.services.review import changes_mark_spam
from submissions.services.staff import changes_decide
from tests.submissions.refresh_fixtures import ADUR, SURREY, WORTHING, council, cycle_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]
QUEUE = reverse("admin:submissions_proposedchange_changelist")
Status = ProposedChange.Status


def text(html) -> str:
    if isinstance(html, bytes):
        html = html.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_superuser("lga", "lga@local.gov.uk", "x")


def proposal(name: str, email: str, person: str = "Pat Proposer") -> ProposedChange:
    return change_propose(
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        partnership=None,
        proposed={
            "name": name,
            "description": "",
            "councils": [council(SURREY).pk, council(WORTHING).pk],
            "public_bodies": [],
            "other_partners": [],
            "categories": [ServiceCategory.objects.get(slug="legal").pk],
        },
        source="Public proposal form",
        submitted_by_name=person,
        submitted_by_email=email,
    )


@pytest.fixture
def proposals():
    return [
        proposal("Cheap watches shared service", "spam@example.com", "Win Big"),
        proposal("Surrey and Worthing legal", "pat@surreycc.gov.uk"),
        proposal("Worthing and Surrey legal team", "sam@worthing.gov.uk", "Sam Officer"),
    ]


@pytest.fixture
def council_change():
    questionnaire = Questionnaire.objects.create(
        cycle=cycle_make(),
        council=council(ADUR),
        status=Questionnaire.Status.SUBMITTED,
        submitted_by_name="Ann Officer",
        submitted_by_email="ann@adur.gov.uk",
    )
    return change_propose(
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        partnership=None,
        proposed={"name": "Adur dog wardens", "councils": [council(ADUR).pk]},
        source="Adur, refresh questionnaire 2025/26",
        submitted_by_name="Ann Officer",
        submitted_by_email="ann@adur.gov.uk",
        questionnaire=questionnaire,
    )


# --- Services -----------------------------------------------------------------------------


def test_spam_is_kept_for_audit_and_its_sender_is_told_nothing(
    proposals, reviewer, django_capture_on_commit_callbacks
):
    spam = proposals[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert changes_mark_spam(changes=[spam], reviewer=reviewer) == 1
    spam.refresh_from_db()
    assert spam.status == Status.SPAM and spam.reviewed_by == reviewer
    assert mail.outbox == [], "no decision email to a spammer"
    move = ActivityEntry.objects.get(object_id=spam.pk, verb="status_changed")
    assert move.detail == {"from": Status.PENDING, "to": Status.SPAM} and move.user == reviewer
    # Decided once: spam is neither accepted nor rejected later.
    with pytest.raises(ValidationError):
        change_reject(change=spam, reviewer=reviewer, reason="Spam")


def test_a_councils_change_or_a_decided_one_is_not_marked_spam_and_nothing_is(
    proposals, council_change, reviewer
):
    with pytest.raises(ValidationError, match="never spam"):
        changes_mark_spam(changes=[proposals[0], council_change], reviewer=reviewer)
    change_reject(change=proposals[1], reviewer=reviewer, reason="Not a shared service.")
    with pytest.raises(ValidationError, match="already been reviewed"):
        changes_mark_spam(changes=[proposals[0], proposals[1]], reviewer=reviewer)
    assert ProposedChange.objects.filter(status=Status.SPAM).count() == 0


def test_changes_rejected_together_each_tell_their_proposer_once(
    proposals, council_change, reviewer, django_capture_on_commit_callbacks
):
    chosen = [proposals[1], proposals[2], council_change]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changes_decide(
            decisions=[(c, "reject", "Already on the map.") for c in chosen], reviewer=reviewer
        )
    for change in chosen:
        change.refresh_from_db()
        assert (change.status, change.decision_reason) == (Status.REJECTED, "Already on the map.")
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["ann@adur.gov.uk", "pat@surreycc.gov.uk", "sam@worthing.gov.uk"]
    assert all("Already on the map." in m.body for m in mail.outbox)
    council_change.questionnaire.refresh_from_db()
    assert council_change.questionnaire.status == Questionnaire.Status.REVIEWED


# --- The review queue in the admin --------------------------------------------------------


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token(client: Client, url: str = QUEUE) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_the_queue_says_who_sent_each_item_and_hides_spam_unless_asked(
    proposals, council_change, reviewer
):
    client = csrf_client(reviewer)
    changes_mark_spam(changes=[proposals[0]], reviewer=reviewer)
    page = text(client.get(QUEUE).content)
    assert "From" in page
    assert "Pat Proposer (pat@surreycc.gov.uk)" in page
    assert "Sam Officer (sam@worthing.gov.uk)" in page
    assert "Adur dog wardens" in page and " Adur " in page, "the council of a questionnaire"
    assert "Cheap watches" not in page, "spam is out of the queue"
    assert "All but spam" in page
    spam = text(client.get(QUEUE, {"status": "spam"}).content)
    assert "Cheap watches shared service" in spam and "Win Big (spam@example.com)" in spam
    assert "Surrey and Worthing legal" not in spam
    everything = text(client.get(QUEUE, {"status": "all"}).content)
    assert "Cheap watches" in everything and "Surrey and Worthing legal" in everything
    # A made-up status is the default queue, not an error.
    odd = client.get(QUEUE, {"status": "<script>"})
    assert odd.status_code == 200 and "Cheap watches" not in text(odd.content)


def test_staff_mark_spam_from_the_queue(proposals, reviewer, django_capture_on_commit_callbacks):
    client = csrf_client(reviewer)
    mail.outbox.clear()
    data = {"action": "mark_spam", "_selected_action": [proposals[0].pk], "index": "0"}
    assert client.post(QUEUE, data).status_code == 403, "no CSRF token, nothing done"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(QUEUE, {"csrfmiddlewaretoken": token(client), **data}, follow=True)
    assert "1 proposal(s) marked as spam" in text(response.content)
    assert "Cheap watches" not in text(response.content).split("marked as spam")[1]
    proposals[0].refresh_from_db()
    assert proposals[0].status == Status.SPAM
    assert mail.outbox == []


def test_staff_reject_several_proposals_with_one_reason_after_a_page_asking_it(
    proposals, reviewer, django_capture_on_commit_callbacks
):
    client = csrf_client(reviewer)
    chosen = [proposals[1].pk, proposals[2].pk]
    asked = client.post(
        QUEUE,
        {
            "csrfmiddlewaretoken": token(client),
            "action": "reject_selected",
            "_selected_action": chosen,
            "index": "0",
        },
    )
    page = text(asked.content)
    assert "These 2 changes will be rejected together" in page
    assert "Surrey and Worthing legal" in page and "Worthing and Surrey legal team" in page
    assert "Cheap watches" not in page
    confirm = {
        "csrfmiddlewaretoken": token(client),
        "action": "reject_selected",
        "_selected_action": chosen,
        "confirmed": "yes",
    }

    missing = client.post(QUEUE, {**confirm, "reason": "  "})
    assert missing.status_code == 200
    assert "Say why these changes are rejected." in text(missing.content)
    too_long = client.post(QUEUE, {**confirm, "reason": "x" * 2001})
    assert "Use at most 2,000 characters" in text(too_long.content)
    assert ProposedChange.objects.filter(status=Status.REJECTED).count() == 0

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            QUEUE, {**confirm, "reason": "Both are the published Surrey legal team."}, follow=True
        )
    assert "2 change(s) rejected." in text(done.content)
    for pk in chosen:
        change = ProposedChange.objects.get(pk=pk)
        assert change.status == Status.REJECTED and change.reviewed_by == reviewer
        assert change.decision_reason == "Both are the published Surrey legal team."
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@surreycc.gov.uk", "sam@worthing.gov.uk"]
    proposals[0].refresh_from_db()
    assert proposals[0].status == Status.PENDING


def test_a_bulk_rejection_including_a_decided_change_rejects_none(proposals, reviewer):
    client = csrf_client(reviewer)
    change_reject(change=proposals[1], reviewer=reviewer, reason="Duplicate.")
    response = client.post(
        QUEUE + "?status=all",
        {
            "csrfmiddlewaretoken": token(client),
            "action": "reject_selected",
            "_selected_action": [proposals[1].pk, proposals[2].pk],
            "confirmed": "yes",
            "reason": "Not shared services.",
        },
        follow=True,
    )
    assert "Nothing was rejected" in text(response.content)
    assert "already been reviewed" in text(response.content)
    proposals[2].refresh_from_db()
    assert proposals[2].status == Status.PENDING


def test_staff_without_the_decision_permission_see_the_queue_but_no_actions(proposals):
    from django.contrib.auth.models import Permission

    viewer = get_user_model().objects.create_user("viewer", "v@lga.gov.uk", "x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_proposedchange"))
    client = csrf_client(viewer)
    page = client.get(QUEUE).content.decode()
    assert "Surrey and Worthing legal" in text(page)
    assert 'value="mark_spam"' not in page and 'value="reject_selected"' not in page
    client.post(
        QUEUE,
        {
            "csrfmiddlewaretoken": token(client),
            "action": "mark_spam",
            "_selected_action": [proposals[0].pk],
            "index": "0",
        },
    )
    proposals[0].refresh_from_db()
    assert proposals[0].status == Status.PENDING
