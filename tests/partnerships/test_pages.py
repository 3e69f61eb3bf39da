"""The public pages, as a member of the public uses them: browsing partnerships and
councils, filtering and sorting, and reading where the data comes from."""

import html as html_module
import itertools
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from partnerships.filters import PartnershipFilter
from partnerships.models import (
    Council,
    NoSavingsReason,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsKind,
)
from tests.partnerships.factories import SavingsRecordFactory, grow_data
from tests.partnerships.listing import every_listed

pytestmark = pytest.mark.usefixtures("real_data")

ADUR, WORTHING, SURREY = "E07000223", "E07000229", "E10000030"
TAUNTON_DEANE, SOMERSET_WEST_AND_TAUNTON = "E07000190", "E07000246"

PARTNERSHIP_LIST = reverse("partnerships:partnership-list")
COUNCIL_LIST = reverse("partnerships:council-list")
ABOUT_DATA = reverse("partnerships:about-data")


def partnership_url(slug: str) -> str:
    return reverse("partnerships:partnership-detail", args=[slug])


def council_url(gss_code: str) -> str:
    return reverse("partnerships:council-detail", args=[gss_code])


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def text(html: str) -> str:
    """The page as a reader sees it: inline tags gone, block tags a space, entities
    decoded, spaces collapsed."""
    html = re.sub(r"</?(a|strong|span|em|code)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def listed_partnerships(html: str) -> list[str]:
    """The partnership names in the results table, in order."""
    names = re.findall(r'<th scope="row"><a href="/partnerships/[^"]+/">([^<]+)</a>', html)
    return [html_module.unescape(name) for name in names]


# --- The list of partnerships --------------------------------------------------------


def test_the_partnership_list_shows_every_published_partnership_with_its_details(client):
    first = page(client, PARTNERSHIP_LIST)
    second = page(client, f"{PARTNERSHIP_LIST}?page=2")
    html = first + second
    seen = text(html)

    # Now: the 109 published partnerships less the 17 ended and 2 proposed, fifty a page.
    assert "90 partnerships: 1 to 50 on this page" in text(first)
    assert "90 partnerships: 51 to 90 on this page" in text(second)
    names = listed_partnerships(first) + listed_partnerships(second)
    assert len(names) == len(set(names)) == 90
    assert f'<a href="{partnership_url("orbis")}">Orbis</a>' in html
    assert "Brighton and Hove, East Sussex, Surrey" in seen
    assert "Finance and audit" in seen
    assert "£16,000,000" in seen
    assert "Operational" in seen and "Ended" in seen


def test_filtering_by_service_category_narrows_the_list(client):
    html = page(client, f"{PARTNERSHIP_LIST}?category=legal")

    names = listed_partnerships(html)
    assert "Mid Kent Legal Services" in names
    assert "Orbis" not in names
    assert f"{len(names)} partnerships" in text(html)
    assert len(names) == 6  # legal partnerships counted now


def test_filtering_by_region_keeps_partnerships_with_a_member_there(client):
    by_slug = listed_partnerships(page(client, f"{PARTNERSHIP_LIST}?region=south-east"))
    south_east = Region.objects.get(name="South East")

    assert "Orbis" in by_slug
    assert "Anglia Revenues Partnership (ARP)" not in by_slug
    assert 0 < len(by_slug) < 65
    for name in by_slug:
        members = Partnership.objects.get(name=name).councils.values_list("region", flat=True)
        assert south_east.pk in members


def test_filtering_by_council_shows_only_its_partnerships_whatever_the_case_of_the_code(client):
    upper = page(client, f"{PARTNERSHIP_LIST}?council={ADUR}")
    lower = page(client, f"{PARTNERSHIP_LIST}?council={ADUR.lower()}")

    assert listed_partnerships(upper) == [
        "Adur and Worthing Councils partnership",
        "CenSus Revenues and Benefits Partnership",
    ]
    assert listed_partnerships(lower) == listed_partnerships(upper)
    assert "Council: Adur" in text(upper)


def test_filters_combine(client):
    html = page(client, f"{PARTNERSHIP_LIST}?category=finance-and-audit&council={SURREY}")

    assert listed_partnerships(html) == ["Orbis"]
    assert "1 partnership " in text(html)


def test_sorting_by_savings_puts_the_largest_figure_first_and_those_without_last(client):
    html = page(client, f"{PARTNERSHIP_LIST}?sort=-savings")
    cells = re.findall(
        r'<td class="num">(£[\d,.]+|<span class="muted">No figure</span>)</td>', html
    )
    amounts = [Decimal(c[1:].replace(",", "")) for c in cells if c.startswith("£")]
    # Every partnership counted now with an achieved figure the ledger counts.
    counted = [p for p in PartnershipFilter({}).qs if p.achieved_total is not None]

    assert len(amounts) == len(counted) > 15
    assert amounts == sorted(amounts, reverse=True)
    assert all(c.startswith("£") for c in cells[: len(counted)])
    assert not any(c.startswith("£") for c in cells[len(counted) :])
    assert 'aria-sort="descending"' in html


def test_the_list_headings_sort_it_and_keep_the_filters(client):
    html = page(client, f"{PARTNERSHIP_LIST}?category=legal&sort=-savings&page=1")

    assert sort_heading(html, "Achieved savings") == ("descending", "?category=legal&sort=savings")
    assert sort_heading(html, "Started") == ("", "?category=legal&sort=start")
    assert sort_heading(html, "Partnership") == ("", "?category=legal&sort=name")
    assert "(sort achieved savings (smallest first))" in text(html)
    newest = page(
        client,
        PARTNERSHIP_LIST
        + sort_heading(page(client, PARTNERSHIP_LIST + "?sort=start"), "Started")[1],
    )
    assert sort_heading(newest, "Started")[0] == "descending"


def test_sorting_by_start_year_puts_the_oldest_first(client):
    names = every_listed(client, "sort=start")
    years = dict(Partnership.objects.values_list("name", "start_year"))
    known = [years[name] for name in names if years[name] is not None]

    assert known == sorted(known)
    assert years[names[0]] == min(known)
    assert years[names[-1]] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=atlantis", "There is no region “atlantis”."),
        ("category=knitting", "There is no service category “knitting”."),
        ("savings=loads", "There is no savings band “loads”."),
        ("status=lost", "There is no status “lost”."),
        ("sort=sideways", "“sideways” is not a way to sort this list."),
    ],
)
def test_a_filter_value_that_makes_no_sense_is_explained_not_an_error_page(client, query, message):
    html = page(client, f"{PARTNERSHIP_LIST}?{query}")

    assert "<title>Error: Partnerships" in html
    assert "There is a problem with the filters" in html
    assert message in text(html)
    assert 'aria-invalid="true"' in html
    assert "90 partnerships" in text(html)  # what "now" counts, the bad filter left out
    assert len(every_listed(client, query)) == 90


