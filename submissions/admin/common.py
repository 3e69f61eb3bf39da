"""What the refresh's admin modules share."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

NONE = "—"


def site_url(request: HttpRequest) -> str:
    """The site's address as this request reached it, for links in emails."""
    return request.build_absolute_uri("/").rstrip("/")


def errors_text(error: ValidationError) -> str:
    """A service's refusal as one line for a message."""
    return " ".join(error.messages)


class ReadOnlyInline:
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
