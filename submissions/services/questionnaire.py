"""A council answering its questionnaire: saving each partnership as it goes, adding new
collaborations, and submitting, which puts its answers in the review queue.

Nothing here touches published data: a submission becomes ProposedChange rows, and
staff accept or reject each one (see `review` and `apply`).

Two colleagues may work on one questionnaire at once (the link may be forwarded). Each
item carries a version; a save based on an older version raises `ItemConflict` instead
of overwriting, so the page can show what the colleague saved beside what was typed.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.activity.selectors import activity_for
from core.activity.services import activity_record
from core.money import money_exact
from partnerships.models import (
    Council,
    NoSavingsReason,
    PartnershipStatus,
    PublicBody,
    Recurrence,
    SavingsKind,
    ServiceCategory,
)
from partnerships.rules import members_check
from submissions.models import (
    ProposedChange,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireVerb,
)
from submissions.services.email import refresh_email_queue
from submissions.services.notify import submission_received
from submissions.services.review import change_propose
from submissions.workflow import questionnaire_move

Answer = QuestionnaireItem.Answer
Kind = ProposedChange.Kind
Event = QuestionnaireVerb

# Fields of a partnership a council may change, compared with the pre-filled values.
DETAIL_FIELDS = (
    "description",
    "status",
    "categories",
    "councils",
    "public_bodies",
    "no_savings_reason",
    "no_savings_reason_other",
)
MEMBER_FIELDS = ("categories", "councils", "public_bodies")
SAVINGS_FIELDS = ("savings_amount", "savings_kind", "savings_cashable", "savings_recurrence")
# Every field an item form saves, in the order a person reads them.
ITEM_FIELDS = (
    "name",
    "description",
    "status",
    "start_year",
    "end_year",
    "categories",
    "councils",
    "public_bodies",
    "other_partners",
    *SAVINGS_FIELDS,
    "no_savings_reason",
    "no_savings_reason_other",
    "comment",
)
LABELS = {
    "answer": "What has happened",
    "name": "Name",
    "description": "Description",
    "status": "Status",
    "start_year": "Start year",
    "end_year": "End year",
    "categories": "Services shared",
    "councils": "Partner councils",
    "public_bodies": "Partner public bodies",
    "other_partners": "Other partners",
    "savings_amount": "Savings (£)",
    "savings_kind": "Achieved or expected",
    "savings_cashable": "Cashable",
    "savings_recurrence": "Recurring or one-off",
    "no_savings_reason": "Reason there is no figure",
    "no_savings_reason_other": "Other reason",
    "comment": "Comment for the LGA",
}


class ItemConflict(Exception):
    """Someone else saved the item after the form was opened."""

    def __init__(self, item: QuestionnaireItem, differences: list["Difference"]):
        super().__init__(f"Item {item.pk} changed since it was opened.")
        self.item = item
        self.differences = differences


class QuestionnaireLocked(Exception):
    """The questionnaire can no longer be changed (see `questionnaire_locked_reason`)."""


class QuestionnaireChanged(Exception):
    """The questionnaire changed after the submit page was opened."""


@dataclass
class Difference:
    field: str
    label: str
    saved: str
    yours: str


def questionnaire_locked_reason(
    questionnaire: Questionnaire, *, today: datetime.date | None = None
) -> str:
    """Why the council can no longer change its answers, or "" if it can.

    A submitted questionnaire may be changed and submitted again until the deadline, even
    once staff have reviewed it (the new answers wait for review again). One not yet
    submitted stays open after the deadline (the chasers ask for it) until the cycle
    closes, when its link stops working altogether.
    """
    today = today or timezone.localdate()
    answered = (Questionnaire.Status.SUBMITTED, Questionnaire.Status.REVIEWED)
    if questionnaire.status in answered and today > questionnaire.cycle.deadline:
        return (
            f"The deadline, {questionnaire.cycle.deadline:%-d %B %Y}, has passed, so your "
            "submitted answers can no longer be changed here."
        )
    return ""


def _actor(name: str, email: str) -> str:
    """Who did it, as the log names someone without an account: their name and email."""
    return ", ".join(part for part in (name.strip(), email.strip()) if part)


def _event(questionnaire, verb, *, item=None, name="", email="", user=None, detail=""):
    """Keep one step in the questionnaire's activity log: by whom (the name they gave,
    with their email), on which item, and a note."""
    return activity_record(
        questionnaire,
        verb,
        description=Event(verb).label,
        user=user,
        actor=_actor(name, email),
        note=detail[:300],
        detail={"item": item.pk} if item is not None and item.pk else None,
    )


@transaction.atomic
def questionnaire_open(*, questionnaire: Questionnaire) -> Questionnaire:
    """Mark the questionnaire as opened the first time its link is used."""
    if questionnaire.status != Questionnaire.Status.NOT_OPENED:
        return questionnaire
    opening = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if opening.status == Questionnaire.Status.NOT_OPENED:  # not opened meanwhile
        opening.opened_at = timezone.now()
        questionnaire_move(
            opening,
            Questionnaire.Status.IN_PROGRESS,
            verb=Event.OPENED,
            description=Event.OPENED.label,
            update_fields=["opened_at"],
        )
    questionnaire.status, questionnaire.opened_at = opening.status, opening.opened_at
    return questionnaire


def _members_check(data: dict) -> None:
    """`rules.members_check` over an answer's members: partners typed one per line count
    beside the public bodies chosen."""
    typed = [line.strip() for line in (data.get("other_partners") or "").splitlines()]
    members_check(
        _ids(data.get("councils")), [*_ids(data.get("public_bodies")), *filter(None, typed)]
    )


def item_validate(
    *, questionnaire: Questionnaire, answer: str, data: dict, prefilled: dict | None = None
) -> None:
    """The rules for one answer, as ValidationError keyed by field. `data` holds the
    item's fields (members as lists of ids or objects); `prefilled` the published values
    the item started from."""
    errors: dict[str, str] = {}
    if answer == Answer.UNCHANGED and prefilled:
        edited = [
            LABELS[name].lower()
            for name in ("description", "status", *MEMBER_FIELDS)
            if name in data
            and _normalised(name, data[name]) != _normalised(name, prefilled.get(name, ""))
        ]
        if (data.get("other_partners") or "").strip():
            edited.append(LABELS["other_partners"].lower())
        if edited:
            errors["answer"] = (
                f"You changed the {', '.join(edited)}: choose “Something has changed”, "
                "or put them back as they were."
            )
    has_figure = data.get("savings_amount") is not None
    reason = data.get("no_savings_reason") or ""
    if answer not in (Answer.UNCHANGED, Answer.UPDATED, Answer.ENDED, Answer.NEW):
        errors["answer"] = "Say whether the partnership is unchanged, has changed or has ended."
    if has_figure and not data.get("savings_kind"):
        errors["savings_kind"] = "Say whether the savings were achieved or are expected."
    if not has_figure and (data.get("savings_kind") or data.get("savings_cashable") is not None):
        errors["savings_amount"] = "Give the amount saved in pounds, or clear the savings details."
    if has_figure and data["savings_amount"] < 0:
        errors["savings_amount"] = "The amount saved cannot be negative."
    if has_figure and reason:
        errors["no_savings_reason"] = (
            "You gave a savings figure: choose “There is a figure” here, or clear the amount."
        )
    if reason == NoSavingsReason.OTHER and not (data.get("no_savings_reason_other") or "").strip():
        errors["no_savings_reason_other"] = "Say what the other reason is."
    if answer in (Answer.UPDATED, Answer.NEW) and not has_figure and not reason:
        errors["savings_amount"] = (
            f"Give the savings for {questionnaire.cycle.year_label}, or choose a reason "
            "there is no figure."
        )
    if answer in (Answer.UPDATED, Answer.NEW):
        try:
            _members_check(data)
        except ValidationError as error:
            errors["councils"] = error.messages[0]
        if not data.get("categories"):
            errors["categories"] = "Choose at least one service that is shared."
    if answer == Answer.NEW:
        if not (data.get("name") or "").strip():
            errors["name"] = "Give the collaboration a name."
        if not data.get("start_year"):
            errors["start_year"] = "Give the year it started or will start, like 2024."
        if data.get("status") == PartnershipStatus.ENDED:
            errors["status"] = (
                "A new collaboration cannot have ended: choose planned or operational."
            )
    if answer == Answer.ENDED:
        end_year, start_year = data.get("end_year"), data.get("start_year")
        if not end_year:
            errors["end_year"] = "Give the year the partnership ended, like 2024."
        elif start_year and end_year < start_year:
            errors["end_year"] = f"The end year cannot be before it started, in {start_year}."
    if errors:
        raise ValidationError(errors)


def _ids(values) -> list[int]:
    return sorted(int(getattr(v, "pk", v)) for v in (values or []))


def item_values(item: QuestionnaireItem) -> dict:
    """The item's saved fields, with members as sorted id lists (reads prefetched
    many-to-many rows when there are some)."""
    values = {name: getattr(item, name) for name in ITEM_FIELDS if name not in MEMBER_FIELDS}
    for name in MEMBER_FIELDS:
        values[name] = sorted(obj.pk for obj in getattr(item, name).all())
    return values


def _display(field: str, value) -> str:
    """A value as a person reads it, for the conflict message."""
    if field in MEMBER_FIELDS:
        model = {"categories": ServiceCategory, "councils": Council, "public_bodies": PublicBody}
        names = model[field].objects.filter(pk__in=_ids(value)).order_by("pk")
        return ", ".join(str(obj) for obj in names) or "none"
    if value is None or value == "":
        return "blank"
    choices = {
        "status": PartnershipStatus,
        "savings_kind": SavingsKind,
        "savings_recurrence": Recurrence,
        "no_savings_reason": NoSavingsReason,
    }
    if field in choices:
        return dict(choices[field].choices).get(value, str(value))
    if field == "savings_cashable":
        return {True: "yes", False: "no"}.get(value, "not known")
    if field == "savings_amount":
        return money_exact(value)
    if field == "answer":
        return dict(Answer.choices).get(value, value)
    return str(value)


def _normalised(field: str, value):
    if field in MEMBER_FIELDS:
        return _ids(value)
    if field == "savings_amount" and value is not None:
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def item_differences(*, item: QuestionnaireItem, answer: str, data: dict) -> list[Difference]:
    """Where what was typed differs from what is saved now, field by field."""
    saved = {"answer": item.answer, **item_values(item)}
    typed = {"answer": answer, **data}
    found = []
    for field in ("answer", *ITEM_FIELDS):
        if field not in typed:
            continue
        if _normalised(field, saved[field]) != _normalised(field, typed[field]):
            found.append(
                Difference(
                    field=field,
                    label=LABELS[field],
                    saved=_display(field, saved[field]),
                    yours=_display(field, typed[field]),
                )
            )
    return found


def _item_apply(item: QuestionnaireItem, *, answer: str, data: dict, by_name: str) -> None:
    item.answer = answer
    for name in ITEM_FIELDS:
        if name in data and name not in MEMBER_FIELDS:
            value = data[name]
            if name == "savings_recurrence" and not value:
                value = Recurrence.UNKNOWN
            setattr(item, name, "" if value is None and name not in _NULLABLE else value)
    item.updated_by = by_name
    item.full_clean(exclude=["questionnaire", "partnership", *MEMBER_FIELDS])
    item.save()
    for name in MEMBER_FIELDS:
        if name in data:
            getattr(item, name).set(_ids(data[name]))


_NULLABLE = {"start_year", "end_year", "savings_amount", "savings_cashable"}


def _touch(questionnaire: Questionnaire) -> None:
    Questionnaire.objects.filter(pk=questionnaire.pk).update(version=F("version") + 1)


def _editable(questionnaire: Questionnaire) -> None:
    reason = questionnaire_locked_reason(questionnaire)
    if reason:
        raise QuestionnaireLocked(reason)


@transaction.atomic
def item_save(
    *,
    item: QuestionnaireItem,
    answer: str,
    data: dict,
    by_name: str,
    expected_version: int | None,
) -> QuestionnaireItem:
    """Save one partnership's answer. Raises ItemConflict when the item was saved by
    someone else since `expected_version`, QuestionnaireLocked after the deadline."""
    item = (
        QuestionnaireItem.objects.select_for_update()
        .select_related("questionnaire__cycle")
        .get(pk=item.pk)
    )
    questionnaire = item.questionnaire
    _editable(questionnaire)
    if expected_version is not None and expected_version != item.version:
        raise ItemConflict(item, item_differences(item=item, answer=answer, data=data))
    if item.partnership_id is None:
        answer = Answer.NEW
    elif answer == Answer.NEW:
        raise ValidationError({"answer": "Only a new collaboration can be new."})
    data = dict(data)
    if item.partnership_id is not None:
        # The name and start year of a published partnership are staff's to change.
        data.pop("name", None)
        data["start_year"] = item.start_year
    item_validate(questionnaire=questionnaire, answer=answer, data=data, prefilled=item.prefilled)
    item.version += 1
    _item_apply(item, answer=answer, data=data, by_name=by_name)
    _touch(questionnaire)
    _event(questionnaire, Event.ITEM_SAVED, item=item, name=by_name, detail=str(item))
    return item


@transaction.atomic
def item_add(*, questionnaire: Questionnaire, data: dict, by_name: str) -> QuestionnaireItem:
    """Add a new collaboration to the questionnaire."""
    questionnaire = Questionnaire.objects.select_related("cycle").get(pk=questionnaire.pk)
    _editable(questionnaire)
    item_validate(questionnaire=questionnaire, answer=Answer.NEW, data=data)
    item = QuestionnaireItem(questionnaire=questionnaire)
    _item_apply(item, answer=Answer.NEW, data=data, by_name=by_name)
    _touch(questionnaire)
    _event(questionnaire, Event.ITEM_ADDED, item=item, name=by_name, detail=str(item))
    return item


@transaction.atomic
def item_remove(*, item: QuestionnaireItem, by_name: str) -> None:
    """Take a new collaboration out of the questionnaire (pre-filled partnerships stay:
    a council reports that one has ended instead)."""
    item = QuestionnaireItem.objects.select_related("questionnaire__cycle").get(pk=item.pk)
    if item.partnership_id is not None:
        raise ValidationError("A published partnership cannot be removed: say it has ended.")
    _editable(item.questionnaire)
    _event(item.questionnaire, Event.ITEM_REMOVED, name=by_name, detail=str(item))
    item.proposed_changes.filter(status=ProposedChange.Status.PENDING).delete()
    item.delete()
    _touch(item.questionnaire)


def _savings_proposal(item: QuestionnaireItem, year: int) -> dict | None:
    if item.savings_amount is None:
        return None
    return {
        "start_year": year,
        "end_year": year,
        "amount": str(item.savings_amount),
        "kind": item.savings_kind,
        "cashable": item.savings_cashable,
        "recurrence": item.savings_recurrence or Recurrence.UNKNOWN,
        "note": item.comment,
    }


def _other_partners(item: QuestionnaireItem) -> list[str]:
    lines = (line.strip() for line in item.other_partners.splitlines())
    return list(dict.fromkeys(line for line in lines if line))


def item_proposals(item: QuestionnaireItem, *, year: int) -> list[tuple[str, dict]]:
    """What an answered item asks staff to change: (kind, proposed) pairs. Changes are
    measured against the pre-filled values the council saw, so a change staff made to
    the published partnership meanwhile is not undone by a council that left it alone."""
    if item.answer == Answer.UNANSWERED:
        return []
    values = item_values(item)
    savings = _savings_proposal(item, year)
    if item.answer == Answer.NEW:
        return [
            (
                Kind.PARTNERSHIP_NEW,
                {
                    "name": item.name,
                    "description": item.description,
                    "status": item.status,
                    "start_year": item.start_year,
                    "categories": values["categories"],
                    "councils": values["councils"],
                    "public_bodies": values["public_bodies"],
                    "other_partners": _other_partners(item),
                    "no_savings_reason": item.no_savings_reason,
                    "no_savings_reason_other": item.no_savings_reason_other,
                    "savings": savings,
                    "comment": item.comment,
                },
            )
        ]
    found = []
    if item.answer == Answer.ENDED:
        found.append((Kind.PARTNERSHIP_END, {"end_year": item.end_year, "comment": item.comment}))
    else:
        prefilled = item.prefilled
        fields = (
            DETAIL_FIELDS
            if item.answer == Answer.UPDATED
            else ("no_savings_reason", "no_savings_reason_other")
        )
        changed = {
            name: values[name]
            for name in fields
            if _normalised(name, values[name]) != _normalised(name, prefilled.get(name, ""))
        }
        if "no_savings_reason" in changed or "no_savings_reason_other" in changed:
            changed["no_savings_reason"] = values["no_savings_reason"]
            changed["no_savings_reason_other"] = values["no_savings_reason_other"]
        others = _other_partners(item) if item.answer == Answer.UPDATED else []
        if others:
            changed["other_partners"] = others
        if changed:
            changed["comment"] = item.comment
            found.append((Kind.PARTNERSHIP_UPDATE, changed))
    if savings is not None:
        found.append((Kind.SAVINGS_RECORD, savings))
    return found


def _plain(value):
    """A proposal's value as compared with a decided one: JSON types, lists in order,
    text without its surrounding space or Windows line ends."""
    if isinstance(value, dict):
        return {key: _plain(each) for key, each in value.items()}
    if isinstance(value, list | tuple):
        return sorted((_plain(each) for each in value), key=str)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def _figure(proposed: dict) -> tuple:
    """A savings figure as compared with a decided one, cleaned or not."""
    start_year = int(proposed["start_year"])
    return (
        start_year,
        int(proposed.get("end_year") or start_year),
        Decimal(str(proposed["amount"])).quantize(Decimal("0.01")),
        proposed.get("kind") or "",
        proposed.get("cashable"),
        proposed.get("recurrence") or Recurrence.UNKNOWN,
        (proposed.get("note") or "").replace("\r\n", "\n").strip(),
    )


def _comparable(kind: str, proposed: dict):
    plain = json.loads(json.dumps(proposed, cls=DjangoJSONEncoder))
    return _figure(plain) if kind == Kind.SAVINGS_RECORD else _plain(plain)


def _decided_proposals(questionnaire: Questionnaire) -> dict[tuple[int, str], list]:
    """What staff last decided for each (item, kind) of the questionnaire: the last
    accepted proposal and the last decision of all, in comparable form. An accepted new
    collaboration's savings figure counts as an accepted figure of its item."""
    decided = ProposedChange.objects.filter(
        questionnaire=questionnaire,
        item__isnull=False,
        status__in=[ProposedChange.Status.ACCEPTED, ProposedChange.Status.REJECTED],
    ).order_by("reviewed_at", "pk")
    last: dict[tuple[int, str], dict] = {}
    for change in decided:
        accepted = change.status == ProposedChange.Status.ACCEPTED
        seen = [(change.kind, change.proposed)]
        if change.kind == Kind.PARTNERSHIP_NEW and (change.proposed or {}).get("savings"):
            seen.append((Kind.SAVINGS_RECORD, change.proposed["savings"]))
        for kind, proposed in seen:
            try:
                comparable = _comparable(kind, proposed)
            except (KeyError, TypeError, ValueError, ArithmeticError):
                continue  # a malformed old proposal matches nothing
            keep = last.setdefault((change.item_id, kind), {})
            keep["decided"] = comparable
            if accepted:
                keep["accepted"] = comparable
    return {key: list(found.values()) for key, found in last.items()}


