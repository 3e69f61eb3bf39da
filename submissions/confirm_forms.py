"""The form staff fill in when a council confirmed its questionnaire by phone or email:
who confirmed it (`admin_forms.ConfirmOnBehalfForm`) and, for each partnership it had not
answered, what the council said of it."""

from django import forms

from core.parsing import StrictYearField
from submissions.admin_forms import ConfirmOnBehalfForm
from submissions.models import QuestionnaireItem

Answer = QuestionnaireItem.Answer
NOT_CONFIRMED = ""
ITEM_CHOICES = [
    (Answer.UNCHANGED, "Confirmed unchanged"),
    (Answer.ENDED, "Has ended"),
    (NOT_CONFIRMED, "Not confirmed"),
]


class ConfirmItemsForm(ConfirmOnBehalfForm):
    """Who confirmed it, and for each unanswered item (`items`) a choice, "Not confirmed"
    until staff choose: `item-<id>`, with `ended-<id>` for the year it ended."""

    def __init__(self, *args, items, last_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item-{item.pk}"] = forms.ChoiceField(
                label=str(item),
                choices=ITEM_CHOICES,
                initial=NOT_CONFIRMED,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"ended-{item.pk}"] = StrictYearField(
                label=f"Year {item} ended",
                required=False,
                min_value=item.start_year or 1900,
                max_value=last_year,
                help_text="Only if it has ended, for example 2025.",
            )

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            answer = cleaned.get(f"item-{item.pk}")
            if not answer:
                self.add_error(
                    f"item-{item.pk}",
                    f"{item} was not confirmed: choose “Confirmed unchanged” or “Has ended”, "
                    "or ask the council before recording the confirmation.",
                )
            elif answer == Answer.ENDED and cleaned.get(f"ended-{item.pk}") is None:
                if f"ended-{item.pk}" not in self.errors:
                    self.add_error(f"ended-{item.pk}", f"Give the year {item} ended, like 2025.")
        return cleaned

    def answers(self) -> dict[int, str]:
        """Item id -> "unchanged" or "ended", for `questionnaire_confirm_on_behalf`."""
        return {
            item.pk: self.cleaned_data[f"item-{item.pk}"]
            for item in self.items
            if self.cleaned_data.get(f"item-{item.pk}")
        }

    def end_years(self) -> dict[int, int]:
        return {
            item.pk: self.cleaned_data[f"ended-{item.pk}"]
            for item in self.items
            if self.cleaned_data.get(f"ended-{item.pk}") is not None
        }

    def item_fields(self) -> list[tuple[QuestionnaireItem, forms.BoundField, forms.BoundField]]:
        """(item, its choice, its end year) for the template."""
        return [(item, self[f"item-{item.pk}"], self[f"ended-{item.pk}"]) for item in self.items]

    def person_fields(self) -> list[forms.BoundField]:
        """Who confirmed it, how, and their address: the fields not about one item."""
        return [self[name] for name in ConfirmOnBehalfForm.base_fields]
