"""What the refresh's admin modules share."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core.admin import ReadOnly

NONE = "—"


def site_url(request: HttpRequest) -> str:
    """The site's address as this request reached it, for links in emails."""
    return request.build_absolute_uri("/").rstrip("/")


def errors_text(error: ValidationError) -> str:
    """A service's refusal as one line for a message."""
    return " ".join(error.messages)


class ReadOnlyInline(ReadOnly):
    extra = 0
    can_delete = False
    show_change_link = False
