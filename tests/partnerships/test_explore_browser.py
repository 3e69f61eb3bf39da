"""Exploring the map in a real headless Chromium: filtering it, finding a council by
searching as you type or by clicking, and choosing a partnership."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.filters import PartnershipFilter
from partnerships.map_layers import UPPER_TIER_TYPES
from partnerships.models import Council
from partnerships.timeline import counted_councils, period_for

pytestmark = pytest.mark.browser

ADUR, WORTHING, MID_SUSSEX, HORSHAM = "E07000223", "E07000229", "E07000228", "E07000227"
SHAPES = "#council-map path.map-council.leaflet-interactive"


def open_map(page, live_server, query: str = "") -> None:
    page.goto(live_server.url + "/" + query)
    if not query:
        expect(page.locator(SHAPES)).to_have_count(296)


def listed_on_page(page) -> set[str]:
    return set(page.locator("table.partnership-table tbody th a").all_inner_texts())


def test_filtering_the_map_by_a_category_shades_and_lists_the_same_partnerships(page, live_server):
    open_map(page, live_server)
    expected = {p.name for p in PartnershipFilter({"category": "legal"}).qs}
    # The councils counted now, former members counted for their successors
    # (Buckinghamshire through Aylesbury Vale), on the districts layer drawn first.
    counted = counted_councils(
        [p.pk for p in PartnershipFilter({"category": "legal"}).qs], period_for(None)
    )
    codes = {c.gss_code for councils in counted.values() for c in councils}
    members = set(
        Council.objects.filter(gss_code__in=codes)
        .exclude(council_type__in=UPPER_TIER_TYPES)
        .values_list("gss_code", flat=True)
    )

    page.get_by_label("Service category").select_option("legal")

    # The page follows without reloading: the address, the count and the shading.
    expect(page).to_have_url(re.compile(r"\?category=legal$"))
    expect(page.locator("#map-results-heading")).to_contain_text(
        f"{len(expected)} partnerships shown"
    )
    expect(page.locator("#council-map")).to_have_attribute("data-filters", "category=legal")
    shaded = page.locator(SHAPES).evaluate_all(
        "paths => paths.filter(p => !/: 0 partnerships$/.test(p.getAttribute('aria-label')))"
        ".map(p => p.getAttribute('data-gss'))"
    )
    assert members and set(shaded) == members

    page.locator("#map-view-links").get_by_role("link", name="As a list of partnerships").click()

    expect(page).to_have_url(re.compile(r"/partnerships/\?category=legal$"))
    expect(page.get_by_role("heading", level=2, name=re.compile("partnerships?$"))).to_have_text(
        f"{len(expected)} partnerships"
    )
    assert listed_on_page(page) == expected


def test_searching_for_a_council_as_you_type_highlights_its_partners(page, live_server):
    open_map(page, live_server)
    search = page.get_by_role("combobox", name="Find a council or partnership")

    search.press_sequentially("adu", delay=50)

    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox.get_by_role("option").first).to_contain_text("Adur")
    expect(page.locator("#id_q-status")).to_contain_text("found")
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", "id_q-listbox-0")
    search.press("Enter")

    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Adur")).to_be_visible()
    expect(
        panel.get_by_role("link", name="CenSus Revenues and Benefits Partnership")
    ).to_be_visible()
    expect(page.locator(f'path[data-gss="{ADUR}"]')).to_have_class(
        re.compile("map-council--selected")
    )
    for partner in (WORTHING, MID_SUSSEX, HORSHAM):
        expect(page.locator(f'path[data-gss="{partner}"]')).to_have_class(
            re.compile("map-council--partner")
        )
    expect(page.locator(f'path[data-gss="{HORSHAM}"]')).to_have_attribute(
        "aria-label", re.compile("shares CenSus Revenues and Benefits Partnership")
    )
    legend = page.locator("#highlight-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Revenues and benefits")
    expect(page).to_have_url(re.compile(f"selected={ADUR}"))


def test_clicking_a_council_highlights_its_partners_and_escape_closes_the_search(page, live_server):
    open_map(page, live_server)

    page.locator(f'path[data-gss="{WORTHING}"]').click()

    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Worthing")).to_be_visible()
    expect(panel).to_contain_text("With Adur")
    expect(page.locator(f'path[data-gss="{ADUR}"]')).to_have_class(
        re.compile("map-council--partner")
    )
    expect(page.locator(f'path[data-gss="{HORSHAM}"]')).to_have_class(
        re.compile("map-council--dimmed")
    )

    search = page.get_by_role("combobox", name="Find a council or partnership")
    search.press_sequentially("orb", delay=50)
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")


def test_choosing_a_partnership_highlights_its_members(page, live_server):
    open_map(page, live_server)
    search = page.get_by_role("combobox", name="Find a council or partnership")

    search.press_sequentially("CenSus", delay=50)
    page.get_by_role("option", name=re.compile("CenSus Revenues")).click()

    panel = page.locator("#council-panel")
    expect(
        panel.get_by_role("heading", name="CenSus Revenues and Benefits Partnership")
    ).to_be_visible()
    expect(panel.locator("li[data-member]")).to_have_count(3)
    members = page.locator("#council-map path.map-member")
    expect(members).to_have_count(3)
    assert set(members.evaluate_all("ps => ps.map(p => p.getAttribute('data-gss'))")) == {
        ADUR,
        MID_SUSSEX,
        HORSHAM,
    }
    expect(page).to_have_url(re.compile("partnership=census-revenues-benefits"))


def test_a_partnership_in_the_address_draws_its_public_body_partners(page, live_server):
    open_map(page, live_server, "?partnership=hoople")

    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Hoople Ltd")).to_be_visible()
    expect(panel).to_contain_text("Wye Valley NHS Trust")
    expect(page.locator(".map-body-marker__label").first).to_contain_text("(Health)")
    expect(page.locator("#council-map path.map-member")).to_have_count(1)


def test_the_list_pages_search_box_goes_to_the_chosen_partnership(page, live_server):
    page.goto(live_server.url + "/partnerships/")
    # The filter form's name field (its label is the "search" work's: "Name or code").
    search = page.locator("#filters-form input.combobox__input")

    search.press_sequentially("orbi", delay=50)
    expect(page.get_by_role("option", name=re.compile("^Orbis"))).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")

    expect(page).to_have_url(live_server.url + "/partnerships/orbis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orbis")


def test_a_county_found_by_search_is_shown_on_the_county_layer(page, live_server):
    open_map(page, live_server)
    search = page.get_by_role("combobox", name="Find a council or partnership")

    search.press_sequentially("Cambridgeshire", delay=30)
    page.get_by_role("option", name=re.compile(r"^Cambridgeshire \(County council\)")).click()

    expect(page.get_by_label("County councils")).to_be_checked()
    expect(page.locator(SHAPES)).to_have_count(21)
    expect(page.locator('path[data-gss="E10000003"]')).to_have_class(
        re.compile("map-council--selected")
    )
    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Cambridgeshire")).to_be_visible()


def test_a_partnership_in_a_councils_panel_can_be_shown_on_the_map(page, live_server):
    open_map(page, live_server)
    page.locator(f'path[data-gss="{ADUR}"]').click()

    page.get_by_role(
        "button", name="Show on the map: Adur and Worthing Councils partnership"
    ).click()

    expect(page.locator("#council-map path.map-member")).to_have_count(2)
    expect(page.locator("#highlight-legend")).to_contain_text(
        "Member council of Adur and Worthing Councils partnership"
    )


def test_partners_on_the_other_layer_are_outlined(page, live_server):
    open_map(page, live_server)

    page.locator('path[data-gss="E06000043"]').click()  # Brighton and Hove, in Orbis

    panel = page.locator("#council-panel")
    expect(panel).to_contain_text("With East Sussex, Surrey")
    outlines = page.locator("#council-map path.map-partner-outline")
    expect(outlines).to_have_count(2)
    assert set(outlines.evaluate_all("ps => ps.map(p => p.getAttribute('data-gss'))")) == {
        "E10000011",
        "E10000030",
    }
    expect(page.locator("#highlight-legend")).to_contain_text("Partner on the other layer")