def test_a_bad_filter_is_left_out_while_the_good_ones_still_apply(client):
    html = page(client, f"{PARTNERSHIP_LIST}?category=legal&region=atlantis")

    assert len(listed_partnerships(html)) == 6  # the legal ones counted now
    assert "There is no region “atlantis”." in text(html)


# --- A partnership's page ------------------------------------------------------------


def test_a_partnership_page_shows_members_savings_and_sources(client):
    html = page(client, partnership_url("lgss"))
    seen = text(html)

    assert "<h1>LGSS (Local Government Shared Services)</h1>" in html
    for gss_code, name in [
        ("E10000003", "Cambridgeshire County Council"),
        ("E06000042", "Milton Keynes"),
    ]:
        assert f'href="{council_url(gss_code)}"' in html
        assert name in seen
    assert "Northamptonshire County Council – a former council" in seen
    assert "£3,790,000" in seen
    assert "2011/12" in seen
    assert "total ongoing savings from LGSS of £3.79m" in seen
    assert 'href="https://www.lgss.co.uk/"' in html
    assert "Ended" in seen


def test_orbis_shows_its_totals_and_a_map_of_its_members(client):
    html = page(client, partnership_url("orbis"))
    seen = text(html)

    assert "Achieved savings in total £16,000,000" in seen
    assert "Latest achieved figure £16,000,000 in 2015/16 to 2018/19" in seen
    assert ">Savings figures by financial year</caption>" in html
    layer = reverse("partnerships:map-councils-layer")
    assert f'data-layer-url="{layer}?partnership=orbis"' in html
    assert 'data-highlight="E06000043,E10000011,E10000030"' in html
    assert 'id="partnership-map"' in html
    assert "js/map/main.js" in html and "leaflet" in html


