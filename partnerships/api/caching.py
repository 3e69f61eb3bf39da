"""Conditional GET for the API's heavy, rarely changing responses: boundaries and map
layers. Each carries an ETag derived from the map's data version, which every write
that changes what they show renews (`partnerships.map_layers.map_data_version`): a
revalidation or a cached body costs one cache read and no query.
"""

import hashlib
from collections.abc import Callable

from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer

from partnerships import map_layers
from sharedmap.http import conditional_compressed_response

GEOJSON = "application/geo+json"
# Fresh for five minutes, then revalidated with the ETag (a 304 costs no query).
MAX_AGE = 300


class GeoJSONRenderer(JSONRenderer):
    """Lets clients ask for `application/geo+json`; GeoJSON bodies are sent pre-built."""

    media_type = GEOJSON
    format = "geojson"


def layers_version() -> str:
    """The map's data version: what the council layers and boundaries depend on."""
    return map_layers.map_data_version()


def boundaries_version() -> str:
    """What the regions' and public bodies' boundaries depend on: the same data version,
    which a reference-data load renews too (even one run in another process, see
    `map_data_version`), so no query here."""
    return layers_version()


def etag_for(*parts) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:32]


def conditional_geojson(request, *, etag: str, body: Callable[[], str]) -> HttpResponse:
    """A GeoJSON response with its ETag and Cache-Control, compressed once per ETag and
    then served from the cache, or 304 Not Modified when the client's copy is current
    (`body` is built only when nothing is stored for this ETag)."""
    return conditional_compressed_response(
        request._request,
        etag=etag,
        max_age=MAX_AGE,
        build=lambda: HttpResponse(body(), content_type=GEOJSON),
    )
