"""The read-only API under /api/, as a developer or a data journalist uses it: listing
and filtering the real councils, partnerships and savings, fetching boundaries and map
layers with conditional requests, reading the schema and the docs; and what they can
never do or see (write anything, read anyone's contact details, or hammer the server)."""

import gzip
import json
import re
from decimal import Decimal

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from partnerships.filters import PartnershipFilter
from partnerships.models import (
    Council,
    Partnership,
    PublicBody,
    Region,
)
from partnerships.services import partnerships_publish
from tests.partnerships.factories import SavingsRecordFactory, grow_data, partnership_with_members

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

ADUR, WORTHING, SURREY = "E07000223", "E07000229", "E10000030"
EAST_SUSSEX, BRIGHTON_AND_HOVE = "E10000011", "E06000043"
AVON_FIRE = "E31000001"
ORBIS = "orbis"


@pytest.fixture
def api():
    return APIClient()


def get_json(api, url: str, params: dict | None = None, status: int = 200) -> dict:
    response = api.get(url, params or {}, HTTP_ACCEPT="application/json")
    assert response.status_code == status, response.content[:500]
    return response.json()


def every_result(api, url: str, params: dict | None = None) -> list[dict]:
    """All results of a list, following the pages."""
    results = []
    page = get_json(api, url, {**(params or {}), "page_size": 500})
    results += page["results"]
    while page["next"]:
        page = get_json(api, page["next"])
        results += page["results"]
    return results


def names(api, params: dict) -> list[str]:
    return [p["name"] for p in every_result(api, "/api/partnerships/", params)]


def filter_names(params: dict) -> list[str]:
    return list(PartnershipFilter(params).qs.values_list("name", flat=True))


# The root and the reference lists


def test_the_root_lists_every_endpoint(api):
    root = get_json(api, "/api/")
    for key, path in {
        "councils": "/api/councils/",
        "regions": "/api/regions/",
        "public-bodies": "/api/public-bodies/",
        "categories": "/api/categories/",
        "partnerships": "/api/partnerships/",
        "savings": "/api/savings/",
        "councils-geojson": "/api/councils.geojson",
        "regions-geojson": "/api/regions.geojson",
        "schema": "/api/schema/",
        "docs": "/api/docs/",
    }.items():
        assert root[key] == f"http://testserver{path}"


def test_a_council_has_its_codes_place_neighbours_and_partnerships(api):
    adur = get_json(api, f"/api/councils/{ADUR}/")
    assert adur["short_name"] == "Adur"
    assert adur["official_name"] == "Adur District Council"
    assert adur["type"] == "district"
    assert adur["region"] == {"gss_code": "E12000008", "name": "South East", "slug": "south-east"}
    assert adur["current"] is True
    assert adur["population"] > 50_000
    assert 50 < adur["latitude"] < 51 and -1 < adur["longitude"] < 0
    assert WORTHING in adur["neighbours"]
    assert adur["covering_bodies"]["fire_rescue_authority"].startswith("E31")
    assert adur["covering_bodies"]["police_force_area"].startswith("E23")
    published = Partnership.objects.filter(published=True, councils__gss_code=ADUR).count()
    assert adur["published_partnership_count"] == published > 0
    assert adur["url"] == "http://testserver" + reverse("partnerships:council-detail", args=[ADUR])
    # A lower-case code finds the same council.
    assert get_json(api, f"/api/councils/{ADUR.lower()}/")["gss_code"] == ADUR


def test_the_council_list_carries_no_boundaries_and_filters(api):
    councils = every_result(api, "/api/councils/")
    assert len(councils) == Council.objects.count()
    assert not any("boundary" in c or "boundary_low" in c for c in councils)
    assert all(c["boundary_url"].endswith("/boundary/") for c in councils)

    south_east = every_result(api, "/api/councils/", {"region": "south-east", "current": "true"})
    assert {c["gss_code"] for c in south_east} == set(
        Council.objects.filter(region__name="South East", current=True).values_list(
            "gss_code", flat=True
        )
    )
    counties = every_result(api, "/api/councils/", {"type": "county"})
    assert counties and {c["type"] for c in counties} == {"county"}
    former = every_result(api, "/api/councils/", {"current": "false"})
    assert len(former) == Council.objects.filter(current=False).count() > 0
    replaced = [c for c in former if c["replaced_by"]]
    assert replaced, "former councils name their successors"
    assert [c["short_name"] for c in every_result(api, "/api/councils/", {"q": "worthing"})] == [
        "Worthing"
    ]


