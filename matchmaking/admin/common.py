"""What the request and application admins share: the confirm-form page of their
actions, and their notes inlines (their activity inline is the kernel's,
`core.activity.admin.ActivityInline`)."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from matchmaking.models import Note

NONE = "—"


class ActionPagesMixin:
    """The back-redirect and the small confirm-form page that every custom action view of
    a request or application admin shares."""

    def _change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def _back(self, obj, anchor: str = "") -> HttpResponseRedirect:
        return HttpResponseRedirect(self._change_url(obj) + anchor)

    def _action_page(self, request, obj, form, *, title, button, intro="", extra=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "form": form,
            "button": button,
            "intro": intro,
            "back_url": self._change_url(obj),
            **(extra or {}),
        }
        return TemplateResponse(
            request,
            "admin/matchmaking/action_form.html",
            context,
            status=400 if form is not None and form.is_bound and form.errors else 200,
        )


class NoteInline(admin.StackedInline):
    model = Note
    fk_name = "match_request"
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        # Notes are a record: added, never rewritten.
        return False


class ApplicationNoteInline(NoteInline):
    fk_name = "application"
