"""The published facts of a partnership are read one way: the questionnaire starts from
them, the review compares with them and the benefits tracker takes its members from them
(partnerships.published)."""

import datetime
from decimal import Decimal

import pytest

from partnerships.models import Council, Partnership, PublicBody, ServiceCategory
from partnerships.published import facts_prefetch, published_facts
from tests.partnerships.factories import SavingsRecordFactory, partnership_with_members

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def _adur_and_worthing() -> Partnership:
    adur, worthing = (Council.objects.get(gss_code=code) for code in ("E07000223", "E07000229"))
    partnership = partnership_with_members(
        worthing,
        adur,
        categories=list(ServiceCategory.objects.order_by("-pk")[:2]),
        name="Adur and Worthing test service",
        website="https://example.org/aw",
    )
    partnership.body_memberships.create(public_body=PublicBody.objects.order_by("pk").first())
    SavingsRecordFactory(partnership=partnership, start_year=2018, end_year=2018)
    SavingsRecordFactory(
        partnership=partnership, start_year=2020, end_year=2021, amount=Decimal("250000")
    )
    return partnership


def test_the_facts_are_what_the_public_site_says_with_the_lead_first():
    partnership = _adur_and_worthing()
    facts = published_facts(partnership)
    assert facts.name == "Adur and Worthing test service"
    assert facts.website == "https://example.org/aw"
    assert [c.short_name for c in facts.councils] == ["Worthing", "Adur"]
    assert len(facts.public_bodies) == 1
    assert {c.pk for c in facts.categories} == set(
        partnership.categories.values_list("pk", flat=True)
    )
    latest = facts.latest_savings
    assert (latest.start_year, latest.end_year, latest.amount) == (2020, 2021, Decimal("250000"))
    values = facts.values()
    assert values["councils"] == sorted(c.pk for c in facts.councils)
    assert values["latest_savings"]["amount"] == "250000.00"


def test_prefetched_facts_cost_no_query_and_many_partnerships_cost_the_same(
    django_assert_num_queries, django_assert_max_num_queries
):
    _adur_and_worthing()
    with django_assert_max_num_queries(5):
        partnerships = list(Partnership.objects.prefetch_related(*facts_prefetch()))
    with django_assert_num_queries(0):
        facts = [published_facts(p) for p in partnerships]
    assert len(facts) == Partnership.objects.count() > 50


def test_a_questionnaire_starts_from_the_published_facts():
    from submissions.models import RefreshCycle
    from submissions.services.cycle import questionnaire_create

    partnership = _adur_and_worthing()
    cycle = RefreshCycle.objects.create(
        financial_year=2025, opens_on=datetime.date(2026, 3, 1), deadline=datetime.date(2026, 4, 15)
    )
    questionnaire = questionnaire_create(cycle=cycle, council=partnership.councils.first())
    item = questionnaire.items.get(partnership=partnership)
    assert item.prefilled == published_facts(partnership).values()
