"""Removing the benefits trackers' personal data once its period has passed (the privacy
notice's "how long we keep it").

A tracker nobody has changed for RETENTION_YEARS_BENEFITS years (no figures saved, no
link issued, nothing in its activity log since) keeps its figures, which belong to the
councils, and its secure link, which still opens it, but loses the name and email of the
person who made it and the names in its activity log. What it sent to the map is the
review queue's (submissions.retention).
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from benefits.models import Tracker
from core.activity.models import ActivityEntry
from core.retention import activity_names_remove, years_before


def trackers_past_retention(*, now: datetime.datetime):
    """Trackers made, changed, re-linked and acted on only before the period."""
    cutoff = years_before(now, settings.RETENTION_YEARS_BENEFITS)
    acted_on_since = Exists(
        ActivityEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Tracker),
            object_id=OuterRef("pk"),
            at__gte=cutoff,
        )
    )
    return (
        Tracker.objects.filter(created_at__lt=cutoff, updated_at__lt=cutoff)
        .filter(Q(token_issued_at__isnull=True) | Q(token_issued_at__lt=cutoff))
        .exclude(acted_on_since)
    )


@transaction.atomic
def benefits_personal_data_remove(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Blank the creators' names and emails of trackers past their period; the counts of
    rows changed, zero when nothing was due."""
    now = now or timezone.now()
    trackers = Tracker.objects.filter(
        pk__in=list(trackers_past_retention(now=now).values_list("pk", flat=True))
    )
    return {
        # update() leaves updated_at alone: the tracker keeps the date it was last changed.
        "trackers": trackers.exclude(creator_name="", creator_email="").update(
            creator_name="", creator_email=""
        ),
        "activity": activity_names_remove(trackers),
    }