def test_the_api_finds_councils_and_bodies_as_the_search_box_does(api):
    def names(path, q, field):
        return sorted(item[field] for item in every_result(api, path, {"q": q}))

    # With or without the full stop, and by its GSS code.
    assert names("/api/councils/", "St. Albans", "short_name") == ["St Albans"]
    assert names("/api/councils/", "st albans", "short_name") == ["St Albans"]
    code = Council.objects.get(short_name="St Albans").gss_code
    assert names("/api/councils/", code.lower(), "short_name") == ["St Albans"]
    # Every word, in any order, not the words side by side.
    assert "Hampshire & Isle of Wight Constabulary" in names(
        "/api/public-bodies/", "Hampshire Constabulary", "name"
    )
    response = api.get("/api/public-bodies/", {"q": "x" * 201}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and list(response.json()) == ["q"]


def test_a_public_body_a_category_and_a_region(api):
    bodies = every_result(api, "/api/public-bodies/")
    assert len(bodies) == PublicBody.objects.count()
    avon = get_json(api, f"/api/public-bodies/{AVON_FIRE}/")
    assert (avon["name"], avon["kind"], avon["sector"]) == (
        "Avon",
        "fire_rescue_authority",
        "fire",
    )
    fire = every_result(api, "/api/public-bodies/", {"sector": "fire"})
    assert fire and {b["sector"] for b in fire} == {"fire"}
    # A body added by hand has no ONS code and is found by its number.
    uncoded = PublicBody.objects.filter(code=None).first()
    assert get_json(api, f"/api/public-bodies/{uncoded.pk}/")["name"] == uncoded.name

    categories = every_result(api, "/api/categories/")
    legal = next(c for c in categories if c["slug"] == "legal")
    assert legal["name"] == "Legal"
    assert legal["published_partnership_count"] == len(filter_names({"category": "legal"}))

    regions = every_result(api, "/api/regions/")
    assert len(regions) == 9
    assert {"gss_code": "E12000008", "name": "South East", "slug": "south-east"}.items() <= next(
        r for r in regions if r["name"] == "South East"
    ).items()


# Partnerships


def test_a_partnership_has_its_members_categories_and_savings(api):
    orbis = get_json(api, f"/api/partnerships/{ORBIS}/")
    assert orbis["name"] == "Orbis"
    assert {m["gss_code"] for m in orbis["councils"]} == {SURREY, EAST_SUSSEX, BRIGHTON_AND_HOVE}
    assert {"slug": "finance-and-audit", "name": "Finance and audit"} in orbis["categories"]
    assert orbis["achieved_savings_total"] == "16000000.00"
    assert orbis["latest_achieved"]["amount"] == "16000000.00"
    assert orbis["latest_achieved"]["period"] == "2015/16 to 2018/19"
    assert orbis["source_links"] and all(s.startswith("http") for s in orbis["source_links"])
    # Both of the source's figures, each with its words and link; expected apart.
    assert [(r["amount"], r["kind"]) for r in orbis["savings_records"]] == [
        ("16000000.00", "achieved"),
        ("3200000.00", "expected"),
    ]
    assert orbis["expected_savings_total"] == "3200000.00"
    first = orbis["savings_records"][0]
    assert "£16m" in first["wording"]
    assert first["source_url"].startswith("https://mycouncil.surreycc.gov.uk/")
    assert first["per_year"] is False and first["origin"] == "reference"
    assert orbis["status_label"] == "Operational" and orbis["counted_now"] is True
    assert orbis["url"] == "http://testserver/partnerships/orbis/"
    # Filters narrow lists; a detail's address finds its object whatever follows it.
    assert get_json(api, f"/api/partnerships/{ORBIS}/", {"category": "legal"})["name"] == "Orbis"


def test_lead_members_and_partner_sectors_are_shown(api):
    slug = "hampshire-shared-services-ibc"
    partnership = get_json(api, f"/api/partnerships/{slug}/")
    assert partnership["public_bodies"]
    assert set(partnership["partner_sectors"]) == {
        b["sector"] for b in partnership["public_bodies"]
    }
    mid_kent = get_json(api, "/api/partnerships/mid-kent-legal-services/")
    leads = [m for m in mid_kent["councils"] if m["is_lead"]]
    assert mid_kent["councils"][: len(leads)] == leads, "lead members come first"


def test_the_legal_category_lists_mid_kent_legal_services(api):
    assert "Mid Kent Legal Services" in names(api, {"category": "legal"})
    assert "Orbis" not in names(api, {"category": "legal"})


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"category": "legal"},
        {"category": ["legal", "ict"], "sort": "-name"},
        {"region": "south-east", "sort": "-savings"},
        {"council_type": "county", "status": "operational"},
        {"sector": "health"},
        {"status": "unknown"},
        {"savings": "1m-10m", "sort": "savings"},
        {"start_from": 2010, "start_to": 2015, "sort": "start"},
        {"q": "legal"},
        {"council": ADUR.lower()},
        {"year": 2016, "savings": "10m-plus"},
    ],
)
def test_partnership_filters_agree_with_the_site(api, params):
    assert names(api, params) == filter_names(params)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"category": "no-such-service"}, "category"),
        ({"region": "atlantis"}, "region"),
        ({"status": "thriving"}, "status"),
        ({"start_from": "last year"}, "start_from"),
        ({"sort": "colour"}, "sort"),
    ],
)
def test_an_invalid_partnership_filter_is_a_400_naming_the_field(api, params, field):
    errors = get_json(api, "/api/partnerships/", params, status=400)
    assert list(errors) == [field]
    assert errors[field][0]


