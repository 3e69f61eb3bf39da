"""The people who answer each council's refresh (private to staff), listed on their own
and on the council's page."""

from django.contrib import admin

from submissions.models import (
    CouncilContact,
)


class CouncilContactInline(admin.TabularInline):
    model = CouncilContact
    fields = ["name", "email", "role", "active"]
    extra = 1
    verbose_name = "refresh contact (private)"
    verbose_name_plural = "refresh contacts (private: LGA staff only)"


@admin.register(CouncilContact)
class CouncilContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "role", "council", "active"]
    list_filter = ["active", "council__region", "council__council_type"]
    list_select_related = ["council"]
    search_fields = ["name", "email", "role", "council__short_name", "council__gss_code"]
    autocomplete_fields = ["council"]
    fields = ["council", "name", "email", "role", "active", "created_at"]
    readonly_fields = ["created_at"]
