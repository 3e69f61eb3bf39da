"""The people who answer each council's refresh (private to staff). They are also on
the council's own page (see `partnership_pages`)."""

from django.contrib import admin

from submissions.models import CouncilContact


@admin.register(CouncilContact)
class CouncilContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "role", "council", "active"]
    list_filter = ["active", "council__region", "council__council_type"]
    list_select_related = ["council"]
    search_fields = ["name", "email", "role", "council__short_name", "council__gss_code"]
    autocomplete_fields = ["council"]
    fields = ["council", "name", "email", "role", "active", "created_at"]
    readonly_fields = ["created_at"]
