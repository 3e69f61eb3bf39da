"""The activity log in the admin: an inline for any workflow's page, and the read-only
list of every entry."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from core.activity.models import ActivityEntry
from core.admin import ReadOnly

NONE = "—"


class ActivityInline(ReadOnly, GenericTabularInline):
    """Who did what to this object, newest first."""

    model = ActivityEntry
    extra = 0
    fields = ["at", "by", "description", "note"]
    readonly_fields = fields
    verbose_name_plural = "activity (every action, newest first)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="by")
    def by(self, entry: ActivityEntry) -> str:
        user = entry.user.get_username() if entry.user_id else ""
        if user and entry.actor and entry.actor != user:
            return f"{entry.actor} (recorded by {user})"
        return entry.actor or user or NONE

    @admin.display(description="detail")
    def note(self, entry: ActivityEntry) -> str:
        return entry.note


@admin.register(ActivityEntry)
class ActivityEntryAdmin(ReadOnly, admin.ModelAdmin):
    """Every entry of every workflow, read-only."""

    list_display = ["at", "actor", "description", "about", "note"]
    list_filter = ["content_type", "verb"]
    search_fields = ["description", "actor", "detail"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        # One query per kind of object, however many entries.
        return (
            super().get_queryset(request).select_related("content_type").prefetch_related("target")
        )

    @admin.display(description="about")
    def about(self, entry: ActivityEntry) -> str:
        name = f"{entry.content_type.name} {entry.object_id}"
        if entry.target is None:
            return f"{name} (deleted)"
        return getattr(entry.target, "reference", None) or name

    @admin.display(description="detail")
    def note(self, entry: ActivityEntry) -> str:
        return entry.note
