"""The tracker's arithmetic: pure functions on Decimal, no database.

Money is kept in pounds as Decimal and rounded to the penny (half up) wherever a figure
is shown or stored; financial years are numbered by the calendar year they start in
(2024 is 2024/25), as in `partnerships.models.financial_year_label`.

A year's savings and new running costs are entered as a full year's amounts. When the
shared service starts part-way through its first financial year, only the months it
ran count: that year's savings and running costs are multiplied by months / 12.
One-off set-up costs are counted in full in the year they fall in.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.money import money_round
from partnerships.models import financial_year_label

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

SAVING_KINDS = ("staff", "it", "property", "procurement", "process", "income")
SAVING_KIND_LABELS = {
    "staff": "Staff",
    "it": "IT",
    "property": "Property",
    "procurement": "Procurement",
    "process": "Process",
    "income": "Income",
}

# The LGA's research "Services Shared: Costs Spared?" (2012) separates consolidation
# savings (fewer managers, staff, systems and buildings once services merge),
# procurement savings (buying together), process savings (doing the work better) and
# wider business change benefits (new income, trading). Each kind counts in one group.
SAVING_GROUPS = (
    ("consolidation", "Consolidation savings", ("staff", "it", "property")),
    ("procurement", "Procurement savings", ("procurement",)),
    ("process", "Process savings", ("process",)),
    ("business_change", "Wider business change benefits", ("income",)),
)

NO_PAYBACK = "Savings do not cover the costs within the years entered"
NO_COSTS = "There are no costs to pay back"


def year_fraction(*, months: int) -> Decimal:
    """The part of a financial year a service ran: 12 months -> 1, 3 months -> 0.25."""
    if not 1 <= months <= 12:
        raise ValueError("Months in operation must be between 1 and 12.")
    return Decimal(months) / Decimal(12)


@dataclass(frozen=True)
class YearInput:
    """One financial year's figures as entered: full-year amounts."""

    year: int
    savings: Mapping[str, Decimal]
    running_costs: Decimal = ZERO
    achieved: bool = False


@dataclass(frozen=True)
class SetupCostInput:
    kind: str
    year: int
    amount: Decimal


@dataclass(frozen=True)
class PartnerInput:
    name: str
    baseline: Decimal = ZERO
    agreed_share: Decimal | None = None  # percent


@dataclass
class YearResult:
    year: int
    fraction: Decimal
    savings: dict[str, Decimal]
    gross: Decimal
    setup_costs: Decimal
    running_costs: Decimal
    costs: Decimal
    net: Decimal
    cumulative_gross: Decimal
    cumulative_costs: Decimal
    cumulative_net: Decimal
    achieved: bool = False
    entered: bool = True

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def partial(self) -> bool:
        return self.fraction != 1

    @property
    def groups(self) -> dict[str, Decimal]:
        return {
            key: sum((self.savings[kind] for kind in kinds), ZERO)
            for key, _, kinds in SAVING_GROUPS
        }


@dataclass
class PartnerShare:
    name: str
    baseline: Decimal
    share: Decimal  # percent, two places
    gross: Decimal
    costs: Decimal
    net: Decimal


@dataclass
class Results:
    years: list[YearResult]
    gross: Decimal
    setup_costs: Decimal
    running_costs: Decimal
    costs: Decimal
    net: Decimal
    payback_year: int | None
    payback_statement: str
    roi: Decimal | None  # percent, one place
    savings_by_kind: dict[str, Decimal]
    setup_costs_by_kind: dict[str, Decimal]
    groups: list[tuple[str, str, Decimal]]
    shares: list[PartnerShare] = field(default_factory=list)
    share_problem: str = ""
    baseline_total: Decimal = ZERO
    average_annual_gross: Decimal | None = None

    @property
    def payback_label(self) -> str:
        return financial_year_label(self.payback_year) if self.payback_year else ""


