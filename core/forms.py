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
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Forms and fields drawn with the site's templates (found through `TEMPLATES`, so
    `django.forms` is an installed app for the widgets' own templates)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


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
