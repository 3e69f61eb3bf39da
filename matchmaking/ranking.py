"""Which councils to suggest as partners for a match-making request, and why.

Every candidate's score is the sum of the weights of its reasons, and staff see each
reason with its weight, so a ranking can always be explained. The weights are chosen so
that the order reads as the LGA's brokers put it: a council also asking for the same
service comes first (its weight is more than all the others together), then a neighbour
(more than every reason below it together), then the rest add up.

The whole ranking costs six queries whatever the number of councils, partnerships or
requests: everything about the candidates is fetched in bulk and joined in Python.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from matchmaking.models import CONSIDERED_TYPES, MatchRequest, Reach
from matchmaking.workflow import INTRODUCIBLE
from partnerships.models import Council, PartnershipCouncil

WEIGHTS: dict[str, int] = {
    "mutual_request": 100,
    "neighbour": 45,
    "shares_service": 15,
    "same_county": 10,
    "compatible_type": 8,
    "same_region": 5,
    "similar_population": 5,
}

REASON_LABELS: dict[str, str] = {
    "mutual_request": "Also asking to share the same service",
    "neighbour": "Neighbouring council (shares a boundary)",
    "shares_service": "Already shares this service with others (experience to join)",
    "same_county": "In the same county",
    "compatible_type": "A kind of council the requester would consider",
    "same_region": "In the same region",
    "similar_population": "Similar population (within half again)",
}

# Populations within this ratio (smaller / larger) count as similar.
SIMILAR_POPULATION_RATIO = 2 / 3


@dataclass
class Reason:
    code: str
    detail: str = ""

    @property
    def weight(self) -> int:
        return WEIGHTS[self.code]

    @property
    def label(self) -> str:
        return REASON_LABELS[self.code]

    def __str__(self) -> str:
        text = f"{self.label} (+{self.weight})"
        return f"{text}: {self.detail}" if self.detail else text


@dataclass
class Candidate:
    council: Council
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(reason.weight for reason in self.reasons)

    def has(self, code: str) -> bool:
        return any(reason.code == code for reason in self.reasons)

    @property
    def reasons_text(self) -> str:
        return "; ".join(str(reason) for reason in self.reasons)


def weights_table() -> list[tuple[str, str, int]]:
    """The weights as (code, label, weight), heaviest first, for staff to read."""
    return sorted(
        ((code, REASON_LABELS[code], weight) for code, weight in WEIGHTS.items()),
        key=lambda row: -row[2],
    )


def _similar_population(a: int | None, b: int | None) -> bool:
    if not a or not b:
        return False
    return min(a, b) / max(a, b) >= SIMILAR_POPULATION_RATIO


def candidates_rank(*, match_request: MatchRequest, limit: int | None = 30) -> list[Candidate]:
    """Current councils within the request's reach, best partners first, each with the
    reasons it was chosen. Councils with no reason at all are left out."""
    home = Council.objects.select_related("county").get(pk=match_request.council_id)
    category_names = {c.pk: c.name for c in match_request.categories.all()}
    category_ids = list(category_names)
    neighbour_ids = set(
        Council.neighbours.through.objects.filter(from_council_id=home.pk).values_list(
            "to_council_id", flat=True
        )
    )

    pool = Q(pk__in=neighbour_ids)
    if match_request.reach in (Reach.COUNTY, Reach.REGION, Reach.ANYWHERE):
        if home.county_id:
            pool |= Q(county_id=home.county_id) | Q(pk=home.county_id)
        pool |= Q(county_id=home.pk)  # a county's own districts
    if match_request.reach in (Reach.REGION, Reach.ANYWHERE) and home.region_id:
        pool |= Q(region_id=home.region_id)
    councils = Council.objects.filter(current=True, council_type__in=CONSIDERED_TYPES).exclude(
        pk=home.pk
    )
    if match_request.reach != Reach.ANYWHERE:
        councils = councils.filter(pool)
    councils = councils.select_related("region", "county").only(
        "pk",
        "gss_code",
        "short_name",
        "official_name",
        "council_type",
        "population",
        "region_id",
        "region__name",
        "county_id",
        "county__short_name",
        "current",
    )

    experience: dict[int, set[str]] = {}
    for council_id, name in (
        PartnershipCouncil.objects.filter(
            partnership__published=True, partnership__categories__in=category_ids
        )
        .values_list("council_id", "partnership__name")
        .distinct()
    ):
        experience.setdefault(council_id, set()).add(name)

    mutual: dict[int, set[str]] = {}
    for council_id, category_id in (
        MatchRequest.objects.filter(status__in=INTRODUCIBLE, categories__in=category_ids)
        .exclude(pk=match_request.pk)
        .exclude(council_id=home.pk)
        .values_list("council_id", "categories")
    ):
        if category_id in category_names:
            mutual.setdefault(council_id, set()).add(category_names[category_id])

    wanted_types = set(match_request.council_types or [])
    candidates = []
    for council in councils:
        reasons = []
        if council.pk in mutual:
            reasons.append(Reason("mutual_request", ", ".join(sorted(mutual[council.pk]))))
        if council.pk in neighbour_ids:
            reasons.append(Reason("neighbour"))
        if council.pk in experience:
            reasons.append(Reason("shares_service", "; ".join(sorted(experience[council.pk]))))
        if home.county_id and (council.county_id == home.county_id or council.pk == home.county_id):
            reasons.append(Reason("same_county", home.county.short_name))
        elif council.county_id == home.pk:
            reasons.append(Reason("same_county", home.short_name))
        if not wanted_types or council.council_type in wanted_types:
            reasons.append(Reason("compatible_type", council.get_council_type_display()))
        if home.region_id and council.region_id == home.region_id:
            reasons.append(Reason("same_region", council.region.name))
        if _similar_population(home.population, council.population):
            reasons.append(Reason("similar_population", f"{council.population:,}"))
        if reasons:
            candidates.append(Candidate(council=council, reasons=reasons))
    candidates.sort(key=lambda c: (-c.score, c.council.short_name))
    return candidates[:limit] if limit else candidates