def _confirmation_send(questionnaire: Questionnaire, *, number: int, site_url: str, link: str):
    cycle = questionnaire.cycle
    items = questionnaire.items.select_related("partnership").order_by("partnership__name", "id")
    return refresh_email_queue(
        key=f"q{questionnaire.pk}:confirm:{number}",
        to=questionnaire.submitted_by_email,
        template="submissions/email/submission_confirm",
        context={
            "name": questionnaire.submitted_by_name,
            "council": questionnaire.council.short_name,
            "year": cycle.year_label,
            "deadline": f"{cycle.deadline:%-d %B %Y}",
            "submitted_at": f"{timezone.localtime(questionnaire.submitted_at):%-d %B %Y at %H:%M}",
            "link": link,
            "site_url": site_url,
            "items": [{"name": str(item), "answer": item.get_answer_display()} for item in items],
        },
        kind="refresh-confirmation",
        questionnaire=questionnaire,
    )


@transaction.atomic
def questionnaire_submit(
    *,
    questionnaire: Questionnaire,
    name: str,
    email: str,
    method: str = Questionnaire.Method.ONLINE,
    user=None,
    expected_version: int | None = None,
    link: str = "",
    site_url: str = "",
) -> Questionnaire:
    """Submit the council's answers: every pre-filled partnership must be answered.
    Each answer becomes proposed changes for staff to review, the submitter gets a
    confirmation email and staff a note. `link` is the questionnaire's address for the
    email.

    A resubmission proposes only what changed since staff decided: the changes still
    waiting are replaced, and a proposal identical to the item's last accepted one of
    its kind (already published: an accepted figure, an ending) or to its last decision
    of that kind (a rejection: staff said no to exactly this) is not proposed again.
    Changing the answer again (another figure, other words, a comment) proposes it
    again. Accepted updates and new collaborations need no such check: the item then
    mirrors the published partnership (`resync.item_resync`), so nothing differs."""
    questionnaire = (
        Questionnaire.objects.select_for_update()
        .select_related("cycle", "council")
        .get(pk=questionnaire.pk)
    )
    if method == Questionnaire.Method.ONLINE:
        _editable(questionnaire)
    if expected_version is not None and expected_version != questionnaire.version:
        raise QuestionnaireChanged()
    errors = {}
    if not name.strip():
        errors["name"] = "Give your name."
    if method == Questionnaire.Method.ONLINE and not email.strip():
        errors["email"] = "Give your email address, for the confirmation."
    items = list(questionnaire.items.select_related("partnership").prefetch_related(*MEMBER_FIELDS))
    unanswered = [item for item in items if item.answer == Answer.UNANSWERED]
    if unanswered:
        errors["items"] = (
            f"Answer every partnership first: {len(unanswered)} still "
            f"{'needs' if len(unanswered) == 1 else 'need'} an answer."
        )
    if errors:
        raise ValidationError(errors)

    questionnaire.proposed_changes.filter(status=ProposedChange.Status.PENDING).delete()
    decided = _decided_proposals(questionnaire)
    year = questionnaire.cycle.financial_year
    source = (
        f"{questionnaire.council.short_name}, refresh questionnaire "
        f"{questionnaire.cycle.year_label}"
    )
    for item in items:
        for kind, proposed in item_proposals(item, year=year):
            if _comparable(kind, proposed) in decided.get((item.pk, kind), ()):
                continue
            change_propose(
                kind=kind,
                partnership=item.partnership,
                proposed=proposed,
                source=source,
                submitted_by_name=name.strip(),
                submitted_by_email=email.strip(),
                questionnaire=questionnaire,
                item=item,
            )
    questionnaire.submitted_at = timezone.now()
    questionnaire.submitted_by_name = name.strip()
    questionnaire.submitted_by_email = email.strip()
    questionnaire.method = method
    questionnaire.version += 1
    number = (
        activity_for(questionnaire).filter(verb__in=[Event.SUBMITTED, Event.CONFIRMED]).count() + 1
    )
    verb = Event.CONFIRMED if method != Questionnaire.Method.ONLINE else Event.SUBMITTED
    questionnaire_move(
        questionnaire,
        Questionnaire.Status.SUBMITTED,
        verb=verb,
        description=verb.label,
        user=user,
        actor=_actor(name, email),
        note=f"{len(items)} partnerships, {questionnaire.get_method_display().lower()}",
        update_fields=None,
    )
    if questionnaire.submitted_by_email:
        _confirmation_send(questionnaire, number=number, site_url=site_url, link=link)
    # The note to staff (notify.submission_received): its one call site, once the
    # submission is saved, for online and on-behalf submissions alike.
    submission_received(questionnaire=questionnaire, site_url=site_url)
    return questionnaire


