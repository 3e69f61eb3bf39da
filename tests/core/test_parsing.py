"""One set of strict readers: ASCII digits only, NUL and control characters refused,
every length and value bounded, and a message a person can act on."""

from decimal import Decimal

import pytest
from django import forms

from core.parsing import (
    BoundedEmailField,
    MoneyField,
    ParseError,
    StrictDecimalField,
    StrictIntegerField,
    StrictYearField,
    TextField,
    parse_ids,
    parse_int,
    parse_text,
    parse_year,
)

HUGE = "9" * 5000  # past int()'s 4,300-digit limit


@pytest.mark.parametrize(
    "text, expected", [("0", 0), ("42", 42), ("007", 7), ("2147483647", 2**31 - 1)]
)
def test_whole_numbers_in_ascii_digits_are_read(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "²",
        "٣",
        "12\x00",
        "\x00",
        "1_000",
        " 12",
        "12 ",
        "+5",
        "-5",
        "1e5",
        "",
        "1.0",
        "0x10",
        "１２",
    ],
)
def test_anything_but_ascii_digits_is_refused_with_a_message(text):
    with pytest.raises(ParseError) as refused:
        parse_int(text, what="the id")
    message = str(refused.value)
    assert message and "\x00" not in message
    assert "the id" in message.lower()


def test_a_five_thousand_digit_number_is_refused_as_too_long_not_converted():
    with pytest.raises(ParseError, match="too many digits"):
        parse_int(HUGE)
    with pytest.raises(ParseError, match="too many digits"):
        parse_int(HUGE, max_value=None)
    # Leading zeros do not count, and do not reach int() either.
    assert parse_int("0" * 5000 + "7") == 7


def test_bounds_are_checked_and_named():
    with pytest.raises(ParseError, match="10 or less"):
        parse_int("11", max_value=10)
    with pytest.raises(ParseError, match="1 or more"):
        parse_int("0", min_value=1)
    with pytest.raises(ParseError, match="too many digits"):
        parse_int("99999999999")  # past the largest id


def test_a_sign_is_read_only_when_asked_for():
    assert parse_int("-5", signed=True, min_value=-10) == -5
    assert parse_int("+5", signed=True) == 5
    with pytest.raises(ParseError):
        parse_int("--5", signed=True)
    with pytest.raises(ParseError, match="-10 or more"):
        parse_int("-11", signed=True, min_value=-10)


def test_a_list_of_ids_is_bounded_in_count_and_in_each_id():
    assert parse_ids(["3", "1", "3"]) == [3, 1]
    with pytest.raises(ParseError, match="at most 2"):
        parse_ids(["1", "2", "3"], max_count=2)
    for bad in (["1", "²"], ["0"], [HUGE], ["1", "\x00"], ["-1"], ["٣"]):
        with pytest.raises(ParseError):
            parse_ids(bad, what="council id")


@pytest.mark.parametrize("text", ["²⁰²⁴", "٢٠٢٤", "2024\x00", "20_24", "1e3", "24", "20245", HUGE])
def test_a_year_is_four_ascii_digits(text):
    with pytest.raises(ParseError):
        parse_year(text)


def test_a_year_is_within_its_bounds():
    assert parse_year("2024") == 2024
    with pytest.raises(ParseError, match="from 1990 to 2030"):
        parse_year("1989", min_year=1990, max_year=2030)


def test_text_keeps_what_was_typed_and_refuses_nul_and_control_characters():
    assert parse_text("Mid Kent\tLegal", max_length=50) == "Mid Kent\tLegal"
    assert parse_text("one\r\ntwo", max_length=50, multiline=True) == "one\r\ntwo"
    with pytest.raises(ParseError, match="NUL"):
        parse_text("a\x00b", max_length=50)
    with pytest.raises(ParseError, match="control character"):
        parse_text("a\x1bb", max_length=50)
    with pytest.raises(ParseError, match="control character"):
        parse_text("one\ntwo", max_length=50)  # a line break in a one-line field
    with pytest.raises(ParseError, match="at most 10 characters"):
        parse_text("x" * 11, max_length=10)


# Amounts of money: tests/core/test_money.py.


class _Form(forms.Form):
    count = StrictIntegerField(required=False, min_value=0, max_value=10)
    year = StrictYearField(required=False, min_value=1990, max_value=2100)
    amount = MoneyField(required=False, max_digits=14, decimal_places=2)
    share = StrictDecimalField(required=False, max_digits=5, decimal_places=2)
    note = TextField(required=False, max_length=20)
    email = BoundedEmailField(required=False)


def _errors(**data) -> dict:
    form = _Form(data)
    form.is_valid()
    return form.errors


def test_form_fields_put_the_refusal_beside_the_field():
    errors = _errors(count="²", year="٢٠٢٤", amount="sNaN", share="1e2", note="a\x00b")
    assert set(errors) == {"count", "year", "amount", "share", "note"}
    assert "NUL" in errors["note"][0]


def test_form_fields_take_what_a_person_types():
    form = _Form({"count": "7", "year": "2019", "amount": "£1,250.50", "share": "33.33"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 7
    assert form.cleaned_data["year"] == 2019
    assert form.cleaned_data["amount"] == Decimal("1250.50")
    assert form.cleaned_data["share"] == Decimal("33.33")


def test_form_fields_keep_their_bounds():
    errors = _errors(count=HUGE, year="2101", amount="1" * 20, share="1.234")
    assert set(errors) == {"count", "year", "amount", "share"}


def test_an_email_longer_than_254_characters_is_refused_beside_the_field():
    local = "a" * 64
    domain = ".".join(["b" * 60] * 4) + ".uk"  # 247 characters: valid labels
    long_email = f"{local}@{domain}"
    assert 255 <= len(long_email) <= 320
    errors = _errors(email=long_email)
    assert "254" in errors["email"][0]
    assert "email" not in _errors(email="name@council.gov.uk")