def years_compute(
    *,
    years: Sequence[YearInput],
    setup_costs: Iterable[SetupCostInput],
    first_year: int | None = None,
    first_year_months: int = 12,
) -> list[YearResult]:
    """Each financial year from the earliest figure to the latest, with its gross
    savings, costs (set-up + running), net, and running totals. A year between two
    entered years with nothing entered counts as zero."""
    setup_by_year: dict[int, Decimal] = {}
    for cost in setup_costs:
        setup_by_year[cost.year] = setup_by_year.get(cost.year, ZERO) + money_round(cost.amount)
    entered = {y.year: y for y in years}
    all_years = set(entered) | set(setup_by_year)
    if not all_years:
        return []
    start = min(all_years)
    if first_year is not None:
        start = min(start, first_year)
    results: list[YearResult] = []
    cumulative_gross = cumulative_costs = ZERO
    for year in range(start, max(all_years) + 1):
        figures = entered.get(year)
        fraction = (
            year_fraction(months=first_year_months)
            if first_year is not None and year == first_year
            else Decimal(1)
        )
        savings = {
            kind: money_round((figures.savings.get(kind) or ZERO) * fraction) if figures else ZERO
            for kind in SAVING_KINDS
        }
        gross = sum(savings.values(), ZERO)
        running = money_round(figures.running_costs * fraction) if figures else ZERO
        setup = setup_by_year.get(year, ZERO)
        costs = setup + running
        cumulative_gross += gross
        cumulative_costs += costs
        results.append(
            YearResult(
                year=year,
                fraction=fraction,
                savings=savings,
                gross=gross,
                setup_costs=setup,
                running_costs=running,
                costs=costs,
                net=gross - costs,
                cumulative_gross=cumulative_gross,
                cumulative_costs=cumulative_costs,
                cumulative_net=cumulative_gross - cumulative_costs,
                achieved=bool(figures and figures.achieved),
                entered=figures is not None,
            )
        )
    return results


def payback_year(years: Sequence[YearResult]) -> int | None:
    """The first financial year from which cumulative net savings are zero or more and
    stay so to the last year entered; None if they never do (or end below zero).

    "Stay so" matters only when set-up costs fall after savings have begun: a year that
    is briefly ahead before a later cost is not when the costs were paid back.
    """
    found: int | None = None
    for result in years:
        if result.cumulative_net >= 0:
            if found is None:
                found = result.year
        else:
            found = None
    return found


