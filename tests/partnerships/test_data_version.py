"""The map's data version: one cache read and no query, so a revalidated or cached layer
or boundary costs no query at all; and every way a change is published (staff
publishing, a membership, a council's new collaboration accepted, a year's map frozen,
a reference-data load, even one in another process) reaches the map's layer and the
API with a new ETag and new content."""

import gzip
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from partnerships import map_layers
from partnerships.map_layers import map_data_version
from partnerships.models import (
    Council,
    DataLoad,
    Partnership,
    PartnershipCouncil,
    PublicBody,
    PublicBodyKind,
    ServiceCategory,
)
from partnerships.services import partnerships_publish
from partnerships.services.snapshots import map_snapshot_publish
from submissions.models import ProposedChange
from submissions.services import change_accept, change_propose

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

ADUR, AMBER_VALLEY = "E07000223", "E07000171"
ADUR_AND_WORTHING = "adur-worthing"
LAYER_URL = reverse("partnerships:map-councils-layer")
# The map's layers (national, filtered, a past year's), the API's copies of them, its
# single boundaries and its regions: everything whose ETag the data version names.
ZERO_QUERY_URLS = [
    LAYER_URL,
    LAYER_URL + "?layer=counties&detail=high",
    LAYER_URL + "?category=legal",
    LAYER_URL + "?year=2012",
    "/api/councils.geojson",
    "/api/councils.geojson?layer=counties&category=legal",
    f"/api/councils.geojson?partnership={ADUR_AND_WORTHING}",
    f"/api/councils/{ADUR}/boundary/",
    f"/api/councils/{ADUR}/boundary/?detail=high",
    "/api/public-bodies/E31000001/boundary/",
    "/api/regions.geojson",
]


def gzipped(client, url: str, **headers):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", **headers)
    assert response.status_code == 200, response.content[:300]
    return response


def layer_counts(response) -> dict[str, int]:
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return {
        f["properties"]["gss_code"]: f["properties"]["partnerships"]
        for f in json.loads(body)["features"]
    }


def listed_slugs(client) -> set[str]:
    response = client.get("/api/partnerships/", {"page_size": 500}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return {p["slug"] for p in response.json()["results"]}


def test_the_version_costs_no_query_once_known(django_assert_num_queries):
    version = map_data_version()
    with django_assert_num_queries(0):
        assert map_data_version() == version


@pytest.mark.parametrize("url", ZERO_QUERY_URLS)
def test_a_304_and_a_cached_200_cost_no_query(client, url, django_assert_num_queries):
    first = gzipped(client, url)
    with django_assert_num_queries(0):
        again = gzipped(client, url)
    assert again.content == first.content
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def _before(client):
    layer = gzipped(client, LAYER_URL)
    api_layer = gzipped(client, "/api/councils.geojson")
    return layer, api_layer, listed_slugs(client)


def _after(client, layer, api_layer):
    """The layer and the API's layer after a change: each a new body with a new ETag
    (the old tag no longer revalidates)."""
    new_layer = client.get(LAYER_URL, HTTP_IF_NONE_MATCH=layer["ETag"], HTTP_ACCEPT_ENCODING="gzip")
    new_api = client.get(
        "/api/councils.geojson", HTTP_IF_NONE_MATCH=api_layer["ETag"], HTTP_ACCEPT_ENCODING="gzip"
    )
    assert new_layer.status_code == 200 and new_layer["ETag"] != layer["ETag"]
    assert new_api.status_code == 200 and new_api["ETag"] != api_layer["ETag"]
    return layer_counts(new_layer), layer_counts(new_api)


def test_staff_unpublishing_reaches_the_map_and_the_api(client):
    layer, api_layer, slugs = _before(client)
    assert ADUR_AND_WORTHING in slugs
    adur = layer_counts(layer)[ADUR]
    partnerships_publish(
        partnerships=Partnership.objects.filter(slug=ADUR_AND_WORTHING), published=False
    )
    counts, api_counts = _after(client, layer, api_layer)
    assert counts[ADUR] == api_counts[ADUR] == adur - 1
    assert ADUR_AND_WORTHING not in listed_slugs(client)


def test_staff_publishing_again_reaches_the_map_and_the_api(client):
    partnership = Partnership.objects.filter(slug=ADUR_AND_WORTHING)
    partnerships_publish(partnerships=partnership, published=False)
    layer, api_layer, slugs = _before(client)
    assert ADUR_AND_WORTHING not in slugs
    adur = layer_counts(layer)[ADUR]
    partnerships_publish(partnerships=partnership, published=True)
    counts, api_counts = _after(client, layer, api_layer)
    assert counts[ADUR] == api_counts[ADUR] == adur + 1
    assert ADUR_AND_WORTHING in listed_slugs(client)


def test_a_new_member_reaches_the_map_and_the_api(client):
    layer, api_layer, _slugs = _before(client)
    assert layer_counts(layer)[AMBER_VALLEY] == 0
    PartnershipCouncil.objects.create(
        partnership=Partnership.objects.get(slug=ADUR_AND_WORTHING),
        council=Council.objects.get(gss_code=AMBER_VALLEY),
    )
    counts, api_counts = _after(client, layer, api_layer)
    assert counts[AMBER_VALLEY] == api_counts[AMBER_VALLEY] == 1
    detail = client.get(f"/api/partnerships/{ADUR_AND_WORTHING}/", HTTP_ACCEPT="application/json")
    assert AMBER_VALLEY in {c["gss_code"] for c in detail.json()["councils"]}


def test_a_councils_new_collaboration_accepted_reaches_the_map_and_the_api(client):
    layer, api_layer, slugs = _before(client)
    assert layer_counts(layer)[AMBER_VALLEY] == 0
    staff = get_user_model().objects.create_user("reviewer", "r@lga.gov.uk", "x", is_staff=True)
    fire = (
        PublicBody.objects.filter(kind=PublicBodyKind.FIRE_RESCUE_AUTHORITY)
        .order_by("name")
        .first()
    )
    change = change_propose(
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        partnership=None,
        proposed={
            "name": "Amber Valley home safety",
            "description": "Home fire safety visits.",
            "status": "operational",
            "start_year": 2024,
            "categories": [ServiceCategory.objects.get(slug="legal").pk],
            "councils": [Council.objects.get(gss_code=AMBER_VALLEY).pk],
            "public_bodies": [fire.pk],
            "other_partners": [],
            "no_savings_reason": "",
            "no_savings_reason_other": "",
            "savings": None,
            "comment": "",
        },
        source="Amber Valley, refresh questionnaire",
    )
    change_accept(change=change, reviewer=staff)
    change.refresh_from_db()
    counts, api_counts = _after(client, layer, api_layer)
    assert counts[AMBER_VALLEY] == api_counts[AMBER_VALLEY] == 1
    assert listed_slugs(client) == slugs | {change.partnership.slug}


def test_freezing_a_years_map_starts_a_new_version():
    version = map_data_version()
    map_snapshot_publish(year=2019)
    assert map_data_version() != version


def test_a_load_in_another_process_is_seen_once_the_load_is_looked_for_again():
    # The loader ran elsewhere, with a cache this process cannot see: only its DataLoad
    # row tells. This process looks for it again when its note of the last load
    # expires (a minute), and then has a new version.
    version = map_data_version()
    DataLoad.objects.create(fingerprint="elsewhere", finished_at=timezone.now())
    assert map_data_version() == version, "no query per request to look for it"
    cache.delete(map_layers._LOAD_KEY)
    assert map_data_version() != version
