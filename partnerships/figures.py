"""Headline figures and chart data for a filtered set of partnerships.

Five queries whatever the data size: the partnerships, their member councils, their
categories, their savings records and the number of councils. The sums are done in
Python over those rows, because one partnership can count in several categories and
regions, which SQL GROUP BY over joins would double-count.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from django.db.models import QuerySet

from partnerships.models import (
    Council,
    CouncilType,
    Partnership,
    PartnershipCouncil,
    SavingsKind,
    SavingsRecord,
    financial_year_label,
)

PRINCIPAL_TYPES = [
    t for t in CouncilType.values
    if t not in (CouncilType.COMBINED_AUTHORITY, CouncilType.STRATEGIC_AUTHORITY)
]  # fmt: skip
TYPE_LABELS = dict(CouncilType.choices)


@dataclass
class Row:
    """One line of a chart's data table."""

    label: str
    partnerships: int = 0
    achieved: Decimal = Decimal("0")


@dataclass
class Figures:
    partnerships: int
    councils_involved: int
    current_councils_involved: int
    current_councils: int
    achieved_total: Decimal
    latest_year: int | None
    latest_year_total: Decimal
    expected_total: Decimal
    without_figure_or_reason: int
    by_category: list[Row] = field(default_factory=list)
    by_region: list[Row] = field(default_factory=list)
    by_start_year: list[Row] = field(default_factory=list)
    savings_by_year: list[Row] = field(default_factory=list)
    type_pairings: list[Row] = field(default_factory=list)

    @property
    def share_of_councils(self) -> float:
        """Share of current councils (excluding combined authorities) that take part."""
        return (
            self.current_councils_involved / self.current_councils if self.current_councils else 0
        )

    @property
    def latest_year_label(self) -> str:
        return financial_year_label(self.latest_year) if self.latest_year else ""


def partnership_figures(
    *, partnerships: QuerySet[Partnership], up_to_year: int | None = None
) -> Figures:
    """Headline figures and chart rows for the given (already filtered) partnerships.

    With `up_to_year`, only savings reported for periods ending by that financial year count.
    """
    rows = list(partnerships.values("pk", "start_year", "no_savings_reason").order_by())
    ids = partnerships.values("pk")
    members = list(
        PartnershipCouncil.objects.filter(partnership__in=ids).values(
            "partnership_id",
            "council_id",
            "council__current",
            "council__council_type",
            "council__region__name",
        )
    )
    category_links = list(
        Partnership.categories.through.objects.filter(partnership__in=ids).values(
            "partnership_id", "servicecategory__name", "servicecategory__position"
        )
    )
    records = SavingsRecord.objects.filter(partnership__in=ids)
    if up_to_year is not None:
        records = records.filter(end_year__lte=up_to_year)
    records = list(records.values("partnership_id", "kind", "start_year", "end_year", "amount"))
    current_councils = Council.objects.filter(
        current=True, council_type__in=PRINCIPAL_TYPES
    ).count()

    achieved_by_partnership: dict[int, Decimal] = defaultdict(Decimal)
    expected_total = Decimal("0")
    single_year: dict[int, Decimal] = defaultdict(Decimal)
    savings_by_end_year: dict[int, Decimal] = defaultdict(Decimal)
    with_records = set()
    for record in records:
        with_records.add(record["partnership_id"])
        if record["kind"] == SavingsKind.ACHIEVED:
            achieved_by_partnership[record["partnership_id"]] += record["amount"]
            savings_by_end_year[record["end_year"]] += record["amount"]
            if record["start_year"] == record["end_year"]:
                single_year[record["end_year"]] += record["amount"]
        else:
            expected_total += record["amount"]
    latest_year = max(single_year) if single_year else None

    councils = {m["council_id"] for m in members}
    current_involved = {
        m["council_id"]
        for m in members
        if m["council__current"] and m["council__council_type"] in PRINCIPAL_TYPES
    }

    def grouped(pairs: list[tuple[str, int]], order: dict[str, object] | None = None) -> list[Row]:
        """Rows from (label, partnership id) pairs, each partnership once per label."""
        seen: dict[str, set[int]] = defaultdict(set)
        for label, pk in pairs:
            seen[label].add(pk)
        result = [
            Row(
                label=label,
                partnerships=len(pks),
                achieved=sum((achieved_by_partnership[pk] for pk in pks), Decimal("0")),
            )
            for label, pks in seen.items()
        ]
        if order is not None:
            return sorted(result, key=lambda r: order.get(r.label, r.label))
        return sorted(result, key=lambda r: (-r.partnerships, r.label))

    category_order = {
        link["servicecategory__name"]: link["servicecategory__position"] for link in category_links
    }
    by_category = grouped(
        [(link["servicecategory__name"], link["partnership_id"]) for link in category_links],
        order=category_order,
    )
    by_region = grouped(
        [
            (m["council__region__name"], m["partnership_id"])
            for m in members
            if m["council__region__name"]
        ]
    )
    by_start_year = sorted(
        (
            Row(label=str(year), partnerships=count)
            for year, count in Counter(r["start_year"] for r in rows if r["start_year"]).items()
        ),
        key=lambda r: r.label,
    )
    savings_by_year = [
        Row(label=financial_year_label(year), achieved=amount)
        for year, amount in sorted(savings_by_end_year.items())
    ]

    type_counts_by_partnership: dict[int, Counter] = defaultdict(Counter)
    for m in members:
        type_counts_by_partnership[m["partnership_id"]][m["council__council_type"]] += 1
    pairing_pairs = []
    for pk, counts in type_counts_by_partnership.items():
        types = sorted(counts)
        pairs = {(a, b) for a, b in combinations(types, 2)}
        pairs |= {(t, t) for t, n in counts.items() if n > 1}
        for a, b in pairs:
            pairing_pairs.append((f"{TYPE_LABELS[a]} and {TYPE_LABELS[b].lower()}", pk))
    type_pairings = grouped(pairing_pairs)[:10]

    return Figures(
        partnerships=len(rows),
        councils_involved=len(councils),
        current_councils_involved=len(current_involved),
        current_councils=current_councils,
        achieved_total=sum(achieved_by_partnership.values(), Decimal("0")),
        latest_year=latest_year,
        latest_year_total=single_year.get(latest_year, Decimal("0"))
        if latest_year
        else Decimal("0"),
        expected_total=expected_total,
        without_figure_or_reason=sum(
            1 for r in rows if r["pk"] not in with_records and not r["no_savings_reason"]
        ),
        by_category=by_category,
        by_region=by_region,
        by_start_year=by_start_year,
        savings_by_year=savings_by_year,
        type_pairings=type_pairings,
    )
