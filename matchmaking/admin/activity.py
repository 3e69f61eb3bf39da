"""The record of every action on requests and applications."""

from django.contrib import admin

from matchmaking.admin.common import NONE
from matchmaking.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The record of every action, read-only."""

    list_display = ["created_at", "actor_label", "action", "subject", "detail"]
    list_filter = ["action"]
    search_fields = ["action", "detail", "actor_label"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("match_request__council", "application__partnership")
        )

    @admin.display(description="about")
    def subject(self, activity: Activity) -> str:
        if activity.match_request_id:
            return activity.match_request.reference
        if activity.application_id:
            return activity.application.reference
        return NONE

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
