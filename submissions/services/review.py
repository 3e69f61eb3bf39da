"""The review queue: changes to published data wait here until staff accept them."""

import contextlib
import contextvars
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.activity.workflow import transition_check
from partnerships.models import Partnership, SavingsOrigin, SavingsRecord
from submissions.models import ProposedChange
from submissions.workflow import CHANGE_TRANSITIONS, change_move

Kind = ProposedChange.Kind
ACCEPTED, REJECTED = ProposedChange.Status.ACCEPTED, ProposedChange.Status.REJECTED
SPAM = ProposedChange.Status.SPAM
DECIDED = "This change has already been reviewed."

SAVINGS_FIELDS = ("start_year", "end_year", "amount", "kind", "cashable", "recurrence", "note")


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    return value


# Who accepted the change being applied and which review it was: every history record
# django-simple-history writes meanwhile (the partnership, its members, categories and
# savings) carries them. A context variable, so that concurrent requests never mix.
_accepting: contextvars.ContextVar[tuple | None] = contextvars.ContextVar(
    "review_accepting", default=None
)


def review_reason(change: ProposedChange) -> str:
    """The change reason of the history records an accepted change leaves."""
    return f"Accepted review {change.pk}: {change.source}"[:100]


def history_names_the_review(sender, history_instance, **kwargs) -> None:
    """simple-history's pre_create_historical_record receiver (connected in
    `SubmissionsConfig.ready()`): while a change is being accepted, the history row being
    written names the reviewer and the review. It labels that row and changes nothing
    else."""
    accepting = _accepting.get()
    if accepting is None:
        return
    user, reason = accepting
    if history_instance.history_user_id is None and user is not None:
        history_instance.history_user = user
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


@contextlib.contextmanager
def _history_as_review(change: ProposedChange, *, user):
    token = _accepting.set((user, review_reason(change)))
    try:
        yield
    finally:
        _accepting.reset(token)


def _savings_clean(proposed: dict) -> dict:
    missing = [
        name for name in ("start_year", "amount", "kind") if proposed.get(name) in (None, "")
    ]
    if missing:
        raise ValidationError(f"A savings figure needs {', '.join(missing)}.")
    try:
        amount = Decimal(str(proposed["amount"]))
    except InvalidOperation as error:
        raise ValidationError("The amount must be a number of pounds.") from error
    start_year = int(proposed["start_year"])
    return {
        "start_year": start_year,
        "end_year": int(proposed.get("end_year") or start_year),
        "amount": str(amount.quantize(Decimal("0.01"))),
        "kind": proposed["kind"],
        "cashable": proposed.get("cashable"),
        "recurrence": proposed.get("recurrence") or "unknown",
        "note": proposed.get("note") or "",
        "origin": proposed.get("origin") or "",
        "origin_detail": (proposed.get("origin_detail") or "")[:200],
    }


def change_propose(
    *,
    kind: str,
    partnership: Partnership | None,
    proposed: dict,
    source: str,
    submitted_by_name: str = "",
    submitted_by_email: str = "",
    questionnaire=None,
    item=None,
) -> ProposedChange:
    """Put a change to published data in the review queue."""
    if kind not in Kind.values:
        raise ValidationError(f"Unknown kind of change: {kind}")
    if kind != Kind.PARTNERSHIP_NEW and partnership is None:
        raise ValidationError("This kind of change needs the partnership it changes.")
    if kind == Kind.SAVINGS_RECORD:
        proposed = _savings_clean(proposed)
        # Checked now, so that the submitter hears of a bad figure, not the reviewer.
        # A figure for years already covered replaces the published one when accepted,
        # so only the fields are checked here, not the overlap.
        SavingsRecord(partnership=partnership, **_savings_fields(proposed)).clean_fields(
            exclude=["partnership"]
        )
    change = ProposedChange(
        kind=kind,
        partnership=partnership,
        proposed={key: _jsonable(value) for key, value in proposed.items()},
        source=source[:200],
        submitted_by_name=submitted_by_name,
        submitted_by_email=submitted_by_email,
        questionnaire=questionnaire,
        item=item,
    )
    change.full_clean()
    change.save()
    return change


def _savings_fields(proposed: dict) -> dict:
    fields = {name: proposed.get(name) for name in SAVINGS_FIELDS}
    fields["amount"] = Decimal(fields["amount"])
    fields["note"] = fields["note"] or ""
    return fields


def savings_origin(change: ProposedChange) -> tuple[str, str]:
    """Where an accepted figure came from, and which questionnaire, tracker or
    application: given by the proposer, or read from the change itself."""
    proposed = change.proposed or {}
    if proposed.get("origin") in SavingsOrigin.values:
        return proposed["origin"], (proposed.get("origin_detail") or "")[:200]
    if change.questionnaire_id:
        questionnaire = change.questionnaire
        return SavingsOrigin.REFRESH, (
            f"{questionnaire.council.short_name}, {questionnaire.cycle}"
        )[:200]
    if change.source.startswith("Expert Programme"):
        return SavingsOrigin.EXPERT_PROGRAMME, change.source.removeprefix("Expert Programme ")
    if change.source.startswith("Benefits tracker"):
        return SavingsOrigin.TRACKER, change.source[:200]
    if change.submitted_by_email and not change.questionnaire_id:
        return SavingsOrigin.PROPOSAL, change.source[:200]
    return SavingsOrigin.STAFF, change.source[:200]


