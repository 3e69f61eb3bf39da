"""Money as people read it: £1,234.56, and −£1,234.56 for a net cost."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    text = f"£{abs(amount):,.2f}"
    return f"−{text}" if amount < 0 else text
