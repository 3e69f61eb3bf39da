"""The history of published data: who changed what, when, before and after."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from submissions.admin.common import NONE, ReadOnlyAdmin
from submissions.models import (
    ChangeHistory,
)


@admin.register(ChangeHistory)
class ChangeHistoryAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "object_label",
        "object_type",
        "action",
        "partnership",
        "changed_by_label",
        "proposed_change",
    ]
    list_filter = ["action", "object_type", "changed_at"]
    list_select_related = ["partnership", "proposed_change__partnership"]
    search_fields = ["object_label", "changed_by_label", "partnership__name"]
    date_hierarchy = "changed_at"
    fields = [
        "changed_at",
        "object_type",
        "object_id",
        "object_label",
        "partnership",
        "action",
        "changed_by_label",
        "proposed_change",
        "difference",
    ]
    readonly_fields = fields

    @admin.display(description="before and after")
    def difference(self, entry: ChangeHistory) -> str:
        before, after = entry.before or {}, entry.after or {}
        keys = sorted(set(before) | set(after))
        return format_html(
            "<table><thead><tr><th scope='col'>field</th><th scope='col'>before</th>"
            "<th scope='col'>after</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
                ((k, before.get(k, NONE), after.get(k, NONE)) for k in keys),
            ),
        )
