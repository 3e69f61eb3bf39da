"""Which councils to suggest as partners for a match-making request, and why.

Every candidate's score is the sum of the weights of its reasons, and staff see each
reason with its weight, so a ranking can always be explained. The weights are chosen so
that the order reads as the LGA's brokers put it: a council also asking for the same
service comes first (its weight is more than all the others together), then a neighbour
(more than every reason below it together), then the rest add up.

A reason is a code and its parameters (`Reason`), kept as data on a shortlisted council
(`MatchSuggestion.ranking_reasons`). Two texts are built from it: for staff, each reason
with its weight (`staff_text`: "Neighbouring council (shares a boundary) (+45)"); for
councils, plain words with no points, weights or raw figures (`plain_text`: "A
neighbouring council in the same county (West Sussex) that already shares building
control with other councils.").

Councils the requester already shares every requested service with, in a partnership
running now (`partnerships.timeline`), are not suggested: they are listed apart
(`Ranking.already_sharing`), so staff can see why they are missing.

The whole ranking costs six queries whatever the number of councils, partnerships or
requests: everything about the candidates is fetched in bulk and joined in Python.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q

from matchmaking.models import CONSIDERED_TYPES, MatchRequest, Reach
from matchmaking.workflow import INTRODUCIBLE
from partnerships.models import Council, Partnership, PartnershipCouncil
from partnerships.timeline import Period, membership_in, partnerships_running

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

# "Now" in partnerships.timeline's sense: partnerships running now, members not left.
# Neither needs a council generation, so no query is spent finding one.
NOW = Period(year=None, generation_id=None)


@dataclass
class Reason:
    """One reason a council is suggested: a code of `WEIGHTS` and its parameters
    (names and figures, JSON-ready), from which both texts are written."""

    code: str
    params: dict = field(default_factory=dict)

    @property
    def weight(self) -> int:
        return WEIGHTS[self.code]

    @property
    def label(self) -> str:
        return REASON_LABELS[self.code]

    @property
    def detail(self) -> str:
        """The parameters as staff read them beside the weight."""
        p = self.params
        if self.code == "mutual_request":
            return ", ".join(p.get("services", []))
        if self.code == "shares_service":
            return "; ".join(p.get("partnerships", []))
        if self.code == "same_county":
            return p.get("county", "")
        if self.code == "compatible_type":
            return p.get("council_type", "")
        if self.code == "same_region":
            return p.get("region", "")
        if self.code == "similar_population" and p.get("population"):
            return f"{p['population']:,}"
        return ""

    def __str__(self) -> str:
        text = f"{self.label} (+{self.weight})"
        return f"{text}: {self.detail}" if self.detail else text

    def as_data(self) -> dict:
        return {"code": self.code, "params": self.params}


def reasons_from_data(data) -> list[Reason]:
    """The reasons kept on a suggestion, back as `Reason`s (unknown codes dropped)."""
    return [
        Reason(item["code"], dict(item.get("params") or {}))
        for item in data or []
        if isinstance(item, dict) and item.get("code") in WEIGHTS
    ]


def staff_text(reasons: list[Reason]) -> str:
    """For staff: each reason with its weight and detail."""
    return "; ".join(str(reason) for reason in reasons)


def _service_words(names) -> str:
    """Service names inside a sentence: "Building control" reads "building control";
    an acronym ("ICT services") keeps its capitals."""
    words = [n[:1].lower() + n[1:] if n[1:2].islower() else n for n in names]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def population_words(population: int) -> str:
    """A population as people say it: about 86,000; about 1.1 million."""
    if population >= 1_000_000:
        return f"about {population / 1_000_000:.1f} million"
    step = 1000 if population >= 10_000 else 100
    return f"about {round(population / step) * step:,}"


def plain_text(reasons: list[Reason]) -> str:
    """For councils: why a council is suggested, in plain sentences, with no points,
    weights or raw figures."""
    by_code = {reason.code: reason.params for reason in reasons}
    head = "A neighbouring council" if "neighbour" in by_code else "A council"
    if by_code.get("same_county", {}).get("county"):
        head += f" in the same county ({by_code['same_county']['county']})"
    elif "same_county" in by_code:
        head += " in the same county"
    elif by_code.get("same_region", {}).get("region"):
        head += f" in the same region ({by_code['same_region']['region']})"
    clauses = []
    if "mutual_request" in by_code:
        services = _service_words(by_code["mutual_request"].get("services", []))
        clauses.append(f"is also asking to share {services or 'the same service'}")
    if "shares_service" in by_code:
        services = _service_words(by_code["shares_service"].get("services", []))
        clauses.append(f"already shares {services or 'this service'} with other councils")
    sentences = []
    if clauses:
        sentences.append(f"{head} that {' and '.join(clauses)}.")
    elif head != "A council":
        sentences.append(f"{head}.")
    population = by_code.get("similar_population", {}).get("population")
    if population:
        sentences.append(f"A council of a similar size ({population_words(population)} people).")
    kind = by_code.get("compatible_type", {})
    if kind.get("council_type") and not kind.get("any"):
        sentences.append(f"The kind of council asked for ({kind['council_type'].lower()}).")
    return " ".join(sentences)


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
        """For staff, with the weights."""
        return staff_text(self.reasons)

    @property
    def plain_text(self) -> str:
        """For councils, in plain words."""
        return plain_text(self.reasons)

    @property
    def reasons_data(self) -> list[dict]:
        return [reason.as_data() for reason in self.reasons]


@dataclass
class CurrentPartner:
    """A council the requester already shares requested services with, now."""

    council: Council
    services: list[str]
    partnerships: list[str]
    every_service: bool


@dataclass
class Ranking:
    candidates: list[Candidate]
    already_sharing: list[CurrentPartner]


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
    reasons it was chosen. Councils with no reason at all are left out, and so are those
    the requester already shares every requested service with."""
    return ranking_for(match_request=match_request, limit=limit).candidates


