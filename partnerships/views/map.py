"""The public map: the page, the councils' GeoJSON layers and the side panel."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from partnerships import map_layers
from sharedmap.http import conditional_compressed

# Zoom level from which the map asks for detailed boundaries of the visible area.
DETAIL_ZOOM = 9
# South-west and north-east corners of England (Isles of Scilly to Berwick and Lowestoft).
ENGLAND_BOUNDS = [[49.88, -6.45], [55.82, 1.77]]


@require_safe
def map_page(request):
    leaflet = settings.LEAFLET_CONFIG
    config = {
        "layerUrl": reverse("partnerships:map-councils-layer"),
        "layers": {"districts": "District-level councils", "counties": "County councils"},
        "detailZoom": DETAIL_ZOOM,
        "bounds": ENGLAND_BOUNDS,
        "minZoom": leaflet["MIN_ZOOM"],
        "maxZoom": leaflet["MAX_ZOOM"],
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "boundaryColour": map_layers.BOUNDARY_COLOUR,
        "classes": map_layers.COUNT_CLASSES,
    }
    return render(
        request,
        "partnerships/map.html",
        {
            "summary": map_layers.map_summary(),
            "classes": map_layers.COUNT_CLASSES,
            "map_config": config,
        },
    )


@dataclass(frozen=True)
class LayerRequest:
    layer: str
    detail: str
    bbox: tuple[float, float, float, float] | None
    partnership: str | None

    @classmethod
    def from_query(cls, query) -> "LayerRequest":
        """Read and check the query string; ValueError if any part is not understood."""
        layer = query.get("layer", "districts")
        detail = query.get("detail", "low")
        if layer not in map_layers.LAYERS or detail not in map_layers.DETAILS:
            raise ValueError("unknown layer or detail")
        bbox = None
        if query.get("bbox"):
            west, south, east, north = (float(part) for part in query["bbox"].split(","))
            if not (west <= east and south <= north):
                raise ValueError("bbox must be west,south,east,north")
            bbox = (west, south, east, north)
        return cls(layer, detail, bbox, query.get("partnership") or None)


def _layer_etag(request) -> str | None:
    try:
        layer_request = LayerRequest.from_query(request.GET)
    except ValueError:
        return None
    key = f"{map_layers.map_data_version()}:{layer_request}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


# Five minutes fresh, then revalidated cheaply with the ETag (one query, no body).
@require_safe
@conditional_compressed(etag_func=_layer_etag, max_age=300)
def councils_layer(request):
    try:
        layer_request = LayerRequest.from_query(request.GET)
    except ValueError:
        return HttpResponseBadRequest(
            "Use layer=districts|counties, detail=low|high and bbox=west,south,east,north."
        )
    member_codes = None
    if layer_request.partnership:
        member_codes = map_layers.partnership_member_codes(slug=layer_request.partnership)
        if member_codes is None:
            raise Http404("No published partnership has that slug.")
    body = map_layers.councils_layer_geojson(
        version=map_layers.map_data_version(),
        layer=layer_request.layer,
        detail=layer_request.detail,
        bbox=layer_request.bbox,
        member_codes=member_codes,
    )
    return HttpResponse(body, content_type="application/geo+json")


@require_safe
@vary_on_headers("X-Requested-With")
def council_panel(request, gss_code: str):
    """The map's side panel for one council: a fragment when the map's script asks for it,
    a page of its own otherwise (a link opened without JavaScript)."""
    council = map_layers.council_panel_council(gss_code=gss_code)
    if council is None:
        raise Http404("No council has that GSS code.")
    fragment = "X-Requested-With" in request.headers
    template = "partnerships/_council_panel.html" if fragment else "partnerships/council_panel.html"
    return render(request, template, {"council": council, "standalone": not fragment})
