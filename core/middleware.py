"""Request bodies are bounded before anything reads them, and an address holding a NUL
character is refused before anything looks it up.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds form fields but not the file parts of a
multipart body, which it streams to disk whichever view is asked: a public form would
take a 12 MB upload it never reads. This refuses, from the declared Content-Length,
any body over REQUEST_BODY_MAX_BYTES, and lets only the staff paths that take uploads
(REQUEST_BODY_UPLOAD_PREFIXES, the admin) send up to REQUEST_BODY_UPLOAD_MAX_BYTES.
"""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from core.parsing import bad_request


def _limit_for(path: str) -> int:
    if any(path.startswith(prefix) for prefix in settings.REQUEST_BODY_UPLOAD_PREFIXES):
        return settings.REQUEST_BODY_UPLOAD_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    if not raw:
        return 0
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return None
    return int(raw)


class RequestBodyLimitMiddleware:
    """413 for a body larger than its path allows; 400 for a Content-Length that is not
    a number. Nothing is read or written for a refused request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _declared_length(request)
        if length is None:
            return self._refuse(request, 400, "The request's Content-Length is not a number.")
        limit = _limit_for(request.path_info)
        if length > limit:
            return self._refuse(
                request,
                413,
                f"The request is {length:,} bytes; this address takes at most {limit:,}.",
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
        body = render_to_string(
            "request_refused.html", {"status": status, "message": message}, request=request
        )
        return HttpResponse(body, status=status)


class NulRefusalMiddleware:
    """400, with a page saying why, for an address whose path or query string holds a NUL
    character (sent as %00): PostgreSQL cannot store or compare one, so a lookup with it
    would fail as a server error wherever it reached a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API refuses its own, in JSON naming the parameter (partnerships/api/params.py).
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(query):
            return bad_request(
                request,
                "The address contains a NUL character (%00), which is never part of an "
                "address on this site.",
            )
        return self.get_response(request)
