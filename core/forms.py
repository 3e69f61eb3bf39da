"""Form rendering, written once for every form on the site.

`FORM_RENDERER` (settings) is `FormRenderer`: `{{ form }}` and `{{ field.as_field_group }}`
draw every field with one template (core/templates/core/forms/field.html): its label (a
legend for a group of boxes or radios), hint, error message and input. Django points the
input, or the group's fieldset, at the hint and the message with `aria-describedby`; the
message's id is Django's own, `<field id>_error`.

A page with errors shows one summary first in its main content, each problem linking to
its field (`{% error_summary %}` in core/templatetags/forms.py, built by `error_links`);
static/js/error-summary.js moves the focus to it on every page that shows one.

`errors_onto` puts a service's `ValidationError` beside the field it is about.

Every box of text says how much it takes: a text field with `max_length` (rendered as
the `maxlength` attribute) ends its hint with "Up to N characters." (`length_hint`), and a
longer text is refused beside the field (core.parsing.TextField says so in words).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# Text boxes whose length needs no saying: an address's form is its limit, and a number
# typed as text (an amount, a year) is refused for its digits long before its length.
_NO_LENGTH_HINT = (forms.EmailField, forms.URLField, forms.SlugField)
_NUMBER_INPUTS = ("numeric", "decimal")


def length_hint(field: forms.Field) -> str:
    """ "Up to 5,000 characters." for a visible box of text with a `max_length`, else ""."""
    if not isinstance(field, forms.CharField) or isinstance(field, _NO_LENGTH_HINT):
        return ""
    widget = field.widget
    if field.max_length is None or widget.is_hidden or isinstance(widget, forms.PasswordInput):
        return ""
    if widget.attrs.get("inputmode") in _NUMBER_INPUTS:
        return ""
    return f"Up to {field.max_length:,} characters."


class HintedBoundField(BoundField):
    """A field whose hint ends with its length limit (`length_hint`), so that the hint and
    the input's `aria-describedby` both carry it. Django's own forms (the admin's, the
    login form) are drawn by Django's templates and keep their own hints."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        hint = length_hint(field)
        if hint and not type(form).__module__.startswith("django."):
            self.help_text = f"{self.help_text} {hint}" if self.help_text else hint


class FormRenderer(TemplatesSetting):
    """Forms and fields drawn with the site's templates (found through `TEMPLATES`, so
    `django.forms` is an installed app for the widgets' own templates)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = HintedBoundField


def errors_onto(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal beside the field it names, or at the top of the form when
    it names none or a field the form does not have."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(field, messages)
    else:
        form.add_error(None, error.messages)


def error_anchor(field: forms.BoundField) -> str:
    """The id a summary links to: the input, or for a group of boxes or radios the row
    around its fieldset (which carries the field's id)."""
    return field.id_for_label or field.auto_id


def error_links(*groups) -> list[tuple[str, str]]:
    """(anchor, message) for each problem of the forms, in page order, for the summary.

    Each group is a form, or (words, form) where the words start each of its messages (a
    row of a table: "Set-up cost 2, "). Problems of the whole form have no anchor.
    """
    found = []
    for group in groups:
        prefix, form = group if isinstance(group, tuple) else ("", group)
        found += [("", f"{prefix}{error}") for error in form.non_field_errors()]
        for field in form:
            found += [
                (error_anchor(field), f"{prefix}{field.label}: {error}") for error in field.errors
            ]
    return found
