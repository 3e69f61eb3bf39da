"""Removing match-making's and the Expert Programme's personal data once its period has
passed (the privacy notice's "how long we keep it").

A match request or an Expert Programme application last acted on more than
RETENTION_YEARS_MATCHMAKING years ago (nothing in its activity log, no change to it, no
outcome reported since), whatever its status, keeps its council, services, funding and
outcome (the budgets' accounts and the map need them) but loses the people: the
requester's or applicant's name, role and email, the contacts at the councils it was
introduced to, the expert's name, the names and notes in its activity log, and staff's
notes.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.activity.models import ActivityEntry
from core.retention import activity_names_remove, years_before
from matchmaking.models import ExpertApplication, MatchRequest, MatchSuggestion, Note, OutcomeReport


def _acted_on_since(model, cutoff: datetime.datetime) -> Exists:
    return Exists(
        ActivityEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            at__gte=cutoff,
        )
    )


def requests_past_retention(*, now: datetime.datetime):
    """Match requests made, changed and acted on only before the period."""
    cutoff = years_before(now, settings.RETENTION_YEARS_MATCHMAKING)
    return MatchRequest.objects.filter(created_at__lt=cutoff, updated_at__lt=cutoff).exclude(
        _acted_on_since(MatchRequest, cutoff)
    )


def applications_past_retention(*, now: datetime.datetime):
    """Expert Programme applications made, decided, reported on and acted on only before
    the period."""
    cutoff = years_before(now, settings.RETENTION_YEARS_MATCHMAKING)
    reported_since = Exists(
        OutcomeReport.objects.filter(application=OuterRef("pk"), reported_at__gte=cutoff)
    )
    return (
        ExpertApplication.objects.filter(created_at__lt=cutoff)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__lt=cutoff))
        .exclude(_acted_on_since(ExpertApplication, cutoff))
        .exclude(reported_since)
    )


@transaction.atomic
def matchmaking_personal_data_remove(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Blank the people's details of requests and applications past their period (see the
    module's docstring); the counts of rows changed or deleted, zero when nothing was due."""
    now = now or timezone.now()
    # Ids first: the notes and suggestions are found by them, and the queries read the
    # activity that blanking its names would not change anyway.
    request_ids = list(requests_past_retention(now=now).values_list("pk", flat=True))
    application_ids = list(applications_past_retention(now=now).values_list("pk", flat=True))
    requests = MatchRequest.objects.filter(pk__in=request_ids)
    applications = ExpertApplication.objects.filter(pk__in=application_ids)
    notes = Note.objects.filter(
        Q(match_request__in=request_ids) | Q(application__in=application_ids)
    )
    return {
        # update() leaves updated_at alone: the request keeps the date it was last acted on.
        "match_requests": requests.exclude(
            requester_name="", requester_role="", requester_email=""
        ).update(requester_name="", requester_role="", requester_email=""),
        "introduction_contacts": MatchSuggestion.objects.filter(match_request__in=request_ids)
        .exclude(contact_name="", contact_email="")
        .update(contact_name="", contact_email=""),
        "applications": applications.exclude(
            applicant_name="", applicant_role="", applicant_email="", expert_name=""
        ).update(applicant_name="", applicant_role="", applicant_email="", expert_name=""),
        # The log's notes too: an award's names the expert, a closing its reason.
        "activity": activity_names_remove(requests, notes=True)
        + activity_names_remove(applications, notes=True),
        "notes": notes.delete()[0],
    }
