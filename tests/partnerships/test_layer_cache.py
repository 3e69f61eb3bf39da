"""The map layers and boundaries as a browser, a proxy or an API client receives them:
compressed once per data version and then served from the cache, revalidated with their
ETag, plain for a client that does not accept gzip, and new as soon as staff change a
published partnership."""

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Council, Partnership, PublicBody
from partnerships.services import partnerships_publish
from sharedmap.http import ENCODERS, _LocalBodies, preferred_encoding
from tests.partnerships.admin_posts import partnership_post
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

# Bassetlaw: a district in no partnership counted now.
ADUR, WORTHING, AMBER_VALLEY = "E07000223", "E07000229", "E07000171"
ADUR_AND_WORTHING = "adur-worthing"
LAYER_URL = reverse("partnerships:map-councils-layer")
# The map's own layer, the API's copy of it, the regions, and two single boundaries.
CACHED_URLS = [
    LAYER_URL,
    LAYER_URL + "?layer=counties&detail=high",
    "/api/councils.geojson",
    "/api/regions.geojson",
    f"/api/councils/{ADUR}/boundary/?detail=high",
    "/api/public-bodies/E31000001/boundary/",
]


def gzipped(client, url: str, **headers):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate", **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Encoding"] == "gzip"
    return response


def counts(body: bytes) -> dict[str, int]:
    layer = json.loads(body)
    return {f["properties"]["gss_code"]: f["properties"]["partnerships"] for f in layer["features"]}


@pytest.mark.parametrize("url", CACHED_URLS)
def test_the_gzipped_body_is_the_plain_body_compressed(client, url):
    compressed = gzipped(client, url)
    plain = client.get(url)  # no Accept-Encoding: an old client or a script
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain
    assert json.loads(gzip.decompress(compressed.content)) == json.loads(plain.content)
    # What was sent is what the headers say, and a shared cache keeps the two apart.
    for response in (compressed, plain):
        assert int(response["Content-Length"]) == len(response.content)
        assert "Accept-Encoding" in response["Vary"]
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert response["Content-Type"] == "application/geo+json"
    assert len(compressed.content) < len(plain.content) / 2


@pytest.mark.parametrize("accept", ["identity", "deflate"])
def test_a_client_without_gzip_gets_the_plain_layer_even_when_gzip_is_stored(client, accept):
    compressed = gzipped(client, LAYER_URL)
    plain = client.get(LAYER_URL, HTTP_ACCEPT_ENCODING=accept)
    assert "Content-Encoding" not in plain
    assert plain.content == gzip.decompress(compressed.content)


@pytest.mark.parametrize("url", CACHED_URLS)
def test_a_current_copy_is_not_sent_again(client, url):
    compressed = gzipped(client, url)
    plain = client.get(url)
    # Each copy's tag revalidates with or without gzip: the bytes differ, the data not.
    for etag in (compressed["ETag"], plain["ETag"]):
        for accept in ("gzip", ""):
            again = client.get(url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING=accept)
            assert again.status_code == 304
            assert again.content == b""
            assert again["ETag"] in (compressed["ETag"], plain["ETag"])
    assert client.get(url, HTTP_IF_NONE_MATCH='"someone-elses"').status_code == 200


def test_a_repeat_visitor_gets_the_stored_bytes_without_the_boundaries_read_again(client):
    # The first visitor's layer is built from the councils' boundaries; the second is
    # served what was stored: the same bytes, and no query reads a boundary.
    with CaptureQueriesContext(connection) as first_queries:
        first = gzipped(client, LAYER_URL)
    with CaptureQueriesContext(connection) as second_queries:
        second = gzipped(client, LAYER_URL)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert any("boundary" in q["sql"] for q in first_queries.captured_queries)
    assert not any("boundary" in q["sql"] for q in second_queries.captured_queries)
    assert len(second_queries) < len(first_queries)


