"""A trap field for robots on the public forms.

People never see the field (core/templates/core/forms/honeypot.html, drawn by
`{{ form.website.as_field_group }}` or `{{ form }}`, hides it from sight, screen readers and
the keyboard), so a value in it means a program filled the form in. Every public form
treats such a send the same way: it is thanked as if it had worked, and nothing is
written, counted or emailed. A visible refusal would help no person (none can see the
field) and would tell the robot what to change; pretending success tells it nothing.
"""

from django import forms

FIELD = "website"


class HoneypotForm(forms.Form):
    """A form with the trap field; `is_robot` says whether it was filled in."""

    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        template_name="core/forms/honeypot.html",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_robot(self) -> bool:
        return bool(str(self.data.get(FIELD, "")).strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != FIELD]
