"""The public "tell us about a shared service" form."""

from django import forms
from django.core.exceptions import ValidationError

from core.honeypot import HoneypotForm
from core.parsing import BoundedEmailField, StrictIntegerField, TextField
from partnerships.models import Council, PublicBody, ServiceCategory
from partnerships.rules import START_YEARS, members_check


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, council: Council) -> str:
        return council.short_name


class CouncilsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, council: Council) -> str:
        return council.short_name


class ProposalForm(HoneypotForm):
    council = CouncilChoiceField(
        label="Your council",
        queryset=Council.objects.filter(current=True)
        .only("pk", "short_name")
        .order_by("short_name"),
        empty_label="Choose your council",
        error_messages={"required": "Choose the council you work for."},
    )
    name = TextField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Give your name, so that we can reply."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = BoundedEmailField(
        label="Your work email address",
        help_text="We send a receipt here, and may write to ask about the partnership.",
        error_messages={
            "required": "Give your email address, so that we can send a receipt.",
            "invalid": "Give an email address like name@council.gov.uk.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    partnership_name = TextField(
        label="Name of the shared service or partnership",
        max_length=200,
        error_messages={"required": "Give the shared service a name."},
    )
    description = TextField(
        multiline=True,
        label="What is shared, and how",
        help_text="A few sentences: the service, who runs it, and since when.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what the councils share."},
    )
    councils = CouncilsChoiceField(
        label="Other councils in it",
        required=False,
        queryset=Council.objects.filter(current=True)
        .only("pk", "short_name")
        .order_by("short_name"),
        help_text=(
            "Your own council is included. To choose more than one, hold Ctrl (Cmd on a Mac) "
            "as you click, or type the others below."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    public_bodies = forms.ModelMultipleChoiceField(
        label="Public bodies in it (fire and rescue, police, health, housing, planning)",
        required=False,
        queryset=PublicBody.objects.only("pk", "name").order_by("name"),
        help_text="To choose more than one, hold Ctrl (Cmd on a Mac) as you click.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    other_partners = TextField(
        multiline=True,
        label="Other partners (optional)",
        required=False,
        max_length=2000,
        help_text="Any partner not in the lists above, one per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    categories = forms.ModelMultipleChoiceField(
        label="Services shared",
        queryset=ServiceCategory.objects.order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one service."},
    )
    start_year = StrictIntegerField(
        what="the year",
        label="Year it started (optional)",
        required=False,
        min_value=START_YEARS.earliest,
        max_value=START_YEARS.latest,
        help_text="For example 2019.",
        error_messages={
            "invalid": "Give the year as four digits, like 2019.",
            **START_YEARS.errors(),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--year"}),
    )

    def partner_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["other_partners"].splitlines()]

    def clean(self):
        cleaned = super().clean()
        council = cleaned.get("council")
        if council and "councils" not in self.errors:
            typed = [line.strip() for line in (cleaned.get("other_partners") or "").splitlines()]
            try:
                members_check(
                    [council, *(cleaned.get("councils") or [])],
                    [*(cleaned.get("public_bodies") or []), *filter(None, typed)],
                )
            except ValidationError as error:
                self.add_error("councils", error)
        return cleaned
