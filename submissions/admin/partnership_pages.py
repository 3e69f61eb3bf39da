"""The partnerships app's Council and Partnership pages as the refresh extends them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from partnerships.admin import CouncilAdmin, PartnershipAdmin
from partnerships.models import Council, Partnership
from submissions.admin.common import NONE
from submissions.admin.contacts import CouncilContactInline
from submissions.services.staff import (
    partnership_edit_record,
    partnership_snapshot,
)

admin.site.unregister(Council)


@admin.register(Council)
class CouncilWithContactsAdmin(CouncilAdmin):
    """The council page with the people who answer its refresh."""

    inlines = [*CouncilAdmin.inlines, CouncilContactInline]


# --- The partnership page: its history, and staff edits kept in it ---------------------------


admin.site.unregister(Partnership)


@admin.register(Partnership)
class PartnershipWithHistoryAdmin(PartnershipAdmin):
    """The partnership page with a link to its history; each save by staff is kept in it
    (before and after, members and savings included)."""

    readonly_fields = [*PartnershipAdmin.readonly_fields, "history_link"]
    fieldsets = [*PartnershipAdmin.fieldsets, ("History", {"fields": ["history_link"]})]

    @admin.display(description="changes to this partnership")
    def history_link(self, partnership: Partnership) -> str:
        if not partnership.pk:
            return NONE
        url = reverse("admin:submissions_changehistory_changelist")
        return format_html(
            '<a href="{}?partnership__id__exact={}">'
            "Every change to {}: who, when, before and after</a>",
            url,
            partnership.pk,
            partnership.name,
        )

    def save_model(self, request, obj, form, change):
        request._partnership_before = (
            partnership_snapshot(Partnership.objects.get(pk=obj.pk)) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        partnership_edit_record(
            partnership=form.instance,
            before=getattr(request, "_partnership_before", None),
            user=request.user,
        )
