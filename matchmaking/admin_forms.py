"""Forms for the staff's actions in the admin: each is validated here for its shape and
handed to a service, which decides whether the action is allowed."""

from django import forms

from core.parsing import MoneyField, StrictDecimalField, TextField
from matchmaking.models import CONSIDERED_TYPES, FundingBudget, MatchRequest
from partnerships.models import Partnership

# Amounts and days typed by staff are read as the public forms read them (core.money):
# "1_000", "1e3" and words are refused beside the field, never taken as numbers.
DAYS_INVALID = "Enter a number of days using the digits 0 to 9, like 10 or 12.5."
POUNDS_INVALID = "Enter an amount in pounds using the digits 0 to 9, like 5000 or 5,000.50."
REASON_LENGTH = 5000


class MatchRequestAdminForm(forms.ModelForm):
    """The request's own fields; the kinds of council as boxes rather than raw JSON."""

    council_types = forms.MultipleChoiceField(
        choices=[(t.value, t.label) for t in CONSIDERED_TYPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Kinds of council considered",
        help_text="None ticked means any kind.",
    )
    expert_days_requested = StrictDecimalField(
        label="Expert days requested",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        error_messages={"invalid": DAYS_INVALID},
    )
    mediation_requested = MoneyField(
        label="Mediation requested (£)",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": POUNDS_INVALID},
    )
    description = TextField(
        label="What you hope to achieve",
        multiline=True,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = MatchRequest
        fields = [
            "requester_name",
            "requester_role",
            "requester_email",
            "categories",
            "reach",
            "council_types",
            "description",
            "funding_wanted",
            "expert_days_requested",
            "mediation_requested",
        ]


class BudgetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, budget: FundingBudget) -> str:
        return budget.label


class CloseForm(forms.Form):
    reason = TextField(
        label="Why is the request closed?",
        multiline=True,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the request is closed."},
    )


class FundingAwardForm(forms.Form):
    budget = BudgetChoiceField(
        queryset=FundingBudget.objects.all(),
        label="From the budget of",
        empty_label=None,
        error_messages={"required": "Add a budget for the year first."},
    )
    expert_days = StrictDecimalField(
        label="Expert days awarded",
        min_value=0,
        max_digits=6,
        decimal_places=1,
        error_messages={"invalid": DAYS_INVALID},
    )
    mediation_amount = MoneyField(
        label="Mediation awarded (£)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": POUNDS_INVALID},
    )


class PartnershipLinkForm(forms.Form):
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.order_by("name"),
        label="The partnership that formed",
        help_text="Add it under Partnerships first if it is new.",
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=MatchRequest.objects.none(),
        label="Merge this request into",
        empty_label=None,
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            candidates if candidates is not None else MatchRequest.objects.none()
        )
        self.fields["into"].label_from_instance = lambda r: (
            f"{r.reference} ({r.get_status_display()}, {r.created_at:%d %b %Y})"
        )


class AwardForm(forms.Form):
    expert_name = TextField(label="Expert assigned", max_length=200)
    amount = MoneyField(
        label="Amount awarded (£)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": POUNDS_INVALID},
    )
    budget = BudgetChoiceField(
        queryset=FundingBudget.objects.all(), label="From the budget of", empty_label=None
    )
    reason = TextField(
        label="Reasons for the award (sent to the applicant)",
        multiline=True,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeclineForm(forms.Form):
    reason = TextField(
        label="Reasons for declining (sent to the applicant)",
        multiline=True,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for declining."},
    )