def return_on_investment(*, net: Decimal, costs: Decimal) -> Decimal | None:
    """Cumulative net savings as a percentage of total costs, to one decimal place;
    None when there are no costs."""
    if costs == 0:
        return None
    return (net / costs * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def split(total: Decimal, percents: Sequence[Decimal]) -> list[Decimal]:
    """`total` split by percentages that add up to 100, each part rounded to the penny
    (half up). If rounding leaves the parts a penny or so off the total, the difference
    goes to the largest part (the first of equals), so the parts always add up."""
    parts = [money_round(total * p / HUNDRED) for p in percents]
    if parts:
        difference = money_round(total) - sum(parts, ZERO)
        if difference:
            largest = max(range(len(percents)), key=lambda i: (percents[i], -i))
            parts[largest] += difference
    return parts


def shares_by_baseline(baselines: Sequence[Decimal]) -> list[Decimal]:
    """Each partner's percentage of the combined baseline, to two places, adjusted like
    `split` so that they add up to exactly 100."""
    total = sum(baselines, ZERO)
    if total <= 0:
        raise ValueError("The baselines add up to nothing, so they cannot set the shares.")
    percents = [(b / total * HUNDRED).quantize(PENNY, rounding=ROUND_HALF_UP) for b in baselines]
    difference = HUNDRED - sum(percents, ZERO)
    if difference:
        largest = max(range(len(percents)), key=lambda i: (percents[i], -i))
        percents[largest] += difference
    return percents


def partner_shares(
    *,
    partners: Sequence[PartnerInput],
    method: str,
    gross: Decimal,
    costs: Decimal,
    net: Decimal,
) -> tuple[list[PartnerShare], str]:
    """Each partner's share of the cumulative gross savings, costs and net savings, by
    agreed ratio ("ratio") or by baseline ("baseline"), and a sentence saying why they
    cannot be split when they cannot."""
    if not partners:
        return [], "No partners are entered."
    if method == "baseline":
        try:
            percents = shares_by_baseline([p.baseline for p in partners])
        except ValueError as error:
            return [], str(error)
    else:
        if any(p.agreed_share is None for p in partners):
            return [], "Give every partner an agreed share to split the figures by ratio."
        percents = [money_round(p.agreed_share) for p in partners]
        if sum(percents, ZERO) != HUNDRED:
            return [], (
                f"The agreed shares add up to {sum(percents, ZERO)}%, not 100%, "
                "so the figures are not split."
            )
    gross_parts = split(gross, percents)
    cost_parts = split(costs, percents)
    net_parts = [g - c for g, c in zip(gross_parts, cost_parts, strict=True)]
    return [
        PartnerShare(
            name=p.name,
            baseline=money_round(p.baseline),
            share=percent,
            gross=g,
            costs=c,
            net=n,
        )
        for p, percent, g, c, n in zip(
            partners, percents, gross_parts, cost_parts, net_parts, strict=True
        )
    ], ""


def results_compute(
    *,
    years: Sequence[YearInput],
    setup_costs: Sequence[SetupCostInput],
    partners: Sequence[PartnerInput] = (),
    share_method: str = "baseline",
    first_year: int | None = None,
    first_year_months: int = 12,
) -> Results:
    """Everything the results page, downloads and submission show, from the figures."""
    rows = years_compute(
        years=years,
        setup_costs=setup_costs,
        first_year=first_year,
        first_year_months=first_year_months,
    )
    gross = sum((r.gross for r in rows), ZERO)
    setup = sum((r.setup_costs for r in rows), ZERO)
    running = sum((r.running_costs for r in rows), ZERO)
    costs = setup + running
    net = gross - costs
    found = payback_year(rows)
    if costs == 0:
        statement = NO_COSTS
    elif found is None:
        statement = NO_PAYBACK
    else:
        position = [r.year for r in rows].index(found) + 1
        statement = (
            f"The costs are paid back in {financial_year_label(found)}, "
            f"year {position} of {len(rows)}"
        )
    savings_by_kind = {k: sum((r.savings[k] for r in rows), ZERO) for k in SAVING_KINDS}
    setup_by_kind: dict[str, Decimal] = {}
    for cost in setup_costs:
        setup_by_kind[cost.kind] = setup_by_kind.get(cost.kind, ZERO) + money_round(cost.amount)
    groups = [
        (key, label, sum((savings_by_kind[k] for k in kinds), ZERO))
        for key, label, kinds in SAVING_GROUPS
    ]
    shares, problem = partner_shares(
        partners=partners, method=share_method, gross=gross, costs=costs, net=net
    )
    # Full-year equivalents of the years with savings entered, to compare with the
    # annual figures other partnerships publish.
    entered = [r for r in rows if r.entered and r.gross]
    equivalent_years = sum((r.fraction for r in entered), Decimal(0))
    average = (
        money_round(sum((r.gross for r in entered), ZERO) / equivalent_years) if entered else None
    )
    return Results(
        years=rows,
        gross=gross,
        setup_costs=setup,
        running_costs=running,
        costs=costs,
        net=net,
        payback_year=found if costs else None,
        payback_statement=statement,
        roi=return_on_investment(net=net, costs=costs),
        savings_by_kind=savings_by_kind,
        setup_costs_by_kind=setup_by_kind,
        groups=groups,
        shares=shares,
        share_problem=problem,
        baseline_total=money_round(sum((p.baseline for p in partners), ZERO)),
        average_annual_gross=average,
    )


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value (the mean of the two middle ones for an even count), to the penny."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("No values.")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return money_round(ordered[middle])
    return money_round((ordered[middle - 1] + ordered[middle]) / 2)
