"""The public forms' per-address allowance."""

from django.core.cache import cache

from sharedmap.ratelimit import rate_count, rate_exceeded


def test_an_address_is_stopped_after_its_allowance_and_others_are_not():
    cache.clear()
    for _ in range(3):
        assert not rate_exceeded(scope="test-form", address="192.0.2.1", limit=3)
        rate_count(scope="test-form", address="192.0.2.1")
    assert rate_exceeded(scope="test-form", address="192.0.2.1", limit=3)
    assert not rate_exceeded(scope="test-form", address="192.0.2.2", limit=3)
    assert not rate_exceeded(scope="other-form", address="192.0.2.1", limit=3)
    cache.clear()
