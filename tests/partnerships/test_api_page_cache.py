"""The API's list pages as a script, a data journalist or a proxy receives them: stored
as their final, compressed bytes, so a repeat costs no query and sends the same bytes;
revalidated with their ETag; new as soon as staff publish a change; still throttled;
and the browsable API's HTML, which carries each reader's CSRF token, never stored."""

import gzip
import json

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from partnerships.models import Partnership
from partnerships.services import partnerships_publish

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

ORBIS = "orbis"
LISTS = [
    "/api/partnerships/",
    "/api/partnerships/?category=legal&region=south-east",
    "/api/partnerships/?q=orbis&page_size=5",
    "/api/savings/?kind=achieved",
    "/api/councils/?region=south-east",
    "/api/public-bodies/",
    "/api/categories/",
    "/api/regions/",
]


@pytest.fixture
def api():
    return APIClient()


def gzipped_json(api, url: str, **headers):
    response = api.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT="application/json", **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response


def body(response) -> bytes:
    """The bytes a client reads, after undoing gzip (a page under 200 bytes is sent
    plain, as GZipMiddleware would)."""
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    assert len(response.content) < 200
    return response.content


def results(response) -> list[dict]:
    return json.loads(body(response))["results"]


@pytest.mark.parametrize("url", LISTS)
def test_a_repeated_list_page_costs_no_query_and_is_the_same_bytes(
    api, url, django_assert_num_queries
):
    first = gzipped_json(api, url)
    assert first["Content-Encoding"] == "gzip"
    with django_assert_num_queries(0):
        again = gzipped_json(api, url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert int(again["Content-Length"]) == len(again.content)
    # A proxy keeps JSON and HTML, gzip and plain apart, and asks again before reuse.
    assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in again["Vary"].split(",")}
    assert "max-age=0" in again["Cache-Control"]
    with django_assert_num_queries(0):
        current = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT="application/json")
    assert current.status_code == 304 and current.content == b""
    # A client without gzip gets the same page, plain.
    plain = api.get(url, HTTP_ACCEPT="application/json")
    assert "Content-Encoding" not in plain
    assert plain.content == gzip.decompress(first.content)


def test_the_same_query_in_another_order_is_the_same_stored_page(api, django_assert_num_queries):
    first = gzipped_json(api, "/api/partnerships/?region=south-east&category=legal&page_size=2")
    with django_assert_num_queries(0):
        again = gzipped_json(
            api, "/api/partnerships/?page_size=2&utm_source=x&category=legal&region=south-east"
        )
    assert again.content == first.content
    # Its links are the normalised address, whoever asked first.
    page = json.loads(body(first))
    assert page["next"] == (
        "http://testserver/api/partnerships/?category=legal&page=2&page_size=2&region=south-east"
    )


def test_a_bad_parameter_is_refused_before_any_page_is_read_and_every_time(api):
    good = gzipped_json(api, "/api/partnerships/?region=south-east")
    for _ in range(2):
        # Refused by its form, and by the FilterSet (no region has that slug).
        for query in ("region=south-east&page=0", "region=atlantis", "region=south-east&page=99"):
            response = api.get(f"/api/partnerships/?{query}", HTTP_ACCEPT="application/json")
            assert response.status_code in (400, 404), query
            assert "ETag" not in response
    assert gzipped_json(api, "/api/partnerships/?region=south-east").content == good.content


def test_publishing_a_change_gives_the_list_a_new_etag_and_content(api):
    url = "/api/partnerships/?q=orbis"
    before = gzipped_json(api, url)
    gzipped_json(api, url)  # now served from the store
    assert [p["slug"] for p in results(before)] == [ORBIS]

    partnerships_publish(partnerships=Partnership.objects.filter(slug=ORBIS), published=False)
    after = gzipped_json(api, url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after["ETag"] != before["ETag"]
    assert results(after) == []
    savings = gzipped_json(api, "/api/savings/?q=orbis")
    assert results(savings) == []

    partnerships_publish(partnerships=Partnership.objects.filter(slug=ORBIS), published=True)
    again = gzipped_json(api, url, HTTP_IF_NONE_MATCH=after["ETag"])
    assert again["ETag"] not in (before["ETag"], after["ETag"])
    assert [p["slug"] for p in results(again)] == [ORBIS]


def test_stored_pages_still_count_against_the_throttle(api, django_assert_num_queries):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon_burst": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        gzipped_json(api, "/api/partnerships/")
        with django_assert_num_queries(0):
            gzipped_json(api, "/api/partnerships/")
            gzipped_json(api, "/api/partnerships/")
        refused = api.get("/api/partnerships/", HTTP_ACCEPT="application/json")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        etag_holder = api.get("/api/partnerships/", HTTP_IF_NONE_MATCH="*")
        assert etag_holder.status_code == 429, "a revalidation counts too"


def browsable_page(client) -> str:
    """The browsable API's list page as a browser gets it."""
    response = client.get(
        "/api/partnerships/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return body(response).decode()


def test_the_browsable_api_carries_nothing_of_one_reader_to_another(api, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        "staff-reader-zq", "zq@example.org", "x"
    )
    staff = APIClient()
    staff.force_login(admin_user)
    for _ in range(2):
        for client in (staff, api):
            html = browsable_page(client)
            # A read-only API's page has no form, so no CSRF token to hand on.
            assert "csrfmiddlewaretoken" not in html and "csrfToken" not in html
    assert admin_user.username not in browsable_page(api)
    # The JSON of the same address is stored and shared; the HTML was never served from it.
    assert gzipped_json(api, "/api/partnerships/")["Content-Type"] == "application/json"
    assert "<html" in browsable_page(api)
