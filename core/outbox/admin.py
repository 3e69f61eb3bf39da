"""Staff's view of the outbox: every email, its delivery status and why one failed."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch

from core.admin import ReadOnly
from core.outbox.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnly, admin.ModelAdmin):
    """Read only. The message's context is not shown: it names the secret link."""

    list_display = [
        "to",
        "kind",
        "about_label",
        "group",
        "created_at",
        "sent_at",
        "status",
        "attempts",
        "error",
    ]
    list_filter = ["status", "kind", "group", "created_at"]
    search_fields = ["to", "key", "subject", "group"]
    date_hierarchy = "created_at"
    fields = [
        "to",
        "subject",
        "kind",
        "about_label",
        "group",
        "key",
        "template",
        "status",
        "attempts",
        "error",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # What each email concerns, in one query per kind of object (with the rows its
        # name reads), however many emails the page lists.
        kinds = OutboundEmail.objects.exclude(content_type=None).values("content_type")
        querysets = [
            kind.model_class()._default_manager.select_related()
            for kind in ContentType.objects.filter(pk__in=kinds)
            if kind.model_class() is not None
        ]
        queryset = super().get_queryset(request)
        if querysets:
            queryset = queryset.prefetch_related(GenericPrefetch("about", querysets))
        return queryset

    @admin.display(description="about")
    def about_label(self, email) -> str:
        return str(email.about) if email.about is not None else "—"
