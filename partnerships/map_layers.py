"""Reads for the public map: the councils' GeoJSON layers, the side panel and the summary.

The layers are the heaviest responses on the site (about 0.55 MB of light boundaries
and 4.5 MB of detailed ones), so they are built by joining the stored GeoJSON text and
cached under a data version. Only the light shapes are parsed, in C by GEOS, for their
bounds and to drop specks; the detailed ones pass through as stored.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass

import shapely
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from shapely.geometry import MultiPolygon, Polygon

from partnerships import timeline
from partnerships.licence import GEOJSON_LICENCE_MEMBERS
from partnerships.models import (
    Council,
    CouncilType,
    DataLoad,
    Generation,
    GenerationCouncil,
    Partnership,
    PartnershipCouncil,
    PublicBody,
    PublicBodyKind,
    Sector,
    ServiceCategory,
)
from partnerships.panel import panel_entries_attach, panel_entry
from partnerships.selectors import members_prefetches, without_boundaries
from partnerships.timeline import SHOWN, Period, membership_in, stand_in_lookup

# Councils that sit above the district level; the default layer shows the rest, which
# together tile England once.
UPPER_TIER_TYPES = (
    CouncilType.COUNTY,
    CouncilType.COMBINED_AUTHORITY,
    CouncilType.STRATEGIC_AUTHORITY,
)
LAYERS = ("districts", "counties")
DETAILS = ("low", "high")

# Shading by number of published partnerships. ColorBrewer's 4-class YlGnBu: sequential,
# safe for colour-blind readers, and every fill has at least 3:1 contrast with the
# near-black boundary lines (WCAG 1.4.11).
BOUNDARY_COLOUR = "#0b0c0c"
COUNT_CLASSES = (
    {"min": 0, "max": 0, "label": "None", "colour": "#ffffcc"},
    {"min": 1, "max": 1, "label": "1", "colour": "#a1dab4"},
    {"min": 2, "max": 3, "label": "2 or 3", "colour": "#41b6c4"},
    {"min": 4, "max": None, "label": "4 or more", "colour": "#225ea8"},
)

_VERSION_KEY = "map-layers:token"
_LOAD_KEY = "map-layers:load"
# How long a process goes before looking again for a reference-data load made in
# another process that could not reach its cache (see `map_data_version`).
_LOAD_RECHECK_SECONDS = 60
# Built layers expire in time, so those of old data versions do not pile up in Redis.
_CACHE_SECONDS = 6 * 60 * 60
# Light boundaries are simplified, so pad their bounds a little before testing a
# detailed shape against the visible box.
_BOUNDS_PADDING = 0.01


def map_data_changed() -> None:
    """Start a new data version, so cached layers, boundaries, bodies, list pages and
    their ETags are dropped. Every write that changes what the map or the API shows
    calls it: the signals (`partnerships.signals`) for saves and deletes, and each
    write that sends none (`partnerships_publish`'s bulk update, the reference-data
    load, a map snapshot, a submission applied) after its commit."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def map_data_changed_on_commit() -> None:
    """`map_data_changed` now, so this transaction's own reads see the change, and
    again after commit, so a layer another request built from the old rows meanwhile
    is dropped too."""
    map_data_changed()
    transaction.on_commit(map_data_changed)


