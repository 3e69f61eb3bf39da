"""Money in templates, as core.money writes it: `{% load money %}`, then
`{{ amount|money }}` ("£1,234.56"), `{{ amount|money:"if-any" }}` ("£1,234" for whole
pounds), `{{ amount|money_pounds }}` ("£1,235") and `{{ amount|money_short }}` ("£1.2m").
Negatives read "−£1,234.56" (U+2212). None (or "") gives "": the template says what
stands instead ("No figure"), never £0."""

from django import template

from core.money import money_exact, money_pounds, money_short

register = template.Library()


def _missing(value) -> bool:
    return value is None or value == ""


@register.filter(name="money")
def money_filter(value, pence: str = "always") -> str:
    if _missing(value):
        return ""
    if pence not in ("always", "if-any"):
        raise template.TemplateSyntaxError(f'money takes "always" or "if-any", not "{pence}"')
    return money_exact(value, pence=pence)


@register.filter(name="money_pounds")
def money_pounds_filter(value) -> str:
    return "" if _missing(value) else money_pounds(value)


@register.filter(name="money_short")
def money_short_filter(value) -> str:
    return "" if _missing(value) else money_short(value)
