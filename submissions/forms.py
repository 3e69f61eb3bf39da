"""Forms a council fills in: one partnership's answer, a new collaboration, and the
submission. The rules themselves live in `services.questionnaire.item_validate`; the
forms turn what was typed into values and put each problem beside its field."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.forms import errors_onto
from core.money import money_parse
from core.parsing import (
    MAX_ID,
    BoundedEmailField,
    ParseError,
    StrictIntegerField,
    TextField,
    parse_int,
)
from partnerships.models import NoSavingsReason, PartnershipStatus, Recurrence, SavingsKind
from partnerships.rules import START_YEARS
from submissions.models import Questionnaire, QuestionnaireItem
from submissions.questionnaire_selectors import PartnerChoices
from submissions.services.questionnaire import ITEM_FIELDS, MEMBER_FIELDS, item_validate

Answer = QuestionnaireItem.Answer

CASHABLE = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
CASHABLE_VALUES = {"yes": True, "no": False, "unknown": None, "": None}
YEAR_ERRORS = {"invalid": "Give a year as four digits, like 2024."}
# The longest free text a questionnaire takes in one box: a long page.
LONG_TEXT = 10_000
SAVINGS_WORDING = "Give the savings as a number of pounds, like 125000."


def _year(label: str, help_text: str = "") -> forms.IntegerField:
    return StrictIntegerField(
        what="the year",
        label=label,
        required=False,
        min_value=START_YEARS.earliest,
        max_value=START_YEARS.latest,
        help_text=help_text,
        error_messages={**YEAR_ERRORS, **START_YEARS.errors()},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--year"}),
    )


class ItemForm(forms.Form):
    """One partnership's answer; with `new=True`, a new collaboration."""

    # Short sets of choices side by side (core/forms/field.html).
    inline_choices = frozenset(
        {"categories", "savings_kind", "savings_cashable", "savings_recurrence"}
    )

    answer = forms.ChoiceField(
        label="What has happened to this partnership?",
        choices=[
            (Answer.UNCHANGED, "Nothing has changed"),
            (Answer.UPDATED, "Something has changed (details, partners or savings)"),
            (Answer.ENDED, "It has ended"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the partnership is unchanged, has changed or has ended."
        },
    )
    name = TextField(label="Name of the collaboration", max_length=200, required=False)
    description = TextField(
        label="Description",
        required=False,
        max_length=LONG_TEXT,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is shared, and how.",
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Not known"), *PartnershipStatus.choices],
    )
    start_year = _year("Year it started", "The calendar year, like 2024.")
    end_year = _year("Year it ended", "The calendar year, like 2025.")
    categories = forms.TypedMultipleChoiceField(
        label="Services shared", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    councils = forms.TypedMultipleChoiceField(label="Partner councils", coerce=int, required=False)
    public_bodies = forms.TypedMultipleChoiceField(
        label="Partner public bodies (fire and rescue, police, health, housing, planning…)",
        coerce=int,
        required=False,
    )
    other_partners = TextField(
        label="Partners not in the lists",
        required=False,
        max_length=LONG_TEXT,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, for example a housing association or a town council.",
    )
    savings_amount = TextField(
        label="Savings (£)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    savings_kind = forms.ChoiceField(
        label="Are the savings achieved or expected?",
        required=False,
        choices=SavingsKind.choices,
        widget=forms.RadioSelect,
    )
    savings_cashable = forms.ChoiceField(
        label="Are they cashable?",
        required=False,
        choices=CASHABLE,
        widget=forms.RadioSelect,
        help_text=(
            "Cashable savings reduce what the councils spend; "
            "non-cashable ones free up time or capacity."
        ),
    )
    savings_recurrence = forms.ChoiceField(
        label="Recurring every year, or one-off?",
        required=False,
        choices=Recurrence.choices,
        widget=forms.RadioSelect,
    )
    no_savings_reason = forms.ChoiceField(
        label="If there is no figure, why not?",
        required=False,
        choices=[("", "There is a figure (given above)"), *NoSavingsReason.choices],
        widget=forms.RadioSelect,
    )
    no_savings_reason_other = TextField(label="The other reason", max_length=300, required=False)
    comment = TextField(
        label="Anything else the LGA should know (optional)",
        required=False,
        max_length=LONG_TEXT,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    your_name = TextField(
        label="Your name",
        max_length=200,
        help_text="So that colleagues using the same link can see who saved what.",
        error_messages={"required": "Give your name, so colleagues can see who saved this."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    version = StrictIntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_ID
    )

    def __init__(
        self,
        *args,
        questionnaire: Questionnaire,
        choices: PartnerChoices,
        new: bool = False,
        prefilled: dict | None = None,
        named: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.prefilled = prefilled
        self.questionnaire = questionnaire
        self.choices = choices
        self.new = new
        self.fields["categories"].choices = choices.categories
        self.fields["councils"].choices = [(pk, name) for pk, name, _ in choices.councils]
        self.fields["public_bodies"].choices = [(pk, name) for pk, name, _ in choices.bodies]
        year = questionnaire.cycle.year_label
        self.fields["savings_amount"].label = f"Savings in {year} (£)"
        self.fields["savings_amount"].help_text = (
            f"For the financial year {year}, in pounds, like 125000. "
            "Leave blank if there is no figure."
        )
        if new:
            del self.fields["answer"]
            del self.fields["end_year"]
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = "Give the collaboration a name."
            self.fields["status"].choices = [
                ("", "Not known"),
                (PartnershipStatus.PROPOSED, PartnershipStatus.PROPOSED.label),
                (PartnershipStatus.OPERATIONAL, PartnershipStatus.OPERATIONAL.label),
            ]
        else:
            del self.fields["name"]
            del self.fields["start_year"]
        if not named:
            # On the all-on-one-page view the officer's name is asked once, for every
            # partnership saved (SaveAllForm).
            del self.fields["your_name"]

    # Which boxes are ticked: what was typed on a bad submit, else what is saved.
    def chosen(self, name: str) -> set[str]:
        value = self[name].value() or []
        return {str(v) for v in value}

    @property
    def chosen_councils(self) -> set[str]:
        return self.chosen("councils")

    @property
    def chosen_bodies(self) -> set[str]:
        return self.chosen("public_bodies")

    @property
    def chosen_council_names(self) -> list[str]:
        return self.chosen_names("councils")

    @property
    def chosen_body_names(self) -> list[str]:
        return self.chosen_names("public_bodies")

    def council_groups(self):
        chosen = self.chosen("councils")
        return [
            (region, any(str(pk) in chosen for pk, _ in members), members)
            for region, members in self.choices.council_groups()
        ]

    def body_groups(self):
        chosen = self.chosen("public_bodies")
        return [
            (sector, any(str(pk) in chosen for pk, _ in members), members)
            for sector, members in self.choices.body_groups()
        ]

    def chosen_names(self, name: str) -> list[str]:
        names = self.choices.names[name]
        chosen = []
        for value in self.chosen(name):
            try:
                pk = parse_int(value, what="a choice")
            except ParseError:
                continue  # not a choice: the field says so beside itself
            if pk in names:
                chosen.append(names[pk])
        return sorted(chosen)

    def clean_savings_amount(self) -> Decimal | None:
        text = self.cleaned_data["savings_amount"].strip()
        if not text.replace("£", "").replace(",", "").replace(" ", ""):
            return None
        try:
            # Under £1 trillion: twelve digits of pounds, and pence.
            amount = money_parse(text)
        except ValidationError as error:
            if error.code in ("max_digits", "max_value"):
                raise ValidationError(
                    "That figure is too large: give it in pounds, like 125000."
                ) from None
            if error.code == "max_decimal_places":
                raise ValidationError("Give the savings in pounds and pence only.") from None
            raise ValidationError(SAVINGS_WORDING) from None
        return amount.quantize(Decimal("0.01"))

    def clean_savings_cashable(self) -> bool | None:
        return CASHABLE_VALUES[self.cleaned_data["savings_cashable"]]

    @property
    def answer_value(self) -> str:
        return Answer.NEW if self.new else self.cleaned_data.get("answer", "")

    def data_values(self) -> dict:
        """What was typed, as the services take it."""
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS if name in self.cleaned_data}

    def clean(self):
        cleaned = super().clean()
        if self.errors or (not self.new and not cleaned.get("answer")):
            return cleaned
        data = self.data_values()
        if not self.new:
            data["start_year"] = self.initial.get("start_year")
        try:
            item_validate(
                questionnaire=self.questionnaire,
                answer=self.answer_value,
                data=data,
                prefilled=self.prefilled,
            )
        except ValidationError as error:
            errors_onto(self, error)
        return cleaned


class ItemsForm(ItemForm):
    """One partnership among all of them on one page, inside the page's single form.

    Every field carries the value the page showed in a hidden `initial-` input (Django's
    `show_hidden_initial`), so a save-all knows which partnerships the officer changed,
    even after a colleague saved one meanwhile: an untouched partnership is left alone.
    """

    # Drawn as a fieldset or as the compact list of partners, not by `{{ field }}`, so
    # their hidden initial values are drawn by `initial_inputs` instead.
    COMPACT_FIELDS = ("councils", "public_bodies")

    # Set when the page is shown again with this partnership's answer not yet saved (a
    # problem, or a colleague's save), so that saving again saves it whatever the
    # hidden initial values now say.
    edited = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, named=False, **kwargs)
        for name, field in self.fields.items():
            if name not in ("version", "edited"):
                field.show_hidden_initial = True

    def initial_inputs(self) -> list[str]:
        """The hidden initial values of the fields the page draws without `{{ field }}`."""
        return [
            bound.as_hidden(only_initial=True)
            for bound in self
            if bound.field.show_hidden_initial
            and (bound.use_fieldset or bound.name in self.COMPACT_FIELDS)
        ]

    def is_edited(self) -> bool:
        """Whether the officer changed anything of this partnership on the page."""
        return any(name != "version" for name in self.changed_data)


class SaveAllForm(forms.Form):
    """Who is saving, once for every partnership on the all-on-one-page view."""

    your_name = TextField(
        label="Your name",
        max_length=200,
        help_text="So that colleagues using the same link can see who saved what.",
        error_messages={"required": "Give your name, so colleagues can see who saved this."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def item_initial(item: QuestionnaireItem, *, your_name: str = "") -> dict:
    """The form's starting values from the saved item (members from its prefetch)."""
    initial = {name: getattr(item, name) for name in ITEM_FIELDS if name not in MEMBER_FIELDS}
    for name in MEMBER_FIELDS:
        initial[name] = [obj.pk for obj in getattr(item, name).all()]
    cashable = {True: "yes", False: "no", None: ""}
    initial["savings_cashable"] = cashable[item.savings_cashable]
    if item.savings_amount is not None:
        initial["savings_amount"] = f"{item.savings_amount:f}"
    initial["answer"] = "" if item.answer == Answer.UNANSWERED else item.answer
    initial["your_name"] = your_name
    initial["version"] = item.version
    return initial


class SubmitForm(forms.Form):
    name = TextField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Give your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = BoundedEmailField(
        label="Your email address",
        help_text="We send the confirmation here.",
        error_messages={
            "required": "Give your email address, for the confirmation.",
            "invalid": "Give an email address like name@council.gov.uk.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    version = StrictIntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_ID
    )