def test_an_unpublished_partnership_is_nowhere(api):
    partnerships_publish(partnerships=Partnership.objects.filter(slug=ORBIS), published=False)
    get_json(api, f"/api/partnerships/{ORBIS}/", status=404)
    assert "Orbis" not in names(api, {})
    assert every_result(api, "/api/savings/", {"q": "orbis"}) == []
    surrey = get_json(api, f"/api/councils/{SURREY}/")
    assert surrey["published_partnership_count"] == (
        Partnership.objects.filter(published=True, councils__gss_code=SURREY).count()
    )


# Savings


def test_savings_records_sum_as_reported(api):
    records = every_result(api, "/api/savings/", {"q": "orbis", "kind": "achieved"})
    assert {r["partnership"] for r in records} == {ORBIS}
    assert sum(Decimal(r["amount"]) for r in records) == Decimal("16000000")
    record = records[0]
    assert record["period"] == "2015/16 to 2018/19"
    assert record["partnership_api_url"] == "http://testserver/api/partnerships/orbis/"


def test_savings_take_the_partnership_filters_and_their_own(api):
    params = {"region": "south-east", "category": "finance-and-audit"}
    records = every_result(api, "/api/savings/", params)
    matching = set(PartnershipFilter(params).qs.values_list("slug", flat=True))
    with_records = set(
        Partnership.objects.filter(slug__in=matching, savings_records__isnull=False).values_list(
            "slug", flat=True
        )
    )
    assert {r["partnership"] for r in records} == with_records
    assert ORBIS in with_records

    # "with a further £3.2m expected in 2019/20"
    expected = every_result(api, "/api/savings/", {"kind": "expected", "q": "orbis"})
    assert [(r["partnership"], r["amount"], r["period"]) for r in expected] == [
        (ORBIS, "3200000.00", "2019/20")
    ]
    assert all(
        r["kind"] == "expected" for r in every_result(api, "/api/savings/", {"kind": "expected"})
    )
    covering_2016 = every_result(api, "/api/savings/", {"year": 2016})
    assert covering_2016 and all(r["start_year"] <= 2016 <= r["end_year"] for r in covering_2016)
    assert ORBIS in {r["partnership"] for r in covering_2016}
    assert ORBIS not in {
        r["partnership"]
        for r in every_result(api, "/api/savings/", {"year": 2019, "kind": "achieved"})
    }

    errors = get_json(api, "/api/savings/", {"kind": "hoped-for", "region": "mars"}, status=400)
    assert set(errors) == {"kind", "region"}


