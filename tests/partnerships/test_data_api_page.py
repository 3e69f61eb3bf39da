"""The Data and API page, as someone who wants to reuse the data reads it: every download
with what it holds, its format, period and licence, each link working; the API's
addresses, examples, limits and pages; and the licence and attribution. And the GeoJSON
files they get carry the licence in the file itself."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnerships.licence import ATTRIBUTION, LICENCE_NAME, LICENCE_URL
from tests.axe import assert_no_violations

pytestmark = pytest.mark.usefixtures("empty_cache")

DATA = "/data/"


def text(html: str) -> str:
    html = re.sub(r"</?(a|code|strong)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.mark.django_db
def test_the_page_is_at_data_and_named_data_and_api(client, real_data):
    assert reverse("partnerships:data-api") == DATA
    response = client.get(DATA)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Data and API – Shared Services Map</title>" in html
    assert re.search(r"<h1>Data and API</h1>", html)


@pytest.mark.django_db
def test_every_download_is_listed_with_its_format_and_each_link_works(client, real_data):
    html = client.get(DATA).content.decode()
    links = dict(
        (unescape(label.strip()), unescape(href))
        for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    )
    expected = {
        "Download partnerships (CSV (UTF-8))": ("/partnerships/download.csv", "text/csv"),
        "Download savings figures (CSV (UTF-8))": ("/savings/download.csv", "text/csv"),
        "Download partnerships and savings workbook (XLSX (Excel))": (
            "/partnerships/download.xlsx",
            "application/vnd.openxmlformats",
        ),
        "Download figures: by service category (CSV (UTF-8))": (
            "/figures/by-category.csv",
            "text/csv",
        ),
        "Councils as a map layer (GeoJSON (WGS84))": ("/api/councils.geojson", "application/"),
        "Regions (GeoJSON (WGS84))": ("/api/regions.geojson", "application/"),
    }
    for label, (url, content_type) in expected.items():
        assert links.get(label) == url, label
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(content_type), url
    about_links = [href for href in re.findall(r'href="([^"]+-about\.txt)"', html)]
    # One About text for each CSV: two lists and the figures page's six tables.
    assert len(about_links) == 8
    for url in about_links:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"Licence: {LICENCE_NAME}" in response.content.decode()


@pytest.mark.django_db
def test_it_says_the_period_format_and_licence_of_the_files(client, real_data):
    page = text(client.get(DATA).content.decode())
    assert "Now by default" in page and "?year=2012" in page
    assert re.search(r"The published savings figures cover \d{4}/\d\d to \d{4}/\d\d\.", page)
    assert "UTF-8 with a byte order mark" in page and "the first line is the header" in page
    assert f"{LICENCE_NAME}, for every file on this page" in page
    html = client.get(DATA).content.decode()
    assert f'href="{LICENCE_URL}"' in html
    assert f'href="{reverse("partnerships:about-data")}"' in html
    assert "Contains OS data © Crown copyright and database right 2023–2025" in page


@pytest.mark.django_db
def test_it_gives_the_apis_addresses_examples_limits_and_pages(client, real_data, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "600/hour", "anon_burst": "60/min", "user": "9/day"},
    }
    page = text(client.get(DATA).content.decode())
    assert "Base address http://testserver/api/" in page
    assert "Schema http://testserver/api/schema/" in page
    assert "Interactive documentation" in page
    assert "60 requests a minute and 600 requests an hour from one address" in page
    assert "429 Too Many Requests" in page and "Retry-After" in page
    assert "Lists come in pages of 50" in page and "up to 500" in page
    examples = re.findall(r'curl -H "Accept: application/json" "([^"]+)"', page)
    assert len(examples) == 4
    # Each example request works and returns what the page says it does.
    for url in examples:
        response = client.get(url.removeprefix("http://testserver"), HTTP_ACCEPT="application/json")
        assert response.status_code == 200, url
        body = response.json()
        assert ("results" in body) or ("gss_code" in body), url
    legal = client.get(
        "/api/partnerships/?category=legal&region=south-east", HTTP_ACCEPT="application/json"
    ).json()
    assert legal["count"] >= 1 and legal["previous"] is None
    assert {"slug", "name", "categories", "councils", "source_links"} <= set(legal["results"][0])


@pytest.mark.django_db
def test_the_page_costs_a_fixed_number_of_queries(client, real_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get(DATA).status_code == 200


# The licence in the GeoJSON files


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/councils.geojson",
        "/api/councils.geojson?layer=counties&category=legal",
        "/api/regions.geojson",
        "/api/councils/E07000223/boundary/",
        "/map/councils.geojson",
    ],
)
def test_a_geojson_file_names_its_licence_and_attribution(client, real_data, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    geojson = json.loads(body)
    assert geojson["type"] in ("FeatureCollection", "Feature")
    assert geojson["licence"] == LICENCE_NAME
    assert geojson["licence_url"] == LICENCE_URL
    assert geojson["attribution"] == ATTRIBUTION
    if geojson["type"] == "FeatureCollection":
        assert geojson["features"]
        # The members are the file's, not repeated in each feature.
        assert "licence" not in geojson["features"][0]


# In a browser


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
def test_the_page_passes_axe_and_its_examples_wrap_at_both_widths(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + DATA)
    expect(page.get_by_role("heading", level=1)).to_have_text("Data and API")
    example = page.locator(".data-example__code").first
    expect(example).to_be_visible()
    # A long request wraps instead of scrolling out of the page.
    assert example.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_violations(page)
