"""The page the admin's login shows once django-axes has locked a sign-in out
(AXES_LOCKOUT_CALLABLE): it says when the person can try again, which axes' own page
does not."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """A 429 page naming the time the lockout ends. Each attempt while locked out starts
    the cool-off again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so it ends one
    cool-off after this attempt."""
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "try_again_at": attempted + get_cool_off(request),
        "title": "Too many failed sign-ins",
    }
    return render(request, "admin/locked_out.html", context, status=429)
