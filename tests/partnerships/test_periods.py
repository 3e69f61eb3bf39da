"""Savings periods as sources word them become financial years (by start year)."""

import pytest

from partnerships.services.periods import PeriodError, financial_years


@pytest.mark.parametrize(
    ("wording", "years"),
    [
        ("2011/12", (2011, 2011)),
        ("2007/08 to 2011/12", (2007, 2011)),
        ("2011 to March 2013", (2011, 2012)),
        ("April 2007 to April 2012", (2007, 2011)),
        ("2015 to 2018/19", (2015, 2018)),
        ("2007 to 2017", (2007, 2016)),
        ("six years from 2011", (2011, 2016)),
        ("first year of operation (from 2012)", (2012, 2012)),
        ("2011 to about 2015 (date of report)", (2011, 2014)),
        ("October 2018 to spring 2019", (2018, 2018)),
        ("since 2008 (reported 2025)", (2008, 2024)),
        ("2019 (one year)", (2019, 2019)),
    ],
)
def test_reported_periods_become_financial_years(wording, years):
    assert financial_years(wording) == years


@pytest.mark.parametrize("wording", ["", "ages ago", "2012/14", "2015 to 2012", "Smarch 2012"])
def test_periods_that_cannot_be_read_are_refused_with_a_reason(wording):
    with pytest.raises(PeriodError):
        financial_years(wording)
