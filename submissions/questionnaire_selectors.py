"""Reads for the questionnaire's pages, each a fixed number of queries whatever the
number of partnerships, and the answers as the check-before-submit page lists them."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from core.money import money_exact
from partnerships.models import (
    Council,
    NoSavingsReason,
    PartnershipStatus,
    PublicBody,
    PublicBodyKind,
    Recurrence,
    SavingsKind,
    Sector,
    ServiceCategory,
)
from submissions.models import ProposedChange, Questionnaire, QuestionnaireItem


@dataclass
class PartnerChoices:
    """The lists partners and services are chosen from, loaded once per page."""

    councils: list[tuple[int, str, str]]  # id, name, region
    bodies: list[tuple[int, str, str]]  # id, name, sector label
    categories: list[tuple[int, str]]
    names: dict[str, dict[int, str]] = field(default_factory=dict)

    def council_groups(self) -> list[tuple[str, list[tuple[int, str]]]]:
        groups: dict[str, list] = {}
        for pk, name, region in self.councils:
            groups.setdefault(region, []).append((pk, name))
        return sorted(groups.items(), key=lambda group: (group[0] == "Other", group[0]))

    def body_groups(self) -> list[tuple[str, list[tuple[int, str]]]]:
        order = [label for _, label in Sector.choices]
        groups: dict[str, list] = {}
        for pk, name, sector in self.bodies:
            groups.setdefault(sector, []).append((pk, name))
        return sorted(groups.items(), key=lambda g: order.index(g[0]) if g[0] in order else 99)


def partner_choices(*, items: list[QuestionnaireItem]) -> PartnerChoices:
    """Current councils (and any former one already a member of a partnership in the
    questionnaire), every public body, every service category: three queries."""
    member_ids = set()
    for item in items:
        member_ids.update(item.prefilled.get("councils", []))
    sectors = dict(Sector.choices)
    kinds = dict(PublicBodyKind.choices)
    councils = [
        (pk, name if current else f"{name} (former)", region or "Other")
        for pk, name, current, region in Council.objects.filter(
            Q(current=True) | Q(pk__in=member_ids)
        )
        .order_by("short_name")
        .values_list("pk", "short_name", "current", "region__name")
    ]
    bodies = [
        (pk, f"{name} ({kinds.get(kind, kind)})", sectors.get(sector, "Other"))
        for pk, name, kind, sector in PublicBody.objects.order_by("name").values_list(
            "pk", "name", "kind", "sector"
        )
    ]
    categories = list(ServiceCategory.objects.values_list("pk", "name"))
    choices = PartnerChoices(councils=councils, bodies=bodies, categories=categories)
    choices.names = {
        "councils": {pk: name for pk, name, _ in councils},
        "public_bodies": {pk: name for pk, name, _ in bodies},
        "categories": dict(categories),
    }
    return choices


def questionnaire_items(*, questionnaire: Questionnaire) -> list[QuestionnaireItem]:
    """The questionnaire's partnerships, pre-filled ones first (by name), then the new
    collaborations in the order they were added, with their chosen partners."""
    items = list(
        questionnaire.items.select_related("partnership").prefetch_related(
            Prefetch("categories", queryset=ServiceCategory.objects.order_by("position", "name")),
            Prefetch("councils", queryset=Council.objects.order_by("short_name")),
            Prefetch("public_bodies", queryset=PublicBody.objects.order_by("name")),
            Prefetch(
                "proposed_changes",
                queryset=ProposedChange.objects.order_by("created_at", "pk"),
                to_attr="sent_changes",
            ),
        )
    )
    return sorted(
        items,
        key=lambda i: (i.partnership_id is None, i.name.lower() if i.partnership_id else i.pk),
    )


# The check-before-submit page: every answer an item holds, question by question.

NOT_ANSWERED = "Not answered"
_ANSWERS = {
    QuestionnaireItem.Answer.UNANSWERED: NOT_ANSWERED,
    QuestionnaireItem.Answer.UNCHANGED: "Nothing has changed",
    QuestionnaireItem.Answer.UPDATED: "Something has changed",
    QuestionnaireItem.Answer.ENDED: "It has ended",
    QuestionnaireItem.Answer.NEW: "A new collaboration",
}
_CASHABLE = {True: "Yes", False: "No", None: "Not known"}


@dataclass(frozen=True)
class SummaryRow:
    """One question and its answer; `field` is the item form's field that changes it
    ("" for a row that is not typed in, such as who saved it)."""

    question: str
    answer: str
    field: str = ""


def _names(objects) -> str:
    return ", ".join(str(obj) for obj in objects) or "None"


def _or_missing(value) -> str:
    return NOT_ANSWERED if value is None or str(value).strip() == "" else str(value)


def answer_rows(item: QuestionnaireItem, *, year_label: str) -> list[SummaryRow]:
    """Every answer of one item as (question, answer) rows, amounts written with
    core.money, a missing answer as "Not answered". Reads only the item's prefetched
    rows (`questionnaire_items`): no query."""
    Answer = QuestionnaireItem.Answer
    rows = []
    if item.partnership_id:
        rows.append(
            SummaryRow("What has happened", _ANSWERS.get(item.answer, item.answer), "answer")
        )
    if item.answer == Answer.UNANSWERED:
        return rows
    if item.answer == Answer.NEW:
        rows.append(SummaryRow("Name", _or_missing(item.name), "name"))
    if item.answer in (Answer.NEW, Answer.UPDATED):
        status = dict(PartnershipStatus.choices).get(item.status, "Not known")
        rows += [
            SummaryRow("Description", _or_missing(item.description), "description"),
            SummaryRow("Status", status, "status"),
        ]
        if item.answer == Answer.NEW:
            rows.append(SummaryRow("Year it started", _or_missing(item.start_year), "start_year"))
        rows += [
            SummaryRow("Services shared", _names(item.categories.all()), "categories"),
            SummaryRow("Partner councils", _names(item.councils.all()), "councils"),
            SummaryRow("Partner public bodies", _names(item.public_bodies.all()), "public_bodies"),
            SummaryRow(
                "Partners not in the lists",
                item.other_partners.strip() or "None",
                "other_partners",
            ),
        ]
    if item.answer == Answer.ENDED:
        rows.append(SummaryRow("Year it ended", _or_missing(item.end_year), "end_year"))
    amount = money_exact(item.savings_amount, pence="if-any", none=NOT_ANSWERED)
    rows.append(SummaryRow(f"Savings in {year_label}", amount, "savings_amount"))
    if item.savings_amount is not None:
        rows += [
            SummaryRow(
                "Achieved or expected",
                dict(SavingsKind.choices).get(item.savings_kind, NOT_ANSWERED),
                "savings_kind",
            ),
            SummaryRow("Cashable", _CASHABLE[item.savings_cashable], "savings_cashable"),
            SummaryRow(
                "Recurring or one-off",
                dict(Recurrence.choices).get(item.savings_recurrence, NOT_ANSWERED),
                "savings_recurrence",
            ),
        ]
    else:
        reason = dict(NoSavingsReason.choices).get(item.no_savings_reason, NOT_ANSWERED)
        if item.no_savings_reason == NoSavingsReason.OTHER and item.no_savings_reason_other:
            reason = f"{reason}: {item.no_savings_reason_other}"
        rows.append(SummaryRow("Why there is no figure", reason, "no_savings_reason"))
    rows.append(SummaryRow("Anything else for the LGA", _or_missing(item.comment), "comment"))
    return rows