def test_the_lead_member_is_marked(client):
    seen = text(page(client, partnership_url("census-revenues-benefits")))

    assert "Mid Sussex District Council (lead)" in seen
    assert "Horsham District Council (lead)" not in seen


def test_public_bodies_are_listed_with_their_sector(client):
    seen = text(
        page(
            client,
            partnership_url("hampshire-shared-services-ibc"),
        )
    )

    assert "Hampshire & Isle of Wight Constabulary (Police)" in seen
    assert "Hampshire & Isle of Wight Fire & Rescue Service (Fire and rescue)" in seen
    assert "Partner sectors Fire and rescue, Police" in seen


def test_a_partnership_without_figures_says_why(client):
    Partnership.objects.filter(slug="achieving-for-children").update(
        no_savings_reason=NoSavingsReason.NOT_FOR_SAVINGS
    )

    seen = text(page(client, partnership_url("achieving-for-children")))

    assert "No savings figure is recorded for this partnership." in seen
    assert "Reason: Not set up to save money." in seen


def test_an_unpublished_partnership_is_not_found_and_not_listed(client):
    Partnership.objects.filter(slug="orbis").update(published=False)

    page(client, partnership_url("orbis"), status=404)
    assert "Orbis" not in listed_partnerships(page(client, PARTNERSHIP_LIST))
    assert "89 partnerships" in text(page(client, PARTNERSHIP_LIST))
    assert "Orbis" not in page(client, council_url(SURREY))
    page(client, partnership_url("no-such-partnership"), status=404)


def test_contact_details_never_appear_on_a_public_page(client):
    Partnership.objects.filter(slug="orbis").update(
        contact_name="Zebedee Quartermain",
        contact_email="zebedee.private@example.org",
        contact_phone="01632 960 123",
    )
    urls = [
        PARTNERSHIP_LIST,
        f"{PARTNERSHIP_LIST}?council={SURREY}",
        partnership_url("orbis"),
        COUNCIL_LIST,
        council_url(SURREY),
        ABOUT_DATA,
    ]
    for url in urls:
        html = page(client, url)
        for secret in ("Zebedee", "zebedee.private@example.org", "01632 960 123"):
            assert secret not in html, f"{secret} shown on {url}"


# --- The list of councils ------------------------------------------------------------


def test_the_council_list_shows_current_councils_by_region(client):
    html = page(client, COUNCIL_LIST)
    seen = text(html)

    # Today's generation: 296 district-level councils and 21 counties.
    assert "317 councils" in seen
    assert len(re.findall(r"<h2 id=\"region-", html)) == 9
    assert '<h2 id="region-south-east">South East</h2>' in html
    assert f'<a href="{council_url(ADUR)}">Adur</a>' in html
    assert "Taunton Deane" not in seen
    adur_row = re.search(rf'{council_url(ADUR)}">Adur</a></th>(.*?)</tr>', html, re.S).group(1)
    assert "District council" in adur_row
    assert '<td class="num">2</td>' in adur_row


def test_the_council_list_filters_by_region_and_type(client):
    london = page(client, f"{COUNCIL_LIST}?region=london")
    counties = page(client, f"{COUNCIL_LIST}?council_type=county")
    both = page(client, f"{COUNCIL_LIST}?region=south-east&council_type=county")

    # Only the councils in the partnerships that match are listed, as the map shades
    # them: councils in a partnership with a London member, wherever they are.
    london_count = int(re.search(r"(\d+) councils?", text(london)).group(1))
    assert 0 < london_count < 317
    assert "Adur" not in text(london)
    assert "Camden" not in text(london)  # its only partnership has ended
    assert "Harrow" in text(london)  # HB Public Law
    assert "Surrey" in text(counties)
    assert "South East" in text(both) and "Surrey" in text(both)
    assert "Only councils in at least one of the partnerships that match" in text(both)


def test_the_council_list_explains_a_type_it_does_not_know(client):
    html = page(client, f"{COUNCIL_LIST}?council_type=parish")

    assert "There is no type of council “parish”." in text(html)
    assert "317 councils" not in text(html)  # never more than was asked for


