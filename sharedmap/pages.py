"""The site's own pages: the "Shared services" start page (the LGA's offer in one place)
and the pages a public-sector service owes its users, the accessibility statement, the
privacy notice and the cookies page.

They read what they state from settings, so the words follow the configuration: the
team's address (CONTACT_EMAIL), the statement's dates, the retention periods the nightly
tasks enforce (RETENTION_*, see core/retention.py) and the cookies Django sets (their
names and ages). `cookies_set` is the one list of cookies; tests compare it with what
real requests set.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

app_name = "site"


def _crumbs(title: str) -> list[tuple[str, str | None]]:
    return [("Home", reverse("partnerships:map")), (title, None)]


def duration_words(seconds: int) -> str:
    """A cookie's age in words: "2 weeks", "52 weeks", "1 day", "30 minutes"."""
    for unit, size in (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _years(count: int) -> str:
    return f"{count} year{'' if count == 1 else 's'}"


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    set_when: str
    expiry: str


def cookies_set() -> list[Cookie]:
    """Every cookie the site sets, as configured: Django's CSRF, session and messages
    cookies. There are no analytics, advertising or third-party cookies, and no others."""
    if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        session_expiry = "When you close your browser"
    else:
        session_expiry = f"{duration_words(settings.SESSION_COOKIE_AGE)}, or when you sign out"
    return [
        Cookie(
            name=settings.CSRF_COOKIE_NAME,
            purpose=(
                "Protects the forms you send (a proposal, a match-making request, an Expert "
                "Programme application, a benefits tracker, a refresh questionnaire, the "
                "staff sign-in) from being sent by another site in your name."
            ),
            set_when=(
                "When you open a page with a form that sends information to us, the API's "
                "interactive documentation, or one of the API's pages in a browser."
            ),
            expiry=duration_words(settings.CSRF_COOKIE_AGE),
        ),
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose=(
                "Remembers, from one page to the next, what you told us a moment ago: the "
                "email address a proposal's receipt went to, a new benefits tracker's link "
                "to show you once, the name you give in a refresh questionnaire; and keeps "
                "the LGA's staff signed in to the administration pages."
            ),
            set_when=(
                "When you send one of those forms, or when a member of staff signs in. "
                "Reading the map, the lists and the figures sets none."
            ),
            expiry=session_expiry,
        ),
        Cookie(
            name=CookieStorage.cookie_name,
            purpose=(
                "Carries a confirmation, such as “Your figures are saved”, to the next "
                "page you see."
            ),
            set_when="When a form you sent is saved, until the next page shows the message.",
            expiry="Deleted once the message is shown, or when you close your browser",
        ),
    ]


@require_safe
def shared_services(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/shared_services.html",
        {"breadcrumbs": _crumbs("Shared services"), "contact_email": settings.CONTACT_EMAIL},
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/accessibility.html",
        {
            "breadcrumbs": _crumbs("Accessibility statement"),
            "contact_email": settings.CONTACT_EMAIL,
            "prepared_on": datetime.date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_PREPARED),
            "tested_on": datetime.date.fromisoformat(settings.ACCESSIBILITY_LAST_TESTED),
        },
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    periods = {
        "refresh": _years(settings.RETENTION_YEARS_REFRESH),
        "proposals": _years(settings.RETENTION_YEARS_PROPOSALS),
        "matchmaking": _years(settings.RETENTION_YEARS_MATCHMAKING),
        "benefits": _years(settings.RETENTION_YEARS_BENEFITS),
        "emails": _days(settings.RETENTION_DAYS_OUTBOX),
        "sign_ins": _days(settings.RETENTION_DAYS_SIGN_IN_RECORDS),
        "session": duration_words(settings.SESSION_COOKIE_AGE),
    }
    return render(
        request,
        "site/privacy.html",
        {
            "breadcrumbs": _crumbs("Privacy notice"),
            "contact_email": settings.CONTACT_EMAIL,
            "periods": periods,
        },
    )


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/cookies.html",
        {"breadcrumbs": _crumbs("Cookies"), "cookies": cookies_set()},
    )


urlpatterns = [
    path("shared-services/", shared_services, name="shared-services"),
    path("accessibility/", accessibility, name="accessibility"),
    path("privacy/", privacy, name="privacy"),
    path("cookies/", cookies, name="cookies"),
]
