"""A partnership's figures for its page: every figure with its source, and what counts."""

from django import template

from partnerships.models import Partnership
from partnerships.services.ledger import SavingsStatement, savings_statement

register = template.Library()


@register.simple_tag
def savings_of(partnership: Partnership) -> SavingsStatement:
    """`{% savings_of partnership as savings %}` (`ledger.savings_statement`)."""
    return savings_statement(partnership)
