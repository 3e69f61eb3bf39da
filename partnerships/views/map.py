"""The public map: the page, the councils' GeoJSON layers, the side panel, what a chosen
partnership draws, and the search-as-you-type that finds councils and partnerships.

Every part reads the same filters from the address (`PartnershipFilter`), so the
shading, the panel, the list, the figures and the downloads describe one set of
partnerships.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from core.parsing import ParseError, bad_request, parse_text
from partnerships import map_layers
from partnerships.filters import PartnershipFilter
from partnerships.layer_files import layer_manifest
from partnerships.timeline import Period, current_financial_year, year_range_text
from sharedmap.http import conditional_compressed, conditional_compressed_response, stored_page

# Zoom level from which the map asks for detailed boundaries of the visible area.
DETAIL_ZOOM = 9
# South-west and north-east corners of England (Isles of Scilly to Berwick and Lowestoft).
ENGLAND_BOUNDS = [[49.88, -6.45], [55.82, 1.77]]
# The filters that narrow the partnerships the map counts (sorting changes nothing).
_COUNTING_FILTERS = tuple(name for name in PartnershipFilter.base_filters if name != "sort")


def view_links(query: str) -> dict[str, str]:
    """The current view elsewhere: map, lists, figures and downloads, each with the same
    filters in its address."""
    suffix = f"?{query}" if query else ""
    return {
        "map": reverse("partnerships:map") + suffix,
        "list": reverse("partnerships:partnership-list") + suffix,
        "councils": reverse("partnerships:council-list") + suffix,
        "figures": reverse("partnerships:figures") + suffix,
        "csv": reverse("partnerships:partnerships-csv") + suffix,
        "xlsx": reverse("partnerships:partnerships-xlsx") + suffix,
        "savings_csv": reverse("partnerships:savings-csv") + suffix,
    }


def _map_choice(request) -> tuple[str, str]:
    """The partnership (`partnership`, a slug) and council (`selected`, a GSS code) the
    address asks the map to show; ParseError, naming the parameter, if either is not one."""
    slug = request.GET.get("partnership", "")
    if len(slug) > 200 or not re.fullmatch(r"[-a-zA-Z0-9_]*", slug):
        raise ParseError("“partnership” in the address is not the short name of a partnership.")
    try:
        code = parse_text(request.GET.get("selected", ""), max_length=20).strip().upper()
    except ParseError as error:
        raise ParseError(f"“selected” in the address is not a council's code: {error}") from None
    return slug, code


@require_safe
@vary_on_headers("HX-Request")
@stored_page
def map_page(request):
    """The map. Asked by htmx (the filters changing under the map's script), only the
    parts that follow the filters, as out-of-band swaps, and a "map:filtered" event
    carrying the filters understood, for the shading to follow."""
    try:
        partnership, selected = _map_choice(request)
    except ParseError as error:
        return bad_request(request, f"The map could not be drawn. {error}")
    filterset = PartnershipFilter.for_page(request.GET)
    query = filterset.query_string()
    leaflet = settings.LEAFLET_CONFIG
    config = {
        "layerUrl": reverse("partnerships:map-councils-layer"),
        # The shapes of the year's councils, as files cached for ever, and the count of
        # partnerships per council for the filters, as small JSON (joined by the script).
        "layerFiles": layer_manifest().urls(filterset.period.generation_code),
        "countsUrl": reverse("partnerships:map-counts"),
        "searchUrl": reverse("partnerships:search"),
        "partnershipUrl": reverse("partnerships:partnership-map", args=["__slug__"]),
        "panelUrl": reverse("partnerships:council-panel", args=["__gss__"]),
        "filterQuery": query,
        "partnership": partnership,
        "council": selected,
        "layers": {"districts": "District-level councils", "counties": "County councils"},
        "detailZoom": DETAIL_ZOOM,
        "bounds": ENGLAND_BOUNDS,
        "minZoom": leaflet["MIN_ZOOM"],
        "maxZoom": leaflet["MAX_ZOOM"],
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "boundaryColour": map_layers.BOUNDARY_COLOUR,
        "classes": map_layers.COUNT_CLASSES,
        "categories": map_layers.category_colours(),
    }
    # A council chosen in the address has its panel drawn on the server, so a shared
    # link shows it even before (or without) the script.
    council = None
    period = filterset.period
    # A year outside the generations is a message beside the field, and no map.
    no_map = period.generation_id is None or (
        filterset.is_bound and "year" in filterset.form.errors
    )
    if request.htmx:
        return _map_filtered(request, filterset=filterset, period=period, no_map=no_map)
    if config["council"] and not no_map:
        council = map_layers.council_panel_council(
            gss_code=config["council"], partnerships=filterset.qs, period=period
        )
    return render(
        request,
        "partnerships/map.html",
        {
            "council": council,
            "no_map": no_map,
            "period": period,
            "year_range": year_range_text(),
            "form": filterset.form,
            "applied_filters": filterset.applied(),
            "summary": None
            if no_map
            else map_layers.map_summary(partnerships=filterset.qs, period=period),
            "classes": map_layers.COUNT_CLASSES,
            "map_config": config,
            "links": view_links(query),
            "filter_query": query,
        },
    )


def _map_filtered(request, *, filterset: PartnershipFilter, period: Period, no_map: bool):
    if no_map:
        # No map for that year: the whole page says so (htmx goes to it).
        return HttpResponseClientRedirect(request.get_full_path())
    query = filterset.query_string()
    response = render(
        request,
        "partnerships/_map_filtered.html",
        {
            "form": filterset.form,
            "applied_filters": filterset.applied(),
            "summary": map_layers.map_summary(partnerships=filterset.qs, period=period),
            "links": view_links(query),
            "filter_query": query,
        },
    )
    return trigger_client_event(
        response,
        "map:filtered",
        {"filterQuery": query, "layerFiles": layer_manifest().urls(period.generation_code)},
        after="swap",
    )


# A longitude or latitude as the map sends it: ASCII digits, a point, no exponent.
_COORDINATE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,12})?")


def _bbox(text: str) -> tuple[float, float, float, float]:
    """west,south,east,north in degrees; ValueError unless it is four such numbers within
    the world, west of east and south of north."""
    parts = text.split(",")
    if len(parts) != 4 or not all(_COORDINATE.fullmatch(part) for part in parts):
        raise ValueError("bbox must be four numbers in degrees: west,south,east,north")
    west, south, east, north = (float(part) for part in parts)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("bbox must be west,south,east,north, within the world")
    return west, south, east, north


def filter_problems(filterset: PartnershipFilter) -> str:
    """The filters that could not be understood and why, in a sentence or two."""
    return " ".join(
        f"{filterset.form.fields[name].label}: {' '.join(errors)}"
        for name, errors in filterset.form.errors.items()
    )


@dataclass(frozen=True)
class LayerRequest:
    layer: str
    detail: str
    bbox: tuple[float, float, float, float] | None
    partnership: str | None
    # The partnership filters in force, as a sorted query string ("" for none).
    filters: str = ""

    @classmethod
    def from_query(cls, query, filterset: PartnershipFilter | None = None) -> "LayerRequest":
        """Read and check the query string; ValueError if any part is not understood.
        Pass the `filterset` of the same query if there is one already."""
        layer = query.get("layer", "districts")
        detail = query.get("detail", "low")
        if layer not in map_layers.LAYERS or detail not in map_layers.DETAILS:
            raise ValueError("unknown layer or detail")
        bbox = None
        if query.get("bbox"):
            bbox = _bbox(query["bbox"])
        filters = ""
        if any(query.get(name) for name in _COUNTING_FILTERS):
            filterset = filterset or PartnershipFilter(query)
            if not filterset.is_valid():
                raise ValueError(filter_problems(filterset))
            filters = "&".join(sorted(filterset.query_string().split("&")))
        return cls(layer, detail, bbox, query.get("partnership") or None, filters)


@dataclass(frozen=True)
class _LayerState:
    request: LayerRequest | None
    counts: dict[str, int] | None
    version: str
    period: Period | None = None
    problem: str = ""


def _layer_state(request) -> _LayerState:
    """The layer asked for, the data version, the generation drawn (the year's) and each
    council's count of the filtered partnerships in the period: worked out once per
    request, for the ETag and the body."""
    if not hasattr(request, "_map_layer_state"):
        filterset = PartnershipFilter(request.GET)
        problem = ""
        try:
            layer_request = LayerRequest.from_query(request.GET, filterset)
        except ValueError as error:
            layer_request, problem = None, str(error)
        period = filterset.period
        counts = None
        if layer_request is not None:
            if period.generation_id is None:
                layer_request, problem = None, year_range_text()
            else:
                counts = map_layers.partnership_counts(partnerships=filterset.qs, period=period)
        request._map_layer_state = _LayerState(
            layer_request,
            counts,
            map_layers.map_data_version(),
            period,
            problem,
        )
    return request._map_layer_state


def _layer_etag(request) -> str:
    """The layer's ETag: the data version, the financial year (what "now" counts) and
    the address, so a revalidation, or a body already stored under it, costs one cache
    read and no query. An address the view refuses is answered, not stored."""
    return hashlib.sha256(
        ":".join(
            (
                "layer",
                map_layers.map_data_version(),
                str(current_financial_year()),
                request.META.get("QUERY_STRING", ""),
            )
        ).encode()
    ).hexdigest()[:32]


# Five minutes fresh, then revalidated cheaply with the ETag (no query, no body).
@require_safe
@conditional_compressed(etag_func=_layer_etag, max_age=300)
def councils_layer(request):
    state = _layer_state(request)
    layer_request, counts = state.request, state.counts
    if layer_request is None:
        return HttpResponseBadRequest(
            f"The map layer could not be drawn: {state.problem.rstrip('.')}. "
            "Use layer=districts|counties, detail=low|high and bbox=west,south,east,north.",
            content_type="text/plain; charset=utf-8",
        )
    member_codes = None
    if layer_request.partnership:
        member_codes = map_layers.partnership_member_codes(
            slug=layer_request.partnership, period=state.period
        )
        if member_codes is None:
            raise Http404("No published partnership has that slug.")
    body = map_layers.councils_layer_geojson(
        version=state.version,
        period=state.period,
        layer=layer_request.layer,
        detail=layer_request.detail,
        bbox=layer_request.bbox,
        member_codes=member_codes,
        counts=counts,
    )
    return HttpResponse(body, content_type="application/geo+json")


# Counts follow every publish; a minute fresh, then asked again (a stored body).
_COUNTS_MAX_AGE = 60


@require_safe
def map_counts(request):
    """How many of the filtered partnerships each council of the year's generation
    counts, as {"version", "generation", "counts": {GSS code: n}} (councils in none left
    out), for the map's script to shade the shapes of the layer files by. Built once per
    data version, financial year and address, then served as stored bytes: a hit costs
    one cache read (the data version) and no query. Filters it cannot understand are a
    400 naming them."""
    version = map_layers.map_data_version()
    etag = hashlib.sha256(
        ":".join(
            (version, str(current_financial_year()), request.META.get("QUERY_STRING", ""))
        ).encode()
    ).hexdigest()[:32]

    def build():
        filterset = PartnershipFilter(request.GET)
        if any(request.GET.get(name) for name in _COUNTING_FILTERS) and not filterset.is_valid():
            return HttpResponseBadRequest(
                f"The counts could not be worked out: {filter_problems(filterset)}",
                content_type="text/plain; charset=utf-8",
            )
        period = filterset.period
        if period.generation_id is None:
            return HttpResponseBadRequest(
                f"The counts could not be worked out: {year_range_text()}",
                content_type="text/plain; charset=utf-8",
            )
        counts = map_layers.partnership_counts(partnerships=filterset.qs, period=period)
        return JsonResponse(
            {
                "version": version,
                "generation": period.generation_code,
                "counts": dict(sorted(counts.items())),
            }
        )

    return conditional_compressed_response(request, etag=etag, build=build, max_age=_COUNTS_MAX_AGE)


# A partnership's highlight follows every publish too.
_HIGHLIGHT_MAX_AGE = 60


@require_safe
def partnership_map(request, slug: str):
    """What the map draws for a chosen partnership, as JSON: its member councils and its
    public-body partners with the areas they cover. Built once per data version and
    partnership, then served as stored bytes (a hit: one cache read, no query)."""
    version = map_layers.map_data_version()
    etag = hashlib.sha256(f"highlight:{version}:{slug}".encode()).hexdigest()[:32]

    def build():
        highlight = map_layers.partnership_highlight(slug=slug, version=version)
        if highlight is None:
            raise Http404("No published partnership has that slug.")
        return JsonResponse(highlight)

    return conditional_compressed_response(
        request, etag=etag, build=build, max_age=_HIGHLIGHT_MAX_AGE
    )