# What staff may record that a council confirmed of a partnership it had not answered.
CONFIRMED_ANSWERS = (Answer.UNCHANGED, Answer.ENDED)


@transaction.atomic
def questionnaire_confirm_on_behalf(
    *,
    questionnaire: Questionnaire,
    user,
    confirmed_with: str,
    answers: dict[int, str] | None = None,
    end_years: dict[int, int] | None = None,
    method: str = Questionnaire.Method.PHONE,
    confirmed_at: datetime.datetime | None = None,
    email: str = "",
    site_url: str = "",
) -> Questionnaire:
    """A member of staff confirms the questionnaire for the council (by phone or from an
    email): records who confirmed it, with whom and when, answers each partnership still
    unanswered as the council said (`answers`: item id -> "unchanged" or "ended", with
    the year in `end_years`), and submits it. Refused, with nothing written, while any
    unanswered partnership was not confirmed either way: staff ask, never assume."""
    errors: dict[str, list[str]] = {}
    if not confirmed_with.strip():
        errors["confirmed_with"] = ["Say who at the council confirmed it."]
    if method == Questionnaire.Method.ONLINE:
        errors["method"] = ["Staff confirm by phone or by email."]
    answers, end_years = answers or {}, end_years or {}
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    unanswered = list(
        questionnaire.items.filter(answer=Answer.UNANSWERED)
        .select_related("questionnaire__cycle")
        .order_by("partnership__name", "pk")
    )
    unconfirmed = [
        str(item) for item in unanswered if answers.get(item.pk) not in CONFIRMED_ANSWERS
    ]
    if unconfirmed:
        errors["answers"] = [
            f"Not confirmed: {', '.join(unconfirmed)}. Say for each whether the council "
            "confirmed it unchanged or said it has ended (ask them first if not)."
        ]
    for item in unanswered:
        if answers.get(item.pk) != Answer.ENDED:
            continue
        data = {"end_year": end_years.get(item.pk), "start_year": item.start_year}
        try:
            item_validate(questionnaire=questionnaire, answer=Answer.ENDED, data=data)
        except ValidationError as error:
            errors.setdefault("end_years", []).extend(
                f"{item}: {message}" for message in error.message_dict.get("end_year", [])
            )
    if errors:
        raise ValidationError(errors)
    by = f"{user.get_username()} (LGA), with {confirmed_with.strip()}"
    for item in unanswered:
        item.answer = answers[item.pk]
        if item.answer == Answer.ENDED:
            item.end_year = end_years[item.pk]
        item.updated_by = by
        item.version += 1
        item.save(update_fields=["answer", "end_year", "updated_by", "version", "updated_at"])
    questionnaire.confirmed_by = user
    questionnaire.confirmed_with = confirmed_with.strip()
    questionnaire.confirmed_at = confirmed_at or timezone.now()
    questionnaire.save(update_fields=["confirmed_by", "confirmed_with", "confirmed_at"])
    return questionnaire_submit(
        questionnaire=questionnaire,
        name=confirmed_with.strip(),
        email=email,
        method=method,
        user=user,
        site_url=site_url,
    )