# What nobody may do or see


WRITES = ["post", "put", "patch", "delete"]
URLS = [
    "/api/partnerships/",
    f"/api/partnerships/{ORBIS}/",
    f"/api/councils/{ADUR}/",
    "/api/savings/",
    "/api/categories/legal/",
    f"/api/public-bodies/{AVON_FIRE}/",
    "/api/councils.geojson",
    "/api/schema/",
]


@pytest.mark.parametrize("method", WRITES)
def test_nobody_can_write_through_the_api(api, admin_user, method):
    before = Partnership.objects.count(), Partnership.objects.get(slug=ORBIS).name
    for who in ("anonymous", "superuser"):
        if who == "superuser":
            api.force_login(admin_user)
        for url in URLS:
            response = getattr(api, method)(url, {"name": "Hacked"}, format="json")
            assert response.status_code == 405, (who, method, url, response.status_code)
    assert (Partnership.objects.count(), Partnership.objects.get(slug=ORBIS).name) == before


def test_no_contact_details_ever_appear(api):
    orbis = Partnership.objects.get(slug=ORBIS)
    orbis.contact_name = "Jo Privateperson"
    orbis.contact_email = "jo.privateperson@example.gov.uk"
    orbis.contact_phone = "01234 567890"
    orbis.save()
    secrets = [orbis.contact_name, orbis.contact_email, orbis.contact_phone, "contact_"]
    for url in [
        "/api/partnerships/",
        f"/api/partnerships/{ORBIS}/",
        "/api/partnerships/?q=orbis",
        "/api/savings/?q=orbis",
        f"/api/councils/{SURREY}/",
        "/api/councils.geojson?partnership=orbis",
        "/api/categories/finance-and-audit/",
        "/api/schema/",
        "/api/schema/?format=json",
    ]:
        response = api.get(url, {"page_size": 500})
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in secrets:
            assert secret not in text, (url, secret)


def test_anonymous_readers_are_throttled_after_the_burst(api, admin_user):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon_burst": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        for _ in range(3):
            assert api.get("/api/categories/").status_code == 200
        refused = api.get("/api/partnerships/")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        # Staff signed in have their own, larger allowance.
        api.force_login(admin_user)
        assert api.get("/api/partnerships/").status_code == 200


def test_signed_in_users_are_throttled_too(api, admin_user):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "2/hour"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        api.force_login(admin_user)
        assert [api.get("/api/regions/").status_code for _ in range(3)] == [200, 200, 429]


# GeoJSON, conditional requests and compression


