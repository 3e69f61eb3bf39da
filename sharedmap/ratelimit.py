"""A per-address allowance for the public forms (match-making, Expert Programme, the
proposal form): at most `limit` sends an hour, counted in the shared cache. Only forms
that were accepted are counted, so a person correcting slips is never locked out."""

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60 * 60


def client_address(request: HttpRequest) -> str:
    """The address a form came from, as the server saw it (set up the proxy to pass the
    client's own address on, or every visitor behind it shares one allowance)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_key(scope: str, address: str) -> str:
    """The cache key counting `scope` from `address` (tests delete it to start afresh)."""
    return f"rate:{scope}:{address}"


def rate_exceeded(*, scope: str, address: str, limit: int) -> bool:
    """Whether this address has used its allowance of `scope` this hour."""
    return cache.get(rate_key(scope, address), 0) >= limit


def rate_count(*, scope: str, address: str) -> None:
    """Count one accepted send of `scope` from this address."""
    key = rate_key(scope, address)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
