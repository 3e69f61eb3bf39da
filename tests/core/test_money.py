"""Money as people type it and read it: one reader, three ways of writing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from hypothesis import example, given
from hypothesis import strategies as st

from core.money import (
    MINUS,
    MONEY_MAX,
    money_exact,
    money_parse,
    money_pounds,
    money_round,
    money_short,
)

HUGE = "9" * 5000

# Amounts in pounds and pence, from -£1 trillion to £1 trillion exclusive.
amounts = st.decimals(min_value=-MONEY_MAX, max_value=MONEY_MAX, places=2)


@given(amounts)
@example(Decimal("0"))
@example(Decimal("-0.01"))
@example(Decimal("1234.50"))
def test_an_exact_amount_reads_back_as_itself(amount):
    assert money_parse(money_exact(amount), negative=True) == amount
    assert money_parse(money_exact(amount, pence="if-any"), negative=True) == amount


@given(amounts.filter(lambda a: a < 0))
def test_a_negative_amount_is_written_with_the_minus_sign(amount):
    for text in (money_exact(amount), money_pounds(amount), money_short(amount)):
        if text in ("£0", "£0.00"):  # rounds to nothing: no sign on nothing
            continue
        assert text.startswith(MINUS + "£") and "-" not in text


@given(amounts.filter(lambda a: a >= 0))
def test_a_positive_amount_has_no_sign(amount):
    for text in (money_exact(amount), money_pounds(amount), money_short(amount)):
        assert text.startswith("£") and MINUS not in text and "-" not in text


@given(amounts.filter(lambda a: a < 0))
def test_a_negative_amount_is_refused_unless_the_caller_allows_it(amount):
    with pytest.raises(ValidationError) as refused:
        money_parse(money_exact(amount))
    assert refused.value.code == "negative"


@given(st.text(alphabet="0123456789,._eE+-£ ٣²Nnaifty", max_size=30))
def test_whatever_is_typed_is_read_as_an_amount_or_refused_with_a_message(text):
    try:
        amount = money_parse(text, negative=True)
    except ValidationError as error:
        assert error.messages and error.code in {
            "invalid",
            "negative",
            "max_digits",
            "max_value",
            "max_decimal_places",
        }
    else:
        assert amount.is_finite() and abs(amount) <= MONEY_MAX
        assert amount == amount.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("125000", Decimal("125000")),
        ("£125,000.50", Decimal("125000.50")),
        (" £ 1,250,000 ", Decimal("1250000")),
        ("0.5", Decimal("0.5")),
        ("12.", Decimal("12")),
        (".5", Decimal("0.5")),
        ("1.10", Decimal("1.1")),
    ],
)
def test_money_is_read_as_pounds_and_pence(text, expected):
    assert money_parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "sNaN",
        "-sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "1e5",
        "1E5",
        "1_000",
        "٣",
        "²",
        "12\x00",
        "-5",
        ".",
        "1.2.3",
        "",
        "£",
        "1,2,50",
        "12,34",
        "1,0000",
        "1 000",
        "five pounds",
        "£5 million",
        HUGE,
    ],
)
def test_money_refuses_special_values_exponents_words_and_misplaced_commas(text):
    with pytest.raises(ValidationError):
        money_parse(text)


def test_money_bounds_digits_and_places():
    with pytest.raises(ValidationError, match="too many digits"):
        money_parse("1" * 13)  # under £1 trillion: 12 whole digits at most
    assert money_parse("1" * 12) == Decimal("1" * 12)
    with pytest.raises(ValidationError, match="2 digits after the decimal point"):
        money_parse("1.234")
    with pytest.raises(ValidationError, match="cannot be negative"):
        money_parse("-1")
    with pytest.raises(ValidationError, match="at most 100"):
        money_parse("101", max_value=Decimal("100"))
    with pytest.raises(ValidationError, match="at most 100"):
        money_parse("-101", max_value=Decimal("100"), negative=True)
    assert money_parse("1.234567", decimal_places=6) == Decimal("1.234567")


def test_a_negative_is_read_only_where_the_caller_allows_one():
    for text in ("-£135", "−£135", "£-135", "- 135"):
        assert money_parse(text, negative=True) == Decimal("-135")
    assert money_parse("-0", negative=True) == 0


def test_the_three_styles():
    amount = Decimal("1234.56")
    assert money_exact(amount) == "£1,234.56"
    assert money_exact(-amount) == "−£1,234.56"
    assert money_exact(Decimal("16000000"), pence="if-any") == "£16,000,000"
    assert money_exact(Decimal("1234.5"), pence="if-any") == "£1,234.50"
    assert money_pounds(Decimal("1234.50")) == "£1,235"
    assert money_pounds(Decimal("-866666.67")) == "−£866,667"
    assert [money_short(Decimal(a)) for a in ("1200000", "10000000", "135000", "950")] == [
        "£1.2m",
        "£10m",
        "£135k",
        "£950",
    ]
    assert money_short(Decimal("-135000")) == "−£135k"


def test_short_amounts_take_the_next_unit_when_they_round_up_to_it():
    assert money_short(Decimal("999999")) == "£1m"
    assert money_short(Decimal("999.50")) == "£1k"
    assert money_short(Decimal("950000")) == "£950k"
    assert money_short(Decimal("1040000")) == "£1m"
    assert money_short(Decimal("2500000000")) == "£2.5bn"


def test_no_figure_is_never_written_as_nothing_pounds():
    for write in (money_exact, money_pounds, money_short):
        assert write(None) is None
        assert write(None, none="No figure") == "No figure"
    with pytest.raises(ValueError):
        money_exact(Decimal("NaN"))


def test_money_is_rounded_to_the_penny_halves_up():
    assert money_round("0.005") == Decimal("0.01")
    assert money_round("-0.005") == Decimal("-0.01")
    assert money_exact(Decimal("0.005")) == "£0.01"


def test_templates_write_money_with_the_same_styles():
    template = Template(
        "{% load money %}{{ a|money }} {{ a|money:'if-any' }} {{ a|money_pounds }} "
        "{{ a|money_short }} [{{ none|money }}]"
    )
    shown = template.render(Context({"a": Decimal("-135000"), "none": None}))
    assert shown == "−£135,000.00 −£135,000 −£135,000 −£135k []"
