"""A decision whose announcement was lost (the process that made it died after the commit,
or the outbox could not be reached) is still told, once, by beat's next run: to the
council's contacts, or to the proposer. Decisions already told are not told again, and
old ones are left alone."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from core.outbox.models import OutboundEmail
from partnerships.models import Council
from submissions import tasks
from submissions.models import CouncilContact, ProposedChange
from submissions.services import change_propose
from submissions.services.notify import DECISION_GRACE, decisions_announce_missed
from submissions.services.proposal import proposal_submit
from submissions.services.staff import changes_decide
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)
from tests.submissions.questionnaire_fixtures import ADUR, WORTHING

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

LATER = DECISION_GRACE + datetime.timedelta(minutes=1)


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_user("reviewer", is_staff=True)


@pytest.fixture
def figures(adur):
    """Adur (Officer and Bea its contacts) sent two savings figures."""
    CouncilContact.objects.create(council=adur.council, name="Bea", email="bea@adur.gov.uk")
    items = list(adur.items.filter(partnership__isnull=False).order_by("pk")[:2])
    return [
        change_propose(
            kind="savings_record",
            partnership=item.partnership,
            proposed={"start_year": 2025, "amount": amount, "kind": "achieved"},
            source=f"Refresh {adur.cycle}: Adur",
            questionnaire=adur,
            item=item,
        )
        for item, amount in zip(items, ["125000", "4000"], strict=True)
    ]


def _decide_losing_the_announcement(decisions, reviewer, capture) -> None:
    with mock.patch("submissions.services.notify.decision_announce"):
        with capture(execute=True):
            changes_decide(decisions=decisions, reviewer=reviewer)


def _sweep(capture, *, now) -> int:
    with capture(execute=True):
        return decisions_announce_missed(now=now)


def test_a_lost_announcement_reaches_each_contact_once_on_beats_next_run(
    adur, figures, reviewer, django_capture_on_commit_callbacks
):
    accepted, rejected = figures
    mail.outbox.clear()
    _decide_losing_the_announcement(
        [(accepted, "accept", ""), (rejected, "reject", "No evidence given.")],
        reviewer,
        django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []
    # While the decision is fresh its own announcement may still be under way.
    assert _sweep(django_capture_on_commit_callbacks, now=timezone.now()) == 0
    assert mail.outbox == []

    later = timezone.now() + LATER
    assert _sweep(django_capture_on_commit_callbacks, now=later) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["bea@adur.gov.uk", "officer@adur.gov.uk"]
    body = mail.outbox[0].body
    assert "Accepted:" in body and "Why: No evidence given." in body
    # Beat's next run, and the task, find nothing left to tell.
    assert _sweep(django_capture_on_commit_callbacks, now=later) == 0
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert tasks.decisions_announce_missed.delay().get() == 0
    assert len(mail.outbox) == 2


def test_decisions_already_told_are_not_told_again_even_to_a_contact_added_since(
    adur, figures, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes_decide(decisions=[(figures[0], "accept", "")], reviewer=reviewer)
    assert len(mail.outbox) == 2
    CouncilContact.objects.create(council=adur.council, name="Cy", email="cy@adur.gov.uk")
    mail.outbox.clear()
    assert _sweep(django_capture_on_commit_callbacks, now=timezone.now() + LATER) == 0
    assert mail.outbox == []


def test_old_decisions_are_left_alone(adur, figures, reviewer, django_capture_on_commit_callbacks):
    _decide_losing_the_announcement(
        [(figures[0], "accept", "")], reviewer, django_capture_on_commit_callbacks
    )
    long_after = timezone.now() + datetime.timedelta(days=15)
    assert _sweep(django_capture_on_commit_callbacks, now=long_after) == 0
    assert not OutboundEmail.objects.filter(kind="refresh-decisions").exists()


def test_a_proposer_whose_decision_was_not_announced_hears_once(
    real_data, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = proposal_submit(
            council=Council.objects.get(gss_code=ADUR),
            name="Pat Officer",
            email="pat@adur.gov.uk",
            partnership_name="Adur and Worthing shared tree service",
            description="One tree team.",
            councils=[Council.objects.get(gss_code=WORTHING)],
            public_bodies=[],
            other_partners=[],
            categories=[],
        )
    mail.outbox.clear()
    _decide_losing_the_announcement(
        [(change, "reject", "Already on the map.")], reviewer, django_capture_on_commit_callbacks
    )
    later = timezone.now() + LATER
    assert _sweep(django_capture_on_commit_callbacks, now=later) == 1
    assert [m.to for m in mail.outbox] == [["pat@adur.gov.uk"]]
    assert "Why: Already on the map." in mail.outbox[0].body
    assert _sweep(django_capture_on_commit_callbacks, now=later) == 0
    assert ProposedChange.objects.get(pk=change.pk).status == "rejected"
    assert len(mail.outbox) == 1
