"""The load balancer's health endpoint, `/health/`: can this web process reach what it needs?

The checks are django-health-check's (https://codingjoe.dev/django-health-check/): the
database answers `SELECT 1`, the cache stores and returns one key that expires in five
seconds, and the Celery broker answers a Redis PING, when there is a broker (the
zero-setup default runs tasks eagerly with none, so it checks the database and the cache
only). They run side by side, each within a few seconds, and none reads the site's data,
so a probe costs the same at any size of data.

The library's own view is not used: it answers 500 rather than 503, prints each check's
error text and names hosts (a Redis check's repr carries its host and port). This reply
says only `ok` or `unavailable` per check, 200 when all are ok and 503 otherwise; the
reason for a failure goes to the log (the `health_check` logger), never to the caller.

`HealthMiddleware` answers the path before Django looks at the Host header, because a
load balancer probes each container at its own address (an AWS target group sends the
container's IP as the Host, and cannot be told otherwise): the reply builds no link and
reads no host, so an unlisted Host cannot poison anything, and `ALLOWED_HOSTS` stays the
public names only. Production exempts the path from the HTTPS redirect for the same reason.
"""

import asyncio
import datetime
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from redis.asyncio import Redis as AsyncRedis

HEALTH_PATH = "/health/"
# Each check's budget; the library adds a second for the client's own timeout to report.
CHECK_TIMEOUT = datetime.timedelta(seconds=3)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# The database check is synchronous and runs on a thread. A small pool of the process's
# own, not the event loop's default: the loop waits for its default threads before it
# returns, so a database that hangs (rather than refuses) would hold the reply until the
# connection gave up. With this pool the reply comes at the timeout, and at most this many
# threads wait on a hung database however often the load balancer asks.
CHECK_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health-check")


def _broker_client(url: str) -> Callable[[], AsyncRedis]:
    def client() -> AsyncRedis:
        seconds = CHECK_TIMEOUT.total_seconds()
        return AsyncRedis.from_url(url, socket_connect_timeout=seconds, socket_timeout=seconds)

    return client


def health_checks() -> dict[str, HealthCheck]:
    """The checks that apply to this configuration, by the name the reply gives them."""
    database = Database()
    database.timeout = CHECK_TIMEOUT
    checks: dict[str, HealthCheck] = {
        "database": database,
        "cache": Cache(timeout=CHECK_TIMEOUT),
    }
    broker_url = settings.CELERY_BROKER_URL or ""
    if broker_url.startswith(REDIS_SCHEMES):
        broker = Redis(client_factory=_broker_client(broker_url))
        broker.timeout = CHECK_TIMEOUT
        checks["broker"] = broker
    return checks


async def _results(checks: dict[str, HealthCheck]) -> dict[str, bool]:
    results = await asyncio.gather(*(check.get_result(CHECK_THREADS) for check in checks.values()))
    return {name: result.error is None for name, result in zip(checks, results, strict=True)}


def health_report() -> dict[str, bool]:
    """Whether each check that applies here passed (True) or failed (False)."""
    return async_to_sync(_results)(health_checks())


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """200 with `ok` per check when all pass, 503 naming the failed ones `unavailable`."""
    report = health_report()
    healthy = all(report.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "unavailable" for name, ok in report.items()},
        },
        status=200 if healthy else 503,
    )


class HealthMiddleware:
    """Answers `/health/` before the host check, the session and CSRF (see above); sits
    after the security headers' middleware, so the reply carries them and the CSP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return health(request)
        return self.get_response(request)
