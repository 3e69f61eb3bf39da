"""The published facts of a partnership, read one way: what a refresh questionnaire
starts from, what the review compares a proposed change with, and what the benefits
tracker takes its members and services from.

`published_facts` reads the relations named in `facts_prefetch`: prefetched by the
caller's selector (no query), or fetched here for a lone partnership (four queries).
"""

from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects

from partnerships.models import Council, Partnership, PublicBody, ServiceCategory
from partnerships.selectors import members_prefetches

# The facts a partnership's own columns hold, each named as its field is.
OWN_FACTS = (
    "name",
    "description",
    "status",
    "start_year",
    "end_year",
    "website",
    "no_savings_reason",
    "no_savings_reason_other",
)


@dataclass(frozen=True)
class SavingsFigure:
    """The latest achieved savings figure the map shows for a partnership."""

    start_year: int | None
    end_year: int | None
    amount: Decimal
    kind: str
    cashable: bool | None
    recurrence: str


@dataclass(frozen=True)
class PublishedFacts:
    """What the public site says of a partnership now. Members come lead first, then by
    name; categories in the site's order."""

    pk: int
    name: str
    description: str
    status: str
    start_year: int | None
    end_year: int | None
    website: str
    categories: tuple[ServiceCategory, ...]
    councils: tuple[Council, ...]
    public_bodies: tuple[PublicBody, ...]
    no_savings_reason: str
    no_savings_reason_other: str
    latest_savings: SavingsFigure | None

    def values(self) -> dict:
        """The facts as JSON values (members and categories as sorted ids, amounts as
        text): what a questionnaire item keeps as `prefilled` and a review compares."""
        latest = self.latest_savings
        return {
            **{name: getattr(self, name) for name in OWN_FACTS},
            "categories": sorted(c.pk for c in self.categories),
            "councils": sorted(c.pk for c in self.councils),
            "public_bodies": sorted(b.pk for b in self.public_bodies),
            "latest_savings": None
            if latest is None
            else {**asdict(latest), "amount": str(latest.amount)},
        }


def facts_prefetch(prefix: str = "") -> list[Prefetch]:
    """The prefetches `published_facts` reads (members without their boundaries);
    `prefix` reaches the partnership through a relation (`"partnership__"`)."""
    return [
        Prefetch(
            f"{prefix}categories", queryset=ServiceCategory.objects.order_by("position", "name")
        ),
        *members_prefetches(prefix),
        f"{prefix}savings_records",
    ]


def published_facts(partnership: Partnership) -> PublishedFacts:
    """The published facts of one partnership (no query when its selector used
    `facts_prefetch`)."""
    prefetch_related_objects([partnership], *facts_prefetch())
    latest = partnership.latest_achieved_record
    return PublishedFacts(
        pk=partnership.pk,
        **{name: getattr(partnership, name) for name in OWN_FACTS},
        categories=tuple(partnership.categories.all()),
        councils=tuple(m.council for m in partnership.council_memberships.all()),
        public_bodies=tuple(m.public_body for m in partnership.body_memberships.all()),
        latest_savings=None
        if latest is None
        else SavingsFigure(**{f.name: getattr(latest, f.name) for f in fields(SavingsFigure)}),
    )
