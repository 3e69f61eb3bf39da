"""Headline figures and chart data, on the real partnerships."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from partnerships.charts import bar_chart_svg
from partnerships.figures import partnership_figures
from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership, SavingsRecord
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.django_db


def figures(**params):
    return partnership_figures(partnerships=PartnershipFilter(params).qs)


def test_headline_figures_add_up_from_the_records():
    result = figures()
    assert result.partnerships == 65
    assert (
        result.achieved_total
        == SavingsRecord.objects.filter(kind="achieved").aggregate(total=Sum("amount"))["total"]
    )
    assert result.achieved_total > Decimal("100000000")
    assert result.current_councils == 317
    assert 0 < result.current_councils_involved < 317
    assert result.councils_involved > result.current_councils_involved  # former councils too
    assert 0 < result.share_of_councils < 1
    # 50 of the 65 rows have no figure, and none carries a reason yet.
    assert result.without_figure_or_reason == 50


def test_the_latest_year_is_the_newest_single_year_figure():
    result = figures()
    assert result.latest_year_label == "2019/20"
    assert result.latest_year_total == Decimal("500000.00")


def test_a_reason_closes_the_gap_for_a_partnership():
    Partnership.objects.filter(name="Mid Kent ICT").update(no_savings_reason="not_measured")
    assert figures().without_figure_or_reason == 49


def test_charts_count_a_partnership_once_per_category_and_region():
    result = figures()
    categories = {row.label: row for row in result.by_category}
    assert categories["Management team / chief executive"].partnerships == 15
    assert categories["Legal"].partnerships == 5
    regions = {row.label: row for row in result.by_region}
    # Orbis spans Surrey and East Sussex (South East) and counts once there.
    assert regions["South East"].achieved >= Decimal("16000000")
    assert (
        sum(r.partnerships for r in result.by_start_year)
        == Partnership.objects.exclude(start_year=None).count()
    )


def test_the_most_common_pairing_is_district_and_district():
    pairings = figures().type_pairings
    assert pairings[0].label == "District council and district council"
    assert pairings[0].partnerships >= 15


def test_filters_drive_the_figures():
    legal = figures(category="legal")
    assert legal.partnerships == 5
    assert [row.label for row in legal.by_category] == ["Legal"]


def test_a_year_counts_only_savings_reported_by_then():
    assert figures(year="2012").achieved_total < figures().achieved_total


def test_figures_take_the_same_queries_at_ten_times_the_data(django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        figures()
    grow_data(10)
    with django_assert_max_num_queries(5):
        result = figures()
    assert result.partnerships == 650


def test_a_chart_is_svg_with_a_text_alternative_and_no_external_script():
    svg = bar_chart_svg(
        rows=figures().by_category,
        value=lambda row: row.partnerships,
        description="Partnerships by service category",
    )
    assert svg.startswith('<svg role="img" aria-label="Partnerships by service category.')
    assert "<script" not in svg
    assert "Management team / chief executive" in svg
