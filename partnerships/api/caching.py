"""Stored responses for the API: its list pages, its boundaries and its map layers, each
kept as final, compressed bytes by `sharedmap.http` (the site's one stored-bytes cache)
under an ETag that names the map's data version (`partnerships.map_layers
.map_data_version`), which every write that changes what they show renews: a hit or a
revalidation costs one cache read (or none, from the process's own memory) and no query.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.http import HttpResponse, QueryDict
from rest_framework.renderers import JSONRenderer

from partnerships import map_layers
from partnerships.timeline import current_financial_year
from sharedmap.http import conditional_compressed_response

GEOJSON = "application/geo+json"
# Fresh for five minutes, then revalidated with the ETag (a 304 costs no query).
MAX_AGE = 300
# A list page is revalidated on every use (a 304 costs no query), so a figure staff
# publish is in the next answer a reader gets, as it was before pages were stored.
LIST_MAX_AGE = 0
# The formats whose pages are stored: JSON is the same bytes for every reader. The
# browsable API's HTML is not: it carries the reader's CSRF token and, for staff, their
# name, so it is built for each request and never stored or shared.
STORED_FORMATS = ("json",)


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
    response = conditional_compressed_response(
        request._request,
        etag=etag,
        max_age=MAX_AGE,
        build=lambda: HttpResponse(body(), content_type=GEOJSON),
    )
    # Served again from memory by sharedmap.http.StoredResponseMiddleware, throttled.
    response.throttled = True
    return response


def list_query(query: QueryDict, names: Iterable[str]) -> str:
    """The query string a list page is stored under and links to: the parameters the
    list takes (`names`), every value of each, sorted; any other parameter is left out,
    as the list ignores it, so `?b=1&a=2&utm=x` and `?a=2&b=1` are one page."""
    pairs = sorted((name, value) for name in set(names) for value in query.getlist(name))
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query.urlencode()


class StoredListMixin:
    """A viewset whose list pages are stored as rendered, compressed bytes
    (`sharedmap.http.conditional_compressed_response`), per encoding, under an ETag
    made of the data version, the financial year ("now" moves on 1 April), the address
    (scheme, host and path: the page's links are absolute) and `list_query`, and the
    format and JSON indent negotiated. Building a page of fifty partnerships with
    their members costs far more than its queries; the data changes only when staff
    publish, and every such write renews the version (`partnerships.signals`,
    `map_data_changed`).

    `list` runs after DRF's `initial`: the query's parameters are checked (a bad one is
    a 400 before the cache is read) and the throttles counted on every request, a hit
    too. A value only the FilterSet can refuse (a region slug that is no region's) is
    refused when the page is built, and a refusal is never stored, so it is refused
    every time. Only JSON is stored (`STORED_FORMATS`); the browsable API's HTML is
    built for each reader."""

    def list_parameter_names(self) -> list[str]:
        """The parameters that make one list page differ from another."""
        return [parameter.name for parameter in self.query_parameters()]

    def list_url(self) -> str:
        """This page's absolute address with its query normalised (`list_query`), with
        `format` kept if given, so the page's links name the same format."""
        names = [*self.list_parameter_names(), self.settings.URL_FORMAT_OVERRIDE]
        query = list_query(self.request.query_params, [n for n in names if n])
        address = self.request.build_absolute_uri(self.request.path)
        return f"{address}?{query}" if query else address

    def list(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if renderer.format not in STORED_FORMATS:
            return super().list(request, *args, **kwargs)
        indent = renderer.get_indent(request.accepted_media_type, {})
        etag = etag_for(
            "api-list",
            map_layers.map_data_version(),
            current_financial_year(),
            renderer.format,
            indent,
            self.list_url(),
        )
        page = super().list

        def build() -> HttpResponse:
            response = page(request, *args, **kwargs)
            response.accepted_renderer = renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            return response.render()

        response = conditional_compressed_response(
            request._request, etag=etag, max_age=LIST_MAX_AGE, build=build
        )
        # Served again from memory by sharedmap.http.StoredResponseMiddleware, throttled.
        response.throttled = True
        return response
