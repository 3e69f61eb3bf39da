"""One cache and one invalidation: every stored API response (list pages, the councils
layer, boundaries) is keyed by the map's data version, so one `map_data_changed()`
gives them all new ETags; and a stored list page costs no query at either data size,
while building one costs the same number of queries at one and ten times the data."""

import pytest
from rest_framework.test import APIClient

from partnerships.map_layers import map_data_changed
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

STORED = [
    "/api/partnerships/?category=legal",
    "/api/savings/",
    "/api/councils/",
    "/api/councils.geojson",
    "/api/regions.geojson",
    "/api/councils/E07000223/boundary/",
]
LIST_PAGES = [
    ("/api/partnerships/?region=south-east&category=legal", 12),
    ("/api/partnerships/", 9),
    ("/api/savings/", 4),
]


def etag(api, url: str) -> str:
    response = api.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, (url, response.content[:300])
    return response["ETag"]


def test_one_new_data_version_renews_every_stored_response():
    api = APIClient()
    before = {url: etag(api, url) for url in STORED}
    assert {url: etag(api, url) for url in STORED} == before, "stored, not rebuilt"
    map_data_changed()
    after = {url: etag(api, url) for url in STORED}
    assert all(after[url] != before[url] for url in STORED), after


def _list_pages_cost(api, django_assert_max_num_queries, django_assert_num_queries):
    for url, most in LIST_PAGES:
        with django_assert_max_num_queries(most):
            assert api.get(url, HTTP_ACCEPT_ENCODING="gzip").status_code == 200
        with django_assert_num_queries(0):
            assert api.get(url, HTTP_ACCEPT_ENCODING="gzip").status_code == 200


def test_list_page_queries_are_flat_at_two_data_sizes(
    django_assert_max_num_queries, django_assert_num_queries
):
    api = APIClient()
    _list_pages_cost(api, django_assert_max_num_queries, django_assert_num_queries)
    grow_data(10)
    _list_pages_cost(api, django_assert_max_num_queries, django_assert_num_queries)
