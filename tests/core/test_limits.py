"""Limits that hold: a per-address allowance counted atomically, one idea of the client's
address (never a header the client typed), the API throttle keyed on it, and a lockout on
the admin's sign-in after five wrong passwords."""

import threading
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from core.ratelimit import allowance_return, allowance_take, client_address, rate_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def scope():
    name = f"test-{uuid.uuid4().hex}"
    yield name
    for address in ("198.51.100.7", "198.51.100.8"):
        cache.delete(rate_key(name, address))


def test_twelve_simultaneous_sends_from_one_address_give_exactly_the_limit(scope):
    start = threading.Barrier(12)
    results: list[bool] = []
    lock = threading.Lock()

    def send():
        start.wait()
        allowed = allowance_take(scope=scope, address="198.51.100.7", limit=5)
        with lock:
            results.append(allowed)

    threads = [threading.Thread(target=send) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True] * 5
    # Another address has its own allowance.
    assert allowance_take(scope=scope, address="198.51.100.8", limit=5)


def test_a_send_given_back_can_be_made_again(scope):
    for _ in range(5):
        assert allowance_take(scope=scope, address="198.51.100.7", limit=5)
    assert not allowance_take(scope=scope, address="198.51.100.7", limit=5)
    allowance_return(scope=scope, address="198.51.100.7")  # the refused one
    allowance_return(scope=scope, address="198.51.100.7")  # one the service refused
    assert allowance_take(scope=scope, address="198.51.100.7", limit=5)
    assert not allowance_take(scope=scope, address="198.51.100.7", limit=5)


def _request(remote="203.0.113.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_with_no_trusted_proxy_a_typed_forwarded_header_is_ignored():
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_address(_request(forwarded="1.2.3.4")) == "203.0.113.5"


def test_behind_one_proxy_the_address_it_saw_is_used_not_what_the_client_typed():
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # The client typed "1.2.3.4"; the proxy appended the address it was reached from.
        assert client_address(_request(forwarded="1.2.3.4, 192.0.2.44")) == "192.0.2.44"
        assert client_address(_request(forwarded="192.0.2.44")) == "192.0.2.44"
        # Not an address at all: the connection's own address, never the text.
        assert client_address(_request(forwarded="<script>")) == "203.0.113.5"
        assert client_address(_request(remote="", forwarded="")) == "unknown"


def test_changing_x_forwarded_for_does_not_defeat_the_api_throttle(client):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon_burst": "3/min"}
    cache.clear()
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        codes = [
            client.get("/api/categories/", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}").status_code
            for n in range(5)
        ]
    cache.clear()
    assert codes == [200, 200, 200, 429, 429]


@pytest.fixture
def staff_user():
    cache.clear()
    user = get_user_model().objects.create_user(
        "curator", password="the-Right-password-7", is_staff=True
    )
    yield user
    cache.clear()


def _sign_in(client, password, remote="192.0.2.10", username="curator"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=remote,
    )


def test_five_wrong_passwords_lock_the_admin_sign_in_and_the_page_says_until_when(
    client, staff_user
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "guess").status_code == 200
    locked = _sign_in(client, "guess")
    assert locked.status_code == 429
    # Even the right password is refused now, and the page says when to try again.
    refused = _sign_in(client, "the-Right-password-7")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many failed sign-ins" in page
    assert "You can try again after" in page and "<time datetime=" in page
    assert "_auth_user_id" not in client.session
    # A colleague on another connection is not locked out of the same account.
    other = _sign_in(client, "the-Right-password-7", remote="192.0.2.99")
    assert other.status_code == 302 and other["Location"] == "/admin/"


def test_a_few_slips_then_the_right_password_signs_in(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        _sign_in(client, "slip")
    response = _sign_in(client, "the-Right-password-7")
    assert response.status_code == 302 and response["Location"] == "/admin/"
