"""How a tracker compares with the map, on the real published partnerships, and the
results page's query count at two data sizes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benefits import selectors, services
from tests.benefits.factories import figures_enter, planned_tracker, tracker_for
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.usefixtures("real_data")


def test_comparison_for_adur_and_worthing_on_the_real_data():
    """Adur and Worthing share a management team (2 councils, about 175,000 people).
    The published partnerships sharing a management team with 1 to 3 councils (or of a
    similar population), less Adur and Worthing itself, with achieved savings counted in
    the ledger, each as its counted savings a year: thirteen of them, from £500,000
    (Breckland and South Holland; Cherwell and South Northamptonshire) to £3,500,000
    (West Suffolk); the median is the 7th, Cannock Chase and Stafford's £1,000,000.

    Hambleton and Richmondshire reported £2.6m and £2.4m over 2009/10 to 2011/12 and
    £600,000 for 2011/12: the ledger counts one figure a year, £2.4m over three years,
    so £800,000 a year, not the three figures added up (£1,866,666.67).
    """
    tracker, _ = tracker_for("adur-worthing")
    comparison = selectors.tracker_comparison(tracker=tracker)
    assert comparison.categories == ["Management team / chief executive"]
    assert comparison.members == 2
    assert comparison.band == "150,000 to 300,000"
    assert comparison.count == 13
    assert comparison.enough
    assert comparison.median == Decimal("1000000.00")
    assert comparison.low == Decimal("500000.00")
    assert comparison.high == Decimal("3500000.00")
    assert "Drawn from 13 published partnerships" in comparison.statement
    rows = dict(comparison.rows)
    assert "Adur and Worthing Councils partnership" not in rows
    assert rows["High Peak and Staffordshire Moorlands Strategic Alliance"] == Decimal("882352.94")
    assert rows["Hambleton and Richmondshire shared services"] == Decimal("800000.00")


def test_too_few_to_compare_is_said_plainly(client):
    # Counter fraud: one published partnership, with no savings figure.
    tracker, token = planned_tracker("E07000223", "E07000229", category="counter-fraud")
    comparison = selectors.tracker_comparison(tracker=tracker)
    assert comparison.count == 0 and not comparison.enough
    assert comparison.median is None
    page = client.get(reverse("benefits:tracker-results", args=[token])).content.decode()
    assert "There are too few similar published partnerships" in page
    assert "0 found, and at least 3 are needed" in page


def test_unpublished_partnerships_are_not_compared():
    tracker, _ = tracker_for("adur-worthing")
    from partnerships.models import Partnership

    Partnership.objects.filter(slug="babergh-mid-suffolk").update(published=False)
    comparison = selectors.tracker_comparison(tracker=tracker)
    # Babergh and Mid Suffolk (£2,166,666.67 a year) is no longer published, which
    # leaves twelve: the median is the mean of the 6th and 7th, £900,000 and £1,000,000.
    assert comparison.count == 12
    assert comparison.median == Decimal("950000.00")
    assert "Babergh and Mid Suffolk District Councils (Working Together)" not in dict(
        comparison.rows
    )


def _results_queries(client, django_assert_max_num_queries, token, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("benefits:tracker-results", args=[token]))
    assert response.status_code == 200
    return response


def test_results_page_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    tracker, token = tracker_for("adur-worthing")
    figures_enter(tracker)
    # The tracker by its token; its partners, set-up costs, years, ratings, councils and
    # proposals; its partnership's published facts (categories, member councils and
    # bodies, savings records); and the comparison's partnerships and savings records:
    # 14, whatever the data size.
    limit = 14
    _results_queries(client, django_assert_max_num_queries, token, limit)
    grow_data(10)
    many_years = [services.YearFigures(year=2010 + n, staff=Decimal("1000")) for n in range(20)]
    figures_enter(tracker, years=many_years)
    response = _results_queries(client, django_assert_max_num_queries, token, limit)
    assert "2029/30" in response.content.decode()