def test_the_council_layer_is_the_maps_own_with_an_etag(api):
    response = api.get("/api/councils.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    layer = json.loads(response.content)
    assert layer["type"] == "FeatureCollection"
    by_code = {f["properties"]["gss_code"]: f for f in layer["features"]}
    assert ADUR in by_code and SURREY not in by_code, "districts by default, not counties"
    assert by_code[ADUR]["properties"]["partnerships"] > 0
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    # The same body the map itself is drawn from.
    assert response.content == api.get(reverse("partnerships:map-councils-layer")).content

    etag = response["ETag"]
    again = api.get("/api/councils.geojson", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""

    counties = json.loads(api.get("/api/councils.geojson", {"layer": "counties"}).content)
    assert SURREY in {f["properties"]["gss_code"] for f in counties["features"]}
    members = json.loads(api.get("/api/councils.geojson", {"partnership": ORBIS}).content)
    assert {f["properties"]["gss_code"] for f in members["features"]} == {
        SURREY,
        EAST_SUSSEX,
        BRIGHTON_AND_HOVE,
    }
    assert api.get("/api/councils.geojson", {"layer": "parishes"}).status_code == 400
    assert api.get("/api/councils.geojson", {"bbox": "1,2,3"}).status_code == 400
    assert api.get("/api/councils.geojson", {"partnership": "no-such"}).status_code == 404


def test_the_layer_is_compressed_and_revalidates_compressed(api):
    response = api.get("/api/councils.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    layer = json.loads(gzip.decompress(response.content))
    assert layer["type"] == "FeatureCollection"
    assert len(response.content) < len(json.dumps(layer)) / 3
    revalidated = api.get(
        "/api/councils.geojson",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert revalidated.status_code == 304


def _partnerships_of(layer, gss_code: str) -> int:
    return next(
        f["properties"]["partnerships"]
        for f in json.loads(layer.content)["features"]
        if f["properties"]["gss_code"] == gss_code
    )


def test_publishing_a_change_gives_the_layer_a_new_etag(api):
    before = api.get("/api/councils.geojson")
    amber_valley_before = _partnerships_of(before, "E07000032")
    partnership_with_members(
        Council.objects.get(gss_code=ADUR), Council.objects.get(gss_code="E07000032")
    )
    after = api.get("/api/councils.geojson", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert _partnerships_of(after, "E07000032") == amber_valley_before + 1

    # Unpublishing with a bulk update sends no signal; the ETag still moves.
    partnerships_publish(partnerships=Partnership.objects.filter(slug=ORBIS), published=False)
    unpublished = api.get("/api/councils.geojson", HTTP_IF_NONE_MATCH=after["ETag"])
    assert unpublished.status_code == 200
    assert unpublished["ETag"] != after["ETag"]


def test_region_boundaries_are_a_feature_collection_with_an_etag(api):
    response = api.get("/api/regions.geojson")
    assert response.status_code == 200
    regions = json.loads(response.content)
    assert regions["type"] == "FeatureCollection"
    assert len(regions["features"]) == 9
    south_east = next(f for f in regions["features"] if f["id"] == "E12000008")
    assert south_east["properties"] == {
        "gss_code": "E12000008",
        "name": "South East",
        "slug": "south-east",
    }
    assert south_east["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert api.get("/api/regions.geojson", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304

    # Staff correcting a region's boundary gives it a new ETag.
    region = Region.objects.get(gss_code="E12000008")
    region.save()
    changed = api.get("/api/regions.geojson", HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


def test_council_and_public_body_boundaries_are_features(api):
    low = api.get(f"/api/councils/{ADUR}/boundary/")
    high = api.get(f"/api/councils/{ADUR}/boundary/", {"detail": "high"})
    for response in (low, high):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        feature = json.loads(response.content)
        assert feature["type"] == "Feature"
        assert feature["properties"]["gss_code"] == ADUR
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert len(high.content) > len(low.content)
    assert low["ETag"] != high["ETag"]
    assert (
        api.get(f"/api/councils/{ADUR}/boundary/", HTTP_IF_NONE_MATCH=low["ETag"]).status_code
        == 304
    )
    assert api.get(f"/api/councils/{ADUR}/boundary/", {"detail": "max"}).status_code == 400
    assert api.get("/api/councils/E99999999/boundary/").status_code == 404

    avon = api.get(f"/api/public-bodies/{AVON_FIRE}/boundary/")
    assert avon.status_code == 200
    feature = json.loads(avon.content)
    assert feature["type"] == "Feature" and feature["properties"]["code"] == AVON_FIRE
    assert (
        api.get(
            f"/api/public-bodies/{AVON_FIRE}/boundary/", HTTP_IF_NONE_MATCH=avon["ETag"]
        ).status_code
        == 304
    )
    uncoded = PublicBody.objects.filter(code=None, boundary="").first()
    assert get_json(api, f"/api/public-bodies/{uncoded.pk}/")["boundary_url"] is None
    assert api.get(f"/api/public-bodies/{uncoded.pk}/boundary/").status_code == 404


# The schema and the docs


def test_the_schema_is_valid_openapi_with_every_path_and_filter(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    as_json = json.loads(api.get("/api/schema/", {"format": "json"}).content)
    assert as_json["paths"].keys() == schema["paths"].keys()
    for path in [
        "/api/councils/",
        "/api/councils/{gss_code}/",
        "/api/councils/{gss_code}/boundary/",
        "/api/councils.geojson",
        "/api/regions/",
        "/api/regions.geojson",
        "/api/public-bodies/",
        "/api/public-bodies/{code}/boundary/",
        "/api/categories/",
        "/api/partnerships/",
        "/api/partnerships/{slug}/",
        "/api/savings/",
    ]:
        assert path in schema["paths"], path
    for path in schema["paths"]:
        assert set(schema["paths"][path]) <= {"get", "parameters"}, "read-only"

    def parameters(path: str) -> dict[str, dict]:
        return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    partnership_params = parameters("/api/partnerships/")
    assert set(PartnershipFilter.base_filters) <= set(partnership_params)
    assert {"page", "page_size"} <= set(partnership_params)
    assert "legal" in partnership_params["category"]["schema"]["items"]["enum"]
    assert "south-east" in partnership_params["region"]["schema"]["enum"]
    assert set(PartnershipFilter.base_filters) | {"kind"} <= set(parameters("/api/savings/"))
    assert {"region", "type", "current", "q"} <= set(parameters("/api/councils/"))


def test_the_docs_pages_use_only_local_files(api):
    for url in ("/api/docs/", "/api/docs/redoc/"):
        response = api.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Shared Services Map API" in html
        assets = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html) + re.findall(
            r'<link[^>]*\shref="([^"]+)"', html
        )
        assert assets
        for asset in assets:
            assert asset.startswith(("/static/", "/api/")), asset
            if asset.startswith("/static/"):
                assert finders.find(asset.removeprefix("/static/")), asset
        assert not re.search(r"<(script|link)[^>]*https?://", html)
        assert "/api/schema/" in html
    script = api.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()


# Queries do not grow with the data


# (path, filters, most queries): a fixed number for each list, whatever its length. The
# partnership and savings lists read the data version first (their pages are cached).
LIST_QUERIES = [
    # Each list reads the period's council generation once (partnerships.timeline).
    ("/api/partnerships/", {}, 9),
    ("/api/partnerships/", {"region": "south-east", "category": "legal", "sort": "-savings"}, 12),
    ("/api/savings/", {}, 4),
    (
        "/api/savings/",
        {"region": "south-east", "category": "finance-and-audit", "kind": "achieved"},
        9,  # the partnership filters' choices are read twice: by this list's form and theirs
    ),
    ("/api/partnerships/", {"year": "2012", "council_type": "district"}, 12),
    ("/api/councils/", {}, 5),
    ("/api/councils/", {"region": "south-east", "current": "true"}, 7),
    ("/api/public-bodies/", {}, 2),
    ("/api/categories/", {}, 2),
]


def _assert_query_counts(api, django_assert_max_num_queries):
    for path, params, most in LIST_QUERIES:
        with django_assert_max_num_queries(most):
            response = api.get(path, {**params, "page_size": 500}, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, (path, params)
        assert response.json()["results"], (path, params)
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/partnerships/{ORBIS}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert api.get(f"/api/councils/{ADUR}/").status_code == 200


def test_queries_per_call_do_not_grow_with_the_data(api, django_assert_max_num_queries):
    _assert_query_counts(api, django_assert_max_num_queries)
    grow_data(10)
    assert Partnership.objects.filter(published=True).count() > 500
    _assert_query_counts(api, django_assert_max_num_queries)
    # A page holds at most 500, whatever is asked for.
    assert len(get_json(api, "/api/partnerships/", {"page_size": 5000})["results"]) == 500


def test_a_repeated_list_is_served_from_the_cache_and_a_new_figure_shows_at_once(
    api, django_assert_max_num_queries
):
    first = get_json(api, "/api/partnerships/", {"q": "orbis"})
    with django_assert_max_num_queries(2):
        again = get_json(api, "/api/partnerships/", {"q": "orbis"})
    assert again == first
    total = Decimal(first["results"][0]["achieved_savings_total"])

    SavingsRecordFactory(
        partnership=Partnership.objects.get(slug=ORBIS),
        start_year=2026,
        end_year=2026,
        amount=Decimal("1000000"),
    )
    after = get_json(api, "/api/partnerships/", {"q": "orbis"})
    assert Decimal(after["results"][0]["achieved_savings_total"]) == total + Decimal("1000000")
    savings = every_result(api, "/api/savings/", {"q": "orbis", "year": 2026})
    assert [Decimal(r["amount"]) for r in savings] == [Decimal("1000000")]


def test_a_bad_filter_is_refused_every_time_not_only_the_first(api):
    for _ in range(2):
        get_json(api, "/api/partnerships/", {"savings": "lots"}, status=400)
