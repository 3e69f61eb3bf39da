"""Form plumbing for the public filters (`partnerships.filters.PartnershipFilter` builds
its form on `FilterForm`). They are GET forms: a bad value in the address gives a
message beside the field, never an error page."""

from django import forms


class FilterForm(forms.Form):
    """A GET filter form, drawn by the site's one field template (core.forms): a field in
    error is described by its message, as Django 5.2 does for every field."""
