"""Responses that rarely change (the map layers, the boundaries), compressed once per
version instead of on every request.

GZipMiddleware compresses each response afresh: for the half-megabyte national layer that
was most of the request's time. Here the compressed body is kept in the cache under the
response's ETag, which names its data version, so each version is compressed once and
then served as stored bytes; a new version has a new ETag and so a new entry, and old
entries expire. A client whose copy is current gets a 304 without the body being built
or fetched; one that does not accept gzip gets the plain body.

The bodies are public data with no secrets in them, so the BREACH padding that Django's
GZipMiddleware adds is not needed, and the stored bytes can be shared by every client.
Nothing personal is ever stored here: the API stores JSON only, never the browsable
API's HTML, which carries the reader's CSRF token (`partnerships.api.caching`).

This is the site's one store of response bytes, and it has one invalidation:
- What is stored: (Content-Type, encoding, bytes) of a 200, per encoding, under
  `http-body:` + sha256(path, ETag, encoding), in the shared cache for CACHE_SECONDS and
  in each process's `local_bodies` (LRU, LOCAL_MAX_BYTES). Errors are never stored.
- Who stores: the map's layers (`partnerships.views.map`), the API's list pages,
  boundaries and layers (`partnerships.api.caching`: `StoredListMixin`,
  `conditional_geojson`).
- The keys: every caller's ETag is made from `partnerships.map_layers.map_data_version()`
  (one cache read, no query) with what else the bytes depend on: the financial year,
  the scheme, host and path, the normalised query string, the format (and, for the
  layers, the generation and filters).
- The one invalidation: `map_data_changed()` / `map_data_changed_on_commit()`, which
  every write that changes what the map or the API shows calls (the signals in
  `partnerships.signals`, and the bulk writes that send none). A new version gives
  every ETag a new value, so old entries are never read again and simply expire; nothing
  is deleted, and no process needs telling.
"""

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.module_loading import import_string

try:  # Brotli is used when it is installed, never required.
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

# The encodings offered, best first, with how to make each from the plain bytes.
ENCODERS: dict[str, Callable[[bytes], bytes]] = {}
if brotli is not None:  # pragma: no cover - depends on the environment
    ENCODERS["br"] = lambda body: brotli.compress(body, quality=11)
# mtime=0 so that every process makes the same bytes for the same body.
ENCODERS["gzip"] = lambda body: gzip.compress(body, compresslevel=9, mtime=0)
IDENTITY = "identity"
# Shorter bodies are not worth compressing (GZipMiddleware's own threshold).
MIN_COMPRESS_BYTES = 200
# Stored bodies outlive a few data versions at most, so old ones do not pile up.
CACHE_SECONDS = 6 * 60 * 60
# Each process also keeps the most recently served bodies in its own memory, up to this
# many bytes, so a hit costs no round trip to the shared cache. They are keyed like the
# shared ones, by ETag, so they never go stale.
LOCAL_MAX_BYTES = 32 * 1024 * 1024


class _LocalBodies:
    """A small least-recently-used store of encoded bodies, bounded in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # gunicorn's threads share a process

    def get(self, key: str) -> tuple | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: tuple) -> None:
        size = len(entry[2])
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._size += size
            while self._size > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[2])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


local_bodies = _LocalBodies(LOCAL_MAX_BYTES)
# Finished responses by address, for StoredResponseMiddleware: (status, headers, body,
# throttled, ETag), in each process's memory only.
local_responses = _LocalBodies(LOCAL_MAX_BYTES)


def preferred_encoding(accept_encoding: str) -> str:
    """The best encoding offered here that an Accept-Encoding header accepts, or
    'identity'. Understands q-values (`gzip;q=0` refuses gzip) and `*`."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        if not name:
            continue
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name.lower()] = weight
    for encoding in ENCODERS:
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return IDENTITY


# Headers conditional_compressed_response makes for each answer, not stored.
_MADE_HERE = frozenset(
    ("content-type", "content-length", "content-encoding", "etag", "cache-control", "vary")
)


