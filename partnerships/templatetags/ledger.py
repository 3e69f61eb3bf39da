"""The savings counting rule for templates, so pages quote the one written rule."""

from django import template

from partnerships.services.ledger import COUNTING_RULE

register = template.Library()


@register.simple_tag
def counting_rule() -> str:
    """`{% counting_rule %}`: which figure counts in totals (`ledger.COUNTING_RULE`)."""
    return COUNTING_RULE
