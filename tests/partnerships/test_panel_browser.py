"""The map's panel and selection in a real headless Chromium, on the real data: what a
council's panel says of each partnership, the map zooming to what is chosen, focus
moving into the panel and back, place names zoomed in, and public bodies drawn as
their areas."""

import re

import pytest
import shapely
from playwright.sync_api import expect

from partnerships.models import Council
from tests.axe import assert_no_violations

pytestmark = pytest.mark.browser

ADUR, WORTHING = "E07000223", "E07000229"
SHAPES = "#council-map path.map-council.leaflet-interactive"
HAMPSHIRE_IBC = "hampshire-shared-services-ibc"
CONSTABULARY = "Hampshire & Isle of Wight Constabulary"


def open_map(page, live_server, query: str = "") -> None:
    page.goto(live_server.url + "/" + query)
    expect(page.locator(SHAPES).first).to_be_attached()


def map_view(page) -> tuple[float, tuple[float, float, float, float]]:
    """The map's zoom and its bounds (west, south, east, north), once it has moved."""
    element = page.locator("#council-map")
    expect(element).to_have_attribute("data-zoom", re.compile(r"\d"))
    zoom = float(element.get_attribute("data-zoom"))
    west, south, east, north = map(float, element.get_attribute("data-bounds").split(","))
    return zoom, (west, south, east, north)


def bounds_of(gss: str) -> tuple[float, float, float, float]:
    return tuple(shapely.from_geojson(Council.objects.get(gss_code=gss).boundary_low).bounds)


def contains(outer, inner) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[2] >= inner[2]
        and outer[3] >= inner[3]
    )


