"""The privacy notice's retention periods, enforced: the nightly tasks blank or delete
personal data once its period has passed, keep what is recent, and never touch the
published partnerships and savings."""

import datetime
import importlib

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from benefits import tasks as benefits_tasks
from benefits.models import Tracker
from core import tasks as core_tasks
from core.activity.models import ActivityEntry
from core.activity.services import activity_record
from core.outbox.models import OutboundEmail
from matchmaking import tasks as matchmaking_tasks
from matchmaking.models import MatchSuggestion, Note
from partnerships.models import Council, Partnership, SavingsRecord
from sharedmap.celery import app as celery_app
from submissions import tasks as submissions_tasks
from submissions.models import (
    CouncilContact,
    ProposedChange,
    Questionnaire,
    QuestionnaireItem,
    RefreshCycle,
)
from tests.benefits.factories import tracker_for
from tests.matchmaking.factories import ExpertApplicationFactory, MatchRequestFactory

pytestmark = pytest.mark.usefixtures("real_data")

ADUR, WORTHING = "E07000223", "E07000229"


def years_ago(years: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=round(365.25 * years))


def published_snapshot() -> list:
    """What the public sees of every partnership and savings figure."""
    return [
        list(Partnership.objects.order_by("pk").values()),
        list(SavingsRecord.objects.order_by("pk").values()),
    ]


def actors(obj) -> list[str]:
    return list(
        ActivityEntry.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
        .order_by("pk")
        .values_list("actor", flat=True)
    )


def notes(obj) -> list[str]:
    return [
        entry.note
        for entry in ActivityEntry.objects.filter(
            object_id=obj.pk, content_type__model=obj._meta.model_name
        ).order_by("pk")
    ]


# ---- The refresh


def refresh_cycle(year: int, *, closed_years_ago: float) -> Questionnaire:
    """A cycle closed `closed_years_ago`, with Adur's questionnaire answered by Ann."""
    cycle = RefreshCycle.objects.create(
        financial_year=year,
        opens_on=datetime.date(year + 1, 3, 1),
        deadline=datetime.date(year + 1, 4, 15),
        status=RefreshCycle.Status.CLOSED,
        closed_at=years_ago(closed_years_ago),
    )
    questionnaire = Questionnaire.objects.create(
        cycle=cycle,
        council=Council.objects.get(gss_code=ADUR),
        status=Questionnaire.Status.REVIEWED,
        submitted_by_name="Ann Officer",
        submitted_by_email="ann.officer@adur-worthing.gov.uk",
        confirmed_with="Bob at Adur",
    )
    partnership = Partnership.objects.filter(published=True).order_by("name").first()
    item = QuestionnaireItem.objects.create(
        questionnaire=questionnaire,
        partnership=partnership,
        answer=QuestionnaireItem.Answer.UNCHANGED,
        name=partnership.name,
        updated_by="Ann Officer",
    )
    ProposedChange.objects.create(
        kind=ProposedChange.Kind.PARTNERSHIP_UPDATE,
        partnership=partnership,
        questionnaire=questionnaire,
        item=item,
        proposed={"name": partnership.name},
        source=f"Refresh {year}",
        submitted_by_name="Ann Officer",
        submitted_by_email="ann.officer@adur-worthing.gov.uk",
        status=ProposedChange.Status.ACCEPTED,
    )
    activity_record(
        questionnaire,
        "submitted",
        description="Submitted",
        actor="Ann Officer, ann.officer@adur-worthing.gov.uk",
    )
    return questionnaire


