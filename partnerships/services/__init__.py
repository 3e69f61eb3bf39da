"""Writes to councils, partnerships and savings. Loading lives in `loading`."""

from django.db import transaction
from django.db.models import QuerySet

from partnerships.models import Partnership


@transaction.atomic
def partnerships_publish(*, partnerships: QuerySet[Partnership], published: bool) -> int:
    """Publish or unpublish partnerships; returns how many changed."""
    return partnerships.exclude(published=published).update(published=published)