def council_rows(html: str) -> list[tuple[str, int]]:
    """The council list's rows as a reader meets them: (name, count), in page order."""
    return [
        (unescape(name), int(count))
        for name, count in re.findall(
            r'<th scope="row"><a href="/councils/[^"]+/">([^<]+)</a></th>.*?'
            r'<td class="num">(\d+)</td>',
            html,
            re.S,
        )
    ]


def sort_heading(html: str, words: str) -> tuple[str, str]:
    """A column heading of the council list: (its aria-sort, or "", and its link)."""
    match = re.search(
        r'<th scope="col"[^>]*?(?: aria-sort="(\w+)")?>\s*<a href="([^"]+)" class="sort-link">'
        + re.escape(words),
        html,
    )
    assert match, words
    return match.group(1) or "", unescape(match.group(2))


def test_the_council_list_sorts_by_the_number_of_partnerships_most_first_and_back(client):
    html = page(client, f"{COUNCIL_LIST}?category=legal")
    aria_sort, link = sort_heading(html, "Matching partnerships")
    assert aria_sort == ""  # sorted by region, under a heading for each
    assert "category=legal" in link and "order=-partnerships" in link

    most_first = page(client, COUNCIL_LIST + link)
    rows = council_rows(most_first)
    counts = [count for _name, count in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1] >= 1
    # Ties by name, A to Z; one table with each council's region, no region headings.
    for (name, count), (next_name, next_count) in itertools.pairwise(rows):
        if count == next_count:
            assert name.casefold() <= next_name.casefold()
    assert '<h2 id="region-' not in most_first
    assert "<td>South East</td>" in most_first or "<td>London</td>" in most_first
    aria_sort, back = sort_heading(most_first, "Matching partnerships")
    assert aria_sort == "descending"
    assert "(sort fewest partnerships first)" in text(most_first)

    fewest_first = council_rows(page(client, COUNCIL_LIST + back))
    assert [count for _n, count in fewest_first] == sorted(counts)
    # The filters travel with the sort; the sort does not travel to the other views.
    assert len(fewest_first) == len(rows)
    assert "order=" not in re.search(r'data-view-link="map"[^>]*>', most_first).group(0)
    assert "order=" not in re.search(r'href="([^"]*)" data-view-link="list"', most_first).group(1)


def test_the_council_list_sorts_by_name_and_by_type(client):
    z_to_a = council_rows(page(client, f"{COUNCIL_LIST}?order=-name"))
    names = [name.casefold() for name, _count in z_to_a]
    assert len(names) == 317 and names == sorted(names, reverse=True)

    html = page(client, f"{COUNCIL_LIST}?order=type")
    assert sort_heading(html, "Type")[0] == "ascending"
    types = re.findall(r"</td>\s*<td>([^<]+)</td>\s*<td class=\"num\">", html)
    assert len(types) == 317 and types == sorted(types, key=str.casefold)
    assert types[0] != types[-1]


def test_the_council_list_can_leave_out_or_keep_the_councils_in_none(client):
    every = council_rows(page(client, COUNCIL_LIST))
    assert len(every) == 317 and any(count == 0 for _n, count in every)

    html = page(client, f"{COUNCIL_LIST}?show=in")
    only_in = council_rows(html)
    assert 0 < len(only_in) < 317 and all(count > 0 for _n, count in only_in)
    assert f"{len(only_in)} councils" in text(html)
    assert re.search(r'value="in"[^>]*checked', html)

    # With a filter the list keeps only councils in a matching partnership, unless
    # asked for every council, with its count of them.
    london = council_rows(page(client, f"{COUNCIL_LIST}?region=london"))
    with_none = council_rows(page(client, f"{COUNCIL_LIST}?region=london&show=all"))
    assert len(london) < len(with_none) == 317
    assert sum(c for _n, c in london) == sum(c for _n, c in with_none)
    # The page says which it lists.
    said = text(page(client, f"{COUNCIL_LIST}?region=london&show=all"))
    assert "Every council is listed" in said
    assert "Only councils in at least one of the partnerships that match" not in said
    assert "Only councils in at least one of the published partnerships" in text(html)


