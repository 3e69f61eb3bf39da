"""Browsing the map in a real headless Chromium: the shapes draw, and a council opens its
partnerships by mouse and by keyboard."""

import pytest
from playwright.sync_api import expect

from partnerships.map_layers import UPPER_TIER_TYPES
from partnerships.models import Council

pytestmark = pytest.mark.browser

ADUR = "E07000223"


@pytest.fixture
def district_level_count(live_real_data) -> int:
    return (
        Council.objects.filter(current=True)
        .exclude(council_type__in=UPPER_TIER_TYPES)
        .exclude(boundary_low="")
        .count()
    )


def open_map(page, live_server, expected_shapes: int) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared services in England")
    expect(page.locator("#council-map path.map-council.leaflet-interactive")).to_have_count(
        expected_shapes
    )


def test_clicking_a_council_shows_its_partnerships(page, live_server, district_level_count):
    assert district_level_count == 296

    open_map(page, live_server, district_level_count)
    page.locator(f'path[data-gss="{ADUR}"]').click()

    panel = page.locator("#council-panel")
    expect(panel.get_by_role("heading", name="Adur")).to_be_visible()
    link = panel.get_by_role("link", name="Adur and Worthing Councils partnership")
    expect(link).to_have_attribute("href", "/partnerships/adur-worthing/")
    expect(
        panel.get_by_role("link", name="CenSus Revenues and Benefits Partnership")
    ).to_be_visible()
    expect(panel).to_have_attribute("aria-live", "polite")
    page.screenshot(path="/tmp/map.png", full_page=True)


def test_a_keyboard_user_focuses_a_council_and_presses_enter(
    page, live_server, district_level_count
):
    open_map(page, live_server, district_level_count)
    adur = page.locator(f'path[data-gss="{ADUR}"]')
    expect(adur).to_have_attribute("tabindex", "0")
    expect(adur).to_have_attribute("aria-label", "Adur: 2 partnerships")

    adur.focus()
    expect(page.locator(".leaflet-tooltip")).to_have_text("Adur: 2 partnerships")
    page.keyboard.press("Enter")

    expect(
        page.locator("#council-panel").get_by_role(
            "link", name="Adur and Worthing Councils partnership"
        )
    ).to_be_visible()


def test_switching_to_county_councils_draws_the_21_counties(page, live_server):
    open_map(page, live_server, 296)

    page.get_by_label("County councils").check()

    expect(page.locator("#council-map path.map-council.leaflet-interactive")).to_have_count(21)
    expect(page.locator('path[data-gss="E10000003"]')).to_have_attribute(
        "aria-label", "Cambridgeshire: 1 partnership"
    )
