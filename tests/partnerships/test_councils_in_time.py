"""The map and the councils in time, on the real data: now counts running partnerships
and present members on today's councils (former councils counting for their successors);
a past year draws that year's councils and counts what ran then."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from partnerships import map_layers, timeline
from partnerships.models import Partnership
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

CAMDEN = "E09000007"
EAST_SUFFOLK, WEST_SUFFOLK = "E07000244", "E07000245"
BUCKINGHAMSHIRE = "E06000060"
FOREST_HEATH, TAUNTON_DEANE = "E07000201", "E07000190"
SOMERSET_WEST_AND_TAUNTON, SOMERSET = "E07000246", "E06000066"
NORTH_YORKSHIRE_COUNCIL = "E06000065"
NORTH_YORKSHIRE_DISTRICTS = {
    "E07000163": "Craven",
    "E07000164": "Hambleton",
    "E07000165": "Harrogate",
    "E07000166": "Richmondshire",
    "E07000167": "Ryedale",
    "E07000168": "Scarborough",
    "E07000169": "Selby",
}
ARP = "Anglia Revenues Partnership (ARP)"
LAYER_URL = reverse("partnerships:map-councils-layer")


def layer(client, **params) -> dict:
    response = client.get(LAYER_URL, params)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def counts(collection: dict) -> dict[str, int]:
    return {
        f["properties"]["gss_code"]: f["properties"]["partnerships"] for f in collection["features"]
    }


def names(collection: dict) -> dict[str, str]:
    return {f["properties"]["gss_code"]: f["properties"]["name"] for f in collection["features"]}


def panel_text(client, gss_code: str, **params) -> str:
    response = client.get(
        reverse("partnerships:council-panel", args=[gss_code]),
        params,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


# 1. Counts now, through stand-ins


def test_camden_is_not_shaded_now_because_its_only_partnership_has_ended(client):
    now = counts(layer(client))
    assert now.get(CAMDEN) == 0
    # ...and is shaded when ended partnerships are asked for.
    assert counts(layer(client, status="ended"))[CAMDEN] >= 1


def test_east_and_west_suffolk_count_the_anglia_revenues_partnership_now(client):
    arp = Partnership.objects.get(slug="anglia-revenues-partnership")
    now = counts(layer(client, q="Anglia Revenues"))
    assert now[EAST_SUFFOLK] == 1
    assert now[WEST_SUFFOLK] == 1
    # Forest Heath and St Edmundsbury both stand as West Suffolk: one partnership, once.
    assert counts(layer(client))[WEST_SUFFOLK] >= 1
    assert ARP in panel_text(client, WEST_SUFFOLK)
    east = panel_text(client, EAST_SUFFOLK)
    assert arp.name in east
    assert "through Suffolk Coastal (former council)" in east
    assert "through Forest Heath (former council)" in panel_text(client, WEST_SUFFOLK)


def test_buckinghamshire_counts_hb_public_law_through_aylesbury_vale_and_the_county(client):
    assert counts(layer(client, q="HB Public Law"))[BUCKINGHAMSHIRE] == 1
    text = panel_text(client, BUCKINGHAMSHIRE)
    assert "HB Public Law" in text
    assert re.search(r"through (Aylesbury Vale|Buckinghamshire) \(former council\)", text)


def test_the_map_summary_counts_the_councils_shaded(client):
    districts = counts(layer(client))
    county_layer = counts(layer(client, layer="counties"))
    shaded = sum(1 for n in [*districts.values(), *county_layer.values()] if n)
    html = re.sub(r"\s+", " ", client.get(reverse("partnerships:map")).content.decode())
    running = timeline.partnerships_running(
        Partnership.objects.filter(published=True), timeline.period_for(None)
    ).count()
    assert running < Partnership.objects.filter(published=True).count()
    assert f"{running} partnerships shown, involving {shaded} councils" in html


# 2. The map of a year draws that year's generation


@pytest.mark.parametrize(
    ("year", "district_count"), [(2012, 326), (2019, 317), (2024, 296), (None, 296)]
)
def test_the_map_of_a_year_draws_that_years_councils(client, year, district_count):
    params = {"year": year} if year else {}
    districts = names(layer(client, **params))
    assert len(districts) == district_count
    if year == 2012:
        assert districts[FOREST_HEATH] == "Forest Heath"
        assert districts[TAUNTON_DEANE] == "Taunton Deane"
        assert NORTH_YORKSHIRE_DISTRICTS.items() <= districts.items()
        assert NORTH_YORKSHIRE_COUNCIL not in districts
        assert WEST_SUFFOLK not in districts
        assert len(names(layer(client, year=2012, layer="counties"))) == 27
    if year in (2024, None):
        assert NORTH_YORKSHIRE_COUNCIL in districts
        assert FOREST_HEATH not in districts
        assert not NORTH_YORKSHIRE_DISTRICTS.keys() & districts.keys()


def test_the_map_page_of_2012_states_that_years_councils(client):
    html = re.sub(
        r"\s+", " ", client.get(reverse("partnerships:map"), {"year": 2012}).content.decode()
    )
    assert "England's 326 district-level councils" in html
    assert "its 27 county councils" in html


def test_a_year_before_the_generations_gets_the_message_and_no_map(client):
    response = client.get(reverse("partnerships:map"), {"year": 1800})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a map for each financial year from 2009/10" in html
    assert 'id="map-config"' not in html
    assert 'id="council-map"' not in html
    assert "partnerships shown, involving" not in html
    # The layer itself refuses too, saying why, rather than drawing today's councils.
    layer_response = client.get(LAYER_URL, {"year": 1800})
    assert layer_response.status_code == 400


def test_a_past_year_counts_the_predecessors_on_their_own_shapes(client):
    in_2012 = counts(layer(client, year=2012, q="HB Public Law"))
    # HB Public Law ran in 2012 with Harrow and Barnet only; Aylesbury Vale joined in 2015.
    assert in_2012.get("E07000004", 0) == 0
    in_2016 = counts(layer(client, year=2016, q="HB Public Law"))
    assert in_2016["E07000004"] == 1  # Aylesbury Vale, as itself


def test_layer_etags_differ_by_year(client):
    now = client.get(LAYER_URL)
    then = client.get(LAYER_URL, {"year": 2012})
    assert now["ETag"] != then["ETag"]


# 3. Council panel and council page


def test_the_panel_marks_ended_and_unconfirmed_partnerships_and_shows_both_totals(client):
    text = panel_text(client, CAMDEN, status="ended")
    assert "Ended" in text
    assert "Achieved savings" in text
    assert "Expected savings" in text
    blank = Partnership.objects.filter(published=True, status="").first()
    member = blank.council_memberships.select_related("council").first().council
    period = timeline.period_for(None)
    shown = timeline.counted_councils([blank.pk], period)[blank.pk][0]
    assert "Status not confirmed" in panel_text(client, shown.gss_code)
    assert member  # the blank-status partnership has a member


def test_the_panel_totals_are_the_ledgers(client):
    council = map_layers.council_panel_council(gss_code=WEST_SUFFOLK)
    achieved = [p.achieved_savings_total for p in council.published_partnerships]
    expected = [p.expected_savings_total for p in council.published_partnerships]
    assert council.achieved_total == (
        sum(a for a in achieved if a is not None) if any(a is not None for a in achieved) else None
    )
    assert council.expected_total == (
        sum(e for e in expected if e is not None) if any(e is not None for e in expected) else None
    )
    text = panel_text(client, WEST_SUFFOLK)
    if council.achieved_total is not None:
        assert f"£{council.achieved_total:,.0f}" in text


def test_a_former_councils_page_draws_its_own_boundary_and_links_both_ways(client):
    taunton = client.get(reverse("partnerships:council-detail", args=[TAUNTON_DEANE]))
    html = taunton.content.decode()
    assert taunton.status_code == 200
    assert 'id="council-boundary-geometry"' in html
    geometry = json.loads(
        re.search(r'id="council-boundary-geometry"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    assert geometry["type"] in ("Polygon", "MultiPolygon")
    assert f"/councils/{SOMERSET_WEST_AND_TAUNTON}/" in html
    swt = client.get(reverse("partnerships:council-detail", args=[SOMERSET_WEST_AND_TAUNTON]))
    swt_html = swt.content.decode()
    assert f"/councils/{TAUNTON_DEANE}/" in swt_html
    assert f"/councils/{SOMERSET}/" in swt_html
    somerset = client.get(reverse("partnerships:council-detail", args=[SOMERSET])).content
    assert f"/councils/{SOMERSET_WEST_AND_TAUNTON}/".encode() in somerset


def test_a_current_councils_page_lists_partnerships_through_predecessors(client):
    html = re.sub(
        r"\s+",
        " ",
        client.get(reverse("partnerships:council-detail", args=[WEST_SUFFOLK])).content.decode(),
    )
    assert ARP in html
    assert "through Forest Heath (former council)" in html


# 4. The council list


def test_the_council_list_of_2012_lists_that_years_councils(client):
    html = client.get(reverse("partnerships:council-list"), {"year": 2012}).content.decode()
    assert "Forest Heath" in html
    assert "326 council" not in html  # the list holds counties too
    now = client.get(reverse("partnerships:council-list")).content.decode()
    assert ">Forest Heath<" not in now
    assert re.search(r"317 councils", now)


def list_count(client, url_name: str, **params) -> int:
    html = client.get(reverse(url_name), params).content.decode()
    return int(re.search(r'id="results-heading">\s*([\d,]+)', html).group(1).replace(",", ""))


@pytest.mark.parametrize(
    "params",
    [
        {"region": "london", "council_type": "county"},
        {"region": "london", "council_type": "county", "year": 2017},
        {"category": "legal"},
        {"year": 2012},
        {"year": 2016, "region": "east-of-england"},
        {"status": "ended"},
        {"q": "Anglia Revenues"},
    ],
)
def test_the_council_list_agrees_with_the_map_and_the_partnership_list(client, params):
    districts = counts(layer(client, **params))
    county_layer = counts(layer(client, layer="counties", **params))
    shaded = {code for code, n in {**districts, **county_layer}.items() if n}
    html = client.get(reverse("partnerships:council-list"), params).content.decode()
    listed = set(re.findall(r'<th scope="row"><a href="/councils/([A-Z0-9]+)/', html))
    assert listed == shaded
    assert listed, "these filters match partnerships"
    partnerships = list_count(client, "partnerships:partnership-list", **params)
    assert partnerships >= 1
    map_html = client.get(reverse("partnerships:map"), params).content.decode()
    assert f"{partnerships} partnership{'s' if partnerships != 1 else ''} shown, involving " + (
        f"{len(shaded)} council"
    ) in re.sub(r"\s+", " ", map_html)
    if params == {"region": "london", "council_type": "county"}:
        # Hampshire's shared services (with London boroughs) now; HB Public Law's county
        # member, Buckinghamshire County Council, now stands as a unitary.
        assert partnerships == 1
        assert len(listed) > 2


# 6. Queries stay flat


def _query_counts(client, django_assert_max_num_queries, limit: int) -> None:
    urls = [
        (reverse("partnerships:map"), {}),
        (reverse("partnerships:map"), {"year": 2012, "selected": FOREST_HEATH}),
        (LAYER_URL, {"year": 2012}),
        (LAYER_URL, {"category": "legal"}),
        (reverse("partnerships:council-panel", args=[WEST_SUFFOLK]), {}),
        (reverse("partnerships:council-panel", args=[FOREST_HEATH]), {"year": 2012}),
        (reverse("partnerships:council-list"), {}),
        (reverse("partnerships:council-list"), {"year": 2012, "category": "legal"}),
        (reverse("partnerships:council-detail", args=[WEST_SUFFOLK]), {}),
        (reverse("partnerships:council-detail", args=[FOREST_HEATH]), {"year": 2012}),
    ]
    for url, params in urls:
        cache.clear()
        with django_assert_max_num_queries(limit):
            assert client.get(url, params).status_code == 200


def test_queries_per_map_and_council_page_stay_flat_at_ten_times_the_data(
    client, django_assert_max_num_queries
):
    _query_counts(client, django_assert_max_num_queries, 25)
    grow_data(10)
    _query_counts(client, django_assert_max_num_queries, 25)