def ranking_for(*, match_request: MatchRequest, limit: int | None = 30) -> Ranking:
    """The candidates (as `candidates_rank`) and, apart, the councils the requester
    already shares requested services with in a partnership running now."""
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

    # Every membership of a published partnership in a requested service, each marked
    # whether it counts now (the partnership running, the member not left).
    running_now = partnerships_running(Partnership.objects.all(), NOW).values("pk")
    rows = (
        PartnershipCouncil.objects.filter(
            partnership__published=True, partnership__categories__in=category_ids
        )
        .annotate(
            now=ExpressionWrapper(
                membership_in(NOW) & Q(partnership__in=running_now), output_field=BooleanField()
            )
        )
        .values_list(
            "council_id", "partnership_id", "partnership__name", "partnership__categories", "now"
        )
        .order_by()
        .distinct()
    )
    memberships: dict[int, list[tuple[int, str, int, bool]]] = {}
    home_now: dict[int, set[int]] = {}  # the requester's partnerships now: their services
    for council_id, partnership_id, name, category_id, now in rows:
        if category_id not in category_names:
            continue
        memberships.setdefault(council_id, []).append((partnership_id, name, category_id, now))
        if council_id == home.pk and now:
            home_now.setdefault(partnership_id, set()).add(category_id)

    # Experience is sharing the service now with councils other than the requester; an
    # ended partnership or a member that left shares nothing "already".
    experience: dict[int, tuple[set[str], set[str]]] = {}  # partnership names, services
    shared_with_home: dict[int, tuple[set[str], set[int]]] = {}
    for council_id, held in memberships.items():
        if council_id == home.pk:
            continue
        for partnership_id, name, category_id, now in held:
            if not now:
                continue
            if partnership_id in home_now:
                names, shared = shared_with_home.setdefault(council_id, (set(), set()))
                names.add(name)
                shared.add(category_id)
            else:
                names, services = experience.setdefault(council_id, (set(), set()))
                names.add(name)
                services.add(category_names[category_id])

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
    already_sharing = []
    for council in councils:
        if council.pk in shared_with_home:
            names, shared = shared_with_home[council.pk]
            partner = CurrentPartner(
                council=council,
                services=sorted(category_names[c] for c in shared),
                partnerships=sorted(names),
                every_service=shared >= set(category_ids),
            )
            already_sharing.append(partner)
            if partner.every_service:
                continue
        reasons = []
        if council.pk in mutual:
            reasons.append(Reason("mutual_request", {"services": sorted(mutual[council.pk])}))
        if council.pk in neighbour_ids:
            reasons.append(Reason("neighbour"))
        if council.pk in experience:
            names, services = experience[council.pk]
            reasons.append(
                Reason(
                    "shares_service", {"partnerships": sorted(names), "services": sorted(services)}
                )
            )
        if home.county_id and (council.county_id == home.county_id or council.pk == home.county_id):
            reasons.append(Reason("same_county", {"county": home.county.short_name}))
        elif council.county_id == home.pk:
            reasons.append(Reason("same_county", {"county": home.short_name}))
        if not wanted_types or council.council_type in wanted_types:
            kind = {"council_type": council.get_council_type_display()}
            reasons.append(Reason("compatible_type", {**kind, "any": not wanted_types}))
        if home.region_id and council.region_id == home.region_id:
            reasons.append(Reason("same_region", {"region": council.region.name}))
        if _similar_population(home.population, council.population):
            reasons.append(Reason("similar_population", {"population": council.population}))
        if reasons:
            candidates.append(Candidate(council=council, reasons=reasons))
    candidates.sort(key=lambda c: (-c.score, c.council.short_name))
    already_sharing.sort(key=lambda p: p.council.short_name)
    return Ranking(
        candidates=candidates[:limit] if limit else candidates, already_sharing=already_sharing
    )
