"""The API's pages as a person meets them in a browser: the documentation of a public,
read-only API asks for no authorisation (no "Authorize" button, no padlocks, no security
in the schema), and the API's own pages, which a browser gets when it follows a link to
/api/, are in the site's layout and pass axe at desktop and phone widths."""

import re

import pytest
import yaml
from playwright.sync_api import expect
from rest_framework.test import APIClient

from tests.axe import assert_no_violations

pytestmark = pytest.mark.usefixtures("empty_cache")

WIDTHS = [1366, 390]


@pytest.mark.django_db
def test_the_schema_declares_no_security_on_any_operation(real_data):
    schema = yaml.safe_load(APIClient().get("/api/schema/").content)
    assert "securitySchemes" not in schema.get("components", {})
    assert "security" not in schema
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    assert [op.get("operationId") for op in operations if "security" in op] == []


@pytest.mark.django_db
def test_a_browser_gets_the_api_in_the_sites_layout_without_forms(client, real_data):
    response = client.get("/api/partnerships/?page_size=5", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="en-GB">' in html
    assert "<h1>Partnership List</h1>" in html
    # Read-only: no form to send anything, no script but the site's own.
    assert "<form" not in html.split('<main id="main"')[1].split("</main>")[0]
    assert "rest_framework/js" not in html and "bootstrap" not in html
    assert 'rel="next">Next page</a>' in html
    assert re.search(r'href="[^"]*format=json[^"]*"[^>]*>JSON</a>', html)
    assert 'href="/api/docs/"' in html and 'href="/data/"' in html
    # The answer itself, as a program gets it.
    assert "HTTP 200 OK" in html and "&quot;count&quot;" in html


@pytest.mark.django_db
def test_a_program_still_gets_json(client, real_data):
    response = client.get("/api/partnerships/?page_size=5", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert len(response.json()["results"]) == 5


# In a browser


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_interactive_docs_ask_for_no_authorisation_and_pass_axe(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Authorize", re.I))).to_have_count(0)
    expect(page.locator(".authorization__btn, .btn.authorize")).to_have_count(0)
    # Opening an operation shows no padlock either.
    page.locator("#swagger-ui .opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    expect(page.locator(".authorization__btn, .locked, .unlocked")).to_have_count(0)
    assert_no_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_reference_page_passes_axe(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/api/docs/redoc/")
    expect(page.locator("redoc .api-content").first).to_be_attached()
    assert "Authorize" not in page.locator("redoc").inner_text()
    assert_no_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/api/", "Api Root"),
        ("/api/partnerships/?category=legal&page_size=2", "Partnership List"),
        ("/api/councils/E07000223/", "Council Instance"),
        ("/api/no-such-thing/", "Not Found"),
    ],
)
def test_the_apis_own_pages_pass_axe_at_both_widths(page, live_server, width, path, heading):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server.url + path)
    assert response is not None
    assert response.status == (404 if "no-such" in path else 200)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # The answer wraps: nothing scrolls sideways, at either width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_violations(page)


@pytest.mark.browser
def test_a_reader_follows_the_next_page_link_in_the_browser(page, live_server):
    page.goto(live_server.url + "/api/partnerships/?page_size=2")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()
