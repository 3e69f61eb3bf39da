"""The client's address, and a per-address allowance for the public forms.

`client_address` is the one answer to "who sent this request": the forms' allowances, the
API's throttles (partnerships/api/throttling.py) and the admin's login lockout
(django-axes) all use it. It trusts `X-Forwarded-For` only as far as the operator says
there are proxies in front of the site (`TRUSTED_PROXY_COUNT`, 0 by default): a header a
client typed itself never picks the address.

An allowance is counted in the shared cache with one atomic operation per send
(`allowance_take`), so simultaneous sends cannot all slip in under the limit. A form is
checked first and its allowance taken just before the write; a send the service then
refuses is given back (`allowance_return`), so a person correcting slips is never locked
out.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60 * 60


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None when there is no valid one.

    With `TRUSTED_PROXY_COUNT` = N > 0, the Nth address from the right of
    `X-Forwarded-For`: each trusted proxy appends the address it was reached from, so
    everything left of that was written by the client. A header with fewer addresses than
    proxies gives its leftmost (the first proxy's view, as DRF's NUM_PROXIES does); a
    value that is not an IP address falls back to `REMOTE_ADDR`.
    """
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if not forwarded:
        return remote
    return _ip(forwarded[-min(proxies, len(forwarded))]) or remote


def client_address(request: HttpRequest) -> str:
    """`client_ip` as a key for counting: "unknown" when there is none."""
    return client_ip(request) or "unknown"


def rate_key(scope: str, address: str) -> str:
    """The cache key counting `scope` from `address` (tests delete it to start afresh)."""
    return f"rate:{scope}:{address}"


def allowance_take(*, scope: str, address: str, limit: int) -> bool:
    """Count one send of `scope` from `address` and say whether it is within `limit` an
    hour. The count is one atomic increment (Redis INCR, or the local cache's lock), so of
    any number of simultaneous sends exactly `limit` are allowed."""
    key = rate_key(scope, address)
    for _ in range(3):
        cache.add(key, 0, WINDOW_SECONDS)  # starts the hour; a no-op if it has started
        try:
            return cache.incr(key) <= limit
        except ValueError:  # the hour ended between add and incr: start a new one
            continue
    return False


def allowance_return(*, scope: str, address: str) -> None:
    """Give back a send taken by `allowance_take` that was not made after all."""
    try:
        if cache.decr(rate_key(scope, address)) < 0:
            cache.delete(rate_key(scope, address))
    except ValueError:  # the hour has ended: nothing left to give back
        pass


def allowance_refused(request: HttpRequest, form, *, scope: str, limit: int, message: str) -> bool:
    """Take one send of `scope` from the client's allowance (`allowance_take`), or, when
    it is used up, put `message` at the top of the form, which keeps what was typed, and
    say so (the view then answers 429)."""
    if allowance_take(scope=scope, address=client_address(request), limit=limit):
        return False
    form.add_error(None, message)
    return True