def _cache_key(path: str, etag: str, encoding: str) -> str:
    digest = hashlib.sha256(f"{path}\n{etag}\n{encoding}".encode()).hexdigest()
    return f"http-body:{digest}"


def _stored_body(request: HttpRequest, *, etag: str, encoding: str, build) -> tuple | HttpResponse:
    """(content type, encoding used, bytes) from the cache, or built, encoded and stored;
    the built response itself if it is not a plain 200 (an error is never stored)."""
    key = _cache_key(request.path, etag, encoding)
    stored = local_bodies.get(key)
    if stored is not None:
        return stored
    stored = cache.get(key)
    if stored is not None:
        local_bodies.set(key, stored)
        return stored
    response = build()
    if (
        response.status_code != 200
        or response.streaming
        or response.has_header("Content-Encoding")
        or response.cookies  # a cookie (a CSRF token) is one reader's, never shared
    ):
        return response
    body = response.content
    used = IDENTITY
    if encoding != IDENTITY and len(body) >= MIN_COMPRESS_BYTES:
        encoded = ENCODERS[encoding](body)
        if len(encoded) < len(body):
            body, used = encoded, encoding
    # What else the view said (a Link to preload, an Allow) goes with the bytes; the
    # headers made here, and Vary, are made again for each answer.
    extra = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _MADE_HERE
    )
    vary = response.get("Vary", "")
    stored = (response["Content-Type"], used, body, extra, vary)
    cache.set(key, stored, timeout=CACHE_SECONDS)
    local_bodies.set(key, stored)
    return stored


def conditional_compressed_response(
    request: HttpRequest,
    *,
    etag: str,
    build: Callable[[], HttpResponse],
    max_age: int,
) -> HttpResponse:
    """The response `build` makes, for a resource whose current version `etag` names:
    304 if the client's copy is current, else the stored body in the best encoding the
    client accepts, with Content-Encoding, Content-Length, ETag, Cache-Control (public,
    `max_age` seconds) and Vary: Accept-Encoding. `build` runs only when nothing is stored
    for this path, ETag and encoding; a response it makes other than a 200 is returned
    as it is, and not stored."""
    quoted = quote_etag(etag)
    encoding = preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    # Compressed bytes differ from the plain ones, so their tag is weak (as nginx and
    # GZipMiddleware make it); If-None-Match compares weakly, so either one revalidates.
    response = get_conditional_response(request, etag=quoted)
    if response is None:
        stored = _stored_body(request, etag=quoted, encoding=encoding, build=build)
        if isinstance(stored, HttpResponse):
            return stored
        content_type, encoding, body, extra, vary = (*stored, (), "")[:5]
        response = HttpResponse(body, content_type=content_type)
        for name, value in extra:
            response[name] = value
        if vary:
            patch_vary_headers(response, [v.strip() for v in vary.split(",") if v.strip()])
        if encoding != IDENTITY:
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(body))
        # The same bytes for everyone who asks at this address until the data changes.
        response.stored_by_address = True
    if response.status_code in (200, 304):
        response["ETag"] = quoted if encoding == IDENTITY else f"W/{quoted}"
        patch_cache_control(response, public=True, max_age=max_age)
        patch_vary_headers(response, ["Accept-Encoding"])
    return response


