"""What the request and application admins share: their action views' URLs, the
permission-checked object those views act on, the confirm-form page of their actions,
and their notes inlines (their activity inline is the kernel's,
`core.activity.admin.ActivityInline`)."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin import email_resend_said
from core.forms import errors_onto
from core.outbox.services import email_resend_key, emails_about
from matchmaking import services
from matchmaking.models import Note

NONE = "—"


class ActionPagesMixin:
    """The URLs, the back-redirect and the small confirm-form page that every custom action
    view of a request or application admin shares.

    `action_related` names what an action view's object is loaded with; `panel_context`
    adds what the object's change page shows above its form."""

    action_related: tuple[str, ...] = ()

    def panel_context(self, obj) -> dict:
        return {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None:
            extra_context.update(self.panel_context(obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def _email_paths(self) -> list:
        """The URL that sends one failed email about an object again."""
        opts = self.model._meta
        return [
            path(
                "<int:object_id>/emails/<int:email_id>/resend/",
                self.admin_site.admin_view(self.email_resend_view),
                name=f"{opts.app_label}_{opts.model_name}_email_resend",
            )
        ]

    def email_resend_view(self, request, object_id, email_id):
        """Send one failed email about this request or application again, to the one
        address it was for (core.outbox.services.email_resend)."""
        obj = self._get_for_change(request, object_id)
        if request.method != "POST":
            return self._back(obj, "#deliveries")
        email = get_object_or_404(emails_about(obj), pk=email_id)
        email_resend_said(self, request, email)
        return self._back(obj, "#deliveries")

    def _object_path(self, func, name: str):
        """The URL of the action `name` on one object, `<app>_<model>_<name>` by name."""
        opts = self.model._meta
        return path(
            f"<int:object_id>/{name}/",
            self.admin_site.admin_view(func),
            name=f"{opts.app_label}_{opts.model_name}_{name}",
        )

    def _get_for_change(self, request, object_id):
        obj = get_object_or_404(
            self.model.objects.select_related(*self.action_related), pk=object_id
        )
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def _back(self, obj, anchor: str = "") -> HttpResponseRedirect:
        return HttpResponseRedirect(self._change_url(obj) + anchor)

    def _form_action(self, request, obj, form, act: Callable[[dict], object], *, done: str, **page):
        """On a valid POST, `act(cleaned_data)` (a service call): its refusal goes onto the
        form, its success is said in `done` and goes back to the object's page. Otherwise
        the confirm-form page, with `page` as `_action_page`'s words."""
        if request.method == "POST" and form.is_valid():
            try:
                act(form.cleaned_data)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return self._back(obj)
        return self._action_page(request, obj, form, **page)

    def _rows_save(self, request, formset, save, *, label) -> None:
        """Each row of an inline saved by `save(row_form)` (through a service); a row the
        service refuses is said in an error message led by `label(row_form)`, and the
        other rows are still saved."""
        for row_form in formset.forms:
            try:
                save(row_form)
            except ValidationError as error:
                self.message_user(
                    request, f"{label(row_form)}: {' '.join(error.messages)}", messages.ERROR
                )

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


def deliveries(obj) -> dict:
    """For the page of a request or application: (email, resent) for each email about
    it, newest first (`resent` when a failed one has been sent again already), and how
    many failed and are not sent again yet."""
    emails = list(emails_about(obj))
    keys = {email.key for email in emails}
    rows = [(email, email_resend_key(email) in keys) for email in emails]
    failed = sum(1 for email, resent in rows if email.status == "failed" and not resent)
    return {"deliveries": rows, "failed_emails": failed}


def notes_add(request, formset, **owner) -> None:
    """The new notes in a notes inline's formset, added through `services.note_add` on the
    request or application `owner` names, and listed for the admin's change message."""
    for note_form in formset.forms:
        text = note_form.cleaned_data.get("text") if note_form.has_changed() else ""
        if text and note_form.instance.pk is None:
            formset.new_objects.append(services.note_add(text=text, user=request.user, **owner))


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
