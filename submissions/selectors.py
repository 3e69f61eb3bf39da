"""Reads for the staff side of the refresh: a cycle's progress, the partnerships still
missing figures, who has not replied, and proposed changes beside the published values.
Each runs a fixed number of queries however many councils and partnerships there are."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from core.money import money_exact
from partnerships.history import change_in_words, previous_records
from partnerships.models import (
    Council,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    SavingsRecord,
    ServiceCategory,
)
from partnerships.published import facts_prefetch, published_facts
from submissions.models import (
    CouncilContact,
    ProposedChange,
    Questionnaire,
    QuestionnaireItem,
    RefreshCycle,
)
from submissions.workflow import AWAITING_REPLY

STATUSES = Questionnaire.Status


@dataclass
class Progress:
    """Questionnaires by status, for the whole cycle or one region."""

    name: str
    counts: dict = field(default_factory=lambda: {s: 0 for s in STATUSES.values})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def replied(self) -> int:
        return self.counts[STATUSES.SUBMITTED] + self.counts[STATUSES.REVIEWED]

    @property
    def percent(self) -> int:
        return round(100 * self.replied / self.total) if self.total else 0

    def rows(self) -> list[tuple[str, int]]:
        return [(label, self.counts[value]) for value, label in STATUSES.choices]


def cycle_progress(*, cycle: RefreshCycle) -> tuple[Progress, list[Progress]]:
    """The cycle's questionnaires by status, overall and per region (one query)."""
    overall = Progress(name="All councils")
    regions: dict[str, Progress] = {}
    rows = (
        Questionnaire.objects.filter(cycle=cycle)
        .values("council__region__name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        name = row["council__region__name"] or "No region"
        region = regions.setdefault(name, Progress(name=name))
        region.counts[row["status"]] += row["n"]
        overall.counts[row["status"]] += row["n"]
    return overall, [regions[name] for name in sorted(regions)]


def partnerships_missing_figures(*, cycle: RefreshCycle) -> list[Partnership]:
    """Partnerships in the cycle's questionnaires with neither a savings figure for the
    cycle's year nor a reason there is none: not in any council's answer, not
    published, and not ended. Each carries `.questionnaire_councils` (names)."""
    items = QuestionnaireItem.objects.filter(partnership=OuterRef("pk"), questionnaire__cycle=cycle)
    answered = items.filter(
        Q(savings_amount__isnull=False) | ~Q(no_savings_reason="") | Q(answer="ended")
    )
    published_figure = SavingsRecord.objects.filter(
        partnership=OuterRef("pk"),
        start_year__lte=cycle.financial_year,
        end_year__gte=cycle.financial_year,
    )
    partnerships = list(
        Partnership.objects.filter(Exists(items))
        .exclude(Exists(answered))
        .exclude(Exists(published_figure))
        .exclude(no_savings_reason__gt="")
        .exclude(status="ended")
        .only("pk", "name", "slug")
        .prefetch_related(
            Prefetch(
                "questionnaire_items",
                queryset=QuestionnaireItem.objects.filter(questionnaire__cycle=cycle)
                .select_related("questionnaire__council")
                .only("pk", "partnership_id", "questionnaire__council__short_name"),
                to_attr="cycle_items",
            )
        )
        .order_by("name")
    )
    for partnership in partnerships:
        partnership.questionnaire_councils = sorted(
            item.questionnaire.council.short_name for item in partnership.cycle_items
        )
    return partnerships


def questionnaires_not_replied(*, cycle: RefreshCycle) -> list[Questionnaire]:
    """Questionnaires not yet submitted, each with its council, region and active
    contacts (private: for staff only)."""
    return list(
        Questionnaire.objects.filter(cycle=cycle, status__in=AWAITING_REPLY)
        .select_related("council__region")
        .prefetch_related(
            Prefetch(
                "council__contacts",
                queryset=CouncilContact.objects.filter(active=True).order_by("name"),
                to_attr="active_contacts",
            )
        )
        .order_by("council__region__name", "council__short_name")
    )


NOT_REPLIED_COLUMNS = [
    "council",
    "gss_code",
    "region",
    "status",
    "contact_name",
    "contact_email",
    "contact_role",
]


def not_replied_rows(*, cycle: RefreshCycle) -> list[list[str]]:
    """The councils of a cycle that have not submitted, one row per active contact (one
    row with no contact for a council without one), under `NOT_REPLIED_COLUMNS`."""
    rows = []
    for questionnaire in questionnaires_not_replied(cycle=cycle):
        council = questionnaire.council
        region = council.region.name if council.region else ""
        for contact in council.active_contacts or [None]:
            rows.append(
                [
                    council.short_name,
                    council.gss_code,
                    region,
                    questionnaire.get_status_display(),
                    contact.name if contact else "",
                    contact.email if contact else "",
                    contact.role if contact else "",
                ]
            )
    return rows


# --- Proposed changes beside the published values ----------------------------------------

LIST_FIELDS = {"councils": Council, "public_bodies": PublicBody, "categories": ServiceCategory}
LABELS = {
    "name": "Name",
    "description": "Description",
    "status": "Status",
    "start_year": "Start year",
    "end_year": "End year",
    "categories": "Services",
    "councils": "Member councils",
    "public_bodies": "Member public bodies",
    "other_partners": "Other partners (typed)",
    "no_savings_reason": "Reason there is no figure",
    "no_savings_reason_other": "Other reason",
    "amount": "Amount (£)",
    "kind": "Achieved or expected",
    "cashable": "Cashable",
    "recurrence": "Recurring or one-off",
    "note": "Note",
    "website": "Website",
}


@dataclass
class ChangeRow:
    label: str
    published: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.published != self.proposed


def _shown(value) -> str:
    if value in (None, "", []):
        return "—"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _shown_amount(value) -> str:
    try:
        return money_exact(value, none="—") if value != "" else "—"
    except ValueError:  # not a number: shown as it was sent
        return str(value)


def _published_values(partnership: Partnership | None) -> dict:
    return {} if partnership is None else published_facts(partnership).values()


def _published_savings(change: ProposedChange) -> dict:
    proposed = change.proposed
    for record in change.partnership.savings_records.all() if change.partnership else []:
        if (record.start_year, record.end_year, record.kind) == (
            proposed.get("start_year"),
            proposed.get("end_year") or proposed.get("start_year"),
            proposed.get("kind"),
        ):
            return {
                "start_year": record.start_year,
                "end_year": record.end_year,
                "amount": str(record.amount),
                "kind": record.kind,
                "cashable": record.cashable,
                "recurrence": record.recurrence,
                "note": record.note,
            }
    return {}


def changes_for_review(*, changes) -> list[ProposedChange]:
    """The changes, each with `.rows`: (label, published value, proposed value) for
    every field it proposes, and `.history` (`changes_history`). A fixed number of
    queries for any number of pending changes."""
    changes = list(
        changes.select_related("partnership", "questionnaire__council", "item").prefetch_related(
            *facts_prefetch("partnership__")
        )
    )
    ids = {name: set() for name in LIST_FIELDS}
    for change in changes:
        for name in LIST_FIELDS:
            ids[name].update(_ids(change.proposed.get(name)))
            if change.partnership:
                ids[name].update(_published_values(change.partnership).get(name, []))
    names = {
        name: dict(model.objects.filter(pk__in=ids[name]).values_list("pk", _label_field(model)))
        for name, model in LIST_FIELDS.items()
    }
    for change in changes:
        change.rows = _rows(change, names)
    changes_history(changes=changes)
    return changes


# The published data an accepted change may touch, each kept by django-simple-history.
HISTORY_MODELS = (Partnership, PartnershipCouncil, PartnershipPublicBody, SavingsRecord)


def changes_history(*, changes: list[ProposedChange]) -> None:
    """Give each change `.history`: what accepting it changed in the published data, in
    words, oldest first, read from the simple-history records that name its review
    (`review_reason`). Two queries per kind of record (the records, and the records
    before them), whatever the number of accepted changes shown."""
    from submissions.services.review import review_reason

    accepted = {}
    for change in changes:
        change.history = []
        if change.status == ProposedChange.Status.ACCEPTED:
            accepted[review_reason(change)] = change
    if not accepted:
        return
    records, previous = [], {}
    for model in HISTORY_MODELS:
        found = list(model.history.filter(history_change_reason__in=list(accepted)))
        records += found
        previous[model] = previous_records(model, found)
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous[record.instance_type][record.history_id]
        accepted[record.history_change_reason].history += change_in_words(record, before)


def _ids(value) -> list[int]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, int)]


def _label_field(model) -> str:
    return "short_name" if model is Council else "name"


def _rows(change: ProposedChange, names: dict) -> list[ChangeRow]:
    if change.kind == ProposedChange.Kind.SAVINGS_RECORD:
        published = _published_savings(change)
    else:
        published = _published_values(change.partnership)
    rows = []
    for key, value in change.proposed.items():
        before = published.get(key)
        if key in LIST_FIELDS:
            value = sorted(names[key].get(v, v) if isinstance(v, int) else v for v in value or [])
            before = sorted(names[key].get(v, v) for v in before or [])
        label = LABELS.get(key, key.replace("_", " ").capitalize())
        shown = _shown_amount if key == "amount" else _shown
        rows.append(ChangeRow(label=label, published=shown(before), proposed=shown(value)))
    return rows
