"""Stored responses answered at static-file speed (sharedmap.http.StoredResponseMiddleware):
a repeat of the map's counts, a partnership's highlight or an API page is sent from the
process's memory before the session, CSRF and the view, with the same bytes and headers,
the site's security headers, the API's throttles still counted, and a published change in
the very next answer."""

import gzip
import json

import pytest
from django.conf import settings
from django.test import override_settings

from partnerships.models import Partnership
from partnerships.services import partnerships_publish
from partnerships.views import map as map_views

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

COUNTS = "/map/counts.json?category=legal"
HIGHLIGHT = "/partnerships/orbis/map.json"
API_PAGE = "/api/partnerships/?category=legal"


def get(client, url: str, **headers):
    return client.get(url, HTTP_ACCEPT_ENCODING="gzip", **headers)


def body(response) -> dict:
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return json.loads(content)


@pytest.fixture
def views_never_run(monkeypatch):
    """From now on a view that tries to build or fetch a stored response fails the test."""

    def refused(*args, **kwargs):
        raise AssertionError("the request reached the view")

    monkeypatch.setattr(map_views, "conditional_compressed_response", refused)
    monkeypatch.setattr("partnerships.api.caching.conditional_compressed_response", refused)


@pytest.mark.parametrize("url", [COUNTS, HIGHLIGHT, API_PAGE])
def test_a_repeat_is_sent_from_memory_with_the_same_bytes_and_headers_and_no_query(
    client, url, request, django_assert_num_queries
):
    first = get(client, url, HTTP_ACCEPT="application/json")
    assert first.status_code == 200
    request.getfixturevalue("views_never_run")

    with django_assert_num_queries(0):
        again = get(client, url, HTTP_ACCEPT="application/json")

    assert again.status_code == 200
    assert again.content == first.content
    for header in ("Content-Type", "Content-Encoding", "ETag", "Cache-Control", "Vary"):
        assert again.get(header) == first.get(header)
    # The headers the outer middleware adds are there too, as on a static file.
    assert "Content-Security-Policy" in again
    assert again["X-Content-Type-Options"] == "nosniff"
    assert again["X-Frame-Options"] == "DENY"


def test_a_copy_the_reader_has_is_a_304_from_memory(client):
    first = get(client, COUNTS)
    revalidated = get(client, COUNTS, HTTP_IF_NONE_MATCH=first["ETag"])

    assert revalidated.status_code == 304
    assert revalidated["ETag"] == first["ETag"]
    assert revalidated.content == b""


def test_a_published_change_is_in_the_next_answer(client):
    orbis = Partnership.objects.filter(slug="orbis")
    before = body(get(client, "/api/partnerships/?q=orbis", HTTP_ACCEPT="application/json"))
    assert [p["slug"] for p in before["results"]] == ["orbis"]
    get(client, HIGHLIGHT)

    partnerships_publish(partnerships=orbis, published=False)

    after = body(get(client, "/api/partnerships/?q=orbis", HTTP_ACCEPT="application/json"))
    assert after["results"] == []
    assert get(client, HIGHLIGHT).status_code == 404


def test_the_api_throttles_count_every_answer_from_memory(client):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon_burst": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        statuses = [
            get(client, API_PAGE, HTTP_ACCEPT="application/json").status_code for _ in range(4)
        ]
    assert statuses == [200, 200, 200, 429]


def test_the_browsable_api_is_never_answered_with_the_stored_json(client):
    get(client, API_PAGE, HTTP_ACCEPT="application/json")

    html = client.get(API_PAGE, HTTP_ACCEPT="text/html")

    assert html.status_code == 200
    assert html["Content-Type"].startswith("text/html")


def test_a_request_for_another_host_is_refused_not_answered_from_memory(client):
    get(client, COUNTS)

    refused = get(client, COUNTS, HTTP_HOST="attacker.example")

    assert refused.status_code == 400


def test_a_signed_in_reader_goes_the_full_way(admin_client, monkeypatch):
    get(admin_client, COUNTS)
    reached = []
    original = map_views.conditional_compressed_response

    def counting(*args, **kwargs):
        reached.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(map_views, "conditional_compressed_response", counting)
    assert get(admin_client, COUNTS).status_code == 200
    assert reached


PAGES = ["/", "/partnerships/?category=legal", "/partnerships/orbis/", "/councils/", "/about/data/"]


@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_is_sent_again_from_memory_and_revalidated_on_every_use(
    client, url, django_assert_num_queries
):
    first = get(client, url)
    assert first.status_code == 200
    assert "max-age=0" in first["Cache-Control"]

    with django_assert_num_queries(0):
        again = get(client, url)
        revalidated = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.content == first.content
    assert revalidated.status_code == 304


def test_a_partnership_staff_unpublish_leaves_the_pages_at_once(client):
    assert "Orbis" in gzip.decompress(get(client, "/partnerships/?q=orbis").content).decode()
    assert get(client, "/partnerships/orbis/").status_code == 200

    partnerships_publish(partnerships=Partnership.objects.filter(slug="orbis"), published=False)

    assert (
        "Orbis</a>" not in gzip.decompress(get(client, "/partnerships/?q=orbis").content).decode()
    )
    assert get(client, "/partnerships/orbis/").status_code == 404


def test_htmx_asks_are_answered_by_the_view_with_its_own_headers(client):
    get(client, "/")

    fragment = client.get("/?category=legal", HTTP_HX_REQUEST="true")

    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