def test_the_council_list_explains_an_order_it_does_not_know_and_keeps_its_usual_one(client):
    html = page(client, f"{COUNCIL_LIST}?order=population")

    assert "Error: Councils" in html
    assert "Sort councils by: “population” is not a way to sort councils." in text(html)
    assert len(re.findall(r"<h2 id=\"region-", html)) == 9
    assert "317 councils" in text(html)


def test_the_published_partnership_count_leaves_out_unpublished_ones(client):
    Partnership.objects.filter(slug="adur-worthing").update(published=False)

    html = page(client, COUNCIL_LIST)

    adur_row = re.search(rf'{council_url(ADUR)}">Adur</a></th>(.*?)</tr>', html, re.S).group(1)
    assert '<td class="num">1</td>' in adur_row


# --- A council's page ----------------------------------------------------------------


def test_a_council_page_shows_its_partnerships_neighbours_and_covering_bodies(client):
    html = page(client, council_url(ADUR))
    seen = text(html)

    assert "<h1>Adur District Council</h1>" in html
    assert "Type District council" in seen
    assert "Region South East" in seen
    assert "County West Sussex County Council" in seen
    assert "Population 64,187" in seen
    assert f'<a href="{council_url(WORTHING)}">Worthing</a>' in html
    assert "Fire and rescue authority West Sussex" in seen
    assert "Police force area Sussex" in seen
    assert "Integrated care board NHS Sussex Integrated Care Board" in seen
    assert "Adur and Worthing Councils partnership" in seen
    assert "CenSus Revenues and Benefits Partnership" in seen
    assert "Mid Sussex (lead), Horsham" in seen


def test_a_former_council_page_says_what_replaced_it_and_keeps_its_partnerships(client):
    html = page(client, council_url(TAUNTON_DEANE))
    seen = text(html)

    assert "Taunton Deane Borough Council is a former council." in seen
    assert "It was replaced by Somerset West and Taunton Council" in seen
    assert f'<a href="{council_url(SOMERSET_WEST_AND_TAUNTON)}">' in html
    assert "31 March 2019" in seen
    assert "Somerset Waste Partnership" in seen


def test_a_successor_council_page_lists_the_councils_it_replaced(client):
    html = page(client, council_url(SOMERSET_WEST_AND_TAUNTON))

    assert "Replaced" in text(html)
    assert re.search(
        rf'<a href="{council_url(TAUNTON_DEANE)}"[^>]*>Taunton Deane Borough Council</a>', html
    )
    assert "It was replaced by Somerset Council" in text(html)


def test_an_unknown_council_code_is_not_found(client):
    page(client, council_url("E99999999"), status=404)


def test_a_council_code_in_lower_case_leads_to_the_council_page(client):
    response = client.get(council_url(ADUR.lower()))

    assert response.status_code == 301
    assert response["Location"] == council_url(ADUR)


# --- About the data ------------------------------------------------------------------


def test_the_about_page_credits_every_source_and_counts_what_is_loaded(client):
    html = page(client, ABOUT_DATA)
    seen = text(html)

    assert (
        "Contains OS data © Crown copyright and database right 2023–2025. Source: Office for "
        "National Statistics, licensed under the Open Government Licence v3.0." in seen
    )
    assert (
        "Local authority names and codes: mySociety, uk_local_authority_names_and_codes, "
        "CC BY 4.0 (adapted)." in seen
    )
    assert "Creative Commons Attribution 4.0" in seen
    assert "the sourced pack of 109 partnerships" in seen
    assert "Which figure counts in totals." in seen
    assert "Figures are as reported and unverified." in seen
    assert "Current councils 332" in seen
    assert "Published partnerships 109" in seen
    assert "Savings records 91" in seen


# --- Structure that assistive technology relies on -----------------------------------


