"""No geometry is read unless it is drawn: the SQL behind every list, page, panel,
highlight, export and API list selects no boundary column (megabytes of GeoJSON), and
their queries stay flat at ten times the data. The layers and boundaries, which draw
shapes, are the only readers (see test_layer_cache)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Council, Partnership, PartnershipPublicBody, PublicBody
from tests.partnerships.factories import grow_data, partnership_with_members

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

ADUR, WORTHING, WEST_SUFFOLK = "E07000223", "E07000229", "E07000245"
ADUR_AND_WORTHING = "adur-worthing"
# A boundary column selected or read into Python; comparing one with '' (a filter
# keeping councils that have a shape) transfers nothing and is allowed.
BOUNDARY_COLUMN = re.compile(r'"boundary(_low)?"(?!\s*(=|<>|!=)\s*\'\')')

PAGES = [
    reverse("partnerships:partnership-list"),
    reverse("partnerships:partnership-list") + "?category=legal&region=south-east",
    reverse("partnerships:partnership-detail", args=[ADUR_AND_WORTHING]),
    reverse("partnerships:map"),
    reverse("partnerships:map") + f"?selected={ADUR}",
    reverse("partnerships:council-panel", args=[ADUR]),
    reverse("partnerships:council-panel", args=[WEST_SUFFOLK]) + "?year=2012",
    reverse("partnerships:council-list"),
    reverse("partnerships:council-list") + "?year=2012&category=legal",
    reverse("partnerships:figures"),
    reverse("partnerships:partnerships-csv"),
    reverse("partnerships:partnerships-xlsx") + "?region=london",
    reverse("partnerships:savings-csv"),
    "/api/partnerships/",
    "/api/partnerships/?category=legal",
    f"/api/partnerships/{ADUR_AND_WORTHING}/",
    "/api/savings/",
    "/api/councils/",
    f"/api/councils/{ADUR}/",
    "/api/regions/",
    "/api/public-bodies/",
]


def boundary_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if BOUNDARY_COLUMN.search(q["sql"])]


def fetched(client, url: str, **headers) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.content[:300])
    return queries


@pytest.mark.parametrize("url", PAGES)
def test_a_list_page_panel_export_or_api_list_reads_no_boundary(client, url):
    assert boundary_reads(fetched(client, url)) == []


def test_the_panel_asked_for_by_the_maps_script_reads_no_boundary(client):
    url = reverse("partnerships:council-panel", args=[ADUR])
    assert boundary_reads(fetched(client, url, HTTP_HX_REQUEST="true")) == []


def test_a_council_page_reads_only_the_boundary_it_draws(client):
    # The page draws the council's shape of its latest generation, and nothing else: not
    # its own two stored shapes, nor its region's, county's, neighbours' or bodies'.
    reads = boundary_reads(fetched(client, reverse("partnerships:council-detail", args=[ADUR])))
    assert len(reads) == 1
    read = reads[0]
    assert '"latest_boundary"' in read
    assert {m.group(0) for m in re.finditer(r'[\w"]+\."boundary(_low)?"', read)} == {
        'U0."boundary"'
    }
    assert "partnerships_generationcouncil" in read


def test_a_partnership_highlight_reads_a_boundary_only_to_build_a_bodys_area(client):
    # A partnership of councils only: its highlight names them, and draws no area.
    plain = partnership_with_members(
        Council.objects.get(gss_code=ADUR), Council.objects.get(gss_code=WORTHING)
    )
    url = reverse("partnerships:partnership-map", args=[plain.slug])
    assert boundary_reads(fetched(client, url)) == []
    # With a fire authority its outline is built from its own boundary once, then
    # served from the cache without reading it again.
    fire = PublicBody.objects.filter(kind="fire_rescue_authority").order_by("name").first()
    PartnershipPublicBody.objects.create(partnership=plain, public_body=fire)
    first = fetched(client, url)
    assert first and all("partnerships_publicbody" in sql for sql in boundary_reads(first))
    response = client.get(url)
    assert response.json()["areas"][0]["area"] is not None
    assert boundary_reads(fetched(client, url)) == []


def test_the_members_of_a_listed_partnership_are_there_without_their_shapes(client):
    # What the list shows of each member still comes from the same rows.
    page = client.get(reverse("partnerships:partnership-list")).content.decode()
    assert "Adur" in page and "Worthing" in page
    detail = client.get(reverse("partnerships:partnership-detail", args=[ADUR_AND_WORTHING]))
    assert "Adur" in detail.content.decode()


FLAT_PAGES = [
    # With the page's count and the four kinds of area the filters offer.
    (reverse("partnerships:partnership-list"), 10),
    (reverse("partnerships:partnership-list") + "?category=legal", 10),
    (reverse("partnerships:partnership-detail", args=[ADUR_AND_WORTHING]), 12),
    (reverse("partnerships:partnership-map", args=[ADUR_AND_WORTHING]), 6),
    (reverse("partnerships:council-panel", args=[ADUR]), 12),
]


def _each_within_its_count(client, django_assert_max_num_queries) -> None:
    for url, most in FLAT_PAGES:
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200


def test_lists_pages_and_highlights_take_the_same_queries_at_ten_times_the_data(
    client, django_assert_max_num_queries
):
    _each_within_its_count(client, django_assert_max_num_queries)
    grow_data(10)
    assert Partnership.objects.filter(published=True).count() > 600
    _each_within_its_count(client, django_assert_max_num_queries)
