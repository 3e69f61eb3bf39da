"""Throttles whose rates are read from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] on each
request, not once at import as DRF's own classes do, so that settings overrides apply, and
which tell anonymous clients apart by core.ratelimit.client_address: the same address the
forms' allowances and the admin's lockout use, trusting X-Forwarded-For only as far as
TRUSTED_PROXY_COUNT says (DRF's own get_ident believes whatever a client sends when
NUM_PROXIES is unset)."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from core.ratelimit import client_address


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request)


class AnonSustainedThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, per address, over an hour ("anon")."""

    scope = "anon"


class AnonBurstThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, per address, over a minute ("anon_burst")."""

    scope = "anon_burst"


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Signed-in people (staff), per account ("user")."""

    scope = "user"
