"""Staff type amounts into the admin as everyone else types them: "£1,000" is £1,000,
while "1_000", "1e3" and words are refused beside the field and nothing is saved
(Django's own fields read "1_000" as a thousand, its DecimalField "1e3" too)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.models import Tracker
from core.admin import AMOUNT_INVALID, NUMBER_INVALID
from matchmaking.models import ExpertApplication, FundingBudget, MatchRequest
from partnerships.models import Council, Partnership, SavingsRecord
from tests.benefits.factories import figures_enter, tracker_for
from tests.form_data import page_data
from tests.matchmaking.factories import (
    ExpertApplicationFactory,
    FundingBudgetFactory,
    MatchRequestFactory,
)
from tests.partnerships.factories import SavingsRecordFactory, partnership_with_members

pytestmark = pytest.mark.usefixtures("real_data")

NOT_NUMBERS = ["1_000", "1e3", "ten"]


@dataclass
class AmountBox:
    """One amount on one admin page: where it is, what it is called in the POST (a
    regular expression for an inline's row) and how to read the saved value."""

    name: str
    make: Callable[[], object]
    field: str
    saved: Callable[[object], Decimal]
    money: bool = True

    def url(self, obj) -> str:
        opts = type(obj)._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def form_id(self, obj) -> str:
        return f"{type(obj)._meta.model_name}_form"


def _partnership_with_a_figure() -> Partnership:
    partnership = partnership_with_members(
        Council.objects.get(gss_code="E07000223"), Council.objects.get(gss_code="E07000229")
    )
    SavingsRecordFactory(partnership=partnership, amount=Decimal("2500"))
    return partnership


def _tracker() -> Tracker:
    tracker, _token = tracker_for("adur-worthing")
    return figures_enter(tracker)


BOXES = [
    AmountBox(
        "partnership's savings inline",
        _partnership_with_a_figure,
        r"savings_records-0-amount",
        lambda p: p.savings_records.get().amount,
    ),
    AmountBox(
        "savings record",
        lambda: SavingsRecordFactory(amount=Decimal("2500")),
        "amount",
        lambda r: SavingsRecord.objects.get(pk=r.pk).amount,
    ),
    AmountBox(
        "budget's mediation",
        FundingBudgetFactory,
        "mediation_amount",
        lambda b: FundingBudget.objects.get(pk=b.pk).mediation_amount,
    ),
    AmountBox(
        "budget's expert days",
        FundingBudgetFactory,
        "expert_days",
        lambda b: FundingBudget.objects.get(pk=b.pk).expert_days,
        money=False,
    ),
    AmountBox(
        "application's funding asked for",
        ExpertApplicationFactory,
        "funding_requested",
        lambda a: ExpertApplication.objects.get(pk=a.pk).funding_requested,
    ),
    AmountBox(
        "request's mediation",
        lambda: MatchRequestFactory(mediation_requested=Decimal("2500")),
        "mediation_requested",
        lambda r: MatchRequest.objects.get(pk=r.pk).mediation_requested,
    ),
    AmountBox(
        "tracker's set-up cost",
        _tracker,
        r"\w+-0-amount",
        lambda t: t.setup_costs.order_by("pk").first().amount,
    ),
    AmountBox(
        "tracker's staff savings",
        _tracker,
        r"\w+-0-staff",
        lambda t: t.years.order_by("year").first().staff,
    ),
    AmountBox(
        "tracker partner's baseline cost",
        _tracker,
        r"\w+-0-baseline_cost",
        lambda t: t.partners.order_by("pk").first().baseline_cost,
    ),
]


def _field_name(data: dict, pattern: str) -> str:
    names = [name for name in data if re.fullmatch(pattern, name)]
    assert len(names) == 1, (pattern, sorted(data))
    return names[0]


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("box", BOXES, ids=lambda box: box.name)
def test_an_amount_that_is_not_digits_is_refused_beside_the_field(admin_client, box, value):
    obj = box.make()
    before = box.saved(obj)
    data = page_data(admin_client, box.url(obj), box.form_id(obj))
    name = _field_name(data, box.field)
    data[name] = [value]
    response = admin_client.post(box.url(obj), data)
    assert response.status_code == 200, "saved instead of refused"
    html = response.content.decode()
    message = AMOUNT_INVALID if box.money else NUMBER_INVALID
    error = re.search(rf'<ul class="errorlist" id="id_{re.escape(name)}_error">(.*?)</ul>', html)
    assert error is not None and message in error.group(1)
    assert box.saved(obj) == before


@pytest.mark.parametrize("box", [b for b in BOXES if b.money], ids=lambda box: box.name)
def test_an_amount_with_a_pound_sign_and_commas_is_saved(admin_client, box):
    obj = box.make()
    data = page_data(admin_client, box.url(obj), box.form_id(obj))
    data[_field_name(data, box.field)] = ["£1,234.50"]
    response = admin_client.post(box.url(obj), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert box.saved(obj) == Decimal("1234.50")