def conditional_compressed(*, etag_func: Callable[..., str | None], max_age: int):
    """A view decorator: `conditional_compressed_response` around the view, with the ETag
    from `etag_func(request, *args, **kwargs)`. When that gives None (a request the view
    will refuse), the view answers as it is, uncached."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            etag = (
                etag_func(request, *args, **kwargs) if request.method in ("GET", "HEAD") else None
            )
            if etag is None:
                return view(request, *args, **kwargs)
            return conditional_compressed_response(
                request,
                etag=etag,
                max_age=max_age,
                build=lambda: view(request, *args, **kwargs),
            )

        return wrapped

    return decorator


class StoredResponseMiddleware:
    """Answers a request for a stored response from this process's memory, at the point
    in the stack where WhiteNoise serves static files (after the security, CSP and
    permissions headers, before the session, CSRF, authentication and the view), so a
    hit costs what a static file costs: the data version (one cache read), a dictionary
    look-up and, for the API, its throttles.

    A response is kept here when `conditional_compressed_response` served it as stored
    bytes (`stored_by_address`), keyed by everything the bytes can depend on: the data
    version and financial year (`STORED_RESPONSES_VERSION`), scheme, host, path, the
    query string as sent, Accept, HX-Request and the encoding chosen. So the one invalidation (a
    new data version) covers these too. Only anonymous GET requests are answered (a
    signed-in person's session is left to the full stack); a request the API's
    throttles refuse goes the full way, to be refused there."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.versions = [import_string(name) for name in settings.STORED_RESPONSES_VERSION]
        # Paths answered with stored bytes so far (a few dozen kinds of address).
        self.stored_paths: set[str] = set()

    def _address(self, request: HttpRequest) -> str | None:
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            # Only a path something was stored at is worth the data version's read.
            or request.path not in self.stored_paths
        ):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # refused by the full stack
        parts = (
            *(str(version()) for version in self.versions),
            request.scheme,
            host,
            request.path,
            request.META.get("QUERY_STRING", ""),
            request.META.get("HTTP_ACCEPT", ""),
            request.META.get("HTTP_HX_REQUEST", ""),
            preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", "")),
        )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = self._address(request)
        if address is not None:
            stored = local_responses.get(address)
            if stored is not None and (not stored[3] or _throttles_allow(request)):
                status, headers, body, _throttled, etag = stored
                response = get_conditional_response(request, etag=etag)
                if response is None:
                    response = HttpResponse(body, status=status)
                    for name, value in headers:
                        response[name] = value
                else:
                    for name, value in headers:
                        if name.lower() in ("etag", "cache-control", "vary"):
                            response[name] = value
                return response
        response = self.get_response(request)
        if getattr(response, "stored_by_address", False) and request.path not in self.stored_paths:
            if len(self.stored_paths) < 100_000:
                self.stored_paths.add(request.path)
            address = self._address(request)
        if (
            address is not None
            and response.status_code == 200
            and getattr(response, "stored_by_address", False)
            and not response.streaming
            and not response.cookies
        ):
            local_responses.set(
                address,
                (
                    response.status_code,
                    list(response.items()),
                    response.content,
                    getattr(response, "throttled", False),
                    response.get("ETag", "").removeprefix("W/"),
                ),
            )
        return response


def _throttles_allow(request: HttpRequest) -> bool:
    """Whether the API's throttles let this anonymous request through; each counts it,
    as they would in the full stack."""
    from rest_framework.settings import api_settings  # noqa: PLC0415

    anonymous = SimpleNamespace(user=AnonymousUser(), META=request.META)
    return all(
        throttle().allow_request(anonymous, None)
        for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
    )


def _versions() -> list[str]:
    return [str(import_string(name)()) for name in settings.STORED_RESPONSES_VERSION]


def stored_page(view):
    """A public page kept as finished, compressed bytes (`conditional_compressed_response`)
    per data version, financial year and address (htmx's requests are built afresh),
    and revalidated on every use (max-age 0: a 304 costs no query), so a repeat costs
    what a static file costs and a published change is in the next answer. For pages
    that are the same for every reader: no CSRF token, nothing of the reader's (a
    response with a cookie is never stored); a signed-in person's request is built
    afresh."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_HX_REQUEST" in request.META  # htmx's answers carry its own headers
        ):
            return view(request, *args, **kwargs)
        etag = hashlib.sha256(
            "\n".join((*_versions(), request.get_full_path())).encode()
        ).hexdigest()[:32]
        return conditional_compressed_response(
            request, etag=etag, max_age=0, build=lambda: view(request, *args, **kwargs)
        )

    return wrapped