def test_unpublishing_through_the_service_changes_the_layer_at_once(client):
    before = gzipped(client, LAYER_URL)
    gzipped(client, LAYER_URL)  # served from the store now
    assert counts(gzip.decompress(before.content))[ADUR] > 0
    adur_before = counts(gzip.decompress(before.content))[ADUR]

    partnerships_publish(
        partnerships=Partnership.objects.filter(slug=ADUR_AND_WORTHING), published=False
    )

    after = gzipped(client, LAYER_URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after["ETag"] != before["ETag"]
    assert counts(gzip.decompress(after.content))[ADUR] == adur_before - 1
    api_after = gzipped(client, "/api/councils.geojson")
    assert counts(gzip.decompress(api_after.content))[ADUR] == adur_before - 1


def test_a_partnership_staff_save_in_the_admin_is_on_the_layer_at_once(admin_client, client):
    before = gzipped(client, LAYER_URL)
    api_before = gzipped(client, "/api/councils.geojson")
    assert counts(gzip.decompress(before.content))[AMBER_VALLEY] == 0

    data = partnership_post(
        councils=[
            Council.objects.get(gss_code=AMBER_VALLEY),
            Council.objects.get(gss_code=WORTHING),
        ]
    )
    response = admin_client.post(reverse("admin:partnerships_partnership_add"), data)
    assert response.status_code == 302

    after = gzipped(client, LAYER_URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after["ETag"] != before["ETag"]
    assert counts(gzip.decompress(after.content))[AMBER_VALLEY] == 1
    api_after = gzipped(client, "/api/councils.geojson", HTTP_IF_NONE_MATCH=api_before["ETag"])
    assert counts(gzip.decompress(api_after.content))[AMBER_VALLEY] == 1


def test_staff_correcting_a_public_bodys_area_gives_its_boundary_a_new_body(admin_client, client):
    url = "/api/public-bodies/E31000001/boundary/"
    before = gzipped(client, url)
    avon = PublicBody.objects.get(code="E31000001")
    response = admin_client.post(
        reverse("admin:partnerships_publicbody_change", args=[avon.pk]),
        {
            "name": "Avon Fire and Rescue Authority",
            "kind": avon.kind,
            "sector": avon.sector,
            "code": avon.code,
            "website": avon.website,
        },
    )
    assert response.status_code == 302
    after = gzipped(client, url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after["ETag"] != before["ETag"]
    properties = json.loads(gzip.decompress(after.content))["properties"]
    assert properties["name"] == "Avon Fire and Rescue Authority"


def _cached_hits_cost_the_same(client, django_assert_max_num_queries):
    for url in CACHED_URLS:
        etag = gzipped(client, url)["ETag"]  # builds and stores the body
        # The data version and the layers' ETags come from the cache: no query.
        allowed = 0
        with django_assert_max_num_queries(allowed):
            gzipped(client, url)
        with django_assert_max_num_queries(allowed):
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_cached_layer_costs_no_query_with_the_real_data(client, django_assert_max_num_queries):
    _cached_hits_cost_the_same(client, django_assert_max_num_queries)


def test_a_cached_layer_costs_the_same_with_ten_times_the_partnerships(
    client, django_assert_max_num_queries
):
    grow_data(10)
    assert Partnership.objects.count() > 600
    _cached_hits_cost_the_same(client, django_assert_max_num_queries)


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("gzip, deflate", "gzip"),
        ("GZIP", "gzip"),
        ("deflate;q=1, gzip;q=0.5", "gzip"),
        ("gzip;q=0", "identity"),
        ("gzip;q=0, *", "identity"),
        ("*", next(iter(ENCODERS))),
        ("identity", "identity"),
        ("", "identity"),
        ("gzip;q=abc", "identity"),
    ],
)
def test_the_encoding_follows_what_the_client_accepts(header, encoding):
    assert preferred_encoding(header) == encoding


def test_a_process_keeps_only_the_most_recent_bodies_within_its_memory_bound():
    store = _LocalBodies(max_bytes=400)
    for name in ("a", "b", "c", "d"):
        store.set(name, ("application/geo+json", "gzip", b"x" * 100))
    assert store.get("a") is not None  # now the most recently used
    store.set("e", ("application/geo+json", "gzip", b"x" * 100))
    assert store.get("b") is None, "the least recently used body makes room"
    assert all(store.get(name) for name in ("a", "c", "d", "e"))
    store.set("huge", ("application/geo+json", "gzip", b"x" * 101))
    assert store.get("huge") is None, "a body over a quarter of the bound is not kept"
