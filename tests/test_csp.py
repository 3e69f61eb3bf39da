"""Every kind of page a visitor or a member of staff opens is sent under an enforced
Content-Security-Policy that allows scripts and styles only from the site's own files,
with a Permissions-Policy, and carries no inline script or style the policy would refuse."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from partnerships.models import Council, Partnership

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a strict CSP refuses: script elements without src (JSON data aside),
    style elements, style attributes and on* event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            if attributes.get("type") != "application/json":
                self.found.append(f"inline <script {attributes}>")
        if tag == "style":
            self.found.append("<style> element")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={attributes[name]!r}>")


def directives(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def assert_strict_policy(response):
    assert response.status_code == 200, response.status_code
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    permissions = response.headers["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert not parser.found, parser.found[:3]


def assert_all_strict(client, urls: list[str]) -> None:
    failures = []
    for url in urls:
        try:
            assert_strict_policy(client.get(url))
        except AssertionError as error:
            failures.append(f"{url}: {str(error).splitlines()[0]}")
    assert not failures, "\n".join(failures)


def public_pages() -> list[str]:
    partnership = Partnership.objects.filter(published=True).order_by("pk").first()
    council = Council.objects.filter(current=True).order_by("gss_code").first()
    return [
        reverse("partnerships:map"),
        reverse("partnerships:partnership-list"),
        reverse("partnerships:partnership-detail", args=[partnership.slug]),
        reverse("partnerships:council-list"),
        reverse("partnerships:council-detail", args=[council.gss_code]),
        reverse("partnerships:council-panel", args=[council.gss_code]),
        reverse("partnerships:about-data"),
        reverse("partnerships:figures"),
        reverse("submissions:proposal-new"),
        reverse("matchmaking:start"),
        reverse("matchmaking:request-new"),
        reverse("matchmaking:programme"),
        reverse("matchmaking:application-new"),
        reverse("benefits:start"),
    ]


def test_every_public_page_is_sent_under_the_strict_policy(client, real_data):
    assert_all_strict(client, public_pages())


def test_the_admin_is_sent_under_the_same_policy(admin_client, real_data):
    partnership = Partnership.objects.order_by("pk").first()
    council = Council.objects.exclude(boundary="").order_by("gss_code").first()
    pages = [
        reverse("admin:index"),
        reverse("admin:partnerships_partnership_changelist"),
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        reverse("admin:partnerships_council_change", args=[council.pk]),
        reverse("admin:matchmaking_matchrequest_changelist"),
    ]
    assert_all_strict(admin_client, pages)
    assert b'id="council-boundary-map"' in admin_client.get(pages[3]).content


def test_tiles_from_another_server_are_allowed_as_images_and_nothing_else():
    from sharedmap.settings.base import content_security_policy

    policy = content_security_policy("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert policy["DIRECTIVES"]["img-src"] == [
        "'self'",
        "data:",
        "https://*.tile.openstreetmap.org",
    ]
    assert policy["DIRECTIVES"]["script-src"] == ["'self'"]
    assert content_security_policy("")["DIRECTIVES"]["img-src"] == ["'self'", "data:"]


def test_the_api_docs_run_only_the_sites_scripts_and_allow_inline_styles_there_alone(
    client, real_data
):
    # Swagger UI and Redoc set styles at run time; nothing else is relaxed, there or
    # anywhere else.
    for url in ("/api/docs/", "/api/docs/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"], url
        html = response.content.decode()
        assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]
