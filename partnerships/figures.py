"""Headline figures and chart data for a filtered set of partnerships.

Savings come from the ledger (`SavingsYear`, see `partnerships.services.ledger`): one
counted figure per partnership, kind and financial year, a total over several years
spread evenly over them. Achieved and expected are summed apart and never added
together. For a past year only the ledger's years up to and including it count.

Five queries whatever the data size: the partnerships, their members in the period
(with the councils standing for them), their categories, their ledger rows and the
number of councils of the period. The sums are done in Python over those rows, because
one partnership can count in several categories and regions, which SQL GROUP BY over
joins would double-count.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from django.db.models import Exists, F, OuterRef, QuerySet

from partnerships.models import (
    CouncilType,
    GenerationCouncil,
    Partnership,
    PartnershipCouncil,
    SavingsKind,
    SavingsOrigin,
    SavingsRecord,
    SavingsYear,
    financial_year_label,
)
from partnerships.services.ledger import COUNTING_RULE
from partnerships.timeline import SHOWN, Period, membership_in, period_for, stand_in_lookup

PRINCIPAL_TYPES = [
    t for t in CouncilType.values
    if t not in (CouncilType.COMBINED_AUTHORITY, CouncilType.STRATEGIC_AUTHORITY)
]  # fmt: skip
TYPE_LABELS = dict(CouncilType.choices)
ORIGIN_LABELS = dict(SavingsOrigin.choices)
ZERO = Decimal("0")


@dataclass
class Row:
    """One line of a chart's data table."""

    label: str
    partnerships: int = 0
    achieved: Decimal = ZERO
    expected: Decimal = ZERO
    # Savings by year: how much of the year's amounts are shares of totals over
    # several years, spread evenly (the rest are figures for that year).
    achieved_spread: Decimal = ZERO
    expected_spread: Decimal = ZERO


@dataclass
class Figures:
    partnerships: int
    councils_involved: int
    current_councils_involved: int
    current_councils: int
    achieved_total: Decimal
    latest_year: int | None
    latest_year_total: Decimal
    latest_year_partnerships: int
    expected_total: Decimal
    without_figure_or_reason: int
    # Partnerships whose figures the ledger counts, by kind, and those whose only
    # figures have no period (shown on their pages, not counted).
    with_achieved: int = 0
    with_expected: int = 0
    only_undated: int = 0
    up_to_year: int | None = None
    counting_rule: str = COUNTING_RULE
    by_category: list[Row] = field(default_factory=list)
    by_region: list[Row] = field(default_factory=list)
    by_start_year: list[Row] = field(default_factory=list)
    savings_by_year: list[Row] = field(default_factory=list)
    by_origin: list[Row] = field(default_factory=list)
    type_pairings: list[Row] = field(default_factory=list)

    @property
    def share_of_councils(self) -> float:
        """Share of the period's councils (excluding combined authorities) that take part."""
        return (
            self.current_councils_involved / self.current_councils if self.current_councils else 0
        )

    @property
    def latest_year_label(self) -> str:
        return financial_year_label(self.latest_year) if self.latest_year else ""

    @property
    def up_to_year_label(self) -> str:
        return financial_year_label(self.up_to_year) if self.up_to_year else ""

    @property
    def has_spread(self) -> bool:
        """Whether any year's amount holds a share of a total over several years."""
        return any(row.achieved_spread or row.expected_spread for row in self.savings_by_year)


