"""The map page's layout as a person sees it in a real headless Chromium, on the real
data (issue 14, "map first"): on a laptop (1366×768) and on a phone (390×844) the search
box, the count and the top of the map are on the first screen; the filters sit open
beside the map on the laptop and folded, saying how many are in force, on the phone;
without JavaScript there is no empty map box and the page leads with the lists and the
filter form; and a keyboard alone finds a council, opens its panel, reaches one of its
partnerships' pages and comes back."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ADUR = "E07000223"
SHAPES = "#council-map path.map-council.leaflet-interactive"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(LAPTOP, id="1366x768"), pytest.param(PHONE, id="390x844")]


def open_map(page, live_server, viewport: dict, query: str = "") -> None:
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/" + query)
    expect(page.locator(SHAPES).first).to_be_attached()


def settle(page) -> None:
    """No request of the map's still on its way when the test's database is flushed."""
    page.wait_for_load_state("networkidle")


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not drawn"
    return found


def on_first_screen(page, selector: str, viewport: dict) -> bool:
    """The element's top is within the first screen, unscrolled."""
    assert page.evaluate("window.scrollY") == 0
    top = box(page, selector)["y"]
    return 0 <= top < viewport["height"]


@pytest.mark.parametrize("viewport", SIZES)
def test_the_search_box_the_count_and_the_map_are_on_the_first_screen(page, live_server, viewport):
    open_map(page, live_server, viewport)

    search = page.get_by_role("combobox", name="Find a council or partnership")
    expect(search).to_be_visible()
    assert on_first_screen(page, "#id_q", viewport)
    expect(page.locator("#map-results-heading")).to_have_text(
        re.compile(r"^\d+ partnerships shown, involving \d+ councils$")
    )
    assert on_first_screen(page, "#map-results-heading", viewport)
    assert on_first_screen(page, "#council-map", viewport)
    # A map, not a sliver: at least a third of the screen's height.
    assert box(page, "#council-map")["height"] >= viewport["height"] / 3
    # The lists, figures and downloads are right under the map.
    links = page.locator("#map-view-links")
    map_bottom = box(page, "#council-map")["y"] + box(page, "#council-map")["height"]
    assert 0 <= box(page, "#map-view-links")["y"] - map_bottom < 120
    for name in (
        "As a list of partnerships",
        "By council",
        "Figures and charts",
        "Download partnerships (CSV)",
    ):
        expect(links.get_by_role("link", name=name)).to_be_visible()
    settle(page)


def test_one_search_box_finds_and_filters(page, live_server):
    open_map(page, live_server, LAPTOP)

    # Not two near-identical name boxes: the filter form's name field is the search box.
    expect(page.locator('input[name="q"]')).to_have_count(1)
    expect(page.get_by_label("Name contains")).to_have_count(0)
    search = page.get_by_role("combobox", name="Find a council or partnership")
    expect(search).to_have_attribute("form", "filters-form")

    # Enter without choosing a suggestion filters the map by the name.
    search.press_sequentially("Orbis", delay=30)
    expect(page.get_by_role("option", name=re.compile("^Orbis"))).to_be_visible()
    search.press("Escape")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"\?q=Orbis$"))
    expect(page.locator("#map-results-heading")).to_have_text(
        re.compile(r"^1 partnership shown, involving \d+ councils$")
    )
    settle(page)


def test_on_a_laptop_the_filters_sit_open_beside_the_map(page, live_server):
    open_map(page, live_server, LAPTOP)

    disclosure = page.locator("#filters-disclosure")
    expect(disclosure).to_have_attribute("open", "")
    category = page.get_by_label("Service category")
    expect(category).to_be_visible()
    assert on_first_screen(page, "#id_category", LAPTOP)
    filters, shown = box(page, "#filters-form"), box(page, "#council-map")
    assert filters["x"] + filters["width"] <= shown["x"], "the filters are left of the map"
    assert filters["y"] < shown["y"] + shown["height"], "the filters are beside the map"
    # The legend and the panel are on the map's other side.
    assert box(page, "#council-panel")["x"] >= shown["x"] + shown["width"]


