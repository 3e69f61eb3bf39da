"""Reads for the tracker's pages: the tracker with all its rows, and how its savings
compare with those published on the map. Each costs a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from benefits import calculations
from benefits.models import Tracker, TrackerProposal
from core.money import money_round
from core.secret_links import token_digest
from partnerships.models import (
    Council,
    Partnership,
    SavingsKind,
    SavingsYear,
    ServiceCategory,
)
from partnerships.published import facts_prefetch, published_facts
from partnerships.selectors import without_boundaries

# Fewer than this many comparable partnerships with savings figures, and a median and
# range would describe individual councils rather than a pattern.
MIN_COMPARABLE = 3

# Combined population of the member councils.
POPULATION_BANDS = (
    (0, 150_000, "under 150,000"),
    (150_000, 300_000, "150,000 to 300,000"),
    (300_000, 600_000, "300,000 to 600,000"),
    (600_000, 1_200_000, "600,000 to 1.2 million"),
    (1_200_000, None, "1.2 million or more"),
)


def population_band(population: int | None) -> str | None:
    """The band a combined population falls in, or None if it is not known."""
    if not population:
        return None
    for low, high, label in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return label
    return None  # pragma: no cover - the last band is open-ended


def tracker_for_token(*, token: str) -> Tracker | None:
    """The tracker a secure link opens, with everything its pages show, or None for a
    wrong, old or revoked token (the page is then a 404, saying nothing more)."""
    if not token:
        return None
    return (
        Tracker.objects.filter(token_digest=token_digest(token))
        .select_related("category")
        .prefetch_related(
            "partners",
            "setup_costs",
            "years",
            "ratings",
            # Councils' boundaries are large GeoJSON; no tracker page draws them.
            Prefetch(
                "councils",
                queryset=without_boundaries(Council.objects.order_by("short_name")),
            ),
            Prefetch("proposals", queryset=TrackerProposal.objects.select_related("change")),
            Prefetch(
                "partnership",
                queryset=Partnership.objects.prefetch_related(*facts_prefetch()),
            ),
        )
        .first()
    )


def published_partnerships_for_choice() -> QuerySet[Partnership]:
    """Published partnerships, by name, for choosing which one a tracker is for."""
    return Partnership.objects.filter(published=True).only("pk", "name").order_by("name")


@dataclass
class Comparison:
    """Achieved savings per year of similar published partnerships."""

    categories: list[str]
    members: int
    population: int | None
    band: str | None
    similar: int = 0
    count: int = 0
    median: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    rows: list[tuple[str, Decimal]] = field(default_factory=list)
    own_average: Decimal | None = None

    @property
    def enough(self) -> bool:
        return self.count >= MIN_COMPARABLE

    @property
    def statement(self) -> str:
        if not self.categories:
            return "Choose a service for this tracker to compare it with the map."
        if not self.enough:
            return (
                f"There are too few similar published partnerships with achieved savings "
                f"figures to compare with: {self.count} found, and at least "
                f"{MIN_COMPARABLE} are needed."
            )
        return f"Drawn from {self.count} published partnerships with achieved savings figures."


def tracker_comparison(
    *, tracker: Tracker, results: calculations.Results | None = None
) -> Comparison:
    """Median and range of the achieved savings per year of published partnerships in
    the same service category and of similar size: member councils within one of the
    tracker's, or a combined population in the same band. A published figure covering
    several years counts as its average per year. The tracker's own partnership is
    left out. Two queries."""
    if tracker.partnership_id:
        facts = published_facts(tracker.partnership)
        categories, member_councils = list(facts.categories), list(facts.councils)
    else:
        categories = [tracker.category] if tracker.category_id else []
        member_councils = list(tracker.councils.all())
    known = [c.population for c in member_councils if c.population]
    population = sum(known) if known else None
    comparison = Comparison(
        categories=[c.name for c in categories],
        members=len(member_councils),
        population=population,
        band=population_band(population),
        own_average=results.average_annual_gross if results else None,
    )
    if not categories:
        return comparison
    in_category = Partnership.categories.through.objects.filter(
        servicecategory__in=[c.pk for c in categories]
    ).values("partnership_id")
    candidates = (
        Partnership.objects.filter(published=True, pk__in=in_category)
        .exclude(pk=tracker.partnership_id or 0)
        .annotate(
            member_count=Count("council_memberships"),
            population=Sum("council_memberships__council__population"),
        )
        .values_list("pk", "name", "member_count", "population")
    )
    similar = {
        pk: name
        for pk, name, members, people in candidates
        if abs(members - comparison.members) <= 1
        or (comparison.band is not None and population_band(people) == comparison.band)
    }
    comparison.similar = len(similar)
    # The ledger's counted achieved savings, one figure per partnership and year, so
    # overlapping figures are never added up and figures with no period never count.
    ledger = SavingsYear.objects.filter(
        partnership_id__in=list(similar), kind=SavingsKind.ACHIEVED
    ).values_list("partnership_id", "year", "amount")
    totals: dict[int, Decimal] = defaultdict(Decimal)
    years: dict[int, set[int]] = defaultdict(set)
    for pk, year, amount in ledger:
        totals[pk] += amount
        years[pk].add(year)
    per_year = {pk: money_round(totals[pk] / len(years[pk])) for pk in totals}
    comparison.count = len(per_year)
    comparison.rows = sorted(((similar[pk], v) for pk, v in per_year.items()), key=lambda r: r[1])
    if per_year and comparison.enough:
        values = list(per_year.values())
        comparison.median = calculations.median(values)
        comparison.low = min(values)
        comparison.high = max(values)
    return comparison


def categories_for_choice() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.order_by("position", "name")


def councils_by_region() -> list[tuple[str, list[tuple[int, str]]]]:
    """Current councils grouped by region (one query), for choosing a planned
    partnership's members."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, region in (
        Council.objects.filter(current=True)
        .order_by("region__name", "short_name")
        .values_list("pk", "official_name", "region__name")
    ):
        groups[region or "Other"].append((pk, name))
    return sorted(groups.items(), key=lambda g: (g[0] == "Other", g[0]))