def test_a_cycle_closed_longer_ago_than_the_period_loses_who_answered_it():
    before = published_snapshot()
    old = refresh_cycle(2019, closed_years_ago=settings.RETENTION_YEARS_REFRESH + 0.5)
    recent = refresh_cycle(2024, closed_years_ago=1)

    counts = submissions_tasks.personal_data_remove.delay().get()

    old.refresh_from_db()
    assert (old.submitted_by_name, old.submitted_by_email, old.confirmed_with) == ("", "", "")
    assert list(old.items.values_list("updated_by", flat=True)) == [""]
    assert list(old.proposed_changes.values_list("submitted_by_name", "submitted_by_email")) == [
        ("", "")
    ]
    assert actors(old) == [""]
    # What the council answered stays: the partnership, its answer, the accepted change.
    assert old.items.get().answer == QuestionnaireItem.Answer.UNCHANGED
    assert old.proposed_changes.get().status == ProposedChange.Status.ACCEPTED

    recent.refresh_from_db()
    assert recent.submitted_by_name == "Ann Officer"
    assert recent.submitted_by_email == "ann.officer@adur-worthing.gov.uk"
    assert recent.items.get().updated_by == "Ann Officer"
    assert recent.proposed_changes.get().submitted_by_name == "Ann Officer"
    assert actors(recent) == ["Ann Officer, ann.officer@adur-worthing.gov.uk"]

    assert counts["questionnaires"] == 1 and counts["questionnaire_activity"] == 1
    assert published_snapshot() == before
    # A second night finds nothing more to do.
    assert set(submissions_tasks.personal_data_remove.delay().get().values()) == {0}


def proposal(*, status, created_years_ago: float, reviewed_years_ago: float | None):
    change = ProposedChange.objects.create(
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        proposed={"name": "Coastal legal services"},
        source="Proposal form",
        submitted_by_name="Pat Proposer",
        submitted_by_email="pat@worthing.gov.uk",
        status=status,
        reviewed_at=None if reviewed_years_ago is None else years_ago(reviewed_years_ago),
    )
    ProposedChange.objects.filter(pk=change.pk).update(created_at=years_ago(created_years_ago))
    return change


def test_a_public_proposal_decided_longer_ago_than_the_period_loses_the_proposers_name():
    period = settings.RETENTION_YEARS_PROPOSALS
    decided_long_ago = proposal(
        status=ProposedChange.Status.REJECTED,
        created_years_ago=period + 1,
        reviewed_years_ago=period + 0.5,
    )
    decided_lately = proposal(
        status=ProposedChange.Status.ACCEPTED, created_years_ago=period + 1, reviewed_years_ago=1
    )
    still_waiting = proposal(
        status=ProposedChange.Status.PENDING, created_years_ago=period + 1, reviewed_years_ago=None
    )

    submissions_tasks.personal_data_remove.delay().get()

    names = dict(ProposedChange.objects.values_list("pk", "submitted_by_email"))
    assert names[decided_long_ago.pk] == ""
    assert names[decided_lately.pk] == "pat@worthing.gov.uk"
    assert names[still_waiting.pk] == "pat@worthing.gov.uk"
    assert ProposedChange.objects.get(pk=decided_long_ago.pk).proposed == {
        "name": "Coastal legal services"
    }


def test_a_contact_switched_off_and_not_written_to_within_the_period_is_deleted():
    period = settings.RETENTION_YEARS_REFRESH
    council = Council.objects.get(gss_code=WORTHING)

    def contact(email, *, active):
        row = CouncilContact.objects.create(council=council, name=email, email=email, active=active)
        CouncilContact.objects.filter(pk=row.pk).update(created_at=years_ago(period + 1))
        return row

    gone = contact("left@worthing.gov.uk", active=False)
    written_to = contact("Lately@Worthing.gov.uk", active=False)
    still_active = contact("current@worthing.gov.uk", active=True)
    OutboundEmail.objects.create(
        key="test:lately", kind="invitation", to="lately@worthing.gov.uk", template="x"
    )

    counts = submissions_tasks.personal_data_remove.delay().get()

    remaining = set(CouncilContact.objects.filter(council=council).values_list("pk", flat=True))
    assert gone.pk not in remaining
    assert {written_to.pk, still_active.pk} <= remaining
    assert counts["contacts"] == 1


