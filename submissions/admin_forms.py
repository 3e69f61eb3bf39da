"""Forms of the refresh's admin pages: the review of proposed changes and the record of a
questionnaire confirmed on a council's behalf."""

from django import forms

from core.parsing import BoundedEmailField, TextField
from submissions.models import Questionnaire
from submissions.services.staff import ACCEPT, REJECT

LEAVE = ""
DECISIONS = [(LEAVE, "Decide later"), (ACCEPT, "Accept"), (REJECT, "Reject")]


class ReviewForm(forms.Form):
    """A decision and a reason for each pending change: `decision-<id>`, `reason-<id>`."""

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes = [c for c in changes if c.status == c.Status.PENDING]
        for change in self.changes:
            self.fields[f"decision-{change.pk}"] = forms.ChoiceField(
                label="Decision", choices=DECISIONS, required=False, widget=forms.RadioSelect
            )
            self.fields[f"reason-{change.pk}"] = TextField(
                label="Reason",
                required=False,
                multiline=True,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                help_text="Needed to reject; the person who proposed it may see it.",
            )

    def clean(self):
        cleaned = super().clean()
        for change in self.changes:
            decision = cleaned.get(f"decision-{change.pk}")
            if decision == REJECT and not cleaned.get(f"reason-{change.pk}", "").strip():
                self.add_error(f"reason-{change.pk}", "Say why this change is rejected.")
        if not any(cleaned.get(f"decision-{c.pk}") for c in self.changes) and not self.errors:
            raise forms.ValidationError("Choose accept or reject for at least one change.")
        return cleaned

    def decisions(self) -> list:
        return [
            (
                change,
                self.cleaned_data[f"decision-{change.pk}"],
                self.cleaned_data[f"reason-{change.pk}"].strip(),
            )
            for change in self.changes
            if self.cleaned_data.get(f"decision-{change.pk}")
        ]

    def pairs(self):
        """(change, decision field, reason field) for the template."""
        return [
            (change, self[f"decision-{change.pk}"], self[f"reason-{change.pk}"])
            for change in self.changes
        ]


class ConfirmOnBehalfForm(forms.Form):
    """Staff or an associate record that a council confirmed its questionnaire."""

    method = forms.ChoiceField(
        label="How the council confirmed it",
        choices=[
            (Questionnaire.Method.PHONE, Questionnaire.Method.PHONE.label),
            (Questionnaire.Method.EMAIL, Questionnaire.Method.EMAIL.label),
        ],
        initial=Questionnaire.Method.PHONE,
        widget=forms.RadioSelect,
    )
    confirmed_with = TextField(
        label="Who at the council confirmed it",
        max_length=200,
        help_text="Their name and role, for example: Jo Bloggs, Head of Shared Services.",
    )
    email = BoundedEmailField(
        label="Their email address (optional)",
        required=False,
        help_text="If given, they are sent the confirmation of what was submitted.",
    )
