"""Removing the refresh's personal data once its period has passed (the privacy notice's
"how long we keep it"): names and emails, never the published partnerships, their
savings or what a council answered about them.

- Questionnaires of a refresh cycle closed more than RETENTION_YEARS_REFRESH years ago:
  who submitted it (name and email), who confirmed it by phone, who saved each answer,
  the names on their proposed changes and in their activity log are blanked.
- Proposals from the public form (and the Expert Programme's and trackers' figures)
  decided more than RETENTION_YEARS_PROPOSALS years ago: the proposer's name and email.
- Council contacts switched off (not active) for whom no email has been sent in
  RETENTION_YEARS_REFRESH years, and added longer ago than that, are deleted. Active
  contacts are kept: the next refresh is sent to them.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.outbox.models import OutboundEmail
from core.retention import activity_names_remove, years_before
from submissions.models import (
    CouncilContact,
    ProposedChange,
    Questionnaire,
    QuestionnaireItem,
    RefreshCycle,
)


def cycles_past_retention(*, now: datetime.datetime) -> QuerySet[RefreshCycle]:
    """Closed cycles whose closing (or, for one closed without a date, its deadline) is
    more than RETENTION_YEARS_REFRESH years before `now`."""
    cutoff = years_before(now, settings.RETENTION_YEARS_REFRESH)
    return RefreshCycle.objects.filter(status=RefreshCycle.Status.CLOSED).filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, deadline__lt=cutoff.date())
    )


def _proposer_names_remove(changes) -> int:
    return changes.exclude(submitted_by_name="", submitted_by_email="").update(
        submitted_by_name="", submitted_by_email=""
    )


@transaction.atomic
def refresh_personal_data_remove(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Blank or delete the refresh's personal data past its period (see the module's
    docstring); the counts of rows changed or deleted, zero when nothing was due."""
    now = now or timezone.now()
    questionnaires = Questionnaire.objects.filter(cycle__in=cycles_past_retention(now=now))
    counts = {
        "questionnaires": questionnaires.exclude(
            submitted_by_name="", submitted_by_email="", confirmed_with=""
        ).update(submitted_by_name="", submitted_by_email="", confirmed_with=""),
        "answers": QuestionnaireItem.objects.filter(questionnaire__in=questionnaires)
        .exclude(updated_by="")
        .update(updated_by=""),
        "questionnaire_changes": _proposer_names_remove(
            ProposedChange.objects.filter(questionnaire__in=questionnaires)
        ),
        "questionnaire_activity": activity_names_remove(questionnaires),
    }

    cutoff = years_before(now, settings.RETENTION_YEARS_PROPOSALS)
    decided = (
        ProposedChange.objects.filter(questionnaire__isnull=True)
        .exclude(status=ProposedChange.Status.PENDING)
        .filter(Q(reviewed_at__lt=cutoff) | Q(reviewed_at__isnull=True, created_at__lt=cutoff))
    )
    counts["proposals"] = _proposer_names_remove(decided)
    counts["proposal_activity"] = activity_names_remove(decided)

    cutoff = years_before(now, settings.RETENTION_YEARS_REFRESH)
    recent_email = OutboundEmail.objects.filter(
        to__iexact=OuterRef("email"), created_at__gte=cutoff
    )
    stale_contacts = CouncilContact.objects.filter(active=False, created_at__lt=cutoff).exclude(
        Exists(recent_email)
    )
    counts["contacts"], _ = stale_contacts.delete()
    return counts
