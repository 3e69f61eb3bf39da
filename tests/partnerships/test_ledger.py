"""The savings ledger on the real data: every figure stands with its source, one counts in
totals by the written rule, a total over several years is spread over them, and a figure
without a period is shown but not counted."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.db.models import Sum
from django.urls import reverse

from partnerships.models import (
    Partnership,
    SavingsEvidence,
    SavingsKind,
    SavingsOrigin,
    SavingsRecord,
    SavingsYear,
)
from partnerships.services.ledger import COUNTING_RULE, savings_statement, year_amounts
from tests.partnerships.factories import PartnershipFactory, SavingsRecordFactory

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def ledger(slug: str, kind: str) -> dict[int, Decimal]:
    return dict(
        SavingsYear.objects.filter(partnership__slug=slug, kind=kind).values_list("year", "amount")
    )


def page(client, slug: str) -> str:
    response = client.get(reverse("partnerships:partnership-detail", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_ten_year_total_is_spread_over_its_ten_years_not_booked_in_one(real_data):
    # Strata: "£6 million over 10 years" (2014/15 to 2023/24), expected.
    years = ledger("strata", SavingsKind.EXPECTED)
    assert sorted(years) == list(range(2014, 2024))
    assert set(years.values()) == {Decimal("600000.00")}
    assert sum(years.values()) == Decimal("6000000.00")
    assert SavingsYear.objects.filter(partnership__slug="strata", spread=True).count() == 14


def test_two_overlapping_reference_figures_are_not_added_together(real_data):
    strata = Partnership.objects.prefetch_related("savings_years").get(slug="strata")
    expected = SavingsRecord.objects.filter(partnership=strata, kind=SavingsKind.EXPECTED)
    assert sorted(expected.values_list("amount", flat=True)) == [
        Decimal("6000000.00"),
        Decimal("8300000.00"),
    ]
    # Both stand; one counts: £6m, not £14.3m.
    assert strata.expected_savings_total == Decimal("6000000.00")
    # Hambleton and Richmondshire: £2.6m and £2.4m over the same three years, and £600,000
    # for the last of them: the achieved total counts one figure for each year.
    hambleton = Partnership.objects.prefetch_related("savings_years").get(
        slug="hambleton-richmondshire"
    )
    achieved = SavingsRecord.objects.filter(partnership=hambleton, kind=SavingsKind.ACHIEVED)
    assert achieved.aggregate(total=Sum("amount"))["total"] == Decimal("5600000.00")
    assert hambleton.achieved_savings_total == Decimal("2400000.00")
    assert sorted(ledger("hambleton-richmondshire", SavingsKind.ACHIEVED)) == [2009, 2010, 2011]


def test_every_figure_is_on_its_page_with_its_source_and_whether_it_counts(client, real_data):
    html = page(client, "strata")
    shown = text(html)
    assert "£8,300,000" in shown and "£6,000,000" in shown
    assert "will save them £8.3m over 10 years" in shown  # the source's words
    assert "Published source (reference data)" in shown
    assert "In all over the period" in shown and "As reported" in shown
    assert "Counts in totals, spread evenly: £600,000.00 a year" in shown
    assert "Not counted: another figure for the same years counts" in shown
    assert "Expected savings in total £6,000,000" in shown
    record = SavingsRecord.objects.get(partnership__slug="strata", amount=Decimal("8300000"))
    assert f'<a href="{record.source_url}">source</a>' in html
    assert COUNTING_RULE in shown


def test_a_figure_without_a_period_is_shown_on_its_page_but_not_counted(client, real_data):
    # Eastbourne and Lewes: "Year-on-year savings of £3.2m", no period given.
    record = SavingsRecord.objects.get(partnership__slug="eastbourne-lewes")
    assert record.start_year is None and record.amount == Decimal("3200000.00")
    assert not SavingsYear.objects.filter(record=record).exists()
    partnership = Partnership.objects.prefetch_related("savings_years").get(slug="eastbourne-lewes")
    assert partnership.achieved_savings_total is None
    shown = text(page(client, "eastbourne-lewes"))
    assert "£3,200,000" in shown and "No period given" in shown
    assert "Not counted: the source gives no period" in shown
    assert "Achieved savings in total None counted" in shown


def test_an_expert_programme_outcome_and_a_refresh_figure_for_one_year_both_stand(client):
    partnership = PartnershipFactory(slug="two-sources")
    refresh = SavingsRecordFactory(
        partnership=partnership,
        start_year=2026,
        end_year=2026,
        amount=Decimal("120000"),
        origin=SavingsOrigin.REFRESH,
        origin_detail="Adur District Council, 2026 refresh",
        reported_on=date(2026, 6, 1),
    )
    outcome = SavingsRecordFactory(
        partnership=partnership,
        start_year=2026,
        end_year=2026,
        amount=Decimal("90000"),
        origin=SavingsOrigin.EXPERT_PROGRAMME,
        origin_detail="application EP-2026-001",
        evidence=SavingsEvidence.CONFIRMED,
        reported_on=date(2026, 5, 1),
    )
    assert set(partnership.savings_records.all()) == {refresh, outcome}
    # Confirmed by LGA staff beats as reported, whatever was reported later.
    counted = SavingsYear.objects.get(partnership=partnership)
    assert counted.record_id == outcome.pk and counted.amount == Decimal("90000.00")
    shown = text(page(client, "two-sources"))
    assert "Annual refresh questionnaire: Adur District Council, 2026 refresh" in shown
    assert "Shared Service Expert Programme outcome: application EP-2026-001" in shown
    assert "Confirmed by LGA staff" in shown and "1 June 2026" in shown
    assert "Achieved savings in total £90,000" in shown
    # The outcome withdrawn, the council's own figure counts.
    outcome.delete()
    counted = SavingsYear.objects.get(partnership=partnership)
    assert counted.record_id == refresh.pk and counted.amount == Decimal("120000.00")


def test_the_latest_reported_of_equal_evidence_counts_and_a_spread_adds_up_to_its_total():
    partnership = PartnershipFactory()
    SavingsRecordFactory(
        partnership=partnership, start_year=2020, end_year=2020, reported_on=date(2021, 5, 1)
    )
    later = SavingsRecordFactory(
        partnership=partnership,
        start_year=2020,
        end_year=2020,
        amount=Decimal("70000"),
        reported_on=date(2022, 5, 1),
    )
    assert SavingsYear.objects.get(partnership=partnership).record_id == later.pk
    thirds = SavingsRecord(
        start_year=2021, end_year=2023, amount=Decimal("1000000"), kind="achieved"
    )
    amounts = year_amounts(thirds)
    assert [a for a, _ in amounts.values()] == [
        Decimal("333333.33"),
        Decimal("333333.33"),
        Decimal("333333.34"),
    ]
    assert all(spread for _, spread in amounts.values())
    per_year = SavingsRecord(
        start_year=2021, end_year=2023, amount=Decimal("50000"), per_year=True, kind="achieved"
    )
    assert {a for a, _ in year_amounts(per_year).values()} == {Decimal("50000")}


def test_the_statement_reads_prefetched_rows_only(django_assert_num_queries, real_data):
    strata = Partnership.objects.prefetch_related("savings_records", "savings_years").get(
        slug="strata"
    )
    with django_assert_num_queries(0):
        statement = savings_statement(strata)
    assert len(statement.entries) == 4
    assert statement.achieved_total == Decimal("895000.00")
    assert statement.expected_total == Decimal("6000000.00")


def test_every_ledger_year_comes_from_one_figure_of_its_partnership_and_kind(real_data):
    rows = SavingsYear.objects.select_related("record")
    assert rows.exists()
    for row in rows:
        assert row.record.partnership_id == row.partnership_id
        assert row.record.kind == row.kind
        assert row.year in row.record.years
    # Each spread figure's years add up to its total.
    for record in SavingsRecord.objects.filter(per_year=False).exclude(start_year=None):
        counted = SavingsYear.objects.filter(record=record)
        if counted.count() == len(record.years) > 1:
            assert counted.aggregate(total=Sum("amount"))["total"] == record.amount


# --- The partnership page marks its status and its members' years ----------------------


@pytest.mark.parametrize(
    ("slug", "status"),
    [
        ("camden-islington-public-health", "Ended in 2022"),
        ("harborough-melton-strategic-partnership", "Proposed"),
        ("bolsover-north-east-derbyshire", "Status not confirmed"),
        ("strata", "Operational"),
    ],
)
def test_a_partnership_page_marks_its_status(client, real_data, slug, status):
    assert f"Status {status}" in text(page(client, slug))


def test_a_partnership_page_shows_when_members_joined_and_left(client, real_data):
    shown = text(page(client, "onesource"))
    assert "London Borough of Bexley (left 2020)" in shown
    shown = text(page(client, "nplaw"))
    assert "Norfolk County Council (lead) (joined 2010)" in shown
    assert "Norwich City Council (joined 2010)" in shown
