"""Every public page, checked with axe-core in a real headless Chromium against WCAG 2.2
A and AA (and the 2.0 and 2.1 rules it builds on). axe-core comes from the
axe-playwright-python package's own copy, so nothing is fetched from a CDN.

axe finds what a machine can find (names, contrast, structure, ARIA); the keyboard and
the meaning of each page are tested by the browser journeys beside each app's tests.
"""

import pytest
from playwright.sync_api import expect

from tests.axe import assert_no_violations

pytestmark = pytest.mark.browser

ADUR = "E07000223"

# Every public page, as (address, what to wait for before checking). The map waits until
# its council shapes are drawn, so the drawn map is checked, not an empty box.
#
# ADD YOUR PUBLIC PAGES HERE: each app's public pages belong in this list as they are
# built (the refresh questionnaire opened from its secure link, the match-making request
# form, the benefits forms, and their confirmation and error states), so that none goes
# out unchecked. A page that needs data of its own (a questionnaire link, a submitted
# form) gets a test of its own that builds the data and calls `assert_no_violations`.
PUBLIC_PAGES = [
    pytest.param("/", "#council-map path.map-council", id="map"),
    pytest.param(
        "/?category=legal&region=south-east", "#council-map path.map-council", id="map-filtered"
    ),
    pytest.param("/partnerships/", None, id="partnership-list"),
    pytest.param(
        "/partnerships/?category=legal&region=south-east&sort=-savings",
        None,
        id="partnership-list-filtered",
    ),
    pytest.param("/partnerships/?region=atlantis", None, id="partnership-list-bad-filter"),
    pytest.param("/partnerships/orbis/", None, id="partnership-detail"),
    # The public "tell us about a shared service" form and its receipt page; its error
    # state is checked in tests/submissions/test_proposal.py's browser journey.
    pytest.param("/refresh/propose/", None, id="proposal-form"),
    pytest.param("/refresh/propose/thanks/", None, id="proposal-thanks"),
    pytest.param("/councils/", None, id="council-list"),
    pytest.param("/councils/?category=legal&order=-partnerships", None, id="council-list-sorted"),
    pytest.param(f"/councils/{ADUR}/", None, id="council-detail"),
    pytest.param(f"/councils/{ADUR}/panel/", None, id="council-panel"),
    pytest.param("/about/data/", None, id="about-data"),
    # The site's own pages (sharedmap/pages.py), linked from every page's footer.
    pytest.param("/shared-services/", None, id="shared-services"),
    pytest.param("/accessibility/", None, id="accessibility-statement"),
    pytest.param("/privacy/", None, id="privacy-notice"),
    pytest.param("/cookies/", None, id="cookies"),
    pytest.param(f"/?selected={ADUR}", "#council-panel .council-panel__body", id="map-council"),
    pytest.param("/?partnership=orbis", "#council-map path.map-member", id="map-partnership"),
    pytest.param("/shared-services/", None, id="shared-services"),
    pytest.param("/accessibility/", None, id="accessibility-statement"),
    pytest.param("/privacy/", None, id="privacy-notice"),
    pytest.param("/cookies/", None, id="cookies"),
    pytest.param("/figures/", None, id="figures"),
    pytest.param("/figures/?region=south-east&year=2015", None, id="figures-filtered"),
    # A tracker's own pages are private (its secure link); the journey in
    # tests/benefits/test_benefits_browser.py checks them, errors included, with axe.
    pytest.param("/benefits/", None, id="benefits-start"),
    pytest.param("/benefits/new/link/", None, id="benefits-link-already-shown"),
    # Match-making: a request's and an application's own pages (secret links) and the
    # forms' error states are checked in tests/matchmaking/test_matchmaking_browser.py.
    pytest.param("/matchmaking/", None, id="matchmaking-start"),
    pytest.param("/matchmaking/request/", None, id="matchmaking-request-form"),
    pytest.param("/matchmaking/request/sent/", None, id="matchmaking-request-sent"),
    pytest.param("/matchmaking/expert-programme/", None, id="expert-programme"),
    pytest.param("/matchmaking/expert-programme/apply/", None, id="expert-programme-apply"),
    pytest.param("/matchmaking/expert-programme/sent/", None, id="expert-programme-sent"),
    pytest.param("/api/docs/", "#swagger-ui .opblock", id="api-docs"),
    pytest.param("/api/docs/redoc/", "redoc .api-content", id="api-reference"),
    pytest.param("/no-such-page/", None, id="not-found"),
]


# A laptop and a phone (issue 14): the layouts differ (the map's filters open beside it or
# folded; tables scrolling at 390 px), and so can what axe finds.
VIEWPORTS = [
    pytest.param({"width": 1366, "height": 768}, id="1366x768"),
    pytest.param({"width": 390, "height": 844}, id="390x844"),
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("path", "ready"), PUBLIC_PAGES)
def test_the_page_has_no_wcag_violations(page, live_server, path, ready, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + path)
    assert response is not None
    assert response.status == (404 if path == "/no-such-page/" else 200)
    expect(page.locator("h1").first).to_be_visible()
    if ready:
        expect(page.locator(ready).first).to_be_attached()
    assert_no_violations(page)


@pytest.mark.django_db
def test_a_missing_page_says_so_in_the_sites_own_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found – Shared Services Map</title>" in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<a href="/partnerships/">Every partnership</a>' in html
