"""Reads for the API. Each does its own joins, prefetches and counts, so a call costs
the same number of queries however many councils and partnerships there are; and none
loads a boundary (megabytes of GeoJSON) or a partnership's private contact details."""

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from partnerships.models import (
    STATUSES_NOW,
    Council,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsRecord,
    ServiceCategory,
)
from partnerships.selectors import members_prefetches, without_boundaries
from partnerships.timeline import SHOWN, membership_in, period_for, stand_in_lookup

PRIVATE_PARTNERSHIP_FIELDS = ("contact_name", "contact_email", "contact_phone")


def _published_count(membership_model, owner_field: str) -> Coalesce:
    """How many published partnerships the outer row is a member of, as a subquery (no
    GROUP BY over the outer query's columns)."""
    counts = (
        membership_model.objects.filter(
            **{owner_field: OuterRef("pk")}, partnership__published=True
        )
        .order_by()
        .values(owner_field)
        .annotate(n=Count("partnership", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counts), Value(0))


def _counted_now() -> Coalesce:
    """How many partnerships the outer council counts now, as the map counts them:
    published, running or status not confirmed, present members, former members
    counted for their successors (`partnerships.timeline`)."""
    period = period_for(None)
    counts = (
        PartnershipCouncil.objects.filter(
            membership_in(period),
            partnership__published=True,
            partnership__status__in=STATUSES_NOW,
        )
        .filter(**stand_in_lookup(period), **{f"{SHOWN}council": OuterRef("pk")})
        .order_by()
        .values(f"{SHOWN}council")
        .annotate(n=Count("partnership", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counts), Value(0))


def _council_codes() -> QuerySet[Council]:
    return Council.objects.only("gss_code").order_by("gss_code")


def council_list() -> QuerySet[Council]:
    """Councils, current and former, with their region, county, the bodies that cover
    them, their neighbours' and successors' codes and `published_partnership_count`."""
    covering = ("fire_rescue_authority", "police_force_area", "integrated_care_board")
    covering = (*covering, "combined_authority")
    return (
        without_boundaries(Council.objects.all(), "region", "county", *covering)
        .prefetch_related(
            Prefetch("neighbours", queryset=_council_codes()),
            Prefetch("replaced_by", queryset=_council_codes()),
        )
        .annotate(published_partnership_count=_counted_now())
        .order_by("short_name", "gss_code")
    )


def region_list() -> QuerySet[Region]:
    """Regions without their boundaries, with how many current councils each has."""
    return (
        without_boundaries(Region.objects.all())
        .annotate(council_count=Count("councils", filter=Q(councils__current=True)))
        .order_by("name")
    )


def public_body_list() -> QuerySet[PublicBody]:
    """Public bodies without their boundaries, with `has_boundary` and
    `published_partnership_count`."""
    return (
        without_boundaries(PublicBody.objects.all())
        .annotate(
            has_boundary=ExpressionWrapper(~Q(boundary=""), output_field=BooleanField()),
            published_partnership_count=_published_count(PartnershipPublicBody, "public_body"),
        )
        .order_by("name", "kind")
    )


def category_list() -> QuerySet[ServiceCategory]:
    """Service categories in their display order, with `published_partnership_count`."""
    through = Partnership.categories.through
    counts = (
        through.objects.filter(servicecategory=OuterRef("pk"), partnership__published=True)
        .order_by()
        .values("servicecategory")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ServiceCategory.objects.annotate(
        published_partnership_count=Coalesce(Subquery(counts), Value(0))
    ).order_by("position", "name")


def partnership_list() -> QuerySet[Partnership]:
    """Published partnerships with their categories, members (lead first) and savings
    records, for `PartnershipFilter` to filter and sort."""
    return (
        Partnership.objects.filter(published=True)
        .defer(*PRIVATE_PARTNERSHIP_FIELDS)
        .prefetch_related(
            "categories",
            *members_prefetches(),
            Prefetch("savings_records", queryset=SavingsRecord.objects.defer("note")),
            "savings_years",
        )
    )


def savings_record_list() -> QuerySet[SavingsRecord]:
    """Savings records of published partnerships and of published years' snapshots, by
    partnership then period."""
    return (
        SavingsRecord.objects.filter(
            Q(partnership__published=True) | Q(partnership__snapshot__isnull=False)
        )
        .select_related("partnership")
        .only(
            "start_year",
            "end_year",
            "amount",
            "kind",
            "cashable",
            "recurrence",
            "per_year",
            "origin",
            "origin_detail",
            "evidence",
            "reported_on",
            "wording",
            "source_url",
            "source",
            "partnership__slug",
            "partnership__public_slug",
            "partnership__name",
        )
        .order_by("partnership__name", "start_year", "end_year", "kind")
    )