def test_on_a_phone_the_filters_are_folded_and_say_how_many_are_in_force(page, live_server):
    open_map(page, live_server, PHONE, "?category=legal&region=south-east")

    summary = page.locator("#filters-disclosure summary")
    expect(summary).to_have_text("Filters (2 active)")
    assert on_first_screen(page, "#filters-disclosure summary", PHONE)
    category = page.get_by_label("Service category")
    expect(category).to_be_hidden()
    assert on_first_screen(page, "#council-map", PHONE)

    # Opened by the keyboard, a third filter changes the count without a reload.
    summary.focus()
    page.keyboard.press("Enter")
    expect(category).to_be_visible()
    page.get_by_label("Council type").select_option(index=1)

    expect(summary).to_have_text("Filters (3 active)")
    expect(page).to_have_url(re.compile(r"council_type="))
    # The name searched for is in the search box, not counted among the folded filters.
    open_map(page, live_server, PHONE, "?q=Adur")
    expect(summary).to_have_text("Filters (none active)")
    settle(page)


@pytest.mark.parametrize("viewport", SIZES)
def test_without_javascript_there_is_no_map_box_and_the_lists_and_filters_lead(
    browser, live_server, live_real_data, viewport
):
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")

        expect(page.get_by_role("heading", level=1)).to_have_text("Shared services in England")
        # No empty box, no legend, no keyboard help for a map that is not there.
        expect(page.locator("#council-map")).to_be_hidden()
        expect(page.locator("#map-keys")).to_be_hidden()
        expect(page.get_by_text("Partnerships shown, per council")).to_be_hidden()
        expect(page.get_by_text("Skip the map")).to_have_count(1)
        expect(page.locator(".map-skip")).to_be_hidden()
        # The lists, the count and the filter form lead.
        note = page.locator(".map-page__noscript")
        expect(note).to_be_visible()
        expect(note.get_by_role("link", name="partnerships")).to_have_attribute(
            "href", "/partnerships/"
        )
        assert on_first_screen(page, ".map-page__noscript", viewport)
        expect(page.locator("#map-results-heading")).to_be_visible()
        expect(page.get_by_label("Service category")).to_be_visible()
        expect(page.get_by_role("button", name="Show on the map")).to_be_visible()
        assert on_first_screen(page, "#filters-disclosure", viewport)
        expect(
            page.locator("#map-view-links").get_by_role("link", name="As a list of partnerships")
        ).to_be_visible()

        # The filter form works as a plain form, the search box with it.
        page.get_by_label("Service category").select_option("legal")
        page.get_by_role("button", name="Show on the map").click()
        expect(page).to_have_url(re.compile(r"\?(.*&)?category=legal"))
        expect(page.locator("#filters-disclosure summary")).to_have_text("Filters (1 active)")
        page.get_by_label("Find a council or partnership").fill("Adur")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page).to_have_url(re.compile(r"q=Adur"))
        expect(page.locator("#map-results-heading")).to_contain_text("shown")
    finally:
        context.close()


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {id: el.id, tag: el.tagName.toLowerCase(), href: el.getAttribute('href'),
                  inPanel: Boolean(el.closest('#council-panel'))};
        }"""
    )


def tab_until(page, wanted, most: int) -> int:
    """Press Tab until `wanted(focused element)` holds; how many presses it took."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if wanted(focused(page)):
            return presses
    raise AssertionError(f"not reached in {most} Tabs; focus is on {focused(page)}")


@pytest.mark.parametrize("viewport", SIZES)
def test_a_keyboard_user_finds_a_council_opens_a_partnership_and_comes_back(
    page, live_server, viewport
):
    open_map(page, live_server, viewport)

    # From the top of the page: the skip link, the site's name and its links, the box.
    presses = tab_until(page, lambda el: el["id"] == "id_q", most=12)
    assert presses <= 11
    page.keyboard.type("Adur", delay=30)
    option = page.get_by_role("option", name=re.compile(r"^Adur \("))
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_q")).to_have_attribute("aria-activedescendant", "id_q-listbox-0")
    page.keyboard.press("Enter")

    # Its panel opens and the focus moves into it (not 299 Tabs away).
    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Adur", exact=True)).to_be_visible()
    settle(page)
    page.wait_for_function("document.activeElement.closest('#council-panel') !== null")

    tab_until(page, lambda el: el["href"] == "/partnerships/adur-worthing/", most=15)
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/partnerships/adur-worthing/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Adur and Worthing Councils partnership"
    )

    # The browser's Back (a key of the browser's own, which headless Chromium lacks).
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/\?(.*&)?selected={ADUR}"))
    expect(page.locator(SHAPES).first).to_be_attached()
    expect(panel.get_by_role("heading", name="Adur", exact=True)).to_be_visible()
    settle(page)
