"""The site's own pages: the "Shared services" start page, the accessibility statement,
the privacy notice and the cookies page; each linked from every page's footer, passing
axe at desktop and phone widths, and saying what the settings and the site really do."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.axe import assert_no_violations

SITE_PAGES = {
    "site:shared-services": "Shared services",
    "site:accessibility": "Accessibility statement for the Shared Services Map",
    "site:privacy": "Privacy notice",
    "site:cookies": "Cookies",
}
# What every page's footer links to.
FOOTER_LINKS = [
    "site:shared-services",
    "site:accessibility",
    "site:privacy",
    "site:cookies",
    "partnerships:data-api",
    "partnerships:about-data",
    "submissions:proposal-new",
]


def text(content: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", content.decode()))).strip()


def footer(html: str) -> str:
    match = re.search(r"<footer class=\"site-footer\">(.*?)</footer>", html, re.S)
    assert match, "the page has the site's footer"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "heading"), SITE_PAGES.items())
def test_each_page_opens_with_its_heading_and_a_way_home(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'aria-label="Breadcrumb"' in html and f'href="{reverse("partnerships:map")}"' in html
    # Read-only pages: a form sent to them is refused.
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        reverse("partnerships:map"),
        reverse("partnerships:partnership-list"),
        reverse("partnerships:about-data"),
        reverse("submissions:proposal-new"),
        reverse("matchmaking:start"),
        reverse("benefits:start"),
        *(reverse(name) for name in SITE_PAGES),
        "/no-such-page/",
    ],
)
def test_every_pages_footer_links_to_the_sites_pages_and_the_head_to_the_favicon(
    client, real_data, path
):
    html = client.get(path).content.decode()
    links = footer(html)
    for name in FOOTER_LINKS:
        assert f'href="{reverse(name)}"' in links, f"{path}: no footer link to {name}"
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in html


def test_the_favicons_are_real_files():
    svg = finders.find("favicon.svg")
    assert svg and open(svg).read().lstrip().startswith("<svg")
    for name, magic in (
        ("favicon.ico", b"\x00\x00\x01\x00"),
        ("apple-touch-icon.png", b"\x89PNG"),
    ):
        path = finders.find(name)
        assert path, name
        with open(path, "rb") as file:
            assert file.read(4) == magic


@pytest.mark.django_db
@override_settings(CONTACT_EMAIL="shared.team@example.gov.uk")
def test_the_start_page_brings_together_the_lgas_offer_with_a_way_to_contact_the_team(client):
    response = client.get(reverse("site:shared-services"))
    html = response.content.decode()
    for name in (
        "submissions:proposal-new",
        "matchmaking:start",
        "matchmaking:request-new",
        "matchmaking:programme",
        "matchmaking:application-new",
        "benefits:start",
        "partnerships:partnership-list",
        "partnerships:about-data",
    ):
        assert f'href="{reverse(name)}"' in html, name
    words = text(response.content)
    assert "The annual refresh" in words
    assert "Shared Service Expert Programme" in words
    assert "Services shared: costs spared?" in words
    assert "Stronger together: shared management in local government" in words
    assert '<a href="mailto:shared.team@example.gov.uk">shared.team@example.gov.uk</a>' in html
    # Publications are plain links, no script from anywhere.
    assert 'href="https://www.local.gov.uk/productivity-shared-services-evaluation"' in html
    assert '<script src="http' not in html


@pytest.mark.django_db
@override_settings(
    ACCESSIBILITY_STATEMENT_PREPARED="2026-12-04",
    ACCESSIBILITY_LAST_TESTED="2026-11-30",
    CONTACT_EMAIL="shared.team@example.gov.uk",
)
def test_the_accessibility_statement_has_the_regulations_sections_and_its_dates(client):
    response = client.get(reverse("site:accessibility"))
    words = text(response.content)
    for section in (
        "Who runs this website",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Preparation of this accessibility statement",
    ):
        assert section in words, section
    assert "partially compliant" in words
    assert "Equality Advisory and Support Service (EASS)" in words
    assert "(No. 2) Accessibility Regulations 2018" in words
    assert "in a different format" in words and "shared.team@example.gov.uk" in words
    # What is known not to meet WCAG is said, the map and the charts first.
    assert "The map is a visual Leaflet map" in words
    assert "Charts." in words and "There are no PDF documents on this site." in words
    assert "This statement was prepared on 4 December 2026." in words
    assert "This website was last tested on 30 November 2026." in words


@pytest.mark.django_db
@override_settings(
    RETENTION_YEARS_REFRESH=5,
    RETENTION_YEARS_PROPOSALS=2,
    RETENTION_YEARS_MATCHMAKING=4,
    RETENTION_YEARS_BENEFITS=7,
    RETENTION_DAYS_OUTBOX=180,
    RETENTION_DAYS_SIGN_IN_RECORDS=30,
)
def test_the_privacy_notice_states_the_periods_the_nightly_tasks_enforce(client):
    words = text(client.get(reverse("site:privacy")).content)
    assert "removed 5 years after the refresh cycle closes" in words
    assert "removed 2 years after our staff decide on the proposal" in words
    assert "removed 4 years after the request or application was last acted on" in words
    assert "removed 7 years after the tracker was last changed" in words
    assert "removed 180 days after the email was sent" in words
    assert "deleted after 30 days" in words
    assert "public task" in words and "Information Commissioner's Office" in words
    assert "No analytics or advertising services run on this site." in words


def listed_cookies(client) -> set[str]:
    html = client.get(reverse("site:cookies")).content.decode()
    return set(re.findall(r'<dl class="summary-list" data-cookie="([^"]+)">', html))


@pytest.mark.django_db
def test_the_cookies_page_names_exactly_the_cookies_real_requests_set(client, real_data):
    listed = listed_cookies(client)
    assert listed, "the page lists the cookies"

    # Reading the site sets none.
    for name in ("partnerships:map", "partnerships:partnership-list", "partnerships:figures"):
        assert not client.get(reverse(name)).cookies, name
    for name in SITE_PAGES:
        assert not client.get(reverse(name)).cookies, name

    seen: set[str] = set()
    # A public form protects itself with the CSRF cookie.
    for name in ("submissions:proposal-new", "matchmaking:request-new", "benefits:start"):
        set_here = set(client.get(reverse(name)).cookies)
        assert set_here == {"csrftoken"}, name
        seen |= set_here
    # Staff sign in (the session) and save something (the confirmation's message).
    get_user_model().objects.create_superuser("lga", "lga@local.gov.uk", "a-long-passphrase")
    client.get(reverse("admin:login"))
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "lga", "password": "a-long-passphrase", "next": reverse("admin:index")},
    )
    assert signed_in.status_code == 302
    seen |= set(signed_in.cookies)
    saved = client.post(reverse("admin:auth_group_add"), {"name": "Editors"})
    assert saved.status_code == 302
    seen |= set(saved.cookies)

    assert seen == listed


@pytest.mark.django_db
def test_the_cookies_page_says_how_long_each_lasts_from_the_settings(client):
    words = text(client.get(reverse("site:cookies")).content)
    assert "52 weeks" in words  # CSRF_COOKIE_AGE, Django's default
    assert "2 weeks, or when you sign out" in words  # SESSION_COOKIE_AGE
    assert "no analytics, advertising or other third-party cookies" in words
    with override_settings(SESSION_COOKIE_AGE=8 * 3600):
        assert "8 hours, or when you sign out" in text(client.get(reverse("site:cookies")).content)


# ---- In a real browser, at a desktop and a phone width


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_pages_pass_axe_and_the_footer_reaches_each_of_them(
    browser, live_server, live_real_data, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(live_server.url + reverse("partnerships:partnership-list"))
        for name, heading in SITE_PAGES.items():
            link = page.locator(f'footer a[href="{reverse(name)}"]')
            link.focus()
            page.keyboard.press("Enter")
            expect(page).to_have_url(live_server.url + reverse(name))
            expect(page.locator("h1")).to_have_text(heading)
            assert_no_violations(page)
    finally:
        context.close()
