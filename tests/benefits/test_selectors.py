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
    The published partnerships sharing a management team with 1 to 3 councils, less
    Adur and Worthing itself, that report achieved savings, each as its average a year:

        Oxfordshire and Cherwell      £630,000 in 2018/19            ->   630,000.00
        Cherwell and South Northants  £3,300,000 over 2011/12-14/15  ->   825,000.00
        High Peak and Staffs Moorlands £15,000,000 over 2008/09-24/25 (17 years)
                                                                     ->   882,352.94
        South Oxon and Vale           £5,690,000 over 2007/08-11/12  -> 1,138,000.00
        Suffolk Coastal and Waveney   £10,000,000 over 2010/11-14/15 -> 2,000,000.00
        Babergh and Mid Suffolk       £13,000,000 over 2011/12-16/17 -> 2,166,666.67

    Six partnerships: the median is the mean of the 3rd and 4th,
    (882,352.94 + 1,138,000.00) / 2 = 1,010,176.47; the range 630,000 to 2,166,666.67.
    """
    tracker, _ = tracker_for("adur-worthing")
    comparison = selectors.tracker_comparison(tracker=tracker)
    assert comparison.categories == ["Management team / chief executive"]
    assert comparison.members == 2
    assert comparison.band == "150,000 to 300,000"
    assert comparison.count == 6
    assert comparison.enough
    assert comparison.median == Decimal("1010176.47")
    assert comparison.low == Decimal("630000.00")
    assert comparison.high == Decimal("2166666.67")
    assert "Drawn from 6 published partnerships" in comparison.statement
    names = [name for name, _ in comparison.rows]
    assert "Adur and Worthing Councils partnership" not in names
    assert dict(comparison.rows)["High Peak and Staffordshire Moorlands Strategic Alliance"] == (
        Decimal("882352.94")
    )


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

    Partnership.objects.filter(
        slug="babergh-mid-suffolk"
    ).update(published=False)
    comparison = selectors.tracker_comparison(tracker=tracker)
    # Babergh and Mid Suffolk is no longer published, which leaves five:
    # 630,000; 825,000; 882,352.94; 1,138,000; 2,000,000 -> the median is the 3rd.
    assert comparison.count == 5
    assert comparison.median == Decimal("882352.94")


def _results_queries(client, django_assert_max_num_queries, token, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("benefits:tracker-results", args=[token]))
    assert response.status_code == 200
    return response


def test_results_page_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    tracker, token = tracker_for("adur-worthing")
    figures_enter(tracker)
    # The tracker by its token; its partners, set-up costs, years, ratings, councils and
    # proposals; its partnership with categories, member councils and bodies; and the
    # comparison's partnerships and savings records: 13, whatever the data size.
    limit = 13
    _results_queries(client, django_assert_max_num_queries, token, limit)
    grow_data(10)
    many_years = [services.YearFigures(year=2010 + n, staff=Decimal("1000")) for n in range(20)]
    figures_enter(tracker, years=many_years)
    response = _results_queries(client, django_assert_max_num_queries, token, limit)
    assert "2029/30" in response.content.decode()