# ---- Match-making and the Expert Programme


def test_a_match_request_not_acted_on_within_the_period_loses_the_people_in_it():
    period = settings.RETENTION_YEARS_MATCHMAKING
    before = published_snapshot()
    old = MatchRequestFactory(status="closed", closed_reason="Found a partner elsewhere.")
    recent = MatchRequestFactory()
    acted_on_lately = MatchRequestFactory()
    for request in (old, recent, acted_on_lately):
        MatchSuggestion.objects.create(
            match_request=request,
            council=Council.objects.get(gss_code=WORTHING),
            contact_name="Chris Contact",
            contact_email="chris@worthing.gov.uk",
        )
        Note.objects.create(match_request=request, text="Chris says Worthing is keen.")
        activity_record(
            request,
            "funding_awarded",
            description="Funding awarded",
            actor="Jo Requester",
            note="2 expert days; expert Dana Expert",
        )
    type(old).objects.filter(pk__in=[old.pk, acted_on_lately.pk]).update(
        created_at=years_ago(period + 1), updated_at=years_ago(period + 0.5)
    )
    ActivityEntry.objects.filter(object_id=old.pk, content_type__model="matchrequest").update(
        at=years_ago(period + 0.5)
    )

    matchmaking_tasks.personal_data_remove.delay().get()

    old.refresh_from_db()
    assert (old.requester_name, old.requester_role, old.requester_email) == ("", "", "")
    assert old.suggestions.get().contact_email == ""
    assert not old.notes.exists()
    assert actors(old) == [""]
    assert notes(old) == [""]
    # The request itself stays: its council, services, status and reason.
    assert old.council.gss_code == ADUR and old.status == "closed"
    assert old.categories.exists()
    for kept in (recent, acted_on_lately):
        kept.refresh_from_db()
        assert kept.requester_name == "Jo Requester"
        assert kept.suggestions.get().contact_email == "chris@worthing.gov.uk"
        assert kept.notes.count() == 1
        assert actors(kept) == ["Jo Requester"]
        assert notes(kept) == ["2 expert days; expert Dana Expert"]
    assert published_snapshot() == before


def test_an_expert_application_not_acted_on_within_the_period_loses_the_applicant():
    period = settings.RETENTION_YEARS_MATCHMAKING
    old = ExpertApplicationFactory(status="declined", expert_name="Dana Expert")
    decided_lately = ExpertApplicationFactory(status="awarded", expert_name="Dana Expert")
    type(old).objects.filter(pk__in=[old.pk, decided_lately.pk]).update(
        created_at=years_ago(period + 1)
    )
    type(old).objects.filter(pk=old.pk).update(decided_at=years_ago(period + 0.5))
    type(old).objects.filter(pk=decided_lately.pk).update(decided_at=years_ago(1))

    counts = matchmaking_tasks.personal_data_remove.delay().get()

    old.refresh_from_db()
    decided_lately.refresh_from_db()
    assert (old.applicant_name, old.applicant_email, old.expert_name) == ("", "", "")
    assert old.improvement == "Bring the two teams onto one case system."
    assert decided_lately.applicant_name == "Sam Applicant"
    assert decided_lately.expert_name == "Dana Expert"
    assert counts["applications"] == 1


# ---- The benefits tracker


def test_a_tracker_nobody_changed_within_the_period_loses_its_creators_name_and_email():
    period = settings.RETENTION_YEARS_BENEFITS
    old, _ = tracker_for("orbis")
    recent, _ = tracker_for("orbis")
    Tracker.objects.filter(pk=old.pk).update(
        created_at=years_ago(period + 1),
        updated_at=years_ago(period + 0.5),
        token_issued_at=years_ago(period + 1),
    )
    activity_record(old, "submitted", description="Submitted", actor="Jo Bloggs")
    ActivityEntry.objects.filter(object_id=old.pk, content_type__model="tracker").update(
        at=years_ago(period + 0.5)
    )

    counts = benefits_tasks.personal_data_remove.delay().get()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.creator_name, old.creator_email) == ("", "")
    assert actors(old) == [""]
    assert old.partners.exists() and old.link_active  # the councils' figures and link stay
    assert (recent.creator_name, recent.creator_email) == (
        "Jo Bloggs",
        "jo.bloggs@adur-worthing.gov.uk",
    )
    assert counts["trackers"] == 1


