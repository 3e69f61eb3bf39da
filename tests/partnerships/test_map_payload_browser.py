"""A partnership named like a script (typed into a public form, accepted by staff) stays
text on the map, under the site's Content-Security-Policy: no dialog, no element made
from the name, and no policy violation in the console."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from partnerships.models import Partnership

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="alert(1)">Adur & Worthing <b>shared</b>'
SLUG = "adur-worthing"
ADUR, WORTHING = "E07000223", "E07000229"


def test_a_script_shaped_partnership_name_is_inert_text_on_the_map(page, live_server):
    Partnership.objects.filter(slug=SLUG).update(name=PAYLOAD)
    cache.clear()
    dialogs, console = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))

    page.goto(f"{live_server.url}/?partnership={SLUG}")
    # The partnership's highlight, drawn over the councils' own shapes once its data came.
    worthing = page.locator(f'path.map-member[data-gss="{WORTHING}"]')
    expect(worthing).to_have_count(1)
    worthing.hover()
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("member of " + PAYLOAD)

    page.locator(f'path.map-member[data-gss="{ADUR}"]').click()
    panel = page.locator("#council-panel")
    expect(panel.get_by_role("link", name=PAYLOAD)).to_be_visible()
    # Choosing a council clears the highlight: its own shape is what is left to hover.
    page.locator(f'path.map-council[data-gss="{ADUR}"]').hover()

    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#council-panel b, .leaflet-tooltip b").count() == 0
    violations = [line for line in console if "Content Security Policy" in line]
    assert violations == []
    # The page was served under the enforced policy.
    policy = page.request.get(f"{live_server.url}/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
