"""Reads for the public pages: each does its own joins, prefetches and aggregation, so a
page costs the same number of queries however many councils and partnerships there are."""

from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.urls import reverse

from partnerships import search
from partnerships.models import (
    Council,
    CouncilType,
    DataLoad,
    GenerationCouncil,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    PublicBodyKind,
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
    order: str = "region",
) -> list[GenerationCouncil]:
    """The councils of the period's generation in region order, each with its region and
    `published_partnership_count`: how many distinct partnerships of `partnerships` (a
    filtered set) it counts in the period, as itself or through the former councils it
    stands for (the map's shading). `narrowed` (any filter set) keeps only councils
    with at least one; `order` is one of `partnerships.forms.COUNCIL_ORDERS`. Two
    queries."""
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
    return order_councils(listed, order)


def order_councils(councils: list[GenerationCouncil], order: str) -> list[GenerationCouncil]:
    """The councils in an order of `partnerships.forms.COUNCIL_ORDERS` ("-" for the other
    way), ties always by name A to Z; councils with no region come after every region (first,
    the other way)."""
    column = order.removeprefix("-")
    keys = {
        "region": lambda c: (c.region is None, c.region.name if c.region else ""),
        "type": lambda c: str(c.get_council_type_display()).casefold(),
        "partnerships": lambda c: c.published_partnership_count,
    }
    by_name = sorted(councils, key=lambda c: c.name.casefold())
    if column == "name":
        return by_name[::-1] if order.startswith("-") else by_name
    # Python's sort is stable, reversed or not: equal keys keep the name order.
    return sorted(by_name, key=keys[column], reverse=order.startswith("-"))


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
    """What the search box suggests for `text` (matched forgivingly, `partnerships.search`):
    councils (current first) by name or GSS code; published partnerships by name, then
    those a matching council, public body or service category is in; public bodies by
    name or code; and service categories. Names that start with the text first; at most
    `limit` of each. Four queries."""
    text = text.strip()[:100]
    words = search.search_words(text)
    if not words and not search.code_in(text):
        return {"councils": [], "partnerships": [], "bodies": [], "categories": []}
    councils = (
        search.councils_matching(text)
        .annotate(starts=Case(When(search.starts_with(words, "short_name"), then=0), default=1))
        .order_by("-current", "starts", "short_name")
        .values("gss_code", "short_name", "council_type", "current")[:limit]
    )
    bodies = search.bodies_matching(text)
    categories = search.categories_matching(text)
    # A partnership found through a member counts it now (not one that has left).
    through = (
        Q(
            Exists(
                PartnershipCouncil.objects.filter(
                    partnership=OuterRef("pk"),
                    left_year__isnull=True,
                    council__in=search.councils_matching(text).values("pk"),
                )
            )
        )
        | Exists(
            PartnershipPublicBody.objects.filter(
                partnership=OuterRef("pk"),
                left_year__isnull=True,
                public_body__in=bodies.values("pk"),
            )
        )
        | Exists(
            Partnership.categories.through.objects.filter(
                partnership=OuterRef("pk"), servicecategory__in=categories.values("pk")
            )
        )
    )
    by_name = search.words_match(words, "name")
    partnerships = (
        Partnership.objects.filter(published=True)
        .filter(by_name | through)
        .annotate(
            rank=Case(
                When(search.starts_with(words, "name"), then=0),
                When(by_name, then=1),
                default=2,
            )
        )
        .order_by("rank", "name")
        .values("slug", "name")[:limit]
    )
    types = dict(CouncilType.choices)
    kinds = dict(PublicBodyKind.choices)
    list_url = reverse("partnerships:partnership-list")
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
        "bodies": [
            {
                "name": b["name"],
                "kind": kinds.get(b["kind"], b["kind"]),
                # A body whose area is a filter lists the partnerships of the councils
                # in its area; any other, the partnerships it is named in.
                "url": f"{list_url}?{urlencode({search.GEOGRAPHY_FILTERS[b['kind']]: b['code']})}"
                if b["kind"] in search.GEOGRAPHY_FILTERS and b["code"]
                else f"{list_url}?{urlencode({'q': b['name']})}",
            }
            for b in bodies.annotate(
                starts=Case(When(search.starts_with(words, "name"), then=0), default=1)
            )
            .order_by("starts", "name")
            .values("name", "kind", "code")[:limit]
        ],
        "categories": [
            {
                "slug": c["slug"],
                "name": c["name"],
                "url": f"{list_url}?{urlencode({'category': c['slug']})}",
            }
            for c in categories.order_by("position", "name").values("slug", "name")[:limit]
        ],
    }
