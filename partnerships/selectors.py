"""Reads for the public pages: each does its own joins, prefetches and aggregation, so a
page costs the same number of queries however many councils and partnerships there are."""

from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.urls import reverse

from partnerships.models import (
    Council,
    CouncilType,
    DataLoad,
    GenerationCouncil,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsRecord,
)
from partnerships.page_extensions import partnership_note_annotations, partnership_notes
from partnerships.timeline import SHOWN, Period, membership_in, stand_in_lookup


def boundary_fields(model) -> list[str]:
    """The columns of `model` that hold geometry (GeoJSON text, megabytes in all):
    every field whose name starts with `boundary`."""
    return [f.name for f in model._meta.concrete_fields if f.name.startswith("boundary")]


def without_boundaries(queryset: QuerySet, *related: str) -> QuerySet:
    """`queryset` joined to `related` (select_related paths) with the geometry columns
    of its model and of every related model deferred: what every read that does not
    draw a shape uses, so no list, page, panel or export loads one."""
    deferred = boundary_fields(queryset.model)
    for path in related:
        model = queryset.model
        for name in path.split("__"):
            model = model._meta.get_field(name).related_model
        deferred += [f"{path}__{name}" for name in boundary_fields(model)]
    if related:
        queryset = queryset.select_related(*related)
    return queryset.defer(*deferred)


def members_prefetches(prefix: str = "") -> list[Prefetch]:
    """Member councils (lead first) and member public bodies, each with its row, and no
    boundary of either: the one prefetch of a partnership's members (`prefix` reaches
    the partnership through a relation, `"partnership__"`)."""
    return [
        Prefetch(
            f"{prefix}council_memberships",
            queryset=without_boundaries(PartnershipCouncil.objects.all(), "council").order_by(
                "-is_lead", "council__short_name"
            ),
        ),
        Prefetch(
            f"{prefix}body_memberships",
            queryset=without_boundaries(
                PartnershipPublicBody.objects.all(), "public_body"
            ).order_by("-is_lead", "public_body__name"),
        ),
    ]


def partnership_list(*, partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The (already filtered, see `partnerships.filters.PartnershipFilter`) partnerships
    with what the list shows of each: categories and members. Three queries."""
    return partnerships.prefetch_related("categories", *members_prefetches())


def partnership_get_published(*, slug: str) -> Partnership | None:
    """One published partnership with everything its page shows (members, public bodies,
    categories, savings records), or None if there is none by that slug. The notes
    other apps add to the page (`page_extensions`) are in `page_notes`."""
    partnership = (
        Partnership.objects.filter(published=True, slug=slug)
        .annotate(**partnership_note_annotations())
        .prefetch_related(
            "categories",
            Prefetch("public_bodies", queryset=without_boundaries(PublicBody.objects.all())),
            "savings_records",
            "savings_years",
            *members_prefetches(),
        )
        .first()
    )
    if partnership is not None:
        partnership.page_notes = partnership_notes(partnership)
    return partnership


def council_list(
    *,
    partnerships: QuerySet[Partnership],
    period: Period,
    narrowed: bool = False,
) -> list[GenerationCouncil]:
    """The councils of the period's generation in region order, each with its region and
    `published_partnership_count`: how many distinct partnerships of `partnerships` (a
    filtered set) it counts in the period, as itself or through the former councils it
    stands for (the map's shading). `narrowed` (any filter set) keeps only councils
    with at least one. Two queries."""
    if period.generation_id is None:
        return []
    counts = dict(
        PartnershipCouncil.objects.filter(
            membership_in(period), partnership__in=partnerships.order_by().values("pk")
        )
        .filter(**stand_in_lookup(period))
        .order_by()
        .values_list(f"{SHOWN}id")
        .annotate(n=Count("partnership", distinct=True))
    )
    councils = without_boundaries(
        GenerationCouncil.objects.filter(generation_id=period.generation_id),
        "region",
        "council",
    ).order_by(F("region__name").asc(nulls_last=True), "name")
    if narrowed:
        councils = councils.filter(pk__in=list(counts))
    listed = list(councils)
    for council in listed:
        council.published_partnership_count = counts.get(council.pk, 0)
    return listed


def council_get(*, gss_code: str) -> Council | None:
    """One council, current or former, with the bodies that cover it, its neighbours,
    predecessors and successors (each way), and `latest_boundary`: the boundary of the
    latest generation it is in (a former council draws its own); None if unknown. The
    partnerships it counts come from `map_layers.council_partnerships`."""
    others = without_boundaries(Council.objects.order_by("short_name"))
    council = (
        without_boundaries(
            Council.objects.filter(gss_code=gss_code),
            "region",
            "county",
            "fire_rescue_authority",
            "police_force_area",
            "integrated_care_board",
            "combined_authority",
        )
        .prefetch_related(
            Prefetch("neighbours", queryset=others),
            Prefetch("replaced_by", queryset=others),
            Prefetch("predecessors", queryset=others),
        )
        .annotate(
            latest_boundary=Subquery(
                GenerationCouncil.objects.filter(council=OuterRef("pk"))
                .exclude(boundary="")
                .order_by("-generation__valid_from")
                .values("boundary")[:1]
            )
        )
        .first()
    )
    return council


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


def name_search(*, text: str, limit: int = 10) -> dict[str, list[dict]]:
    """Councils (current first) and published partnerships whose names contain `text`,
    names that start with it first; at most `limit` of each. Two queries."""
    text = text.strip()[:100]
    if not text:
        return {"councils": [], "partnerships": []}
    councils = (
        Council.objects.filter(
            Q(short_name__icontains=text)
            | Q(official_name__icontains=text)
            | Q(alt_names__icontains=text)
        )
        .annotate(
            starts=Case(When(short_name__istartswith=text, then=0), default=1),
        )
        .order_by("-current", "starts", "short_name")
        .values("gss_code", "short_name", "council_type", "current")[:limit]
    )
    partnerships = (
        Partnership.objects.filter(published=True, name__icontains=text)
        .annotate(starts=Case(When(name__istartswith=text, then=0), default=1))
        .order_by("starts", "name")
        .values("slug", "name")[:limit]
    )
    types = dict(CouncilType.choices)
    return {
        "councils": [
            {
                "gss_code": c["gss_code"],
                "name": c["short_name"] if c["current"] else f"{c['short_name']} (former)",
                "type": types.get(c["council_type"], c["council_type"]),
                "current": c["current"],
                "url": reverse("partnerships:council-detail", args=[c["gss_code"]]),
                "panel_url": reverse("partnerships:council-panel", args=[c["gss_code"]]),
            }
            for c in councils
        ],
        "partnerships": [
            {
                "slug": p["slug"],
                "name": p["name"],
                "url": reverse("partnerships:partnership-detail", args=[p["slug"]]),
            }
            for p in partnerships
        ],
    }