def _last_load() -> int:
    return (
        DataLoad.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def map_data_version() -> str:
    """A short string that changes whenever what the map or the API shows changes: one
    cache read, no query.

    Two parts. A token, made when missing and renewed by `map_data_changed`, which
    every write calls. And the last reference-data load (`DataLoad`), because the
    loader runs as a management command, in a process of its own: with a shared
    cache (Redis) its own `map_data_changed` reaches every process, but with the
    per-process memory cache of development it reaches nobody, and a server started
    before the load would draw the old councils for ever. So each process reads the
    last load when it starts, and again at most once every `_LOAD_RECHECK_SECONDS`
    (one small query a minute, never on the requests in between).
    """
    stored = cache.get_many([_VERSION_KEY, _LOAD_KEY])
    token = stored.get(_VERSION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(_VERSION_KEY, token, timeout=None):
            token = cache.get(_VERSION_KEY) or token
    load = stored.get(_LOAD_KEY)
    if load is None:
        load = _last_load()
        cache.set(_LOAD_KEY, load, timeout=_LOAD_RECHECK_SECONDS)
    return hashlib.sha256(f"{token}:{load}".encode()).hexdigest()[:20]


def map_data_load_recheck_put_off() -> None:
    """Read the last reference-data load now, so `map_data_version` does not look again
    for `_LOAD_RECHECK_SECONDS` (for measuring a request's own queries)."""
    cache.set(_LOAD_KEY, _last_load(), timeout=_LOAD_RECHECK_SECONDS)


@dataclass(frozen=True)
class CouncilFeature:
    """One council's GeoJSON Feature, ready to be joined into a collection. Its text is
    kept in two parts around the number of partnerships, the last property, so that a
    filtered view can put its own count there without parsing anything."""

    gss_code: str
    layer: str
    upper_tier: bool
    bounds: tuple[float, float, float, float]
    head: str
    tail: str

    def text(self, counts: dict[str, int]) -> str:
        return f"{self.head}{counts.get(self.gss_code, 0)}{self.tail}"

    def intersects(self, bbox: tuple[float, float, float, float]) -> bool:
        west, south, east, north = bbox
        w, s, e, n = self.bounds
        return w <= east and e >= west and s <= north and n >= south


# About 0.75 km²: two pixels across at zoom 8, the closest the light shapes are shown.
_SPECK_AREA = 1e-4


def _without_specks(shape) -> str | None:
    """The light shape as GeoJSON without islands and holes too small to see, or None if
    it has none. The county shapes are simplified from the detailed ones, keeping
    hundreds of salt-marsh islands (Essex, Norfolk) that would draw as black smudges
    and triple the layer's size."""
    polygons = list(shape.geoms) if shape.geom_type == "MultiPolygon" else [shape]
    kept = []
    changed = False
    for polygon in polygons:
        if polygon.area < _SPECK_AREA:
            changed = True
            continue
        holes = [ring for ring in polygon.interiors if Polygon(ring).area >= _SPECK_AREA]
        changed = changed or len(holes) != len(polygon.interiors)
        kept.append(Polygon(polygon.exterior, holes))
    if not changed or not kept:
        return None
    return shapely.to_geojson(kept[0] if len(kept) == 1 else MultiPolygon(kept))


def _layer_rows(generation_id: int, detail: str, layer: str) -> QuerySet:
    """One layer's councils of a generation with the geometry the layer draws, and only
    that: the generation's boundary; detailed ones, for the current generation, from the
    council's own detailed boundary where there is one."""
    rows = GenerationCouncil.objects.filter(
        generation_id=generation_id, is_county=layer == "counties"
    ).exclude(boundary="")
    geometry = F("boundary")
    current = Generation.objects.filter(pk=generation_id, valid_to__isnull=True).exists()
    if detail == "high" and current:
        geometry = Coalesce(
            NullIf(F("council__boundary"), Value("")), F("boundary"), output_field=TextField()
        )
    return (
        rows.annotate(geometry=geometry)
        .order_by("name")
        .values_list("council__gss_code", "council__short_name", "council_type", "geometry")
    )


@dataclass(frozen=True)
class CouncilShape:
    """One council of a layer as drawn: what the map names it by, its geometry as
    GeoJSON text and the bounds of that geometry (west, south, east, north)."""

    gss_code: str
    name: str
    council_type: str
    type_name: str
    geometry: str
    bounds: tuple[float, float, float, float]

    def properties(self) -> dict[str, str]:
        return {
            "gss_code": self.gss_code,
            "name": self.name,
            "type": self.council_type,
            "type_name": self.type_name,
        }


def council_shapes(*, generation_id: int, detail: str, layer: str) -> list[CouncilShape]:
    """One layer's councils of a generation, each with the geometry the layer draws (the
    light ones without specks), by name. No counts: the same for every filter."""
    councils = list(_layer_rows(generation_id, detail, layer))
    # Bounds come from the shapes drawn, parsed in C by GEOS in one call.
    shapes = shapely.from_geojson([row[3] for row in councils])
    all_bounds = shapely.bounds(shapes)
    council_types = dict(CouncilType.choices)
    drawn = []
    for (gss, name, council_type, geometry), shape, bounds in zip(
        councils, shapes, all_bounds, strict=True
    ):
        if detail == "low":
            geometry = _without_specks(shape) or geometry
        drawn.append(
            CouncilShape(
                gss_code=gss,
                name=name,
                council_type=council_type,
                type_name=council_types.get(council_type, council_type),
                geometry=geometry,
                bounds=tuple(float(v) for v in bounds),
            )
        )
    return drawn


def _features_build(generation_id: int, detail: str, layer: str) -> list[CouncilFeature]:
    features = []
    for shape in council_shapes(generation_id=generation_id, detail=detail, layer=layer):
        gss, geometry, bounds = shape.gss_code, shape.geometry, shape.bounds
        properties = {
            **shape.properties(),
            "url": reverse("partnerships:council-detail", args=[gss]),
            "panel_url": reverse("partnerships:council-panel", args=[gss]),
        }
        properties_text = json.dumps(properties, separators=(",", ":"))[:-1]
        head = (
            f'{{"type":"Feature","id":{json.dumps(gss)},'
            f'"properties":{properties_text},"partnerships":'
        )
        tail = f'}},"geometry":{geometry}}}'
        w, s, e, n = bounds
        features.append(
            CouncilFeature(
                gss_code=gss,
                layer=layer,
                upper_tier=layer == "counties",
                bounds=(
                    w - _BOUNDS_PADDING,
                    s - _BOUNDS_PADDING,
                    e + _BOUNDS_PADDING,
                    n + _BOUNDS_PADDING,
                ),
                head=head,
                tail=tail,
            )
        )
    return features


def council_features(
    *, period: Period, detail: str, layer: str, version: str
) -> list[CouncilFeature]:
    """One layer's councils of the period's generation, each with a boundary, as
    ready-made Features (cached per data version and generation)."""
    return cache.get_or_set(
        f"map-layers:v3:{version}:{period.generation_code}:features:{layer}:{detail}",
        lambda: _features_build(period.generation_id, detail, layer),
        timeout=_CACHE_SECONDS,
    )


def _collection(features: list[CouncilFeature], counts: dict[str, int]) -> str:
    # The layer is a file the public gets: it carries the licence (partnerships.licence).
    return (
        '{"type":"FeatureCollection",'
        + GEOJSON_LICENCE_MEMBERS
        + ',"features":['
        + ",".join(f.text(counts) for f in features)
        + "]}"
    )


def counts_key(counts: dict[str, int]) -> str:
    """A short fingerprint of a layer's counts, for cache keys and ETags."""
    return hashlib.sha256(json.dumps(sorted(counts.items())).encode()).hexdigest()[:20]


def councils_layer_geojson(
    *,
    version: str,
    period: Period | None = None,
    generation: Generation | None = None,
    counts: dict[str, int] | None = None,
    layer: str = "districts",
    detail: str = "low",
    bbox: tuple[float, float, float, float] | None = None,
    member_codes: set[str] | None = None,
) -> str:
    """A FeatureCollection of a generation's councils (the map of a year draws that
    year's): one layer, or, given `member_codes`, the members of one partnership whatever
    their tier (counties first, so that smaller councils draw on top); optionally only
    those touching `bbox` (west, south, east, north). Each council's `partnerships` is
    its number in `counts` (see `partnership_counts`). Without `period` and `counts`:
    the current generation, counting the partnerships counted now (unfiltered). A
    `generation` instead of a `period` draws that generation's councils."""
    if period is None and generation is not None:
        period = Period(year=None, generation_id=generation.pk, generation_code=generation.code)
    period = period or timeline.period_for(None)
    if counts is None:
        counts = now_counts(period)
    if bbox is None and member_codes is None:
        # The national view. Its finished bytes are kept by the response store
        # (sharedmap.http), so the body itself is not cached here.
        return _collection(
            council_features(period=period, detail=detail, layer=layer, version=version),
            counts,
        )
    if member_codes is not None:
        chosen = [
            f
            for tier in ("counties", "districts")
            for f in council_features(period=period, detail=detail, layer=tier, version=version)
            if f.gss_code in member_codes
        ]
    else:
        chosen = council_features(period=period, detail=detail, layer=layer, version=version)
    if bbox is not None:
        chosen = [f for f in chosen if f.intersects(bbox)]
    return _collection(chosen, counts)


def partnership_counts(*, partnerships: QuerySet[Partnership], period: Period) -> dict[str, int]:
    """How many distinct partnerships of `partnerships` (a filtered set) each council of
    the period's generation counts, through the members it stands for (a successor for
    its predecessors), by the council's GSS code; councils in none are left out. One
    query."""
    if period.generation_id is None:
        return {}
    rows = (
        PartnershipCouncil.objects.filter(
            membership_in(period), partnership__in=partnerships.order_by().values("pk")
        )
        .filter(**stand_in_lookup(period))
        .order_by()
        .values_list(f"{SHOWN}council__gss_code")
        .annotate(n=Count("partnership", distinct=True))
    )
    return dict(rows)


def now_counts(period: Period | None = None) -> dict[str, int]:
    """Each council's count of the published partnerships the period counts, unfiltered
    (now by default)."""
    period = period or timeline.period_for(None)
    return partnership_counts(
        partnerships=timeline.partnerships_running(
            Partnership.objects.filter(published=True), period
        ),
        period=period,
    )


def partnership_member_codes(*, slug: str, period: Period | None = None) -> set[str] | None:
    """GSS codes of the councils of the period's generation that a published partnership
    counts (its members, or the councils standing for them); None if there is no such
    published partnership."""
    if not Partnership.objects.filter(slug=slug, published=True).exists():
        return None
    period = period or timeline.period_for(None)
    counted = timeline.counted_councils(
        Partnership.objects.filter(slug=slug, published=True).values("pk"), period
    )
    return {c.gss_code for councils in counted.values() for c in councils}


def _counted_through(council: Council, period: Period) -> dict[int, str]:
    """{partnership id: the former member it counts through}, for the partnerships
    `council` counts in the period through a predecessor only (Forest Heath for West
    Suffolk now)."""
    rows = (
        PartnershipCouncil.objects.filter(membership_in(period))
        .filter(**stand_in_lookup(period), **{f"{SHOWN}council": council})
        .values_list("partnership_id", "council_id", "council__short_name")
        .order_by("council__short_name")
    )
    through: dict[int, str] = {}
    direct: set[int] = set()
    for pid, member_id, member_name in rows:
        if member_id == council.pk:
            direct.add(pid)
        else:
            through.setdefault(pid, member_name)
    return {pid: name for pid, name in through.items() if pid not in direct}


def council_partnerships(
    *, council: Council, partnerships: QuerySet[Partnership], period: Period
) -> list[Partnership]:
    """The partnerships of `partnerships` (a filtered set) that `council` counts in the
    period, as itself or through a predecessor, each with its categories, members and
    counted savings (`savings_years`), and `through`: the former council it counts
    through, or "". Seven queries."""
    through = _counted_through(council, period)
    counted = PartnershipCouncil.objects.filter(
        membership_in(period), partnership=OuterRef("pk")
    ).filter(**stand_in_lookup(period), **{f"{SHOWN}council": council})
    rows = list(
        partnerships.filter(Exists(counted))
        .prefetch_related("categories", "savings_years", *members_prefetches())
        .order_by("name")
    )
    for partnership in rows:
        partnership.through = through.get(partnership.pk, "")
    return rows


def council_panel_council(
    *,
    gss_code: str,
    partnerships: QuerySet[Partnership] | None = None,
    period: Period | None = None,
) -> Council | None:
    """A council with the partnerships it counts in the period (`published_partnerships`;
    only those in `partnerships`, a filtered set, if given), each with its categories,
    its other member councils (`partner_councils`), the names of all its other members
    (`other_members`), `through` and what the panel says of it (`panel`, see
    `partnerships.panel`), plus the achieved and expected savings totals of those
    partnerships (`achieved_total`, `expected_total`), for the side panel and the
    highlights it drives. Nine queries."""
    if period is None:
        period = timeline.period_for(None)
    if partnerships is None:
        partnerships = timeline.partnerships_running(
            Partnership.objects.filter(published=True), period
        )
    council = without_boundaries(Council.objects.filter(gss_code=gss_code)).first()
    if council is None:
        return None
    council.published_partnerships = council_partnerships(
        council=council, partnerships=partnerships, period=period
    )
    achieved = expected = None
    for partnership in council.published_partnerships:
        partnership.partner_councils = [
            m.council for m in partnership.council_memberships.all() if m.council_id != council.pk
        ]
        partnership.other_members = [str(c) for c in partnership.partner_councils] + [
            m.public_body.name for m in partnership.body_memberships.all()
        ]
        if partnership.achieved_savings_total is not None:
            achieved = (achieved or 0) + partnership.achieved_savings_total
        if partnership.expected_savings_total is not None:
            expected = (expected or 0) + partnership.expected_savings_total
    council.achieved_total = achieved
    council.expected_total = expected
    panel_entries_attach(partnerships=council.published_partnerships, council=council)
    return council


def map_summary(*, partnerships: QuerySet[Partnership], period: Period) -> dict[str, int]:
    """The numbers the map page states in words: councils on each layer of the period's
    generation, how many of them count one of `partnerships` (a filtered set), and how
    many partnerships there are. Three queries."""
    layers = GenerationCouncil.objects.filter(generation_id=period.generation_id).aggregate(
        districts=Count("id", filter=Q(is_county=False)),
        counties=Count("id", filter=Q(is_county=True)),
    )
    sharing = (
        PartnershipCouncil.objects.filter(
            membership_in(period), partnership__in=partnerships.order_by().values("pk")
        )
        .filter(**stand_in_lookup(period))
        .order_by()
        .aggregate(n=Count(f"{SHOWN}council", distinct=True))["n"]
    )
    return {
        "districts": layers["districts"] or 0,
        "counties": layers["counties"] or 0,
        "sharing": sharing or 0,
        "partnerships": partnerships.order_by().count(),
    }


# Colours for the councils a chosen council shares with, by the service category of the
# shared partnership: ColorBrewer's 12-class Paired, in the categories' order. Twelve
# colours cannot tell 22 categories apart, so the colour is only ever a second cue: the
# panel names each partner and category, tooltips name them on the map, and councils
# sharing several kinds of service get a hatched pattern.
CATEGORY_PALETTE = (
    "#a6cee3",
    "#1f78b4",
    "#b2df8a",
    "#33a02c",
    "#fb9a99",
    "#e31a1c",
    "#fdbf6f",
    "#ff7f00",
    "#cab2d6",
    "#6a3d9a",
    "#ffff99",
    "#b15928",
)
# Where a public body in a partnership covers no council's area, it is drawn as a marker.
_COVERING_FIELDS = {
    "fire_rescue_authority_id": "fire_rescue_authority",
    "police_force_area_id": "police_force_area",
    "integrated_care_board_id": "integrated_care_board",
    "combined_authority_id": "combined_authority",
}


def category_colours() -> list[dict[str, str]]:
    """Each service category with its highlight colour, in the categories' order."""
    return [
        {"slug": slug, "name": name, "colour": CATEGORY_PALETTE[index % len(CATEGORY_PALETTE)]}
        for index, (slug, name) in enumerate(
            ServiceCategory.objects.order_by("position", "name").values_list("slug", "name")
        )
    ]


# A public body's outline is light: simplified to about 300 m and given to 4 decimal
# places (about 10 m), which keeps a fire or police area to a few kilobytes.
_OUTLINE_TOLERANCE = 0.003
_OUTLINE_PLACES = 4


def _rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(value, _OUTLINE_PLACES) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def _outline(shape) -> str:
    """A light outline of `shape` and the point to write its name at, as JSON text:
    {"area": GeoJSON geometry, "label": [latitude, longitude]}."""
    shape = shapely.simplify(shapely.make_valid(shape), _OUTLINE_TOLERANCE)
    geometry = json.loads(shapely.to_geojson(shape))
    geometry["coordinates"] = _rounded(geometry["coordinates"])
    point = shapely.point_on_surface(shape)
    label = [round(point.y, _OUTLINE_PLACES), round(point.x, _OUTLINE_PLACES)]
    return json.dumps({"area": geometry, "label": label}, separators=(",", ":"))


def _area_of(codes: list[str]) -> str:
    """The outline of the area the given current councils (GSS codes) cover (the union
    of their light boundaries, computed by GEOS), for a body without a boundary of its
    own."""
    boundaries = Council.objects.filter(gss_code__in=codes).values_list("boundary_low", flat=True)
    shapes = shapely.from_geojson(list(boundaries))
    return _outline(shapely.union_all(shapely.make_valid(shapes)))


def _body_outlines(bodies: list, covering: dict[int, list[str]], version: str) -> dict:
    """{body id: {"area", "label", "area_name"} or None}: each body's own boundary (a
    fire and rescue, police force or integrated care board area), or else the boundary
    of the area it serves (`PublicBody.area`: Hampshire's police force area for its
    constabulary), or else the councils naming it as theirs; None for a body with no
    area (an NHS trust, a housing association). Cached per data version; one query for
    those not cached, and one more for a body drawn from its councils."""
    keys = {body.pk: f"map-layers:{version}:body-outline:v2:{body.pk}" for body in bodies}
    cached = cache.get_many(list(keys.values()))
    outlines = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in outlines]
    if missing:
        rows = PublicBody.objects.filter(pk__in=missing).values_list(
            "pk", "boundary", "area__name", "area__kind", "area__boundary"
        )
        kinds = dict(PublicBodyKind.choices)
        built = {}
        for pk, boundary, area_name, area_kind, area_boundary in rows:
            outline = None
            if boundary:
                outline = {**json.loads(_outline(shapely.from_geojson(boundary))), "area_name": ""}
            elif area_boundary:
                outline = {
                    **json.loads(_outline(shapely.from_geojson(area_boundary))),
                    "area_name": f"{area_name} ({kinds.get(area_kind, area_kind).lower()})",
                }
            elif covering.get(pk):
                outline = {**json.loads(_area_of(covering[pk])), "area_name": ""}
            built[pk] = outline
        cache.set_many({keys[pk]: outline for pk, outline in built.items()}, _CACHE_SECONDS)
        outlines.update(built)
    return outlines


def partnership_highlight(*, slug: str, version: str) -> dict | None:
    """What the map draws for a chosen published partnership: its member councils (by
    GSS code: the map draws them from the layer files it has), and each member public
    body, with the key of its area in `areas` (each a light outline, the point to name it
    at and the names of the bodies it is the area of, see `_body_outlines`) or, where it
    has no area, a point at the centre of the member councils for a labelled marker.
    None if there is no such published partnership.
    Seven queries, eight when an outline is not yet cached (only building one reads
    boundaries)."""
    partnership = (
        Partnership.objects.filter(slug=slug, published=True)
        .prefetch_related("categories", "savings_records", "savings_years", *members_prefetches())
        .first()
    )
    if partnership is None:
        return None
    entry = panel_entry(partnership)
    councils = [m.council for m in partnership.council_memberships.all()]
    bodies = [m.public_body for m in partnership.body_memberships.all()]
    located = [c for c in councils if c.latitude is not None and c.longitude is not None]
    centre = (
        [
            round(sum(c.latitude for c in located) / len(located), 5),
            round(sum(c.longitude for c in located) / len(located), 5),
        ]
        if located
        else None
    )
    body_ids = {body.pk for body in bodies}
    covering: dict[int, list[str]] = {pk: [] for pk in body_ids}
    if body_ids:
        query = Q()
        for field in _COVERING_FIELDS:
            query |= Q(**{f"{field}__in": body_ids})
        rows = (
            Council.objects.filter(query, current=True)
            .exclude(council_type__in=UPPER_TIER_TYPES)
            .exclude(boundary_low="")
            .order_by("gss_code")
            .values_list("gss_code", *_COVERING_FIELDS)
        )
        for gss_code, *body_keys in rows:
            for key in body_keys:
                if key in covering:
                    covering[key].append(gss_code)
    outlines = _body_outlines(bodies, covering, version) if bodies else {}
    sectors = dict(Sector.choices)
    kinds = dict(PublicBodyKind.choices)
    drawn = []
    # Bodies with one area (a constabulary and its commissioner, or a fire service whose
    # area is the police force's) share one outline, named with all their names.
    areas: dict[str, dict] = {}
    for body in bodies:
        outline = outlines.get(body.pk)
        key = ""
        if outline:
            key = ",".join(map(str, outline["label"]))
            area = areas.setdefault(
                key,
                {"key": key, "names": [], "area": outline["area"], "label": outline["label"]},
            )
            area["names"].append(body.name)
        drawn.append(
            {
                "name": body.name,
                "sector": sectors.get(body.sector, body.sector),
                "kind": kinds.get(body.kind, body.kind),
                "covers": covering.get(body.pk, []),
                "area_key": key,
                "area_name": outline["area_name"] if outline else "",
                "marker": None if outline else centre,
            }
        )
    return {
        "slug": partnership.slug,
        "name": partnership.name,
        "url": partnership.get_absolute_url(),
        "status": partnership.status_label,
        "ended": partnership.status == "ended",
        "start_year": partnership.start_year,
        "end_year": partnership.end_year,
        "description": entry.description,
        "savings": entry.savings_json(),
        "categories": [c.name for c in partnership.categories.all()],
        "members": [
            {
                "gss_code": m.council.gss_code,
                "name": str(m.council),
                "lead": m.is_lead,
                "url": m.council.get_absolute_url(),
            }
            for m in partnership.council_memberships.all()
        ],
        "bodies": drawn,
        "areas": list(areas.values()),
    }
