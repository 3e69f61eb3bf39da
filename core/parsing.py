"""Strict readers for what people and programs send: one set, used by every form and
every query parameter, so "a number" means the same everywhere.

Python's own readers are generous in ways that hurt here: `str.isdigit()` accepts "²"
(which `int()` then refuses), `int()` and `Decimal()` read "٣" and "1_000", `Decimal()`
reads "sNaN", "Infinity" and "1e999999", and `int()` refuses strings past 4,300 digits
with an error of its own. These accept ASCII digits only, bound every length before
converting anything, and refuse with one exception, `ParseError`, whose message says to a
person what is wrong.

Amounts of money are read by `core.money.money_parse`; the decimal fields here use it.
The form fields at the end (`StrictIntegerField`, `StrictDecimalField`, `MoneyField`,
`TextField`, `BoundedEmailField`) put the same messages beside the field.
"""

import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from core.money import money_parse

# The largest id any table here has room for (a 32-bit signed integer, PostgreSQL's
# `integer`): anything longer is not an id, whatever its digits.
MAX_ID = 2**31 - 1
# Years the data can speak of.
MIN_YEAR, MAX_YEAR = 1900, 2100
# The most characters in an email address (RFC 5321's path limit, Django's model field).
EMAIL_MAX_LENGTH = 254
# Characters a line of text never holds: C0 controls but tab, line feed and carriage
# return, DEL and the C1 controls. NUL among them: PostgreSQL cannot store it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ParseError(ValueError):
    """What was sent is not what was asked for; `str(error)` says why, for a person."""


def _shown(text: str, limit: int = 20) -> str:
    """A value quoted in a message: printable, and short enough to read."""
    cleaned = _CONTROL_IN_LINE.sub("?", text)
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + "…"


def _capital(what: str) -> str:
    return what[:1].upper() + what[1:]


def _digits(text: str, *, what: str, max_digits: int, signed: bool) -> tuple[bool, str]:
    """(negative, digits) of an ASCII whole number, checked before any conversion."""
    if not isinstance(text, str):
        text = str(text)
    if "\x00" in text:
        raise ParseError(f"{what} cannot contain a NUL character.")
    if not text:
        raise ParseError(f"Give {what} in digits.")
    negative = signed and text[0] == "-"
    digits = text[1:] if signed and text[0] in "+-" else text
    if not re.fullmatch(r"[0-9]+", digits):
        raise ParseError(f"Give {what} in the digits 0 to 9 only, not “{_shown(text)}”.")
    if len(digits.lstrip("0")) > max_digits:
        raise ParseError(f"{_capital(what)} has too many digits.")
    return negative, digits


def parse_int(
    text: str,
    *,
    what: str = "a whole number",
    min_value: int | None = 0,
    max_value: int | None = MAX_ID,
    signed: bool = False,
) -> int:
    """A whole number in ASCII digits (a leading "-" or "+" only when `signed`), between
    `min_value` and `max_value`. No spaces, no "_", no other scripts' digits."""
    bound = max(abs(min_value or 0), abs(max_value or 0), 1)
    max_digits = len(str(bound)) if max_value is not None else 18
    negative, digits = _digits(text, what=what, max_digits=max_digits, signed=signed)
    digits = digits.lstrip("0") or "0"  # (leading zeros count towards int()'s limit)
    value = -int(digits) if negative else int(digits)
    if min_value is not None and value < min_value:
        raise ParseError(f"{_capital(what)} must be {min_value} or more.")
    if max_value is not None and value > max_value:
        raise ParseError(f"{_capital(what)} must be {max_value} or less.")
    return value


def parse_ids(
    values: Iterable[str], *, what: str = "id", max_count: int = 100, max_value: int = MAX_ID
) -> list[int]:
    """A list of ids (whole numbers from 1 to `max_value`), at most `max_count` of them,
    each read by `parse_int`; repeats are kept once, in the order first given."""
    values = list(values)
    if len(values) > max_count:
        raise ParseError(f"Give at most {max_count} of {what}s, not {len(values)}.")
    ids: list[int] = []
    for value in values:
        number = parse_int(value, what=f"a {what}", min_value=1, max_value=max_value)
        if number not in ids:
            ids.append(number)
    return ids


