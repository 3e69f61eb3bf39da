"""Rules about a partnership that several forms and services apply, each written once
with one wording: the admin, the CSV upload, the refresh questionnaire, the review, the
public proposal and the benefits tracker all call these.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from partnerships.timeline import current_financial_year

# A partnership is shared between members: councils and public bodies count together.
MIN_MEMBERS = 2
TOO_FEW_MEMBERS = "A partnership needs at least two members."


def members_check(councils: Iterable, public_bodies: Iterable = ()) -> None:
    """Refuse fewer than MIN_MEMBERS members. Each member counts once, whether given as
    an object, an id or (a partner typed by a person) a name."""
    if len(set(councils)) + len(set(public_bodies)) < MIN_MEMBERS:
        raise ValidationError(TOO_FEW_MEMBERS, code="too_few_members")


# Years. A partnership may have begun long before the first map (2009/10, `timeline.
# FIRST_YEAR`): many date from the 1974 reorganisation. Savings figures and trackers
# start later. Planned starts and expected savings may look some years ahead.
EARLIEST_START_YEAR = 1900
EARLIEST_SAVINGS_YEAR = 2000
YEARS_AHEAD = 15


def latest_year() -> int:
    """The last year anything here may be given for: YEARS_AHEAD after this one."""
    return current_financial_year() + YEARS_AHEAD


@dataclass(frozen=True)
class YearBounds:
    """The years a field may take, with the one sentence that refuses any other."""

    earliest: int

    @property
    def latest(self) -> int:
        return latest_year()

    @property
    def message(self) -> str:
        return f"Give a year from {self.earliest} to {self.latest}."

    def errors(self) -> dict[str, str]:
        """A form field's `error_messages` for a year outside the bounds."""
        return {"min_value": self.message, "max_value": self.message}

    def problem(self, year: int | None) -> str | None:
        """The refusal for `year`, or None if it is within the bounds (or not given)."""
        if year is None or self.earliest <= year <= self.latest:
            return None
        return self.message


# A partnership's start and end, and its members' joining and leaving.
START_YEARS = YearBounds(EARLIEST_START_YEAR)
# The financial years a savings figure or a tracker covers.
SAVINGS_YEARS = YearBounds(EARLIEST_SAVINGS_YEAR)


def years_check(bounds: YearBounds, **years: int | None) -> None:
    """Refuse, beside each field named, a year outside `bounds`."""
    errors = {name: problem for name, year in years.items() if (problem := bounds.problem(year))}
    if errors:
        raise ValidationError(errors, code="year_out_of_bounds")
