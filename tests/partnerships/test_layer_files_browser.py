"""In a real headless Chromium: the map paints the councils from the layer file, and a
changed filter fetches only the counts, never the shapes again."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHAPES = "#council-map path.map-council.leaflet-interactive"


def test_the_map_paints_from_the_layer_file_and_a_filter_fetches_only_counts(page, live_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/")
    expect(page.locator(SHAPES)).to_have_count(296)
    layer_files = [url for url in requests if "/layers/" in url]
    assert len(layer_files) == 1
    assert re.search(r"/layers/[0-9a-f]{20}/districts-low-G\d+\.geojson$", layer_files[0])
    assert not [url for url in requests if "/map/councils.geojson" in url]
    assert len([url for url in requests if "/map/counts.json" in url]) == 1

    requests.clear()
    page.get_by_label("Service category").select_option("legal")
    expect(page.locator("#council-map")).to_have_attribute("data-filters", "category=legal")
    # Councils in no legal partnership now read 0, and some still count one.
    labels = page.locator(SHAPES).evaluate_all(
        "paths => paths.map(p => p.getAttribute('aria-label'))"
    )
    assert any(label.endswith(": 0 partnerships") for label in labels)
    assert any(not label.endswith(": 0 partnerships") for label in labels)
    counts = [url for url in requests if "/map/counts.json" in url]
    assert counts and all("category=legal" in url for url in counts)
    assert not [url for url in requests if "/layers/" in url or ".geojson" in url]
