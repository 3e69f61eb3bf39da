"""Reads for the public pages: each does its own joins, prefetches and aggregation, so a
page costs the same number of queries however many councils and partnerships there are."""

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from partnerships.models import (
    Council,
    DataLoad,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsKind,
    SavingsRecord,
)

# Orders a visitor can ask for on the partnership list; missing years and savings
# always go last, whichever way the list runs.
PARTNERSHIP_SORTS = {
    "name": (F("name").asc(),),
    "start_year": (F("start_year").asc(nulls_last=True), F("name").asc()),
    "-start_year": (F("start_year").desc(nulls_last=True), F("name").asc()),
    "-savings": (F("achieved_savings").desc(nulls_last=True), F("name").asc()),
    "savings": (F("achieved_savings").asc(nulls_last=True), F("name").asc()),
}


def members_prefetches() -> list[Prefetch]:
    """Member councils (lead first) and member public bodies, each with its row."""
    return [
        Prefetch(
            "council_memberships",
            queryset=PartnershipCouncil.objects.select_related("council").order_by(
                "-is_lead", "council__short_name"
            ),
        ),
        Prefetch(
            "body_memberships",
            queryset=PartnershipPublicBody.objects.select_related("public_body").order_by(
                "-is_lead", "public_body__name"
            ),
        ),
    ]


def partnership_list(
    *,
    category_slug: str | None = None,
    region: Region | None = None,
    council_gss_code: str | None = None,
    sort: str = "name",
) -> QuerySet[Partnership]:
    """Published partnerships, optionally of one service category, with a member in one
    region, or with one council as a member; each annotated with `achieved_savings`.

    The filters go through `pk__in` subqueries rather than joins, so that a partnership
    with several members in a region is neither listed twice nor has its savings summed
    twice.
    """
    partnerships = Partnership.objects.filter(published=True)
    if category_slug:
        partnerships = partnerships.filter(
            pk__in=Partnership.objects.filter(categories__slug=category_slug).values("pk")
        )
    if region is not None:
        partnerships = partnerships.filter(
            pk__in=PartnershipCouncil.objects.filter(council__region=region).values(
                "partnership_id"
            )
        )
    if council_gss_code:
        partnerships = partnerships.filter(
            pk__in=PartnershipCouncil.objects.filter(council__gss_code=council_gss_code).values(
                "partnership_id"
            )
        )
    return (
        partnerships.annotate(
            achieved_savings=Sum(
                "savings_records__amount",
                filter=Q(savings_records__kind=SavingsKind.ACHIEVED),
            )
        )
        .prefetch_related("categories", *members_prefetches())
        .order_by(*PARTNERSHIP_SORTS.get(sort, PARTNERSHIP_SORTS["name"]))
    )


def partnership_get_published(*, slug: str) -> Partnership | None:
    """One published partnership with everything its page shows (members, public bodies,
    categories, savings records), or None if there is none by that slug."""
    return (
        Partnership.objects.filter(published=True, slug=slug)
        .prefetch_related(
            "categories",
            "public_bodies",
            "savings_records",
            *members_prefetches(),
        )
        .first()
    )


def council_list(
    *, region: Region | None = None, council_type: str | None = None
) -> QuerySet[Council]:
    """Current councils in region order, each with its region and
    `published_partnership_count`."""
    councils = Council.objects.filter(current=True)
    if region is not None:
        councils = councils.filter(region=region)
    if council_type:
        councils = councils.filter(council_type=council_type)
    return (
        councils.select_related("region")
        .annotate(
            published_partnership_count=Count(
                "memberships",
                filter=Q(memberships__partnership__published=True),
                distinct=True,
            )
        )
        .order_by(F("region__name").asc(nulls_last=True), "short_name")
    )


def council_get(*, gss_code: str) -> Council | None:
    """One council, current or former, with the bodies that cover it, its neighbours,
    predecessors and successors, and its published partnerships (as
    `published_partnerships`, each with categories and members); None if unknown."""
    partnerships = (
        Partnership.objects.filter(published=True)
        .prefetch_related("categories", *members_prefetches())
        .order_by("name")
    )
    return (
        Council.objects.filter(gss_code=gss_code)
        .select_related(
            "region",
            "county",
            "fire_rescue_authority",
            "police_force_area",
            "integrated_care_board",
            "combined_authority",
        )
        .prefetch_related(
            Prefetch("neighbours", queryset=Council.objects.order_by("short_name")),
            Prefetch("replaced_by", queryset=Council.objects.order_by("short_name")),
            Prefetch("predecessors", queryset=Council.objects.order_by("short_name")),
            Prefetch("partnerships", queryset=partnerships, to_attr="published_partnerships"),
        )
        .first()
    )


def reference_data_summary() -> dict:
    """How much is loaded: councils (current and former), regions, public bodies,
    published partnerships and their savings records, and when the data was last loaded."""
    councils = Council.objects.aggregate(
        current_count=Count("pk", filter=Q(current=True)),
        former_count=Count("pk", filter=Q(current=False)),
    )
    partnerships = Partnership.objects.filter(published=True).aggregate(
        published=Count("pk", distinct=True),
        with_savings=Count("pk", filter=Q(savings_records__isnull=False), distinct=True),
    )
    last_load = DataLoad.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    return {
        "current_councils": councils["current_count"],
        "former_councils": councils["former_count"],
        "regions": Region.objects.count(),
        "public_bodies": PublicBody.objects.count(),
        "published_partnerships": partnerships["published"],
        "partnerships_with_savings": partnerships["with_savings"],
        "savings_records": SavingsRecord.objects.filter(partnership__published=True).count(),
        "last_loaded": last_load.finished_at if last_load else None,
    }
