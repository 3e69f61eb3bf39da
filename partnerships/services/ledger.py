"""The savings ledger: which figure counts in totals, and how much of it in each year.

The rule, written once and quoted on the figures page and in the downloads
(`COUNTING_RULE`): several figures may cover the same years (two sources, a refresh
answer and an Expert Programme outcome); every one is kept and shown with its source,
and for each partnership, kind (achieved or expected) and financial year exactly one
counts. Achieved and expected are never added together.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from core.money import money_exact
from partnerships.models import (
    Partnership,
    SavingsEvidence,
    SavingsKind,
    SavingsRecord,
    SavingsYear,
    financial_year_label,
)

COUNTING_RULE = (
    "Where several figures cover the same partnership, kind and financial year, one "
    "counts in totals: the best evidenced (audited, then confirmed by LGA staff, then as "
    "reported), then the most recently reported, then the one whose period ends latest, "
    "then the one entered last. A figure given as a total over several years counts as "
    "that total spread evenly over its years; a figure per year counts in full each year. "
    "Figures whose source gives no period are shown but not counted. Achieved and "
    "expected savings are never added together."
)

EVIDENCE_RANK = {
    SavingsEvidence.AUDITED: 2,
    SavingsEvidence.CONFIRMED: 1,
    SavingsEvidence.AS_REPORTED: 0,
}
PENNY = Decimal("0.01")


def _precedence(record: SavingsRecord) -> tuple:
    reported = record.reported_on.toordinal() if record.reported_on else 0
    return (EVIDENCE_RANK.get(record.evidence, 0), reported, record.end_year, record.pk)


def year_amounts(record: SavingsRecord) -> dict[int, tuple[Decimal, bool]]:
    """{financial year: (amount counted that year, spread?)} for one figure."""
    years = list(record.years)
    if not years:
        return {}
    if len(years) == 1 or record.per_year:
        return {year: (record.amount, False) for year in years}
    share = (record.amount / len(years)).quantize(PENNY, rounding=ROUND_HALF_UP)
    amounts = {year: (share, True) for year in years}
    # The last year takes the pennies lost to rounding, so the years add up to the total.
    amounts[years[-1]] = (record.amount - share * (len(years) - 1), True)
    return amounts


def counted_years(records: list[SavingsRecord]) -> list[SavingsYear]:
    """The ledger rows for one partnership's figures, by the rule above (unsaved)."""
    best: dict[tuple[str, int], SavingsRecord] = {}
    for record in records:
        for year in record.years:
            key = (record.kind, year)
            if key not in best or _precedence(record) > _precedence(best[key]):
                best[key] = record
    rows = []
    amounts_of: dict[int, dict[int, tuple[Decimal, bool]]] = defaultdict(dict)
    for (kind, year), record in sorted(best.items()):
        if record.pk not in amounts_of:
            amounts_of[record.pk] = year_amounts(record)
        amount, spread = amounts_of[record.pk][year]
        rows.append(
            SavingsYear(
                partnership_id=record.partnership_id,
                record=record,
                kind=kind,
                year=year,
                amount=amount,
                spread=spread,
            )
        )
    return rows


@transaction.atomic
def ledger_rebuild(*, partnership_ids: list[int]) -> None:
    """Recount the ledger of these partnerships from their savings records."""
    if not partnership_ids:
        return
    records: dict[int, list[SavingsRecord]] = defaultdict(list)
    for record in SavingsRecord.objects.filter(partnership_id__in=partnership_ids):
        records[record.partnership_id].append(record)
    SavingsYear.objects.filter(partnership_id__in=partnership_ids).delete()
    rows = [row for pid in partnership_ids for row in counted_years(records.get(pid, []))]
    SavingsYear.objects.bulk_create(rows, batch_size=500)


@dataclass(frozen=True)
class FigureEntry:
    """One figure on a partnership's page, with what the ledger counts of it."""

    record: SavingsRecord
    counted: tuple[SavingsYear, ...]

    @property
    def counted_amount(self) -> Decimal:
        return sum((y.amount for y in self.counted), Decimal("0"))

    @property
    def counts_label(self) -> str:
        """Whether, and for which years, this figure counts in totals (the rule)."""
        years = list(self.record.years)
        if not years:
            return "Not counted: the source gives no period"
        if not self.counted:
            return "Not counted: another figure for the same years counts (see the rule)"
        spread = any(y.spread for y in self.counted)
        if len(self.counted) == len(years):
            label = "Counts in totals"
        else:
            label = "Counts in totals for " + ", ".join(
                financial_year_label(y.year) for y in self.counted
            )
        if spread:
            share = self.counted[0].amount
            label += f", spread evenly: {money_exact(share)} a year"
        return label


@dataclass(frozen=True)
class SavingsStatement:
    """A partnership's figures, all of them, and its totals as the ledger counts them."""

    entries: tuple[FigureEntry, ...]
    achieved_total: Decimal | None
    expected_total: Decimal | None
    rule: str = COUNTING_RULE


def savings_statement(partnership: Partnership) -> SavingsStatement:
    """Every figure of a partnership beside what counts of it. Reads the prefetched
    `savings_records` and `savings_years` (one query each otherwise)."""
    years = list(partnership.savings_years.all())
    by_record: dict[int, list[SavingsYear]] = defaultdict(list)
    for year in years:
        by_record[year.record_id].append(year)
    entries = tuple(
        FigureEntry(record=record, counted=tuple(sorted(by_record[record.pk], key=_year_of)))
        for record in partnership.savings_records.all()
    )

    def total(kind: str) -> Decimal | None:
        amounts = [y.amount for y in years if y.kind == kind]
        return sum(amounts, Decimal("0")) if amounts else None

    return SavingsStatement(
        entries=entries,
        achieved_total=total(SavingsKind.ACHIEVED),
        expected_total=total(SavingsKind.EXPECTED),
    )


def _year_of(row: SavingsYear) -> int:
    return row.year