def partnership_figures(
    *,
    partnerships: QuerySet[Partnership],
    up_to_year: int | None = None,
    period: Period | None = None,
) -> Figures:
    """Headline figures and chart rows for the given (already filtered) partnerships.

    `period` (the filterset's) says whose members and councils count; it defaults to
    the period of `up_to_year`. With a year, savings count for the ledger's years up to
    and including it.
    """
    if period is None:
        period = period_for(up_to_year)
    if up_to_year is None:
        up_to_year = period.year
    ids = partnerships.order_by().values("pk")
    rows = list(
        partnerships.annotate(
            has_figure=Exists(SavingsRecord.objects.filter(partnership=OuterRef("pk"))),
            has_dated_figure=Exists(
                SavingsRecord.objects.filter(partnership=OuterRef("pk"), start_year__isnull=False)
            ),
        )
        .values("pk", "start_year", "no_savings_reason", "has_figure", "has_dated_figure")
        .order_by()
    )
    members = list(
        PartnershipCouncil.objects.filter(membership_in(period), partnership__in=ids)
        .filter(**stand_in_lookup(period))
        .values(
            "partnership_id",
            "council_id",
            shown_id=_shown("council_id"),
            shown_type=_shown("council_type"),
            shown_region=_shown("region__name"),
        )
    )
    category_links = list(
        Partnership.categories.through.objects.filter(partnership__in=ids).values(
            "partnership_id", "servicecategory__name", "servicecategory__position"
        )
    )
    ledger = SavingsYear.objects.filter(partnership__in=ids)
    if up_to_year is not None:
        ledger = ledger.filter(year__lte=up_to_year)
    ledger = list(
        ledger.values(
            "partnership_id", "kind", "year", "amount", "spread", origin=F("record__origin")
        ).order_by()
    )
    current_councils = GenerationCouncil.objects.filter(
        generation_id=period.generation_id, council_type__in=PRINCIPAL_TYPES
    ).count()

    totals: dict[str, dict[int, Decimal]] = {
        SavingsKind.ACHIEVED: defaultdict(Decimal),
        SavingsKind.EXPECTED: defaultdict(Decimal),
    }
    by_year: dict[int, Row] = {}
    by_origin: dict[str, Row] = {}
    origin_partnerships: dict[str, set[int]] = defaultdict(set)
    achieved_in_year: dict[int, set[int]] = defaultdict(set)
    for entry in ledger:
        kind, year, amount = entry["kind"], entry["year"], entry["amount"]
        totals[kind][entry["partnership_id"]] += amount
        row = by_year.setdefault(year, Row(label=financial_year_label(year)))
        source = by_origin.setdefault(
            entry["origin"], Row(label=ORIGIN_LABELS.get(entry["origin"], entry["origin"]))
        )
        origin_partnerships[entry["origin"]].add(entry["partnership_id"])
        if kind == SavingsKind.ACHIEVED:
            source.achieved += amount
        else:
            source.expected += amount
        if kind == SavingsKind.ACHIEVED:
            row.achieved += amount
            row.achieved_spread += amount if entry["spread"] else ZERO
            achieved_in_year[year].add(entry["partnership_id"])
        else:
            row.expected += amount
            row.expected_spread += amount if entry["spread"] else ZERO
    achieved = totals[SavingsKind.ACHIEVED]
    expected = totals[SavingsKind.EXPECTED]
    latest_year = max(achieved_in_year) if achieved_in_year else None

    councils = {m["council_id"] for m in members}
    current_involved = {m["shown_id"] for m in members if m["shown_type"] in PRINCIPAL_TYPES}

    def grouped(pairs: list[tuple[str, int]], order: dict[str, object] | None = None) -> list[Row]:
        """Rows from (label, partnership id) pairs, each partnership once per label."""
        seen: dict[str, set[int]] = defaultdict(set)
        for label, pk in pairs:
            seen[label].add(pk)
        result = [
            Row(
                label=label,
                partnerships=len(pks),
                achieved=sum((achieved[pk] for pk in pks if pk in achieved), ZERO),
                expected=sum((expected[pk] for pk in pks if pk in expected), ZERO),
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
        [(m["shown_region"], m["partnership_id"]) for m in members if m["shown_region"]]
    )
    by_start_year = sorted(
        (
            Row(label=str(year), partnerships=count)
            for year, count in Counter(r["start_year"] for r in rows if r["start_year"]).items()
        ),
        key=lambda r: r.label,
    )
    savings_by_year = [by_year[year] for year in sorted(by_year)]
    for origin, row in by_origin.items():
        row.partnerships = len(origin_partnerships[origin])
    origins = [by_origin[value] for value in SavingsOrigin.values if value in by_origin]

    # Pairings of the councils standing for the members in the period, each counted once.
    types_by_partnership: dict[int, dict[int, str]] = defaultdict(dict)
    for m in members:
        types_by_partnership[m["partnership_id"]][m["shown_id"]] = m["shown_type"]
    pairing_pairs = []
    for pk, shown in types_by_partnership.items():
        counts = Counter(shown.values())
        types = sorted(counts)
        pairs = {(a, b) for a, b in combinations(types, 2)}
        pairs |= {(t, t) for t, n in counts.items() if n > 1}
        for a, b in pairs:
            # "London" keeps its capital: "District council and London borough".
            second = TYPE_LABELS[b] if b == CouncilType.LONDON_BOROUGH else TYPE_LABELS[b].lower()
            pairing_pairs.append((f"{TYPE_LABELS[a]} and {second}", pk))
    type_pairings = grouped(pairing_pairs)[:10]

    return Figures(
        partnerships=len(rows),
        councils_involved=len(councils),
        current_councils_involved=len(current_involved),
        current_councils=current_councils,
        achieved_total=sum(achieved.values(), ZERO),
        latest_year=latest_year,
        latest_year_total=by_year[latest_year].achieved if latest_year else ZERO,
        latest_year_partnerships=len(achieved_in_year[latest_year]) if latest_year else 0,
        expected_total=sum(expected.values(), ZERO),
        without_figure_or_reason=sum(
            1 for r in rows if not r["has_figure"] and not r["no_savings_reason"]
        ),
        with_achieved=len(achieved),
        with_expected=len(expected),
        only_undated=sum(1 for r in rows if r["has_figure"] and not r["has_dated_figure"]),
        up_to_year=up_to_year,
        by_category=by_category,
        by_region=by_region,
        by_start_year=by_start_year,
        savings_by_year=savings_by_year,
        by_origin=origins,
        type_pairings=type_pairings,
    )


def _shown(lookup: str) -> F:
    """A field of the council standing for a member in the period."""
    return F(f"{SHOWN}{lookup}")