# ---- The kernel: emails, sign-in records and sessions


def email(key: str, *, status, days_ago: int) -> OutboundEmail:
    row = OutboundEmail.objects.create(
        key=key,
        kind="invitation",
        to="ann.officer@adur-worthing.gov.uk",
        template="submissions/email/invitation",
        context={"name": "Ann Officer"},
        subject="The 2025/26 refresh",
        status=status,
    )
    OutboundEmail.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return row


def test_old_emails_lose_their_recipient_and_contents_but_are_never_sent_again():
    period = settings.RETENTION_DAYS_OUTBOX
    old = email("test:old", status=OutboundEmail.Status.SENT, days_ago=period + 10)
    recent = email("test:recent", status=OutboundEmail.Status.SENT, days_ago=period - 10)
    waiting = email("test:waiting", status=OutboundEmail.Status.QUEUED, days_ago=period + 10)
    addressed = email(
        "cycle1:q1:decisions:abc:ann.officer@adur-worthing.gov.uk",
        status=OutboundEmail.Status.SENT,
        days_ago=period + 10,
    )

    counts = core_tasks.personal_data_remove.delay().get()

    old.refresh_from_db()
    assert (old.to, old.context) == ("", {})
    assert (old.key, old.subject, old.status) == ("test:old", "The 2025/26 refresh", "sent")
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert kept.to == "ann.officer@adur-worthing.gov.uk"
        assert kept.context == {"name": "Ann Officer"}
    # A key that named the recipient no longer does, and is still one of a kind.
    addressed.refresh_from_db()
    assert addressed.to == "" and "@" not in addressed.key
    assert addressed.key.startswith("retained:") and len(addressed.key) == len("retained:") + 64
    assert counts["emails"] == 2


def test_old_sign_in_records_and_expired_sessions_are_deleted():
    period = settings.RETENTION_DAYS_SIGN_IN_RECORDS
    fields = {"user_agent": "Firefox", "http_accept": "*/*", "path_info": "/admin/login/"}
    old_log = AccessLog.objects.create(ip_address="192.0.2.1", username="lga", **fields)
    recent_log = AccessLog.objects.create(ip_address="192.0.2.2", username="lga", **fields)
    old_attempt = AccessAttempt.objects.create(
        ip_address="192.0.2.3",
        username="lga",
        get_data="",
        post_data="",
        failures_since_start=1,
        **fields,
    )
    long_ago = timezone.now() - datetime.timedelta(days=period + 1)
    AccessLog.objects.filter(pk=old_log.pk).update(attempt_time=long_ago)
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(attempt_time=long_ago)
    expired, live = SessionStore(), SessionStore()
    for session in (expired, live):
        session["proposal_sent_to"] = "pat@worthing.gov.uk"
        session.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )

    core_tasks.personal_data_remove.delay().get()

    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent_log.pk]
    assert not AccessAttempt.objects.filter(pk=old_attempt.pk).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


# ---- The schedule


def test_every_retention_task_is_on_the_nightly_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (
        "submissions.tasks.personal_data_remove",
        "matchmaking.tasks.personal_data_remove",
        "benefits.tasks.personal_data_remove",
        "core.tasks.personal_data_remove",
    ):
        assert task in scheduled
        # autodiscover_tasks() finds it in its app's tasks module, by this name.
        importlib.import_module(task.rsplit(".", 1)[0])
        assert task in celery_app.tasks
