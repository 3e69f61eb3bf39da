"""Writing to the activity log."""

from django.db import models

from core.activity.models import ActivityEntry


def activity_record(
    obj: models.Model,
    verb: str,
    *,
    description: str,
    user=None,
    actor: str = "",
    note: str = "",
    detail: dict | None = None,
) -> ActivityEntry:
    """Keep one action on `obj`: who (a user, or `actor` for someone without an account;
    the user's name when no actor is given), what (`verb`, a code, and `description`,
    in words), and any `note` or `detail`."""
    detail = dict(detail or {})
    if note:
        detail["note"] = note
    entry = ActivityEntry(
        target=obj,
        verb=verb,
        description=description[:300],
        user=user,
        actor=(actor or (user.get_username() if user is not None else ""))[:200],
        detail=detail or None,
    )
    entry.full_clean(exclude=["content_type", "object_id"])
    entry.save()
    return entry
