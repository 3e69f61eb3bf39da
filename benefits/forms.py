"""Forms for starting a tracker and entering its figures.

Every amount is typed as text (not a number input) so that whatever is typed comes back
as typed, with a message beside it saying what is wrong.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from benefits import selectors
from benefits.calculations import SAVING_KINDS
from benefits.models import BenefitAspect, SetupCostKind, ShareMethod
from core.honeypot import HoneypotForm
from core.parsing import (
    BoundedEmailField,
    BoundedFormSet,
    StrictDecimalField,
    StrictIntegerField,
    TextField,
)
from core.parsing import MoneyField as StrictMoneyField
from partnerships.models import financial_year_label
from partnerships.rules import SAVINGS_YEARS, members_check

# Most rows each part of the figures form takes: more than a person ever needs (a
# partnership of every council in England; a set-up cost a month for four years; every
# financial year the form offers, and a new row), few enough that a page sending more is
# answered at once.
MAX_PARTNERS = 400
MAX_SETUP_COSTS = 50
MAX_YEARS = SAVINGS_YEARS.latest - SAVINGS_YEARS.earliest + 2


def year_choices(blank: str = "Choose a year") -> list[tuple[str, str]]:
    years = range(SAVINGS_YEARS.earliest, SAVINGS_YEARS.latest + 1)
    return [("", blank)] + [(str(year), financial_year_label(year)) for year in years]


MONTH_CHOICES = [(str(n), f"{n} month{'s' if n > 1 else ''}") for n in range(12, 0, -1)]


class MoneyField(StrictMoneyField):
    """Pounds and pence, typed with or without £ and thousands commas (core.parsing:
    ASCII digits only, no sign, exponent, NaN or Infinity)."""

    default_error_messages = {
        "invalid": "Enter an amount in pounds using numbers only, like 125000 or 125,000.50.",
        "max_decimal_places": "Enter pounds and pence only: no more than 2 decimal places.",
        "max_digits": "Enter an amount under £1 trillion.",
        "max_whole_digits": "Enter an amount under £1 trillion.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "class": "input--money"}),
        )
        super().__init__(**kwargs)
        for validator in self.validators:
            if getattr(validator, "code", "") == "min_value":
                validator.message = "Enter an amount of £0 or more: it cannot be negative."
        self.error_messages["min_value"] = "Enter an amount of £0 or more: it cannot be negative."


class PercentField(StrictDecimalField):
    """A percentage, typed with or without the % sign."""

    def prepare(self, text: str) -> str:
        return text.strip().removesuffix("%").strip()


class TrackerStartForm(HoneypotForm):
    """What the tracker is for, when the service starts, and where to send its link; a
    trap field for robots (core.honeypot)."""

    PUBLISHED, PLANNED = "published", "planned"

    for_what = forms.ChoiceField(
        label="What is the tracker for?",
        choices=[
            (PUBLISHED, "A partnership on the map"),
            (PLANNED, "A planned partnership (a business case)"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the tracker is for a partnership on the map or a planned one."
        },
    )
    partnership = forms.ModelChoiceField(
        label="Which partnership",
        queryset=selectors.published_partnerships_for_choice(),
        required=False,
        empty_label="Choose a partnership",
    )
    name = TextField(label="Name of the planned partnership", max_length=200, required=False)
    category = forms.ModelChoiceField(
        label="Main service to be shared",
        queryset=selectors.categories_for_choice(),
        required=False,
        empty_label="Choose a service",
    )
    councils = forms.MultipleChoiceField(
        label="Councils in the planned partnership",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose at least two.",
    )
    first_year = forms.TypedChoiceField(
        label="First financial year of the shared service",
        coerce=int,
        error_messages={"required": "Choose the first financial year of the shared service."},
    )
    first_year_months = forms.TypedChoiceField(
        label="Months the shared service ran in its first year",
        coerce=int,
        choices=MONTH_CHOICES,
        initial="12",
        help_text="If it started part-way through the year, that year's savings and "
        "running costs are counted for these months only.",
    )
    creator_name = TextField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    creator_email = BoundedEmailField(
        label="Your work email address",
        help_text="We email the tracker's private link to this address. Only the LGA's "
        "staff can see it.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@council.gov.uk.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.council_groups = selectors.councils_by_region()
        self.fields["councils"].choices = [
            (str(pk), name) for _region, members in self.council_groups for pk, name in members
        ]
        self.fields["first_year"].choices = year_choices()

    def council_checkboxes(self) -> list[tuple[str, list[tuple[int, str, bool]], bool]]:
        """(region, [(pk, name, ticked)], any ticked) for the councils' checkboxes; a
        region with a ticked council starts open, so a returned form shows the choice."""
        chosen = {str(v) for v in (self["councils"].value() or [])}
        groups = []
        for region, members in self.council_groups:
            rows = [(pk, name, str(pk) in chosen) for pk, name in members]
            groups.append((region, rows, any(ticked for _pk, _name, ticked in rows)))
        return groups

    def clean(self):
        data = super().clean()
        if data.get("for_what") == self.PUBLISHED and not data.get("partnership"):
            if "partnership" not in self.errors:
                self.add_error("partnership", "Choose the partnership the tracker is for.")
        if data.get("for_what") == self.PLANNED:
            if not data.get("name", "").strip():
                self.add_error("name", "Enter a name for the planned partnership.")
            if not data.get("category") and "category" not in self.errors:
                self.add_error("category", "Choose the main service to be shared.")
            if "councils" not in self.errors:
                try:
                    members_check(data.get("councils") or [])
                except ValidationError as error:
                    self.add_error("councils", error)
        return data


class TrackerDetailsForm(forms.Form):
    first_year = forms.TypedChoiceField(
        label="First financial year of the shared service",
        coerce=int,
        error_messages={"required": "Choose the first financial year of the shared service."},
    )
    first_year_months = forms.TypedChoiceField(
        label="Months the shared service ran in its first year",
        coerce=int,
        choices=MONTH_CHOICES,
        help_text="That year's savings and running costs count for these months only.",
    )
    share_method = forms.ChoiceField(
        label="How the figures are shared between the partners",
        choices=ShareMethod.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_year"].choices = year_choices()


class PartnerForm(forms.Form):
    partner_id = StrictIntegerField(widget=forms.HiddenInput, min_value=1)
    baseline_cost = MoneyField(label="Annual cost before sharing (£)")
    baseline_fte = StrictDecimalField(
        label="Staff before sharing (FTE)",
        required=False,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short"}),
        error_messages={
            "invalid": "Enter a number of full-time equivalent staff, like 12 or 12.5.",
            "min_value": "Enter a number of staff of 0 or more: it cannot be negative.",
            "max_decimal_places": "Enter staff to one decimal place at most, like 12.5.",
        },
    )
    agreed_share = PercentField(
        label="Agreed share (%)",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short"}),
        error_messages={
            "invalid": "Enter a percentage using numbers only, like 40 or 33.33.",
            "min_value": "Enter a share of 0%% or more.",
            "max_value": "A share cannot be more than 100%%.",
            "max_decimal_places": "Enter the share to 2 decimal places at most.",
            "max_digits": "A share cannot be more than 100%%.",
            "max_whole_digits": "A share cannot be more than 100%%.",
        },
    )


class BasePartnerFormSet(BoundedFormSet):
    share_method: str = ShareMethod.BASELINE

    def clean(self):
        if any(self.errors):
            return
        if self.share_method != ShareMethod.RATIO:
            return
        missing = [f for f in self.forms if f.cleaned_data.get("agreed_share") is None]
        for form in missing:
            form.add_error(
                "agreed_share", "Enter this partner's agreed share, or share by baseline."
            )
        if missing:
            return
        total = sum((f.cleaned_data["agreed_share"] for f in self.forms), Decimal("0"))
        if total != 100:
            raise ValidationError(
                f"The agreed shares add up to {total.normalize():f}%; they must add up to 100%.",
                code="shares_total",
            )


PartnerFormSet = forms.formset_factory(
    PartnerForm,
    formset=BasePartnerFormSet,
    extra=0,
    max_num=MAX_PARTNERS,
    absolute_max=MAX_PARTNERS,
    validate_max=True,
)


class SetupCostForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of set-up cost",
        choices=[("", "Choose a kind")] + list(SetupCostKind.choices),
        required=False,
    )
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)
    amount = MoneyField(label="Amount (£)")
    description = TextField(label="Description (optional)", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()

    def clean(self):
        data = super().clean()
        if not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", "Choose the kind of set-up cost.")
        if data.get("year") in (None, "") and "year" not in self.errors:
            self.add_error("year", "Choose the financial year this cost falls in.")
        if data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount of this set-up cost.")
        return data


class BaseRowFormSet(BoundedFormSet):
    """Rows where nothing was typed are left out; a row can be removed with its box."""

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


SetupCostFormSet = forms.formset_factory(
    SetupCostForm,
    formset=BaseRowFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_SETUP_COSTS,
    absolute_max=MAX_SETUP_COSTS,
    validate_max=True,
)

# The saving kinds, in the calculations' order: one field per kind on a year row.
SAVING_FIELDS = SAVING_KINDS


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)
    staff = MoneyField(label="Staff savings (£)")
    it = MoneyField(label="IT savings (£)")
    property = MoneyField(label="Property savings (£)")
    procurement = MoneyField(label="Procurement savings (£)")
    process = MoneyField(label="Process savings (£)")
    income = MoneyField(label="New income (£)")
    running_costs = MoneyField(label="New running costs (£)")
    achieved = forms.ChoiceField(
        label="Achieved or expected",
        choices=[("expected", "Expected"), ("achieved", "Achieved")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()

    def has_changed(self) -> bool:
        """A row counts once an amount is typed in it: a new row showing only its
        suggested year is left out."""
        if self.is_bound and getattr(self, "is_new_row", False):
            return any(
                str(self.data.get(self.add_prefix(name), "")).strip()
                for name in (*SAVING_FIELDS, "running_costs")
            )
        return True

    def clean(self):
        data = super().clean()
        if data.get("year") in (None, "") and "year" not in self.errors:
            self.add_error("year", "Choose the financial year of these figures.")
        return data


class BaseYearFormSet(BaseRowFormSet):
    first_year: int | None = None
    suggested_year: int | None = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.is_new_row = i >= self.initial_form_count()
        return form

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index >= self.initial_form_count() and self.suggested_year:
            # The next year, suggested; the row counts only once an amount is typed.
            kwargs["initial"] = {"year": self.suggested_year, "achieved": "expected"}
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        previous = None
        seen = {}
        for form in self.forms:
            data = form.cleaned_data
            if not form.has_changed() or not data or data.get("DELETE"):
                continue
            year = data["year"]
            label = financial_year_label(year)
            if year in seen:
                form.add_error("year", f"{label} is entered twice. Enter each year once.")
            elif previous is not None and year < previous:
                form.add_error(
                    "year",
                    f"{label} comes before the year above it ({financial_year_label(previous)}). "
                    "List the years in order, earliest first.",
                )
            elif self.first_year is not None and year < self.first_year:
                form.add_error(
                    "year",
                    f"{label} is before the shared service's first year "
                    f"({financial_year_label(self.first_year)}). Savings start from that year.",
                )
            seen[year] = True
            previous = year if previous is None else max(previous, year)


YearFormSet = forms.formset_factory(
    YearForm,
    formset=BaseYearFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_YEARS,
    absolute_max=MAX_YEARS,
    validate_max=True,
)


class RatingForm(forms.Form):
    aspect = forms.ChoiceField(choices=BenefitAspect.choices, widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label="Rating",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "Not rated"),
            ("1", "1 – much worse"),
            ("2", "2 – worse"),
            ("3", "3 – no change"),
            ("4", "4 – better"),
            ("5", "5 – much better"),
        ],
        error_messages={"invalid_choice": "Choose a rating from 1 to 5, or Not rated."},
    )
    notes = TextField(
        label="Notes",
        required=False,
        max_length=2000,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def aspect_label(self) -> str:
        value = self["aspect"].value()
        return BenefitAspect(value).label if value in BenefitAspect.values else ""


RatingFormSet = forms.formset_factory(
    RatingForm,
    formset=BoundedFormSet,
    extra=0,
    max_num=len(BenefitAspect.choices),
    absolute_max=len(BenefitAspect.choices),
    validate_max=True,
)
