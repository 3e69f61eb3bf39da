"""`{% error_summary form %}`: the one summary of a page's problems (core.forms)."""

from django import forms, template

from core.forms import error_links

register = template.Library()


@register.inclusion_tag("core/forms/error_summary.html")
def error_summary(
    problems, title: str = "There is a problem", filters: bool = False, lead: str = ""
) -> dict:
    """The summary of a form's problems, or of a list of (anchor, message) a view built
    with `core.forms.error_links`; `filters` says the page's results leave them out, and
    `lead` replaces the opening sentence (a page that saved part of what was sent)."""
    if isinstance(problems, forms.BaseForm):
        problems = error_links(problems) if problems.is_bound else []
    return {"errors": problems or [], "title": title, "filters": filters, "lead": lead}
