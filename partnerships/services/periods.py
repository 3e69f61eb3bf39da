"""Reading savings periods as sources word them ("2007/08 to 2011/12", "since 2008")
into financial years, stored by the year they start in (2007 is 2007/08)."""

import re

from core.parsing import ParseError, parse_int

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "winter": 1}

# ASCII: "\d" is then 0 to 9 only, never another script's digits.
FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", re.ASCII)
MONTH_YEAR = re.compile(r"^([a-z]+)\s+(\d{4})$", re.ASCII)
YEAR = re.compile(r"^(\d{4})$", re.ASCII)
SINCE = re.compile(r"^since\s+(.+?)\s*\(reported\s+(\d{4})\)$", re.ASCII)
YEARS_FROM = re.compile(r"^(\w+)\s+years?\s+from\s+(.+)$", re.ASCII)
FIRST_YEAR = re.compile(r"^first year.*\(from\s+(\d{4})\)$", re.ASCII)
# The most years one worded period can count ("ten years from 2010").
MAX_YEARS_COUNTED = 50
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


class PeriodError(ValueError):
    """The period is worded in a way this reader does not understand."""


def _clean(text: str) -> str:
    text = text.strip().lower()
    text = re.sub(r"\((date of report|one year)\)", "", text)
    text = re.sub(r"\babout\b", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _point(text: str, *, as_end: bool) -> int:
    """The financial year a single date-like phrase falls in, as a start or an end."""
    text = text.strip()
    if match := FINANCIAL_YEAR.match(text):
        start, end = int(match[1]), match[2]
        expected = (start + 1) % 100 if len(end) == 2 else start + 1
        if int(end) != expected:
            raise PeriodError(f"'{text}' is not a financial year")
        return start
    if match := YEAR.match(text):
        year = int(match[1])
        # A bare year starts the financial year that begins in it, and ends the one
        # that ends in it: "2007 to 2017" is 2007/08 to 2016/17.
        return year - 1 if as_end else year
    if match := MONTH_YEAR.match(text):
        word, year = match[1], int(match[2])
        month = MONTHS.get(word) or SEASONS.get(word)
        if month is None:
            raise PeriodError(f"'{text}' is not a month and year")
        if as_end:
            # Up to April: the year that ended in March belongs to the earlier financial year.
            return year - 1 if month <= 4 else year
        return year if month >= 4 else year - 1
    raise PeriodError(f"'{text}' is not a year, a financial year or a month and year")


def financial_years(period: str) -> tuple[int, int]:
    """The first and last financial year (by start year) that a worded period covers."""
    text = _clean(period)
    if not text:
        raise PeriodError("the period is empty")
    if match := SINCE.match(text):
        return _point(match[1], as_end=False), int(match[2]) - 1
    if match := FIRST_YEAR.match(text):
        year = int(match[1])
        return year, year
    if match := YEARS_FROM.match(text):
        count = NUMBER_WORDS.get(match[1])
        if count is None:
            try:
                count = parse_int(match[1], min_value=1, max_value=MAX_YEARS_COUNTED)
            except ParseError:
                raise PeriodError(f"'{match[1]}' is not a number of years") from None
        start = _point(match[2], as_end=False)
        return start, start + count - 1
    if " to " in text:
        first, last = text.split(" to ", 1)
        start, end = _point(first, as_end=False), _point(last, as_end=True)
    else:
        start = end = _point(text, as_end=False)
    if end < start:
        raise PeriodError(f"'{period}' ends before it starts")
    return start, end