class Outline(HTMLParser):
    """Headings, landmarks, tables and form fields of a page."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.breadcrumbs = 0
        self.tables = 0
        self.captions = 0
        self.header_cells = 0
        self.fields: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "nav" and attrs.get("aria-label") == "Breadcrumb":
            self.breadcrumbs += 1
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th":
            self.header_cells += 1
        elif tag in ("select", "input") and attrs.get("type") != "hidden":
            self.fields.append(attrs.get("id", ""))
        elif tag == "label":
            self.labels.add(attrs.get("for", ""))


@pytest.mark.parametrize(
    "url",
    [
        PARTNERSHIP_LIST,
        f"{PARTNERSHIP_LIST}?region=atlantis",
        partnership_url("orbis"),
        COUNCIL_LIST,
        council_url(ADUR),
        council_url(TAUNTON_DEANE),
        ABOUT_DATA,
    ],
)
def test_every_page_has_one_h1_headings_in_order_breadcrumbs_labelled_fields_and_captioned_tables(
    client, url
):
    outline = Outline()
    outline.feed(page(client, url))

    assert outline.headings.count(1) == 1
    assert outline.headings[0] == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert outline.breadcrumbs == 1
    assert outline.captions == outline.tables
    assert outline.tables == 0 or outline.header_cells > 0
    assert all(field and field in outline.labels for field in outline.fields)


# --- Queries do not grow with the data -----------------------------------------------


def thicken_orbis() -> None:
    """Give Orbis many more members, bodies and savings figures."""
    orbis = Partnership.objects.get(slug="orbis")
    for council in Council.objects.filter(current=True, region__name="London")[:10]:
        PartnershipCouncil.objects.create(partnership=orbis, council=council)
    for body in PublicBody.objects.all()[:5]:
        PartnershipPublicBody.objects.create(partnership=orbis, public_body=body)
    for year in range(2019, 2025):
        SavingsRecordFactory(partnership=orbis, start_year=year, end_year=year)
        SavingsRecordFactory(
            partnership=orbis, start_year=year, end_year=year, kind=SavingsKind.EXPECTED
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The filters' choices (regions, categories, years, the four kinds of area: five
        # queries) and the page's count are part of it.
        (PARTNERSHIP_LIST, 10),
        (f"{PARTNERSHIP_LIST}?category=legal&region=south-east&sort=-savings", 11),
        # With the ledger's counted years for its totals.
        (partnership_url("orbis"), 7),
        (COUNCIL_LIST, 6),
        (f"{COUNCIL_LIST}?region=london&council_type=london_borough", 8),
        # A year: its generation and snapshot.
        (f"{COUNCIL_LIST}?category=legal&year=2016", 9),
        (f"{COUNCIL_LIST}?category=legal&order=-partnerships&show=all", 8),
        # The period, the council with its neighbours, successors and predecessors,
        # the members it counts through and its partnerships with their categories,
        # members and counted savings.
        (council_url(ADUR), 11),
        (council_url(SURREY), 11),
        (f"{council_url(ADUR)}?year=2012", 13),
        (ABOUT_DATA, 6),
    ],
)
def test_a_page_costs_the_same_number_of_queries_with_ten_times_the_data(
    client, django_assert_max_num_queries, url, queries
):
    with django_assert_max_num_queries(queries):
        page(client, url)

    grow_data(10)
    thicken_orbis()
    assert Partnership.objects.count() == 1090

    with django_assert_max_num_queries(queries):
        page(client, url)


# --- The partnership list a page at a time -------------------------------------------


def test_the_list_comes_fifty_at_a_time_with_links_to_every_page_that_keep_the_filters(client):
    html = page(client, f"{PARTNERSHIP_LIST}?sort=-start")

    assert len(listed_partnerships(html)) == 50
    nav = re.search(
        r'<nav class="pagination" aria-label="Pages of partnerships">.*?</nav>', html, re.S
    )
    assert nav is not None
    assert 'href="/partnerships/?sort=-start" aria-current="page">Page 1</a>' in nav.group()
    assert 'href="/partnerships/?sort=-start&amp;page=2">Page 2</a>' in nav.group()


def test_a_short_list_has_no_page_navigation(client):
    html = page(client, f"{PARTNERSHIP_LIST}?category=legal")

    assert "6 partnerships" in text(html) and "on this page" not in text(html)
    assert 'class="pagination"' not in html


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("3", "There is no page 3 of this list: it has 2 pages."),
        ("0", "The page number must be 1 or more."),
        ("two", "The page number"),
        ("1e3", "The page number"),
        ("9" * 40, "The page number"),
    ],
)
def test_a_page_that_does_not_exist_is_a_400_that_says_why(client, number, message):
    html = page(client, f"{PARTNERSHIP_LIST}?page={number}", status=400)

    assert message in text(html)