def savings_record_save(
    *, partnership: Partnership, proposed: dict, change: ProposedChange, user
) -> None:
    """Publish an accepted savings figure (its history names the review). It replaces only a
    figure of the same origin (the same questionnaire's council and cycle, the same
    application) for the same years and kind: figures from different sources both
    stand, and the ledger decides which counts."""
    fields = _savings_fields(proposed)
    origin, origin_detail = savings_origin(change)
    key = {name: fields.pop(name) for name in ("start_year", "end_year", "kind")}
    key.update(origin=origin, origin_detail=origin_detail)
    fields["reported_on"] = timezone.localdate(change.created_at) if change.created_at else None
    record = SavingsRecord.objects.filter(partnership=partnership, **key).first()
    if record is None:
        record = SavingsRecord(partnership=partnership, **key)
    for name, value in fields.items():
        setattr(record, name, value)
    record.source = f"{change.source}, accepted {timezone.localdate():%d %B %Y}"
    record.full_clean()
    # simple-history keeps who accepted it and which review it came from.
    record._history_user = user
    record._change_reason = review_reason(change)
    record.save()


def _savings_apply(change: ProposedChange, *, user) -> None:
    savings_record_save(
        partnership=change.partnership, proposed=change.proposed, change=change, user=user
    )


# How each kind of change is applied: kind -> function(change, *, user). The review queue
# knows only savings figures; `SubmissionsConfig.ready()` registers the appliers of the
# refresh's partnership changes (`submissions.services.apply.PARTNERSHIP_APPLIERS`).
APPLIERS = {Kind.SAVINGS_RECORD: _savings_apply}


def applier_register(*, kind: str, applier) -> None:
    """Have accepted changes of `kind` applied by `applier(change, *, user)`, inside the
    transaction of `change_accept`."""
    APPLIERS[kind] = applier


# The applier of a proposed new partnership merged into a published one instead:
# function(change, *, user, into), registered like the kinds' appliers.
MERGE = "partnership_merge"


@dataclass(frozen=True)
class AcceptChoice:
    """What staff chose beside "Accept" for a proposed new partnership: publish it now or
    keep it unpublished, or merge it into a published partnership instead."""

    publish: bool = True
    merge_into: Partnership | None = None


def merged_reason(partnership: Partnership, reason: str = "") -> str:
    """The decision reason of a proposal merged into `partnership`."""
    return " ".join(filter(None, [f"Merged into {partnership.name}.", reason.strip()]))


@transaction.atomic
def change_accept(
    *,
    change: ProposedChange,
    reviewer,
    reason: str = "",
    publish: bool = True,
    merge_into: Partnership | None = None,
) -> ProposedChange:
    """Apply a pending change to the published data in one transaction; every history
    record it leaves names the reviewer and the review (`review_reason`). A new
    partnership is published now unless `publish` is False (staff publish it later from
    the partnership admin); with `merge_into` it is added to that published partnership
    instead of being created."""
    change = ProposedChange.objects.select_for_update().get(pk=change.pk)
    transition_check(change, ACCEPTED, table=CHANGE_TRANSITIONS, refusal=DECIDED)
    options = {}
    if (merge_into is not None or not publish) and change.kind != Kind.PARTNERSHIP_NEW:
        raise ValidationError("Only a proposed new partnership can be merged or kept unpublished.")
    if merge_into is not None:
        applier, options = APPLIERS.get(MERGE), {"into": merge_into}
        reason = merged_reason(merge_into, reason)
    else:
        applier = APPLIERS.get(change.kind)
        if not publish:
            options = {"publish": False}
    if applier is None:
        raise ValidationError(f"No way to apply a change of kind {change.kind} yet.")
    with _history_as_review(change, user=reviewer):
        applier(change, user=reviewer, **options)
    _decide(change, ACCEPTED, reviewer=reviewer, reason=reason)
    return change


def _decide(change: ProposedChange, status: str, *, reviewer, reason: str) -> None:
    change.decision_reason = reason
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change_move(
        change,
        status,
        user=reviewer,
        note=reason,
        refusal=DECIDED,
        update_fields=["decision_reason", "reviewed_by", "reviewed_at"],
    )
    from submissions.services.resync import item_resync  # questionnaire.py imports this module

    item_resync(change)  # the council's questionnaire shows the accepted truth
    if status != SPAM:  # a spammer is told nothing
        _announce_after_commit(change)


def _announce_after_commit(change: ProposedChange) -> None:
    """Once the decision commits, tell the council or the proposer (by email, through
    the outbox). The changes of one batch commit together, so the first of them to be
    announced carries the batch and the others find nothing left to tell. Robust: an
    email that cannot be recorded is logged, never turned into an error on a decision
    already made."""
    from submissions.services.notify import decision_announce

    change_id = change.pk
    transaction.on_commit(lambda: decision_announce(change_id=change_id), robust=True)


@transaction.atomic
def change_reject(*, change: ProposedChange, reviewer, reason: str) -> ProposedChange:
    """Turn a pending change down, with the reason the submitter will see."""
    if not reason.strip():
        raise ValidationError({"decision_reason": "Say why the change is rejected."})
    change = ProposedChange.objects.select_for_update().get(pk=change.pk)
    _decide(change, REJECTED, reviewer=reviewer, reason=reason.strip())
    return change


NOT_SPAM = "A council's questionnaire change is never spam: reject it, saying why."


@transaction.atomic
def changes_mark_spam(*, changes, reviewer) -> int:
    """Mark pending proposals from outside the refresh as spam, all or none: out of the
    review queue, kept for audit, and nobody is emailed. A questionnaire's change is
    refused (the council is a known sender). Returns how many were marked."""
    marked = 0
    for change in (
        ProposedChange.objects.select_for_update()
        .filter(pk__in=[c.pk for c in changes])
        .order_by("pk")
    ):
        try:
            if change.questionnaire_id:
                raise ValidationError(NOT_SPAM)
            _decide(change, SPAM, reviewer=reviewer, reason="")
        except ValidationError as error:
            raise ValidationError([f"{change}: {m}" for m in error.messages]) from error
        marked += 1
    return marked
