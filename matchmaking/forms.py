"""The public forms: asking for a match, applying to the Expert Programme, reporting
outcomes. They are drawn by the site's one field template (core.forms), and a bad
submission comes back with everything typed still in place. The hidden `website` field is
a trap for robots (core.honeypot)."""

from django import forms

from core.honeypot import HoneypotForm
from core.parsing import BoundedEmailField, StrictDecimalField, TextField
from matchmaking.models import (
    CONSIDERED_TYPES,
    FundingWanted,
    Reach,
    current_financial_year,
)
from partnerships.models import (
    Council,
    Partnership,
    PartnershipCouncil,
    Recurrence,
    SavingsKind,
    ServiceCategory,
    financial_year_label,
)

# What a council choice needs: never the boundaries, which are large.
COUNCIL_FIELDS = ("pk", "gss_code", "official_name", "short_name", "council_type", "current")


class AccessibleForm(HoneypotForm):
    """A public form with a trap field for robots (core.honeypot), whose optional fields
    say so and whose list of services is drawn in columns (core/forms/field.html)."""

    mark_optional = True
    column_choices = frozenset({"categories"})


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, council: Council) -> str:
        return council.official_name


class MatchRequestForm(AccessibleForm):
    council = CouncilChoiceField(
        queryset=Council.objects.filter(current=True)
        .only(*COUNCIL_FIELDS)
        .order_by("official_name"),
        label="Your council",
        empty_label="Choose your council",
        error_messages={
            "required": "Choose your council.",
            "invalid_choice": "Choose a council from the list.",
        },
    )
    requester_name = TextField(
        label="Your name", max_length=200, error_messages={"required": "Enter your name."}
    )
    requester_role = TextField(
        label="Your role",
        max_length=200,
        help_text="For example: Head of Building Control.",
        error_messages={"required": "Enter your role."},
    )
    requester_email = BoundedEmailField(
        label="Your work email",
        help_text="We send a link to this address: the request reaches us once you confirm it.",
        error_messages={
            "required": "Enter your work email.",
            "invalid": "Enter an email address like name@council.gov.uk.",
        },
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=ServiceCategory.objects.exclude(slug="other"),
        label="What would you like to share?",
        help_text="Choose one or more services, or a shared management team or chief executive.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one service to share."},
    )
    reach = forms.ChoiceField(
        choices=Reach.choices,
        label="How far afield would you look for partners?",
        initial=Reach.COUNTY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how far afield you would look."},
    )
    council_types = forms.MultipleChoiceField(
        choices=[(t.value, t.label) for t in CONSIDERED_TYPES],
        label="Which kinds of council would you consider?",
        help_text="Leave all unticked if any kind would do.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = TextField(
        multiline=True,
        label="What do you hope to achieve?",
        help_text="The services, the problem you want to solve, any timing. Please do not "
        "include anyone's personal details.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Say what you hope to achieve."},
    )
    funding_wanted = forms.ChoiceField(
        choices=FundingWanted.choices,
        label="Would you like funding?",
        initial=FundingWanted.NONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you would like funding."},
    )
    expert_days_requested = StrictDecimalField(
        label="Expert days (estimate)",
        help_text="If you want an expert: about how many days of their time.",
        required=False,
        min_value=0.5,
        max_value=999,
        decimal_places=1,
        error_messages={
            "invalid": "Enter a number of days, like 10 or 12.5.",
            "min_value": "Enter at least half a day.",
            "max_value": "Enter fewer than 1,000 days.",
            "max_decimal_places": "Enter days to one decimal place at most.",
        },
    )
    mediation_requested = StrictDecimalField(
        label="Mediation cost in pounds (estimate)",
        help_text="If you want mediation: about how much it would cost, in £.",
        required=False,
        min_value=1,
        max_value=9_999_999,
        decimal_places=2,
        error_messages={
            "invalid": "Enter an amount in pounds, like 5000.",
            "min_value": "Enter an amount of at least £1.",
            "max_value": "Enter an amount under £10 million.",
            "max_decimal_places": "Enter pounds and pence only.",
        },
    )

    def clean(self):
        data = super().clean()
        wanted = data.get("funding_wanted")
        if wanted in (FundingWanted.EXPERT, FundingWanted.BOTH) and not data.get(
            "expert_days_requested"
        ):
            if "expert_days_requested" not in self.errors:
                self.add_error(
                    "expert_days_requested", "Say roughly how many days of an expert you need."
                )
        if wanted in (FundingWanted.MEDIATION, FundingWanted.BOTH) and not data.get(
            "mediation_requested"
        ):
            if "mediation_requested" not in self.errors:
                self.add_error(
                    "mediation_requested", "Say roughly how much mediation would cost, in £."
                )
        return data


class PartnershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partnership: Partnership) -> str:
        return partnership.name


class ExpertApplicationForm(AccessibleForm):
    partnership = PartnershipChoiceField(
        queryset=Partnership.objects.filter(published=True).order_by("name"),
        label="Your partnership",
        help_text="As it appears on the map.",
        empty_label="Choose your partnership",
        error_messages={
            "required": "Choose your partnership.",
            "invalid_choice": "Choose a partnership from the list.",
        },
    )
    council = CouncilChoiceField(
        queryset=Council.objects.filter(memberships__partnership__published=True)
        .only(*COUNCIL_FIELDS)
        .distinct()
        .order_by("official_name"),
        label="Your council",
        help_text="It must be a member of the partnership.",
        empty_label="Choose your council",
        error_messages={
            "required": "Choose your council.",
            "invalid_choice": "Choose a council from the list.",
        },
    )
    applicant_name = TextField(
        label="Your name", max_length=200, error_messages={"required": "Enter your name."}
    )
    applicant_role = TextField(
        label="Your role", max_length=200, error_messages={"required": "Enter your role."}
    )
    applicant_email = BoundedEmailField(
        label="Your work email",
        help_text="We send a link to this address: the application reaches us once you "
        "confirm it, and we tell you of each decision here.",
        error_messages={
            "required": "Enter your work email.",
            "invalid": "Enter an email address like name@council.gov.uk.",
        },
    )
    improvement = TextField(
        multiline=True,
        label="What do you want to improve?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Say what you want to improve."},
    )
    expertise_needed = TextField(
        multiline=True,
        label="What expertise do you need?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say what expertise you need."},
    )
    funding_requested = StrictDecimalField(
        label="Funding asked for, in pounds",
        min_value=1,
        max_value=9_999_999,
        decimal_places=2,
        error_messages={
            "required": "Enter the funding you are asking for, in pounds.",
            "invalid": "Enter an amount in pounds, like 15000.",
            "min_value": "Enter an amount of at least £1.",
            "max_value": "Enter an amount under £10 million.",
            "max_decimal_places": "Enter pounds and pence only.",
        },
    )
    outcomes_expected = TextField(
        multiline=True,
        label="What outcomes do you expect?",
        help_text="Savings, better services, resilience: what you expect and by when.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Say what outcomes you expect."},
    )

    def clean(self):
        data = super().clean()
        partnership, council = data.get("partnership"), data.get("council")
        if partnership and council:
            members = PartnershipCouncil.objects.filter(partnership=partnership, council=council)
            if not members.exists():
                self.add_error(
                    "council",
                    f"{council.official_name} is not a member of {partnership.name}. "
                    "Choose a member council, or check the partnership.",
                )
        return data


def _year_choices():
    this = current_financial_year()
    return [("", "Choose a year")] + [
        (str(y), financial_year_label(y)) for y in range(this, this - 6, -1)
    ]


class OutcomeReportForm(AccessibleForm):
    service_improvements = TextField(
        multiline=True,
        label="How has the service improved?",
        help_text="What the expert's work changed for residents, staff or resilience.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Say how the service has improved."},
    )
    savings_amount = StrictDecimalField(
        label="Savings in pounds (if any)",
        help_text="Leave empty if there is no savings figure yet.",
        required=False,
        min_value=0,
        max_value=999_999_999,
        decimal_places=2,
        error_messages={
            "invalid": "Enter an amount in pounds, like 125000.",
            "min_value": "Savings cannot be negative.",
            "max_decimal_places": "Enter pounds and pence only.",
        },
    )
    savings_year = forms.TypedChoiceField(
        label="Financial year of the savings",
        choices=_year_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    savings_kind = forms.ChoiceField(
        label="Are the savings achieved or expected?",
        choices=[("", "Choose one"), *SavingsKind.choices],
        required=False,
    )
    savings_cashable = forms.TypedChoiceField(
        label="Are they cashable?",
        choices=[("", "Not known"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    savings_recurrence = forms.ChoiceField(
        label="Do they recur each year?",
        choices=Recurrence.choices,
        initial=Recurrence.UNKNOWN,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("savings_amount") is not None:
            if not data.get("savings_year") and "savings_year" not in self.errors:
                self.add_error("savings_year", "Choose the financial year of the savings.")
            if not data.get("savings_kind") and "savings_kind" not in self.errors:
                self.add_error("savings_kind", "Say whether the savings are achieved or expected.")
        return data
