"""Councils and proposers are told what staff decided: one email per batch of decisions,
sent once after the decisions commit, and the decisions are on the questionnaire."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.outbox.models import OutboundEmail
from core.retention import outbox_personal_data_remove
from partnerships.models import Council, Partnership
from submissions.models import CouncilContact, ProposedChange
from submissions.services import change_propose
from submissions.services.notify import (
    KIND_DECISIONS,
    decision_announce,
    proposal_decision_send,
    questionnaire_decisions_send,
)
from submissions.services.proposal import proposal_submit
from submissions.services.staff import changes_decide
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)
from tests.submissions.questionnaire_fixtures import ADUR, WORTHING

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

SITE = "https://map.example.org"


def text(content: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", content.decode()))).strip()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_user("reviewer", is_staff=True)


def _figure(questionnaire, item, amount="125000", year=2025):
    return change_propose(
        kind="savings_record",
        partnership=item.partnership,
        proposed={"start_year": year, "amount": amount, "kind": "achieved", "cashable": True},
        source=f"Refresh {questionnaire.cycle}: {questionnaire.council.short_name}",
        questionnaire=questionnaire,
        item=item,
    )


@pytest.fixture
def sent(adur):
    """Adur sent two savings figures, and has a second contact."""
    CouncilContact.objects.create(council=adur.council, name="Bea", email="bea@adur.gov.uk")
    adur.submitted_by_name, adur.submitted_by_email = "Sam Sender", "sam@adur.gov.uk"
    adur.save(update_fields=["submitted_by_name", "submitted_by_email"])
    items = list(adur.items.filter(partnership__isnull=False).order_by("pk")[:2])
    assert len(items) == 2
    return [_figure(adur, items[0], "125000"), _figure(adur, items[1], "40000.50")]


def _decide(decisions, reviewer, capture):
    with capture(execute=True):
        changes_decide(decisions=decisions, reviewer=reviewer)


def test_the_council_gets_one_email_of_the_decisions_on_its_submission(
    adur, sent, reviewer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    accepted, rejected = sent
    _decide(
        [(accepted, "accept", ""), (rejected, "reject", "The figure is for 2023/24, not 2025/26.")],
        reviewer,
        django_capture_on_commit_callbacks,
    )
    # Each contact, and whoever submitted, gets one email with both decisions.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bea@adur.gov.uk",
        "officer@adur.gov.uk",
        "sam@adur.gov.uk",
    ]
    message = next(m for m in mail.outbox if m.to == ["bea@adur.gov.uk"])
    assert message.subject == "Decisions on Adur's 2025/26 Shared Services Map answers"
    assert "Dear Bea," in message.body
    body = message.body.split("Not accepted:")
    assert accepted.partnership.name in body[0] and "£125,000 achieved, 2025/26" in body[0]
    assert rejected.partnership.name in body[1] and "£40,000.50" in body[1]
    assert "Why: The figure is for 2023/24, not 2025/26." in body[1]
    assert "The figure is for 2023/24" in message.alternatives[0].content


def test_deciding_again_or_announcing_again_sends_nothing_twice(
    adur, sent, reviewer, django_capture_on_commit_callbacks
):
    first, second = sent
    mail.outbox.clear()
    _decide([(first, "accept", "")], reviewer, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    # A repeated announcement (a retried task, a second worker) finds nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        decision_announce(change_id=first.pk)
        assert questionnaire_decisions_send(questionnaire=adur) == []
    assert len(mail.outbox) == 3
    assert "1 more change still waits for review" in mail.outbox[0].body

    # A later batch is a new email carrying only its own decision.
    mail.outbox.clear()
    _decide([(second, "reject", "No evidence.")], reviewer, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    assert "Accepted:" not in mail.outbox[0].body
    assert "No evidence." in mail.outbox[0].body
    assert OutboundEmail.objects.filter(kind=KIND_DECISIONS).count() == 6


def test_a_decision_whose_email_retention_blanked_is_not_told_again(
    adur, sent, reviewer, django_capture_on_commit_callbacks, settings
):
    first, second = sent
    _decide([(first, "accept", "")], reviewer, django_capture_on_commit_callbacks)
    # More than a year on the outbox forgets who was told what (core.retention).
    long_ago = timezone.now() - datetime.timedelta(days=settings.RETENTION_DAYS_OUTBOX + 30)
    ProposedChange.objects.filter(pk=first.pk).update(reviewed_at=long_ago)
    OutboundEmail.objects.filter(kind=KIND_DECISIONS).update(sent_at=long_ago)
    assert outbox_personal_data_remove() == 3
    assert not OutboundEmail.objects.filter(kind=KIND_DECISIONS).exclude(context={}).exists()

    mail.outbox.clear()
    _decide([(second, "reject", "No evidence.")], reviewer, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 3
    assert "No evidence." in mail.outbox[0].body
    assert first.partnership.name not in mail.outbox[0].body.split("Not accepted:")[0]
    assert "Accepted:" not in mail.outbox[0].body


def test_a_batch_that_fails_announces_nothing(
    adur, sent, reviewer, django_capture_on_commit_callbacks
):
    first, second = sent
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        changes_decide(decisions=[(first, "accept", ""), (first, "accept", "")], reviewer=reviewer)
    assert mail.outbox == []
    assert not OutboundEmail.objects.filter(kind=KIND_DECISIONS).exists()


def test_the_questionnaire_shows_the_decisions_on_what_the_council_sent(
    client, adur, adur_token, sent, reviewer, django_capture_on_commit_callbacks
):
    page = text(client.get(f"/refresh/q/{adur_token}/").content)
    assert "Decisions on what you sent" not in page
    accepted, rejected = sent
    _decide(
        [(accepted, "accept", ""), (rejected, "reject", "Not a saving of this partnership.")],
        reviewer,
        django_capture_on_commit_callbacks,
    )
    page = text(client.get(f"/refresh/q/{adur_token}/").content)
    section = page.split("Decisions on what you sent")[1]
    accepted.refresh_from_db()
    assert f"Accepted {accepted.reviewed_at:%-d %B %Y} : {accepted.partnership.name}" in section
    assert f"Rejected {accepted.reviewed_at:%-d %B %Y} : {rejected.partnership.name}" in section
    assert "Why: Not a saving of this partnership." in section


def _proposal():
    return proposal_submit(
        council=Council.objects.get(gss_code=ADUR),
        name="Pat Officer",
        email="pat@adur.gov.uk",
        partnership_name="Adur and Worthing shared tree service",
        description="One tree team.",
        councils=[Council.objects.get(gss_code=WORTHING)],
        public_bodies=[],
        other_partners=[],
        categories=[],
        start_year=2023,
    )


def test_a_proposer_hears_their_proposal_was_accepted_with_the_link_to_its_page(
    real_data, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = _proposal()
    mail.outbox.clear()
    _decide([(change, "accept", "")], reviewer, django_capture_on_commit_callbacks)
    partnership = Partnership.objects.get(name="Adur and Worthing shared tree service")
    assert [m.to for m in mail.outbox] == [["pat@adur.gov.uk"]]
    message = mail.outbox[0]
    assert message.subject == "Accepted: Adur and Worthing shared tree service"
    if partnership.published:
        assert f"{SITE}{partnership.get_absolute_url()}" in message.body
        assert f'href="{SITE}{partnership.get_absolute_url()}"' in message.alternatives[0].content
    # Once only, however often it is announced.
    with django_capture_on_commit_callbacks(execute=True):
        decision_announce(change_id=change.pk)
        proposal_decision_send(change=change)
    assert len(mail.outbox) == 1


def test_a_proposer_hears_why_their_proposal_was_not_accepted(
    real_data, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = _proposal()
    mail.outbox.clear()
    _decide(
        [(change, "reject", "It is already on the map as Adur and Worthing Councils.")],
        reviewer,
        django_capture_on_commit_callbacks,
    )
    assert [m.to for m in mail.outbox] == [["pat@adur.gov.uk"]]
    message = mail.outbox[0]
    assert message.subject == "Not accepted: Adur and Worthing shared tree service"
    assert "Why: It is already on the map as Adur and Worthing Councils." in message.body
    assert "/partnerships/" not in message.body
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.REJECTED
