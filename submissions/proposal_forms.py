"""The public "tell us about a shared service" form."""

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError

from core.honeypot import HoneypotForm
from core.parsing import BoundedEmailField, ParseError, StrictIntegerField, TextField, parse_ids
from partnerships.models import Council, PublicBody, ServiceCategory
from partnerships.rules import START_YEARS, members_check
from submissions.questionnaire_selectors import PartnerChoices, partner_choices

# More than there are (about 320 councils, 150 public bodies), fewer than a flood.
MAX_COUNCILS = 400
MAX_PUBLIC_BODIES = 300


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, council: Council) -> str:
        return council.short_name


class PartnersChoiceField(forms.ModelMultipleChoiceField):
    """Partners ticked in a list (templates/submissions/_partner_groups.html): at most
    `max_count` ids, each in the digits 0 to 9 and counted once, refused beside the field
    in words before the database is asked."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, what: str, max_count: int, **kwargs):
        self.what, self.max_count = what, max_count
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": f"One of the {what} ticked is not in the list: tick again.",
                "invalid_pk_value": f"One of the {what} ticked is not in the list: tick again.",
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        if value and isinstance(value, (list, tuple)):
            if len(value) > self.max_count:
                raise ValidationError(
                    f"Tick at most {self.max_count:,} {self.what} (this has {len(value):,}).",
                    code="max_count",
                )
            try:
                value = [str(pk) for pk in parse_ids(value, max_count=self.max_count)]
            except ParseError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        return super().clean(value)


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
    councils = PartnersChoiceField(
        what="councils",
        max_count=MAX_COUNCILS,
        label="Other councils in it",
        required=False,
        queryset=Council.objects.filter(current=True).only("pk"),
    )
    public_bodies = PartnersChoiceField(
        what="public bodies",
        max_count=MAX_PUBLIC_BODIES,
        label="Public bodies in it (fire and rescue, police, health, housing, planning)",
        required=False,
        queryset=PublicBody.objects.only("pk"),
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

    # The lists to tick, in groups (templates/submissions/_partner_groups.html): councils
    # by region, public bodies by sector, each group open when one of its own is ticked.
    @cached_property
    def choices(self) -> PartnerChoices:
        return partner_choices(items=[])

    def chosen(self, name: str) -> set[str]:
        """The ids ticked on a refused send, to tick them again."""
        return {str(v) for v in self[name].value() or []}

    def _groups(self, name: str, groups) -> list[tuple[str, bool, list[tuple[int, str]]]]:
        chosen = self.chosen(name)
        return [
            (group, any(str(pk) in chosen for pk, _ in members), members)
            for group, members in groups
        ]

    def _chosen_names(self, name: str) -> list[str]:
        names = self.choices.names[name]
        return sorted(names[int(v)] for v in self.chosen(name) if v.isdecimal() and int(v) in names)

    def council_groups(self):
        return self._groups("councils", self.choices.council_groups())

    def body_groups(self):
        return self._groups("public_bodies", self.choices.body_groups())

    def chosen_councils(self) -> set[str]:
        return self.chosen("councils")

    def chosen_bodies(self) -> set[str]:
        return self.chosen("public_bodies")

    def chosen_council_names(self) -> list[str]:
        return self._chosen_names("councils")

    def chosen_body_names(self) -> list[str]:
        return self._chosen_names("public_bodies")

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