def active_element(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                  gss: el.getAttribute('data-gss'), cls: el.getAttribute('class') || ''};
        }"""
    )


def test_a_councils_panel_says_what_each_partnership_is_and_what_it_saved(page, live_server):
    open_map(page, live_server)

    page.locator(f'{SHAPES}[data-gss="{ADUR}"]').click()

    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Adur", exact=True)).to_be_visible()
    joint = panel.locator('li[data-partnership="adur-worthing"]')
    expect(
        joint.get_by_role("link", name="Adur and Worthing Councils partnership")
    ).to_have_attribute("href", "/partnerships/adur-worthing/")
    expect(joint.locator(".council-panel__meta")).to_have_text("Operational Since 2008")
    expect(joint.locator(".council-panel__description")).to_contain_text(
        "Two councils that decided in 2007 to create a single senior officer team"
    )
    expect(joint.locator('[data-savings="to-date"]')).to_have_text("£20,000,000 achieved")
    latest = joint.locator('[data-savings="latest"]')
    expect(latest).to_contain_text("£3,000,000 achieved in 2017/18. Source: Published source")
    expect(latest.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^https://businessesforsalebrighton\.co\.uk/")
    )
    expect(joint.locator(".council-panel__members")).to_have_text("With Worthing")
    # A partnership whose status and savings the data does not have says so.
    census = panel.locator('li[data-partnership="census-revenues-benefits"]')
    expect(census.locator(".council-panel__meta")).to_have_text(
        "Status not confirmed Start year not recorded"
    )
    expect(census.locator('[data-savings="to-date"]')).to_have_text("No savings figure recorded")
    expect(census.locator(".council-panel__members")).to_have_text("With Mid Sussex, Horsham")


def test_clicking_a_council_zooms_to_it_moves_focus_into_its_panel_and_back_on_close(
    page, live_server
):
    open_map(page, live_server)
    expect(page.locator("#council-map")).to_have_attribute("data-loaded", "districts")

    page.locator(f'{SHAPES}[data-gss="{ADUR}"]').click()

    heading = page.locator("#council-panel h2.council-panel__title")
    expect(heading).to_have_text("Adur")
    expect(heading).to_be_focused()
    zoom, view = map_view(page)
    assert zoom >= 9  # from England's view (about 6)
    assert contains(view, bounds_of(ADUR))
    # Zoomed in, the map names the places: Adur and its neighbour Worthing.
    labels = page.locator(".map-place-label")
    expect(labels.filter(has_text=re.compile("^Adur$"))).to_have_count(1)
    expect(labels.filter(has_text=re.compile("^Worthing$"))).to_have_count(1)

    page.get_by_role("button", name="Close Adur’s panel").click()

    expect(page.locator("#council-panel")).to_contain_text("Select a council on the map")
    focused = active_element(page)
    assert focused["tag"] == "path" and focused["gss"] == ADUR, focused


def test_a_keyboard_user_chooses_a_council_and_escape_brings_focus_back_to_it(page, live_server):
    open_map(page, live_server)
    page.locator(f'{SHAPES}[data-gss="{WORTHING}"]').focus()
    page.keyboard.press("Enter")

    expect(page.locator("#council-panel h2.council-panel__title")).to_be_focused()
    # The panel is where Tab goes next: its Close button, then its partnerships.
    page.keyboard.press("Tab")
    assert active_element(page)["text"] == "Close"
    page.keyboard.press("Escape")

    focused = active_element(page)
    assert focused["tag"] == "path" and focused["gss"] == WORTHING, focused


def test_a_council_in_the_address_is_zoomed_to_and_skip_the_map_lands_on_its_panel(
    page, live_server
):
    open_map(page, live_server, f"?selected={ADUR}")

    zoom, view = map_view(page)
    assert zoom >= 9 and contains(view, bounds_of(ADUR))
    # A link opened leaves focus where the page starts.
    assert active_element(page)["tag"] == "body"

    skip = page.get_by_role("link", name="Skip the map")
    skip.focus()
    page.keyboard.press("Enter")

    focused = active_element(page)
    assert focused["tag"] == "h2" and focused["text"] == "Adur", focused


def test_no_place_names_clutter_the_national_map(page, live_server):
    open_map(page, live_server)
    expect(page.locator("#council-map")).to_have_attribute("data-loaded", "districts")

    assert page.locator(".map-place-label").count() == 0


def test_public_body_partners_are_drawn_as_their_areas_with_their_names(page, live_server):
    asked = []
    page.on("request", lambda request: asked.append(request.url))

    open_map(page, live_server, f"?partnership={HAMPSHIRE_IBC}")

    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Hampshire Shared Services")).to_be_visible()
    expect(panel.locator(f'li[data-body="{CONSTABULARY}"]')).to_contain_text(
        f"{CONSTABULARY} (police): its area outlined, Hampshire (police force area)"
    )
    area = page.locator("#council-map path.map-body-area").first
    expect(area).to_have_attribute("aria-label", re.compile(re.escape(CONSTABULARY)))
    label = page.locator(".map-body-label__text").first
    expect(label).to_contain_text(CONSTABULARY)
    # The name sits inside the area's outline, not at the members' centre (they reach
    # from Hampshire to Westminster and Oxfordshire), and no pin is stacked there.
    box, outline = label.bounding_box(), area.bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert outline["x"] < centre_x < outline["x"] + outline["width"]
    assert outline["y"] < centre_y < outline["y"] + outline["height"]
    assert page.locator(".map-body-marker").count() == 0
    # The members come from the layer files the map has: one small JSON, no shapes.
    expect(page.locator("#council-map path.map-member")).to_have_count(5)
    assert not [url for url in asked if "partnership=" in url and "councils" in url], asked
    # The map is fitted to the members and the bodies' areas.
    zoom, view = map_view(page)
    assert contains(view, bounds_of("E10000014"))  # Hampshire


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_map_with_a_councils_panel_and_a_partnerships_areas_passes_axe(
    page, live_server, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    open_map(page, live_server)
    page.locator(f'{SHAPES}[data-gss="{ADUR}"]').click()
    expect(page.locator("#council-panel h2.council-panel__title")).to_be_focused()
    expect(page.locator(".map-place-label").first).to_be_attached()
    # (axe counts a target scrolled under the page's sticky parts as obscured.)
    page.evaluate("() => window.scrollTo(0, 0)")

    assert_no_violations(page)

    open_map(page, live_server, f"?partnership={HAMPSHIRE_IBC}")
    expect(page.locator(".map-body-label__text").first).to_be_visible()

    assert_no_violations(page)


def test_a_partnerships_page_draws_its_public_bodies_as_their_areas(page, live_server):
    page.goto(live_server.url + f"/partnerships/{HAMPSHIRE_IBC}/")

    small_map = page.locator("#partnership-map")
    expect(small_map).to_have_attribute("data-bodies", "drawn")
    expect(small_map.locator("path.map-body-area").first).to_have_attribute(
        "aria-label", re.compile(re.escape(CONSTABULARY))
    )
    expect(small_map.locator(".map-body-label__text").first).to_contain_text(CONSTABULARY)
    assert small_map.locator(".map-body-marker").count() == 0


def test_a_partnership_shown_from_a_councils_panel_closes_back_to_the_council(page, live_server):
    open_map(page, live_server)
    page.locator(f'{SHAPES}[data-gss="{ADUR}"]').click()
    page.get_by_role(
        "button", name="Show on the map: Adur and Worthing Councils partnership"
    ).click()

    heading = page.locator("#council-panel h2.council-panel__title")
    expect(heading).to_have_text("Adur and Worthing Councils partnership")
    expect(heading).to_be_focused()
    expect(page.locator("#council-panel .council-panel__meta")).to_have_text(
        "Operational Since 2008"
    )
    expect(page.locator('#council-panel [data-savings="to-date"]')).to_have_text(
        "£20,000,000 achieved"
    )

    page.get_by_role("button", name="Close Adur and Worthing Councils partnership’s panel").click()

    focused = active_element(page)
    assert focused["tag"] == "path" and focused["gss"] == ADUR, focused
