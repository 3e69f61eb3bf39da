"""The admin's "Publish this year's map": freezing a financial year's published map.

A snapshot is never edited: staff publish one per year (closing a refresh cycle does it
too) and read what it holds; only a superuser can delete one made by mistake.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from partnerships.filters import year_choices
from partnerships.models import MapSnapshot, financial_year_label
from partnerships.services.snapshots import map_snapshot_publish


class SnapshotPublishForm(forms.ModelForm):
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=year_choices,
        help_text="What is published for that year now is frozen: later edits never change "
        "that year's map, lists, figures or downloads.",
    )
    note = forms.CharField(label="Note", max_length=200, required=False)

    class Meta:
        model = MapSnapshot
        fields = ["year", "note"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if MapSnapshot.objects.filter(year=year).exists():
            raise ValidationError(
                f"The map of {financial_year_label(year)} was already published; it stays as "
                "it was published."
            )
        return year


@admin.register(MapSnapshot)
class MapSnapshotAdmin(admin.ModelAdmin):
    list_display = ["financial_year", "published_at", "published_by", "partnerships", "note"]
    ordering = ["-year"]

    @admin.display(description="Financial year", ordering="year")
    def financial_year(self, snapshot: MapSnapshot) -> str:
        return financial_year_label(snapshot.year)

    @admin.display(description="Partnerships frozen")
    def partnerships(self, snapshot: MapSnapshot) -> int:
        return snapshot.payload.get("partnerships", 0)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SnapshotPublishForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["year", "note"]
        return ["year", "published_at", "published_by", "note", "payload"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        # Read-only: the detail page shows what was frozen, nothing can be saved.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change) -> None:
        snapshot = map_snapshot_publish(
            year=form.cleaned_data["year"], user=request.user, note=form.cleaned_data["note"]
        )
        for field in MapSnapshot._meta.concrete_fields:
            setattr(obj, field.attname, getattr(snapshot, field.attname))
        messages.success(
            request,
            f"The map of {financial_year_label(snapshot.year)} is published: "
            f"{snapshot.payload['partnerships']} partnerships frozen.",
        )
