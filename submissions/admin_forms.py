"""Forms of the refresh's admin pages: the review of proposed changes and the record of a
questionnaire confirmed on a council's behalf."""

from django import forms

from core.parsing import BoundedEmailField, TextField
from submissions.models import ProposedChange, Questionnaire
from submissions.services.review import AcceptChoice
from submissions.services.staff import ACCEPT, REJECT

LEAVE = ""
DECISIONS = [(LEAVE, "Decide later"), (ACCEPT, "Accept"), (REJECT, "Reject")]
# A proposed new partnership flagged as matching published ones may be merged into one
# of them: "merge-<partnership id>".
MERGE_PREFIX = "merge-"
PUBLISH_NOW, KEEP_UNPUBLISHED = "now", "unpublished"
PUBLISH_CHOICES = [
    (PUBLISH_NOW, "Publish now"),
    (KEEP_UNPUBLISHED, "Keep unpublished (publish it later from the partnership admin)"),
]


class ReviewForm(forms.Form):
    """A decision and a reason for each pending change: `decision-<id>`, `reason-<id>`;
    for a proposed new partnership, whether to publish it now (`publish-<id>`), and for
    one that matches published partnerships (`change.matches`, `services.duplicates`)
    the choice of merging it into one of them instead."""

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes = [c for c in changes if c.status == c.Status.PENDING]
        for change in self.changes:
            merges = [
                (f"{MERGE_PREFIX}{m.partnership.pk}", f"Merge into {m.partnership.name}")
                for m in getattr(change, "matches", [])
            ]
            self.fields[f"decision-{change.pk}"] = forms.ChoiceField(
                label="Decision",
                choices=[*DECISIONS[:2], *merges, DECISIONS[2]],
                required=False,
                widget=forms.RadioSelect,
            )
            if change.kind == ProposedChange.Kind.PARTNERSHIP_NEW:
                self.fields[f"publish-{change.pk}"] = forms.ChoiceField(
                    label="If accepted as a new partnership",
                    choices=PUBLISH_CHOICES,
                    initial=PUBLISH_NOW,
                    required=False,
                    widget=forms.RadioSelect,
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
        """(change, "accept" | "reject", reason) for `changes_decide`: a merge is an
        acceptance, its target in `accept_choices`."""
        return [
            (
                change,
                REJECT if decision == REJECT else ACCEPT,
                self.cleaned_data[f"reason-{change.pk}"].strip(),
            )
            for change in self.changes
            if (decision := self.cleaned_data.get(f"decision-{change.pk}"))
        ]

    def accept_choices(self) -> dict[int, AcceptChoice]:
        """Change id -> staff's choice for each proposed new partnership to be accepted
        (for `services.staff.changes_decide`): published now or kept unpublished, or merged
        into the published partnership chosen."""
        choices = {}
        for change in self.changes:
            decision = self.cleaned_data.get(f"decision-{change.pk}") or ""
            if decision.startswith(MERGE_PREFIX):
                into = next(
                    m.partnership
                    for m in change.matches
                    if f"{MERGE_PREFIX}{m.partnership.pk}" == decision
                )
                choices[change.pk] = AcceptChoice(merge_into=into)
            elif decision == ACCEPT and f"publish-{change.pk}" in self.fields:
                publish = self.cleaned_data.get(f"publish-{change.pk}") != KEEP_UNPUBLISHED
                choices[change.pk] = AcceptChoice(publish=publish)
        return choices

    def pairs(self):
        """(change, decision field, reason field, publish field or None) for the
        template."""
        return [
            (
                change,
                self[f"decision-{change.pk}"],
                self[f"reason-{change.pk}"],
                self[f"publish-{change.pk}"] if f"publish-{change.pk}" in self.fields else None,
            )
            for change in self.changes
        ]


class BulkRejectForm(forms.Form):
    """The one reason given for every change rejected together from the review queue."""

    reason = TextField(
        label="Why these changes are rejected",
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Each person who proposed one is emailed this reason.",
        error_messages={"required": "Say why these changes are rejected."},
    )


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
