"""For any filters, the year included, every view gives the same partnerships and the same
councils: the partnership list, the downloads, the API and the map's counts."""

import csv
import html as html_module
import io
import json
import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.models import Council
from tests.partnerships.listing import every_listed

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")


def _gss(short_name: str) -> str:
    return Council.objects.get(short_name=short_name, current=False).gss_code


def _gss_current(short_name: str) -> str:
    return Council.objects.get(short_name=short_name, current=True).gss_code


COMBINATIONS = [
    {},
    {"category": "legal"},
    {"region": "london", "council_type": "county"},
    {"status": "ended"},
    {"status": "proposed"},
    {"status": "unknown"},
    {"sector": "health"},
    {"q": "Suffolk"},
    {"savings": "1m-10m"},
    {"start_from": "2010", "start_to": "2015"},
    {"year": "2012"},
    {"year": "2019", "region": "east-of-england"},
    {"year": "2012", "category": "management-team-chief-executive"},
    {"year": "2024", "status": "ended"},
]


def _list_page(client, params) -> set[str]:
    return set(every_listed(client, urlencode(params)))


def _csv(client, params) -> tuple[set[str], set[str]]:
    response = client.get(f"/partnerships/download.csv?{urlencode(params)}")
    assert response.status_code == 200, response.content
    text = response.content.decode("utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    names = {row["Name"] for row in rows}
    codes = {
        code.strip()
        for row in rows
        for code in row["Councils counted: GSS codes"].split(";")
        if code.strip()
    }
    return names, codes


def _api(client, params) -> set[str]:
    response = client.get(f"/api/partnerships/?{urlencode({**params, 'page_size': 500})}")
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize("params", COMBINATIONS, ids=lambda p: urlencode(p) or "none")
def test_the_list_the_download_and_the_api_give_the_same_partnerships(client, params):
    listed = _list_page(client, params)
    downloaded, _codes = _csv(client, params)
    from_api = _api(client, params)
    assert listed == downloaded == from_api


ARP = "Anglia Revenues Partnership (ARP)"
HB = "HB Public Law"


def test_a_council_filter_finds_what_its_predecessors_share_now_and_the_predecessor_then(
    client,
):
    west_suffolk = _gss_current("West Suffolk")
    buckinghamshire, aylesbury_vale = _gss_current("Buckinghamshire"), _gss("Aylesbury Vale")
    now = _list_page(client, {"council": west_suffolk})
    assert ARP in now
    assert HB in _list_page(client, {"council": buckinghamshire})
    # Aylesbury Vale joined in 2015; Buckinghamshire Council was created in 2020.
    assert HB in _list_page(client, {"council": aylesbury_vale, "year": "2016"})
    assert HB not in _list_page(client, {"council": aylesbury_vale, "year": "2013"})
    assert _list_page(client, {"council": aylesbury_vale}) == set()
    assert _list_page(client, {"council": buckinghamshire, "year": "2016"}) == set()
    assert _api(client, {"council": west_suffolk}) == now
    assert _csv(client, {"council": west_suffolk})[0] == now


def test_the_councils_counted_are_that_years_councils(client):
    _names, now = _csv(client, {})
    _names, then = _csv(client, {"year": "2012"})
    north_yorkshire = _gss_current("North Yorkshire")
    assert north_yorkshire not in then
    assert _gss("Taunton Deane") in then and _gss("Taunton Deane") not in now
    assert _gss_current("West Suffolk") in now
    # Camden's only partnership has ended: it is not counted now.
    assert _gss_current("Camden") not in now


def test_an_ended_partnership_is_counted_only_when_asked_for(client):
    ended = _list_page(client, {"status": "ended"})
    assert ended and not ended & _list_page(client, {})


def test_a_year_outside_the_generations_is_refused_beside_the_field(client):
    response = client.get("/partnerships/?year=1800")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a map for each financial year from 2009/10 to" in html
    # No list of a made-up past: the page shows what it shows without the year.
    assert "As at 1800" not in html and "1800/01" not in html
    assert client.get("/partnerships/download.csv?year=1800").status_code == 400
    api = client.get("/api/partnerships/?year=1800")
    assert api.status_code == 400
    assert "2009/10" in api.content.decode()


def test_a_past_year_says_how_many_partnerships_it_leaves_out_and_why(client):
    html = client.get("/partnerships/?year=2012").content.decode()
    assert "reconstructed from start and end dates" in html
    assert re.search(r"\d+ partnerships? with no known start year (are|is) left out", html)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(year=st.integers(min_value=-(10**6), max_value=10**6))
def test_any_year_gives_that_years_view_or_the_message_never_an_error(client, year):
    from partnerships.models import financial_year_label
    from partnerships.timeline import FIRST_YEAR, current_financial_year

    response = client.get("/partnerships/", {"year": str(year)})
    assert response.status_code == 200
    page = html_module.unescape(response.content.decode())
    if FIRST_YEAR <= year <= current_financial_year():
        assert f"As at {financial_year_label(year)}" in page
    else:
        assert "There is a map for each financial year from 2009/10" in page
        assert not re.search(r"As at \d{4}/\d\d", page)
    api = client.get("/api/partnerships/", {"year": str(year)})
    assert api.status_code == (200 if FIRST_YEAR <= year <= current_financial_year() else 400)


def _shaded(client, url: str) -> tuple[set[str], int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    features = json.loads(response.content)["features"]
    return {f["properties"]["gss_code"] for f in features if f["properties"]["partnerships"]}, len(
        features
    )


@pytest.mark.parametrize("params", COMBINATIONS, ids=lambda p: urlencode(p) or "none")
def test_the_map_layers_shade_the_councils_the_download_counts(client, params):
    _names, counted = _csv(client, params)
    shaded = set()
    for layer in ("districts", "counties"):
        query = urlencode({**params, "layer": layer})
        on_the_map, _ = _shaded(client, f"/map/councils.geojson?{query}")
        from_api, _ = _shaded(client, f"/api/councils.geojson?{query}")
        assert on_the_map == from_api
        shaded |= on_the_map
    assert shaded == counted


def test_the_api_layer_honours_the_filters_and_draws_the_years_councils(client):
    everything, drawn_now = _shaded(client, "/api/councils.geojson")
    legal, _ = _shaded(client, "/api/councils.geojson?category=legal")
    assert legal and legal < everything
    _then, drawn_then = _shaded(client, "/api/councils.geojson?year=2012")
    assert (drawn_now, drawn_then) == (296, 326)
    assert client.get("/api/councils.geojson?year=1800").status_code == 400
