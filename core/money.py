"""Money, written once: reading an amount a person typed, and writing one for a person.

Reading is strict (`money_parse`): ASCII digits, thousands commas only where they belong
("1,250,000", not "1,2,50"), one decimal point, "£" and spaces around it, a minus sign
only where the caller allows one. Python's own `Decimal()` reads "1_000", "1e999999",
"NaN" and other scripts' digits; nothing here does, and every length is bounded before
anything is converted.

Writing has three styles, each signed with the true minus sign (U+2212), never "-":
- `money_exact`: "£1,234.56" (`pence="if-any"` drops ".00" from whole pounds, as the
  partnership pages show them);
- `money_pounds`: rounded to the pound, "£1,235", for totals that spread figures over
  years and so carry fractions of a penny nobody reported;
- `money_short`: "£1.2m", "£135k", "£950", "−£135k" for chart labels and tight spaces.
None is never £0: each returns `none` (None unless the caller gives a text such as
"No figure") and the caller decides what the page says.

Exports (CSV, XLSX) keep amounts as numbers: these are for text only.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal, TypeVar

from django.core.exceptions import ValidationError

MINUS = "\u2212"  # the minus sign; "-" is a hyphen
PENNY = Decimal("0.01")
# The most an amount column holds (max_digits=14, decimal_places=2): under £1 trillion.
MONEY_MAX = Decimal("999999999999.99")

# Whole pounds with commas in threes, or no commas; then at most one point and its places.
_AMOUNT = re.compile(
    r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<fraction>[0-9]*))?", re.ASCII
)
_SIGN = ("-", MINUS)

Text = TypeVar("Text", str, None)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _capital(what: str) -> str:
    return what[:1].upper() + what[1:]


def money_parse(
    text: str,
    *,
    negative: bool = False,
    max_value: Decimal = MONEY_MAX,
    decimal_places: int = 2,
    what: str = "an amount in pounds",
) -> Decimal:
    """An amount typed by a person: "125000", "£125,000.50", " £ 950 ", and "−£135" or
    "-135" only when `negative`. At most `decimal_places` places and `max_value` (either
    way from 0). Refused with a ValidationError whose message says why, and whose code is
    one of "invalid", "negative", "max_digits", "max_value", "max_decimal_places"."""
    if not isinstance(text, str):
        text = str(text)
    whole_digits = len(str(int(max_value)))
    if "\x00" in text:
        raise _refuse(f"Give {what} without a NUL character.", "invalid")
    # Longer than any amount within the bound could be, commas and spaces included.
    if len(text) > 2 * (whole_digits + decimal_places) + 20:
        raise _refuse(f"{_capital(what)} has too many digits.", "max_digits")
    cleaned = text.strip()
    is_negative = cleaned.startswith(_SIGN)
    if is_negative:
        cleaned = cleaned[1:].lstrip()
    if cleaned.startswith("£"):
        cleaned = cleaned[1:].lstrip()
        if not is_negative and cleaned.startswith(_SIGN):  # "£-135"
            is_negative, cleaned = True, cleaned[1:]
    match = _AMOUNT.fullmatch(cleaned)
    if match is None or not re.search(r"[0-9]", cleaned, re.ASCII):
        raise _refuse(f"Give {what} using the digits 0 to 9, like 125000 or 125,000.50.", "invalid")
    if is_negative and not negative:
        raise _refuse(f"Give {what} of 0 or more: it cannot be negative.", "negative")
    whole = match["whole"].replace(",", "").lstrip("0")
    fraction = (match["fraction"] or "").rstrip("0")
    if len(fraction) > decimal_places:
        raise _refuse(
            f"Give at most {decimal_places} digits after the decimal point.",
            "max_decimal_places",
        )
    if len(whole) > whole_digits:
        raise _refuse(f"{_capital(what)} has too many digits.", "max_digits")
    value = Decimal(f"{whole or '0'}.{fraction or '0'}")
    if value > max_value:
        raise _refuse(f"Give {what} of at most {max_value:,}.", "max_value")
    return -value if is_negative and value else value


def money_round(value: Decimal | int | str) -> Decimal:
    """Pounds rounded to the penny, halves up: 0.005 -> 0.01, -0.005 -> -0.01."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def _amount(value: Decimal | int | float | str) -> Decimal:
    """A finite Decimal of an amount the site computed or stored (not what a person typed:
    that goes through `money_parse`)."""
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"Not an amount of money: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"Not an amount of money: {value!r}")
    return amount


def _signed(text: str, amount: Decimal) -> str:
    return f"{MINUS}{text}" if amount < 0 else text


def money_exact(
    amount: Decimal | int | float | str | None,
    *,
    pence: Literal["always", "if-any"] = "always",
    none: Text = None,
) -> str | Text:
    """ "£1,234.56", "−£1,234.56"; with `pence="if-any"`, whole pounds as "£1,234"."""
    if amount is None:
        return none
    value = money_round(_amount(amount))
    if pence == "if-any" and value == value.to_integral_value():
        text = f"£{abs(value):,.0f}"
    else:
        text = f"£{abs(value):,.2f}"
    return _signed(text, value)


def money_pounds(amount: Decimal | int | float | str | None, *, none: Text = None) -> str | Text:
    """Rounded to the pound, halves up: "£1,235", "−£1,235"."""
    if amount is None:
        return none
    value = _amount(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _signed(f"£{abs(value):,.0f}", value)


def _rounded(value: Decimal, unit: int, places: int) -> Decimal:
    return (value / unit).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money_short(amount: Decimal | int | float | str | None, *, none: Text = None) -> str | Text:
    """ "£1.2m", "£10m", "£135k", "£950", "−£135k": millions and billions to one place
    (".0" dropped), thousands and pounds whole, each rounded halves up. An amount that
    rounds up to the next unit takes it: £999,999 is "£1m", not "£1,000k"."""
    if amount is None:
        return none
    value = _amount(amount)
    size = abs(value)
    billions = _rounded(size, 10**9, 1)
    millions = _rounded(size, 10**6, 1)
    thousands = _rounded(size, 10**3, 0)
    pounds = _rounded(size, 1, 0)
    if size >= 10**9 or millions >= 1000:
        text = f"£{billions.normalize():,f}bn"
    elif size >= 10**6 or thousands >= 1000:
        text = f"£{millions.normalize():,f}m"
    elif size >= 1000 or pounds >= 1000:
        text = f"£{thousands:,f}k"
    else:
        text = f"£{pounds:,f}"
    return text if pounds == 0 else _signed(text, value)
