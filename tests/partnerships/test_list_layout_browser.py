"""The list pages as a person sees them in a real headless Chromium, on the real data:
on a laptop (1366×768) the filters sit in a column beside the list and the list starts
on the first screen; on a phone (390×844) the filters are folded, saying how many are in
force, and the count of results is on the first screen; without JavaScript, or with a
filter in error, the filters are open. The council list's headings sort it."""

import re

import pytest
from playwright.sync_api import expect

from tests.partnerships.test_map_layout_browser import LAPTOP, PHONE, box, on_first_screen

pytestmark = pytest.mark.browser

LISTS = [
    pytest.param("/partnerships/", "Filter and sort", id="partnerships"),
    pytest.param("/councils/", "Filter and sort", id="councils"),
]


@pytest.mark.parametrize(("path", "summary"), LISTS)
def test_on_a_laptop_the_list_starts_on_the_first_screen_beside_its_filters(
    page, live_server, path, summary
):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + path + "?category=legal")

    expect(page.locator("#filters-disclosure summary")).to_have_text(f"{summary} (1 active)")
    expect(page.locator("#filters-disclosure")).to_have_attribute("open", "")
    expect(page.get_by_label("Service category")).to_be_visible()
    assert on_first_screen(page, "main table", LAPTOP)
    filters, table = box(page, "#filters-form"), box(page, "main table")
    assert filters["x"] + filters["width"] <= table["x"], "the filters are left of the list"


@pytest.mark.parametrize(("path", "summary"), LISTS)
def test_on_a_phone_the_filters_are_folded_and_the_count_is_on_the_first_screen(
    page, live_server, path, summary
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path + "?category=legal&region=south-east")

    disclosure = page.locator("#filters-disclosure")
    expect(disclosure.locator("summary")).to_have_text(f"{summary} (2 active)")
    expect(page.get_by_label("Service category")).to_be_hidden()
    count = "#results-heading" if path == "/partnerships/" else "#results"
    expect(page.locator(count)).to_have_text(re.compile(r"^\d+ (partnerships|councils)"))
    assert on_first_screen(page, count, PHONE)
    disclosure.locator("summary").click()
    expect(page.get_by_label("Service category")).to_be_visible()


def test_on_a_phone_a_filter_in_error_keeps_the_filters_open(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/councils/?order=population")

    expect(page.locator("#filters-disclosure")).to_have_attribute("open", "")
    expect(page.get_by_label("Sort councils by")).to_be_visible()
    expect(page.get_by_text("“population” is not a way to sort councils.").first).to_be_visible()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_without_javascript_the_filters_are_open(browser, live_server, live_real_data, viewport):
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/councils/")
        expect(page.get_by_label("Service category")).to_be_visible()
        expect(page.get_by_label("Sort councils by")).to_be_visible()
    finally:
        context.close()


def test_the_council_lists_headings_sort_it_by_keyboard(page, live_server):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + "/councils/?category=legal")

    heading = page.get_by_role("link", name=re.compile(r"^Matching partnerships")).first
    heading.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"order=-partnerships"))
    column = page.locator("th[aria-sort]")
    expect(column).to_have_attribute("aria-sort", "descending")
    expect(column).to_contain_text("Matching partnerships")
    first = page.locator("tbody tr").first
    expect(first.locator("td.num")).to_have_text("2")
    expect(page.get_by_label("Sort councils by")).to_have_value("-partnerships")
    # The filters came along; the order is kept when the filters change.
    page.get_by_label("Region").select_option("london")
    page.get_by_role("button", name="Show councils").click()
    expect(page).to_have_url(
        re.compile(r"region=london.*order=-partnerships|order=-partnerships.*region=london")
    )
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")


def test_the_figures_lead_and_their_filters_are_folded_at_every_width(page, live_server):
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + "/figures/?category=legal")
        summary = page.locator("#filters-disclosure summary")
        expect(summary).to_have_text("Filter (1 active)")
        expect(page.locator("#id_category")).to_be_hidden()
        assert on_first_screen(page, "#headline-heading", viewport)
        expect(page.locator(".applied-filters").first).to_contain_text("Service category: Legal")
    page.goto(live_server.url + "/figures/?year=1066")
    expect(page.locator("#filters-disclosure")).to_have_attribute("open", "")
