"""Status transitions: each workflow declares one table of the moves it allows
(status -> the statuses it may move to) and moves its objects through `status_move`,
which checks the table, saves, and keeps the move in the activity log."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

from core.activity.models import ActivityEntry
from core.activity.services import activity_record

Transitions = Mapping[str, Iterable[str]]


def status_label(obj: models.Model, status: str, *, field: str = "status") -> str:
    """A status of `obj`'s workflow as people read it."""
    return str(dict(obj._meta.get_field(field).flatchoices).get(status, status))


def transition_check(
    obj: models.Model,
    status: str,
    *,
    table: Transitions,
    noun: str = "",
    refusal: str = "",
    field: str = "status",
) -> None:
    """Refuse, with a message, a move the table does not allow: `refusal`, or "A
    <noun> that is “Old” cannot move to “New”."."""
    old = getattr(obj, field)
    if status not in table.get(old, ()):
        if refusal:
            raise ValidationError(refusal, code="transition")
        noun = noun or f"A {obj._meta.verbose_name}"
        raise ValidationError(
            f"{capfirst(noun)} that is “{status_label(obj, old, field=field)}” cannot move "
            f"to “{status_label(obj, status, field=field)}”.",
            code="transition",
        )


def status_move(
    obj: models.Model,
    status: str,
    *,
    table: Transitions,
    user=None,
    actor: str = "",
    note: str = "",
    noun: str = "",
    refusal: str = "",
    update_fields: Iterable[str] | None = (),
    field: str = "status",
    verb: str = "status_changed",
    description: str = "",
) -> ActivityEntry:
    """Move `obj` to `status` if `table` allows it from its current status, save it (with
    `update_fields` besides the status; None saves every field, after `full_clean`), and
    record the move ("Status: Submitted → Reviewed", or `description`) in its activity
    log. A refused move raises ValidationError and changes nothing."""
    transition_check(obj, status, table=table, noun=noun, refusal=refusal, field=field)
    old = getattr(obj, field)
    labels = (status_label(obj, old, field=field), status_label(obj, status, field=field))
    moved = f"Status: {labels[0]} → {labels[1]}"
    setattr(obj, field, status)
    if update_fields is None:
        obj.full_clean()
        obj.save()
    else:
        # With the fields Django stamps on every save (`auto_now`), as a full save would.
        stamped = {f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)}
        obj.save(update_fields=sorted({field, *update_fields, *stamped}))
    return activity_record(
        obj,
        verb,
        description=description or moved,
        user=user,
        actor=actor,
        note=note,
        detail={"from": old, "to": status},
    )
