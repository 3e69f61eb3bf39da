"""The people who answer each council's refresh (private to staff). They are also on
the council's own page (see `partnership_pages`).

A contact saved while a cycle is open is invited at once, after the save commits, so
that no reminder reaches them before their invitation."""

from django import forms
from django.contrib import admin

from submissions import tasks
from submissions.admin.common import site_url
from submissions.models import DUPLICATE_EMAIL_MESSAGE, CouncilContact


def contact_invite_after_commit(contact: CouncilContact, *, site: str = "") -> None:
    """Queue the contact's invitation, if a cycle is open, once the save commits."""
    if contact.active:
        tasks.contact_invite.delay_on_commit(contact.pk, site)


class CouncilContactFormSet(forms.BaseInlineFormSet):
    """A council's contacts on its page: two rows with the same email in any case are
    refused beside the second (the model's check sees only saved contacts), and each
    contact saved is invited if a cycle is open."""

    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            email = (form.cleaned_data or {}).get("email", "").lower()
            if email and email in seen:
                form.add_error("email", DUPLICATE_EMAIL_MESSAGE)
            seen.add(email)

    def save(self, commit: bool = True):
        saved = super().save(commit=commit)
        for contact in saved:
            contact_invite_after_commit(contact)
        return saved


@admin.register(CouncilContact)
class CouncilContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "role", "council", "active"]
    list_filter = ["active", "council__region", "council__council_type"]
    list_select_related = ["council"]
    search_fields = ["name", "email", "role", "council__short_name", "council__gss_code"]
    autocomplete_fields = ["council"]
    fields = ["council", "name", "email", "role", "active", "created_at"]
    readonly_fields = ["created_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        contact_invite_after_commit(obj, site=site_url(request))
