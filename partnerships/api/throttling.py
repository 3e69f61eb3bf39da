"""Throttles whose rates are read from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] on each
request, not once at import as DRF's own classes do, so that settings overrides apply."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AnonSustainedThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, per address, over an hour ("anon")."""

    scope = "anon"


class AnonBurstThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, per address, over a minute ("anon_burst")."""

    scope = "anon_burst"


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Signed-in people (staff), per account ("user")."""

    scope = "user"