def parse_year(text: str, *, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR) -> int:
    """A year as four ASCII digits, from `min_year` to `max_year`."""
    if isinstance(text, str) and re.fullmatch(r"[0-9]+", text) and len(text) != 4:
        raise ParseError(f"Give the year as four digits, like {min(max_year, 2024)}.")
    year = parse_int(text, what="the year", min_value=None, max_value=None)
    if not min_year <= year <= max_year:
        raise ParseError(f"Give a year from {min_year} to {max_year}.")
    return year


def parse_text(text: str, *, max_length: int, multiline: bool = False) -> str:
    """Text of at most `max_length` characters with no control characters (tabs and,
    when `multiline`, line breaks allowed). Returned as given: nothing is stripped."""
    if not isinstance(text, str):
        text = str(text)
    if "\x00" in text:
        raise ParseError("The text cannot contain a NUL character.")
    if (_CONTROL if multiline else _CONTROL_IN_LINE).search(text.replace("\t", " ")):
        raise ParseError("The text contains a control character: type it again as plain text.")
    if len(text) > max_length:
        raise ParseError(f"Use at most {max_length:,} characters (this has {len(text):,}).")
    return text


# Form fields: the same rules, the message beside the field.


class StrictIntegerField(forms.IntegerField):
    """A whole number read by `parse_int`: ASCII digits only, bounded before conversion
    (Django's IntegerField takes "٣" and "1_000" as numbers)."""

    def __init__(self, *, what: str = "a whole number", signed: bool = False, **kwargs):
        self.what, self.signed = what, signed
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text in self.empty_values:
            return None
        try:
            return parse_int(
                text,
                what=self.what,
                signed=self.signed,
                min_value=None if self.signed else 0,
                # Bounds are checked by the field's own validators, with its messages;
                # this only keeps the conversion small.
                max_value=None,
            )
        except ParseError as error:
            message = self.error_messages.get("invalid") if "digits 0 to 9" in str(error) else None
            raise ValidationError(message or str(error), code="invalid") from None


