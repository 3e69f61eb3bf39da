"""Now and as at a year: the one place that says which partnerships, members and
councils a view counts (STYLE.md, "Time and sources").

- A financial year is stored by the year it starts in (2012 is 2012/13); the map of a
  year uses the council generation in force on 1 April of it.
- **Now** (no year) counts partnerships that are operational or whose status is not
  established, and members that have not left; ended and proposed ones only when the
  status filter asks for them.
- **As at a year** counts partnerships running that year (started by it and not ended
  before it; those with no start year are left out) and members of it that year.
- A member council stands, in a generation, for itself while it exists and for its
  successors once abolished (`CouncilStandIn`, followed through every reorganisation);
  a council created later stands for nobody before it existed.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from partnerships.models import (
    STATUSES_NOW,
    Generation,
    PartnershipStatus,
    financial_year_label,
)

# The first financial year there is a council generation for (April 2009).
FIRST_YEAR = 2009


def current_financial_year(today: date | None = None) -> int:
    """The financial year today falls in, by its start year (April to March)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def year_range_text() -> str:
    return (
        f"There is a map for each financial year from {financial_year_label(FIRST_YEAR)} "
        f"to {financial_year_label(current_financial_year())}."
    )


@dataclass(frozen=True)
class Period:
    """What a view counts: now, or as at a financial year; on which generation."""

    year: int | None
    generation_id: int | None
    generation_code: str = ""

    @property
    def is_now(self) -> bool:
        return self.year is None

    @property
    def counted_year(self) -> int:
        """The financial year whose members count: this one, or the current one."""
        return current_financial_year() if self.year is None else self.year

    @property
    def label(self) -> str:
        return "now" if self.year is None else f"as at {financial_year_label(self.year)}"


def generation_for(year: int | None) -> Generation | None:
    """The generation in force on 1 April of the year (the current one for now)."""
    if year is None:
        return Generation.objects.filter(valid_to__isnull=True).first()
    day = date(year, 4, 1)
    return (
        Generation.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .first()
    )


def period_for(year: int | None) -> Period:
    """The period of a view (one query)."""
    generation = generation_for(year)
    if generation is None:
        return Period(year=year, generation_id=None)
    return Period(year=year, generation_id=generation.pk, generation_code=generation.code)


def partnerships_running(
    queryset: QuerySet, period: Period, *, statuses_asked: bool = False
) -> QuerySet:
    """The partnerships the period counts (see the module docstring). With
    `statuses_asked` the status filter decides which statuses count."""
    if period.is_now:
        return queryset if statuses_asked else queryset.filter(status__in=STATUSES_NOW)
    year = period.year
    running = queryset.filter(start_year__isnull=False, start_year__lte=year).filter(
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )
    if not statuses_asked:
        running = running.exclude(status=PartnershipStatus.PROPOSED)
    return running


def left_out_of_year(queryset: QuerySet, period: Period) -> int:
    """How many of `queryset` a past year leaves out because no start year is known."""
    if period.is_now:
        return 0
    return queryset.filter(start_year__isnull=True).count()


def membership_in(period: Period, prefix: str = "") -> Q:
    """Memberships (`PartnershipCouncil` or `PartnershipPublicBody`, through `prefix`)
    that count in the period: joined by then and not left (now: not left at all)."""
    year = period.counted_year
    joined = Q(**{f"{prefix}joined_year__isnull": True}) | Q(**{f"{prefix}joined_year__lte": year})
    if period.is_now:
        return joined & Q(**{f"{prefix}left_year__isnull": True})
    left = Q(**{f"{prefix}left_year__isnull": True}) | Q(**{f"{prefix}left_year__gte": year})
    return joined & left


def stand_in_lookup(period: Period, prefix: str = "council__") -> dict:
    """Filter arguments that join a membership's council to the council standing for it
    in the period's generation: add `f"{prefix}stand_ins__shown__…"` conditions in the
    same `.filter()` call so that they apply to the same stand-in."""
    return {f"{prefix}stand_ins__generation_id": period.generation_id}


SHOWN = "council__stand_ins__shown__"


@dataclass(frozen=True)
class CountedCouncil:
    """A council a partnership counts in a period, and the member it counts through
    when that is a former council (Forest Heath for West Suffolk now)."""

    gss_code: str
    name: str
    through: str = ""

    @property
    def label(self) -> str:
        return (
            f"{self.name} (through {self.through}, former council)" if self.through else self.name
        )


def counted_councils(partnership_ids, period: Period) -> dict[int, list[CountedCouncil]]:
    """{partnership id: the councils it counts in the period, by name}. One query."""
    from partnerships.models import PartnershipCouncil

    rows = (
        PartnershipCouncil.objects.filter(membership_in(period), partnership_id__in=partnership_ids)
        .filter(**stand_in_lookup(period))
        .values_list(
            "partnership_id",
            f"{SHOWN}council__gss_code",
            f"{SHOWN}name",
            f"{SHOWN}council_id",
            "council_id",
            "council__short_name",
        )
        .order_by(f"{SHOWN}name")
    )
    counted: dict[int, dict[str, CountedCouncil]] = {}
    for pid, gss, name, shown_id, member_id, member_name in rows:
        seen = counted.setdefault(pid, {})
        through = "" if shown_id == member_id else member_name
        # A council counted as itself, or through the first of its predecessors by name.
        if gss not in seen or (seen[gss].through and not through):
            seen[gss] = CountedCouncil(gss, name, through)
    return {pid: list(by_code.values()) for pid, by_code in counted.items()}
