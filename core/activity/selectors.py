"""Reading the activity log."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from core.activity.models import ActivityEntry


def activity_for(obj: models.Model) -> QuerySet[ActivityEntry]:
    """The entries about one object, newest first."""
    return activity_for_each([obj])


def activity_for_each(objects: Iterable[models.Model]) -> QuerySet[ActivityEntry]:
    """The entries about any of several objects (of one model or several), newest
    first, with their users: one query however many objects."""
    ids: dict[type, set] = {}
    for obj in objects:
        ids.setdefault(type(obj), set()).add(obj.pk)
    if not ids:
        return ActivityEntry.objects.none()
    types = ContentType.objects.get_for_models(*ids, for_concrete_models=False)
    condition = Q()
    for model, pks in ids.items():
        condition |= Q(content_type=types[model], object_id__in=pks)
    return ActivityEntry.objects.filter(condition).select_related("user")