class StrictYearField(StrictIntegerField):
    """A year, as four ASCII digits, within `min_value` and `max_value`."""

    def __init__(self, *, min_value: int = MIN_YEAR, max_value: int = MAX_YEAR, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(what="the year", min_value=min_value, max_value=max_value, **kwargs)


class StrictDecimalField(forms.DecimalField):
    """A decimal read by `core.money.money_parse`'s rules: ASCII digits, thousands commas
    where they belong and one point; no sign, exponent, NaN, Infinity or "_". `min_value`
    below 0 is not supported: amounts here are never negative."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        text = self.prepare(str(value))
        if text in self.empty_values:
            return None
        places = self.decimal_places if self.decimal_places is not None else 6
        whole_digits = (self.max_digits or 20) - places
        try:
            return money_parse(
                text,
                max_value=Decimal(10) ** whole_digits - Decimal(1).scaleb(-places),
                decimal_places=places,
                what="a number",
            )
        except ValidationError as error:
            raise ValidationError(self._message_for(error), code="invalid") from None

    def prepare(self, text: str) -> str:
        """What is typed before it is read (MoneyField drops "£")."""
        return text.strip()

    def _message_for(self, error: ValidationError) -> str:
        if error.code == "negative" and "min_value" in self.error_messages:
            return self.error_messages["min_value"] % {"limit_value": 0}
        if error.code in ("max_digits", "max_value") and "max_digits" in self.error_messages:
            return self.error_messages["max_digits"] % {"max": self.max_digits}
        if error.code == "max_decimal_places" and "max_decimal_places" in self.error_messages:
            return self.error_messages["max_decimal_places"] % {"max": self.decimal_places}
        return self.error_messages["invalid"] if error.code == "invalid" else error.messages[0]

    def validate(self, value):
        # Django's check for NaN and Infinity compares the value, which a signalling NaN
        # refuses with an error; nothing here can be one (to_python refused it).
        forms.Field.validate(self, value)


class MoneyField(StrictDecimalField):
    """Pounds and pence, typed with or without "£" and thousands commas."""

    def prepare(self, text: str) -> str:
        return text.strip().removeprefix("£").strip()


class TextField(forms.CharField):
    """A CharField that refuses control characters (NUL among them, which PostgreSQL
    cannot store) and a text longer than `max_length`, each with a message beside the
    field saying so in words. Always give `max_length`."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        if self.max_length is not None and len(value) > self.max_length:
            message = self.error_messages.get("max_length")
            raise ValidationError(
                message or f"Use at most {self.max_length:,} characters (this has {len(value):,}).",
                code="max_length",
                params={"limit_value": self.max_length, "show_value": len(value)},
            )
        try:
            return parse_text(value, max_length=len(value), multiline=self.multiline)
        except ParseError as error:
            raise ValidationError(str(error), code="control_character") from None


class BoundedEmailField(forms.EmailField):
    """An email address of at most 254 characters, the most an address can have and the
    model's column holds: a longer one is refused here, beside the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "max_length", f"An email address has at most {EMAIL_MAX_LENGTH} characters."
        )
        super().__init__(**kwargs)


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """The site's 400 page (templates/400.html) saying what could not be understood. It
    may answer a secret page's address, so it is never stored, indexed or sent on as a
    Referer."""
    response = HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request))
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


class StrictManagementForm(forms.formsets.ManagementForm):
    """A formset's row counts in ASCII digits (Django's reads "٣" as 3); a sign is
    allowed so that a negative count gets its own message."""

    TOTAL_FORMS = StrictIntegerField(widget=forms.HiddenInput, signed=True)
    INITIAL_FORMS = StrictIntegerField(widget=forms.HiddenInput, signed=True)
    MIN_NUM_FORMS = StrictIntegerField(required=False, widget=forms.HiddenInput, signed=True)
    MAX_NUM_FORMS = StrictIntegerField(required=False, widget=forms.HiddenInput, signed=True)


class BoundedFormSet(forms.BaseFormSet):
    """A formset that refuses, with a message, a row count (`TOTAL_FORMS`) below 0 or
    above `max_num`, or not in ASCII digits, and then builds only the rows it was given
    as `initial`: a page posting "-1" or "999999999" rows is answered at once, not drawn
    as thousands of forms.
    Make it with `formset_factory(..., max_num=N, absolute_max=N, validate_max=True)`."""

    default_error_messages = {
        "too_many_forms": "This part of the form takes at most %(num)d rows. "
        "Remove some and send it again.",
        "missing_management_form": "The page did not say how many rows it sent "
        "(%(field_names)s). Reload the page and enter the figures again.",
    }

    @cached_property
    def management_form(self):
        if not self.is_bound:
            return super().management_form
        form = StrictManagementForm(
            self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer
        )
        form.full_clean()
        return form

    def _sent_count_refused(self) -> bool:
        if not self.is_bound or not self.management_form.is_valid():
            return False
        sent = self.management_form.cleaned_data
        return not (0 <= sent["TOTAL_FORMS"] <= self.absolute_max and sent["INITIAL_FORMS"] >= 0)

    def total_form_count(self) -> int:
        if self._sent_count_refused():
            return min(len(self.initial or []), self.absolute_max)
        return max(0, super().total_form_count())

    def initial_form_count(self) -> int:
        if not self.is_bound:
            return super().initial_form_count()
        return min(max(0, super().initial_form_count()), self.total_form_count())

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not self.management_form.is_valid():
            return
        sent = self.management_form.cleaned_data
        if sent["TOTAL_FORMS"] < 0 or sent["INITIAL_FORMS"] < 0:
            self._non_form_errors.append(
                ValidationError(
                    "The page sent a negative number of rows. Reload the page and try again.",
                    code="negative_count",
                )
            )
