"""What the refresh adds to the partnerships app's council and partnership pages: the
council's refresh contacts, and a link to a partnership's history (django-simple-history
keeps every change, staff's edits and accepted reviews alike).

Nothing here is registered with the admin: `SubmissionsConfig.ready()` hands these to
`partnerships.admin_extensions`, which the partnerships admins read.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from partnerships import admin_extensions
from partnerships.models import Partnership
from submissions.admin.common import NONE
from submissions.admin.contacts import CouncilContactFormSet
from submissions.models import CouncilContact


class CouncilContactInline(admin.TabularInline):
    model = CouncilContact
    formset = CouncilContactFormSet
    fields = ["name", "email", "role", "active"]
    extra = 1
    verbose_name = "refresh contact (private)"
    verbose_name_plural = "refresh contacts (private: LGA staff only)"


@admin.display(description="changes to this partnership")
def history_link(partnership: Partnership) -> str:
    if not partnership.pk:
        return NONE
    url = reverse("admin:partnerships_partnership_history", args=[partnership.pk])
    return format_html(
        '<a href="{}">Every change to {}: who, when, before and after</a>', url, partnership.name
    )


def partnership_pages_extend() -> None:
    """Add the refresh's contacts and the history link to the partnerships admin's pages."""
    admin_extensions.council_inline_add(CouncilContactInline)
    admin_extensions.partnership_field_add(fieldset="History", render=history_link)
