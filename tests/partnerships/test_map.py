"""The public map: its page, the councils' layers it draws and the panel a click opens."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from partnerships import timeline
from partnerships.map_layers import UPPER_TIER_TYPES
from partnerships.models import (
    Council,
    CouncilType,
    Partnership,
    PartnershipPublicBody,
    PublicBody,
    ServiceCategory,
)
from partnerships.services import partnerships_publish
from tests.partnerships.factories import grow_data, partnership_with_members
from tests.partnerships.listing import every_listed

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

ADUR = "E07000223"
MID_SUSSEX, HORSHAM = "E07000228", "E07000227"
WORTHING = "E07000229"
AMBER_VALLEY = "E07000171"  # Bassetlaw: a district in no partnership counted now
ADUR_AND_WORTHING = "adur-worthing"
LAYER_URL = reverse("partnerships:map-councils-layer")


def layer(client, **params) -> dict:
    response = client.get(LAYER_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def by_code(collection: dict) -> dict[str, dict]:
    return {f["properties"]["gss_code"]: f["properties"] for f in collection["features"]}


def panel(client, gss_code: str, **headers):
    return client.get(reverse("partnerships:council-panel", args=[gss_code]), **headers)


def fetch_panel(client, gss_code: str, **params):
    return client.get(
        reverse("partnerships:council-panel", args=[gss_code]),
        params,
        HTTP_HX_REQUEST="true",
    )


def _json_script(response, element_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'<script id="{element_id}" type="application/json">')
    start = html.index(">", start) + 1
    return html[start : html.index("</script>", start)]


# The map page


def test_the_map_page_names_england_and_states_the_numbers_in_words(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Shared services in England – Shared Services Map</title>" in html
    assert "<h1>Shared services in England</h1>" in html
    # Now: the 109 published partnerships less the 17 ended and 2 proposed.
    assert Partnership.objects.filter(published=True).count() == 109
    assert "90 shared-service partnerships are published" in html
    assert "296 district-level councils" in html
    assert "21 county councils" in html
    assert 'href="/councils/"' in html
    assert 'href="/partnerships/"' in html
    assert "The map needs JavaScript" in html  # said inside <noscript>


def test_the_map_page_gives_its_script_the_layer_address_and_a_legend(client):
    response = client.get("/")

    config = json.loads(_json_script(response, "map-config"))
    assert config["layerUrl"] == LAYER_URL
    assert config["detailZoom"] == 9
    assert config["tileUrl"] == ""  # plain background: no tile server by default
    assert [c["label"] for c in config["classes"]] == ["None", "1", "2 or 3", "4 or more"]
    html = response.content.decode()
    assert "Partnerships shown, per council" in html
    assert 'aria-live="polite"' in html
    assert "leaflet/leaflet" in html and "js/map/main.js" in html


def test_the_map_page_loads_its_modules_and_htmx_configured_for_the_strict_policy(client):
    html = client.get("/").content.decode()

    assert '<script type="module" src="/static/js/map/main.js"></script>' in html
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js" defer>', html)
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    config = json.loads(meta.group(1))
    # No <style> element of its own and no eval: the CSP refuses both.
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False


def test_a_configured_tile_server_reaches_the_map(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "&copy; Example"

    config = json.loads(_json_script(client.get("/"), "map-config"))

    assert config["tileUrl"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert config["tileAttribution"] == "&copy; Example"


# The layers


def test_the_default_layer_has_every_district_level_council_shaded_by_its_partnerships(client):
    collection = layer(client)

    councils = by_code(collection)
    assert collection["type"] == "FeatureCollection"
    assert len(councils) == 296
    assert not {p["type"] for p in councils.values()} & set(UPPER_TIER_TYPES)
    assert councils[ADUR]["name"] == "Adur"
    assert councils[ADUR]["partnerships"] == 2
    assert councils[ADUR]["url"] == f"/councils/{ADUR}/"
    assert councils[ADUR]["panel_url"] == f"/councils/{ADUR}/panel/"
    assert councils[AMBER_VALLEY]["partnerships"] == 0
    adur = next(f for f in collection["features"] if f["id"] == ADUR)
    assert adur["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_former_councils_are_not_on_the_map(client):
    codes = set(by_code(layer(client)))

    former = set(Council.objects.filter(current=False).values_list("gss_code", flat=True))
    assert former and not codes & former


def test_the_counties_layer_has_the_21_county_councils(client):
    councils = by_code(layer(client, layer="counties"))

    assert len(councils) == 21
    assert {p["type"] for p in councils.values()} == {CouncilType.COUNTY}


def test_the_detailed_layer_of_a_box_has_only_the_councils_in_it(client):
    # Around Worthing and Brighton.
    detailed = layer(client, detail="high", bbox="-0.45,50.78,-0.1,50.9")

    councils = by_code(detailed)
    assert {ADUR, WORTHING} <= set(councils)
    assert "E06000057" not in councils  # Northumberland
    assert len(councils) < 20
    adur = next(f for f in detailed["features"] if f["id"] == ADUR)
    stored = json.loads(Council.objects.get(gss_code=ADUR).boundary)
    assert adur["geometry"] == stored


def test_a_partnership_layer_has_only_its_member_councils(client):
    members = by_code(layer(client, partnership=ADUR_AND_WORTHING))

    assert set(members) == {ADUR, WORTHING}


def test_a_partnership_layer_includes_members_of_every_tier(client):
    county = Council.objects.get(gss_code="E10000003")  # Cambridgeshire
    district = Council.objects.get(gss_code=AMBER_VALLEY)
    partnership = partnership_with_members(county, district)

    members = layer(client, partnership=partnership.slug)["features"]

    # The county first, so the smaller district draws on top of it.
    assert [f["id"] for f in members] == ["E10000003", AMBER_VALLEY]


def test_an_unpublished_or_unknown_partnership_has_no_layer(client):
    Partnership.objects.filter(slug=ADUR_AND_WORTHING).update(published=False)

    assert client.get(LAYER_URL, {"partnership": ADUR_AND_WORTHING}).status_code == 404
    assert client.get(LAYER_URL, {"partnership": "no-such-thing"}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"layer": "regions"}, {"detail": "medium"}, {"bbox": "1,2,3"}, {"bbox": "1,2,0,3"}],
)
def test_a_layer_request_the_map_does_not_understand_is_refused(client, params):
    assert client.get(LAYER_URL, params).status_code == 400


def test_a_layer_is_compressed_cached_and_revalidated_with_its_etag(client):
    first = client.get(LAYER_URL, HTTP_ACCEPT_ENCODING="gzip")

    assert first.status_code == 200
    assert first["Content-Encoding"] == "gzip"
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    assert first["ETag"]

    again = client.get(LAYER_URL, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""

    counties = client.get(LAYER_URL, {"layer": "counties"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert counties.status_code == 200  # another layer, another tag


def test_unpublishing_a_partnership_takes_it_off_the_map_at_once(client):
    etag = client.get(LAYER_URL)["ETag"]
    assert by_code(layer(client))[ADUR]["partnerships"] == 2

    # The LGA's publish action updates rows in bulk, which sends no signals.
    partnerships_publish(
        partnerships=Partnership.objects.filter(slug=ADUR_AND_WORTHING), published=False
    )

    assert client.get(LAYER_URL, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert by_code(layer(client))[ADUR]["partnerships"] == 1
    assert by_code(layer(client))[WORTHING]["partnerships"] == 0

    partnerships_publish(
        partnerships=Partnership.objects.filter(slug=ADUR_AND_WORTHING), published=True
    )

    assert by_code(layer(client))[ADUR]["partnerships"] == 2


def test_a_partnership_saved_as_unpublished_leaves_the_map(client):
    assert by_code(layer(client))[WORTHING]["partnerships"] == 1
    partnership = Partnership.objects.get(slug=ADUR_AND_WORTHING)

    partnership.published = False
    partnership.save()

    assert by_code(layer(client))[WORTHING]["partnerships"] == 0


def test_a_new_partnership_shows_on_the_map(client):
    assert by_code(layer(client))[AMBER_VALLEY]["partnerships"] == 0

    partnership_with_members(
        Council.objects.get(gss_code=AMBER_VALLEY), Council.objects.get(gss_code=ADUR)
    )

    councils = by_code(layer(client))
    assert councils[AMBER_VALLEY]["partnerships"] == 1
    assert councils[ADUR]["partnerships"] == 3  # Adur and Worthing, CenSus and this one


def test_a_renamed_council_is_renamed_on_the_map(client):
    assert by_code(layer(client))[ADUR]["name"] == "Adur"
    council = Council.objects.get(gss_code=ADUR)

    council.short_name = "Adur District"
    council.save()

    assert by_code(layer(client))[ADUR]["name"] == "Adur District"


# The panel


def test_the_panel_lists_a_councils_published_partnerships_with_their_members(client):
    response = fetch_panel(client, ADUR)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment for the map's script
    assert '<h2 class="council-panel__title" tabindex="-1">Adur</h2>' in html
    assert "District council" in html
    assert "In two published partnerships" in html
    assert (
        f'<a href="/partnerships/{ADUR_AND_WORTHING}/">Adur and Worthing Councils partnership</a>'
        in html
    )
    assert "Revenues and benefits" in html  # CenSus's service category
    assert "With Worthing" in html
    assert "With Mid Sussex, Horsham" in html or "With Horsham, Mid Sussex" in html
    assert "With Adur" not in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_the_panel_leaves_out_unpublished_partnerships(client):
    Partnership.objects.filter(slug=ADUR_AND_WORTHING).update(published=False)

    html = fetch_panel(client, ADUR).content.decode()

    assert "Adur and Worthing Councils partnership" not in html
    assert "In one published partnership:" in html
    assert "No published partnerships yet" in fetch_panel(client, WORTHING).content.decode()


def test_the_panel_of_a_council_with_no_partnerships_says_so(client):
    html = fetch_panel(client, AMBER_VALLEY).content.decode()

    assert "Bassetlaw" in html
    assert "No published partnerships yet." in html


def test_the_panel_opened_without_javascript_is_a_page_of_its_own(client):
    response = panel(client, ADUR)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Adur on the map – Shared Services Map</title>" in html
    assert '<h1 class="council-panel__title">Adur</h1>' in html
    assert "Adur and Worthing Councils partnership" in html
    assert f'href="/?selected={ADUR}"' in html


def test_the_panel_of_an_unknown_council_is_not_found(client):
    assert fetch_panel(client, "E99999999").status_code == 404
    assert panel(client, "E99999999").status_code == 404


# Query counts stay the same as the data grows


def _query_counts_are_constant(client, django_assert_max_num_queries):
    category = ServiceCategory.objects.first()
    partnership_with_members(
        Council.objects.get(gss_code=ADUR),
        Council.objects.get(gss_code=AMBER_VALLEY),
        categories=[category],
        slug="query-count-partnership",
    )
    cache.clear()
    # A layer: the period's generation and snapshot, the generation drawn, the counts
    # in the period, the data version and the layer's councils once built.
    with django_assert_max_num_queries(5):
        layer(client)
    with django_assert_max_num_queries(5):
        layer(client, detail="high", bbox="-1,50,1,52")
    with django_assert_max_num_queries(7):
        layer(client, partnership="query-count-partnership")
    # The panel: the period, the council, its partnerships (through stand-ins) with
    # categories, members, the ledger's counted years and the figures (the latest one's
    # source).
    with django_assert_max_num_queries(9):
        assert fetch_panel(client, ADUR).status_code == 200
    # The page: the period, two summary counts, the filters' choices (regions,
    # categories, the four kinds of area in one query) and the categories' colours.
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/", {"category": "legal", "year": "2018"}).status_code == 200
    # A filtered layer: the filters' checks and lookups, the counts and the data version.
    with django_assert_max_num_queries(7):
        layer(client, category="legal", region="south-east", savings="none")
    # A filtered panel: the category's choices, read to check and to name it.
    with django_assert_max_num_queries(11):
        assert fetch_panel(client, ADUR, category=category.slug).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("partnerships:partnership-map", args=[ADUR_AND_WORTHING]))
    # The search box: councils, partnerships, public bodies and categories.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("partnerships:search"), {"q": "ad"}).status_code == 200


def test_the_map_costs_a_fixed_number_of_queries_with_the_real_data(
    client, django_assert_max_num_queries
):
    _query_counts_are_constant(client, django_assert_max_num_queries)


def test_the_map_costs_the_same_queries_with_ten_times_the_partnerships(
    client, django_assert_max_num_queries
):
    grow_data(10)
    assert Partnership.objects.count() > 600

    _query_counts_are_constant(client, django_assert_max_num_queries)


# Filters in the address drive the shading, the list and the links alike


def listed(client, query: str) -> set[str]:
    return set(every_listed(client, query))


@pytest.mark.parametrize(
    "query",
    [
        "category=legal",
        "region=south-east&status=operational",
        "sector=health",
        "council_type=county&savings=none",
        "start_from=2015&start_to=2018",
        "year=2012",
        "q=sussex",
    ],
)
def test_the_filtered_layer_counts_exactly_the_partnerships_the_list_shows(client, query):
    names = listed(client, query)
    params = dict(p.split("=") for p in query.split("&"))
    period = timeline.period_for(int(params["year"]) if "year" in params else None)
    ids = Partnership.objects.filter(name__in=names, published=True).values_list("pk", flat=True)
    # Each council of the period counts each partnership once, through its own
    # membership or those of the former councils it stands for.
    expected: dict[str, int] = {}
    for councils in timeline.counted_councils(list(ids), period).values():
        for council in councils:
            expected[council.gss_code] = expected.get(council.gss_code, 0) + 1

    districts = by_code(layer(client, **dict(p.split("=") for p in query.split("&"))))
    counties = by_code(
        layer(client, layer="counties", **dict(p.split("=") for p in query.split("&")))
    )

    assert names
    shaded = {code: p["partnerships"] for code, p in {**districts, **counties}.items()}
    assert {code: n for code, n in shaded.items() if n} == {
        code: n for code, n in expected.items() if code in shaded
    }


def test_the_map_page_states_the_filtered_count_and_carries_the_filters_to_every_link(client):
    response = client.get("/", {"category": "legal", "year": "2018"})

    html = response.content.decode()
    count = len(listed(client, "category=legal&year=2018"))
    assert f"{count} partnerships shown" in html
    for url in (
        "/partnerships/?category=legal&amp;year=2018",
        "/councils/?category=legal&amp;year=2018",
        "/partnerships/download.csv?category=legal&amp;year=2018",
        "/partnerships/download.xlsx?category=legal&amp;year=2018",
        "/savings/download.csv?category=legal&amp;year=2018",
        "/figures/?category=legal&amp;year=2018",
    ):
        assert f'href="{url}"' in html, url
    assert '<option value="2018" selected>2018/19</option>' in html
    assert '<option value="legal" selected>Legal</option>' in html
    config = json.loads(_json_script(response, "map-config"))
    assert config["filterQuery"] == "category=legal&year=2018"


def test_a_bad_filter_on_the_map_is_explained_and_the_others_still_apply(client):
    html = client.get("/", {"category": "legal", "savings": "loads"}).content.decode()

    assert "<title>Error: Shared services in England" in html
    assert "There is no savings band “loads”." in html
    assert f"{len(listed(client, 'category=legal'))} partnerships shown" in html


def test_a_filter_changed_under_the_script_gets_only_the_parts_that_follow_it(client):
    response = client.get("/", {"category": "legal", "year": "2018"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="council-map"' not in html
    count = len(listed(client, "category=legal&year=2018"))
    for part in ("map-errors", "map-results", "map-in-words-summary"):
        assert re.search(f'id="{part}"[^>]* hx-swap-oob="true"', html), part
    assert f"{count} partnerships shown" in html
    assert 'href="/partnerships/?category=legal&amp;year=2018"' in html
    events = json.loads(response["HX-Trigger-After-Swap"])
    # The filters understood, and the layer files of that year's councils.
    assert list(events) == ["map:filtered"]
    assert events["map:filtered"]["filterQuery"] == "category=legal&year=2018"
    assert events["map:filtered"]["layerFiles"]["districts"]["low"].endswith(
        "/districts-low-G2009.geojson"
    )
    assert "HX-Request" in response["Vary"]
    # The whole page, asked without htmx, is still the page.
    assert "<html" in client.get("/", {"category": "legal"}).content.decode()


def test_a_bad_filter_changed_under_the_script_is_explained_in_its_parts(client):
    response = client.get("/", {"category": "legal", "savings": "loads"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "There is no savings band “loads”." in html
    assert f"{len(listed(client, 'category=legal'))} partnerships shown" in html
    filtered = json.loads(response["HX-Trigger-After-Swap"])["map:filtered"]
    assert filtered["filterQuery"] == "category=legal"
    assert set(filtered["layerFiles"]) == {"districts", "counties"}


def test_a_year_without_a_map_chosen_under_the_script_goes_to_the_page_that_says_so(client):
    response = client.get("/", {"year": 1800}, HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == "/?year=1800"


def test_the_year_selector_offers_the_years_in_the_data_and_shows_what_ran_then(client):
    later = partnership_with_members(
        Council.objects.get(gss_code=AMBER_VALLEY), start_year=2019, slug="began-2019"
    )
    ended = partnership_with_members(
        Council.objects.get(gss_code=AMBER_VALLEY),
        start_year=2010,
        slug="ended-2014",
        status="ended",
    )
    Partnership.objects.filter(pk=ended.pk).update(end_year=2014)
    running = partnership_with_members(
        Council.objects.get(gss_code=AMBER_VALLEY), start_year=2016, slug="running"
    )

    html = client.get("/").content.decode()
    assert '<option value="2019">2019/20</option>' in html
    # Every financial year with a council generation, and none before it.
    assert '<option value="2009">2009/10</option>' in html
    assert '<option value="2008">' not in html

    names = listed(client, "year=2018")
    assert running.name in names
    assert later.name not in names
    assert ended.name not in names
    assert by_code(layer(client, year="2018"))[AMBER_VALLEY]["partnerships"] == 1
    assert by_code(layer(client, year="2012"))[AMBER_VALLEY]["partnerships"] == 1  # ended-2014
    # Now: the two running ones; the ended one only when asked for.
    assert by_code(layer(client))[AMBER_VALLEY]["partnerships"] == 2
    assert by_code(layer(client, status="ended"))[AMBER_VALLEY]["partnerships"] == 1


def test_a_filtered_layer_has_its_own_etag(client):
    plain = client.get(LAYER_URL)
    legal = client.get(LAYER_URL, {"category": "legal"})

    assert plain["ETag"] != legal["ETag"]
    again = client.get(LAYER_URL, {"category": "legal"}, HTTP_IF_NONE_MATCH=legal["ETag"])
    assert again.status_code == 304


def test_the_filtered_panel_lists_only_the_councils_matching_partnerships(client):
    html = fetch_panel(client, ADUR, category="revenues-and-benefits").content.decode()

    assert "CenSus Revenues and Benefits Partnership" in html
    assert "Among the partnerships shown" in html
    assert f'data-members="{MID_SUSSEX},{HORSHAM}"' in html or (
        f'data-members="{HORSHAM},{MID_SUSSEX}"' in html
    )
    assert 'data-category="revenues-and-benefits"' in html


def test_without_javascript_the_map_page_and_list_follow_the_filters(client):
    html = client.get("/", {"sector": "health"}).content.decode()
    assert "The map needs JavaScript" in html
    assert 'href="/partnerships/?sector=health"' in html
    assert 'href="/councils/?sector=health"' in html

    names = listed(client, "sector=health")
    assert names == {
        "Hoople Ltd",
        "Manchester Local Care Organisation",
        "Salford integrated care organisation (Salford Together)",
        "Torbay integrated health and adult social care",
        "Wirral Council adult social care contracts with NHS trusts",
    }
    councils = client.get("/councils/", {"sector": "health"}).content.decode()
    assert "Matching partnerships" in councils


# Highlights


def highlight(client, slug: str):
    return client.get(reverse("partnerships:partnership-map", args=[slug]))


def test_a_chosen_partnership_names_its_members_and_marks_public_bodies_without_an_area(client):
    response = highlight(client, "hoople")

    data = json.loads(response.content)
    assert response.status_code == 200
    assert data["name"] == "Hoople Ltd"
    assert [m["gss_code"] for m in data["members"]] == ["E06000019"]  # Herefordshire
    bodies = {b["name"]: b for b in data["bodies"]}
    assert set(bodies) == {"NHS Herefordshire", "Wye Valley NHS Trust"}
    wye = bodies["Wye Valley NHS Trust"]
    assert wye["sector"] == "Health" and wye["area_key"] == "" and wye["covers"] == []
    assert data["areas"] == []
    herefordshire = Council.objects.get(gss_code="E06000019")
    assert wye["marker"] == [
        round(herefordshire.latitude, 5),
        round(herefordshire.longitude, 5),
    ]


def test_a_public_body_with_an_area_is_drawn_as_its_area_and_names_the_councils_it_covers(
    client,
):
    sussex_police = PublicBody.objects.get(kind="police_force_area", name="Sussex")
    PartnershipPublicBody.objects.create(
        partnership=Partnership.objects.get(slug=ADUR_AND_WORTHING), public_body=sussex_police
    )

    data = json.loads(highlight(client, ADUR_AND_WORTHING).content)

    (police,) = data["bodies"]
    covered = set(
        Council.objects.filter(police_force_area=sussex_police, current=True)
        .exclude(council_type__in=UPPER_TIER_TYPES)
        .values_list("gss_code", flat=True)
    )
    assert set(police["covers"]) == covered and {ADUR, WORTHING} <= covered
    (area,) = data["areas"]
    assert area["key"] == police["area_key"] and area["names"] == ["Sussex"]
    assert area["area"]["type"] in {"Polygon", "MultiPolygon"}
    assert police["marker"] is None


def test_an_unpublished_partnership_has_no_highlight(client):
    Partnership.objects.filter(slug=ADUR_AND_WORTHING).update(published=False)

    assert highlight(client, ADUR_AND_WORTHING).status_code == 404
    assert highlight(client, "no-such-thing").status_code == 404


def test_a_council_chosen_in_the_address_has_its_panel_without_javascript(client):
    html = client.get("/", {"selected": WORTHING.lower(), "category": "legal"}).content.decode()

    assert '<h2 class="council-panel__title" tabindex="-1">Worthing</h2>' in html
    assert "In none of the partnerships shown." in html
    config = json.loads(_json_script(client.get("/", {"selected": ADUR}), "map-config"))
    assert config["council"] == ADUR
    panel_html = client.get("/", {"selected": ADUR}).content.decode()
    assert "CenSus Revenues and Benefits Partnership" in panel_html
    assert "data-show-partnership" not in panel_html  # buttons need the script
