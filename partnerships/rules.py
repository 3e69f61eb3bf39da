"""Rules about a partnership that several forms and services apply, each written once
with one wording: the admin, the CSV upload, the refresh questionnaire, the review, the
public proposal and the benefits tracker all call these.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

# A partnership is shared between members: councils and public bodies count together.
MIN_MEMBERS = 2
TOO_FEW_MEMBERS = "A partnership needs at least two members."


def members_check(councils: Iterable, public_bodies: Iterable = ()) -> None:
    """Refuse fewer than MIN_MEMBERS members. Each member counts once, whether given as
    an object, an id or (a partner typed by a person) a name."""
    if len(set(councils)) + len(set(public_bodies)) < MIN_MEMBERS:
        raise ValidationError(TOO_FEW_MEMBERS, code="too_few_members")
