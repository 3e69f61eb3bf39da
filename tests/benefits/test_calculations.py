"""The tracker's arithmetic against worked examples, each worked out by hand below."""

from decimal import Decimal as D

import pytest

from benefits.calculations import (
    NO_COSTS,
    NO_PAYBACK,
    PartnerInput,
    SetupCostInput,
    YearInput,
    median,
    results_compute,
    shares_by_baseline,
    split,
    year_fraction,
)
from core.money import money_round


def year(y, running="0", achieved=False, **savings):
    return YearInput(
        year=y,
        savings={k: D(v) for k, v in savings.items()},
        running_costs=D(running),
        achieved=achieved,
    )


# Worked example A: two councils, set-up costs in the first year, payback in the second.
#   Set-up, 2024/25: redundancy £150,000 + IT £50,000               = £200,000
#   2024/25: staff 100,000 + IT 20,000 + procurement 10,000        = £130,000 gross
#            costs 200,000 set-up + 30,000 running                 = £230,000
#            net 130,000 - 230,000                                 = -£100,000 (cumulative -100,000)
#   2025/26: staff 120,000 + IT 20,000 + procurement 15,000 + process 5,000 = £160,000 gross
#            costs 30,000 running; net 130,000; cumulative -100,000 + 130,000 = £30,000
#   Payback: cumulative net first >= 0 in 2025/26, year 2 of 2.
#   Totals: gross 290,000; costs 200,000 + 60,000 = 260,000; net 30,000
#   ROI: 30,000 / 260,000 = 0.115384... = 11.5%
#   LGA groups: consolidation = staff 220,000 + IT 40,000 + property 0 = 260,000;
#               procurement 25,000; process 5,000; wider business change (income) 0.
EXAMPLE_A = dict(
    years=[
        year(2024, running="30000", staff="100000", it="20000", procurement="10000"),
        year(
            2025, running="30000", staff="120000", it="20000", procurement="15000", process="5000"
        ),
    ],
    setup_costs=[
        SetupCostInput(kind="redundancy", year=2024, amount=D("150000")),
        SetupCostInput(kind="it", year=2024, amount=D("50000")),
    ],
    first_year=2024,
)


def test_example_a_per_year_and_cumulative():
    results = results_compute(**EXAMPLE_A)
    first, second = results.years
    assert (first.label, first.gross, first.costs, first.net) == (
        "2024/25",
        D("130000.00"),
        D("230000.00"),
        D("-100000.00"),
    )
    assert first.cumulative_net == D("-100000.00")
    assert (second.gross, second.costs, second.net) == (
        D("160000.00"),
        D("30000.00"),
        D("130000.00"),
    )
    assert second.cumulative_gross == D("290000.00")
    assert second.cumulative_costs == D("260000.00")
    assert second.cumulative_net == D("30000.00")


def test_example_a_totals_payback_and_return():
    results = results_compute(**EXAMPLE_A)
    assert results.gross == D("290000.00")
    assert results.setup_costs == D("200000.00")
    assert results.running_costs == D("60000.00")
    assert results.costs == D("260000.00")
    assert results.net == D("30000.00")
    assert results.payback_year == 2025
    assert results.payback_label == "2025/26"
    assert results.payback_statement == "The costs are paid back in 2025/26, year 2 of 2"
    assert results.roi == D("11.5")


def test_example_a_groups_follow_the_lga_research():
    results = results_compute(**EXAMPLE_A)
    assert [(label, amount) for _key, label, amount in results.groups] == [
        ("Consolidation savings", D("260000")),
        ("Procurement savings", D("25000")),
        ("Process savings", D("5000")),
        ("Wider business change benefits", D("0")),
    ]
    assert results.setup_costs_by_kind == {"redundancy": D("150000"), "it": D("50000")}


# Worked example B: savings never cover the costs.
#   Set-up 2024/25: £500,000. Savings: staff £100,000 in each of 2024/25 and 2025/26.
#   Cumulative net: 100,000 - 500,000 = -400,000; then -400,000 + 100,000 = -300,000.
#   Never >= 0, so no payback year. ROI: -300,000 / 500,000 = -60.0%.
def test_example_b_no_payback_is_said_plainly():
    results = results_compute(
        years=[year(2024, staff="100000"), year(2025, staff="100000")],
        setup_costs=[SetupCostInput(kind="project_team", year=2024, amount=D("500000"))],
        first_year=2024,
    )
    assert [r.cumulative_net for r in results.years] == [D("-400000.00"), D("-300000.00")]
    assert results.payback_year is None
    assert results.payback_statement == NO_PAYBACK
    assert NO_PAYBACK == "Savings do not cover the costs within the years entered"
    assert results.roi == D("-60.0")


# Worked example C: a part first year, with a set-up cost the year before.
#   The service starts with 9 months of 2024/25 left: fraction 9/12 = 0.75.
#   Set-up, 2023/24: legal £60,000 -> 2023/24 net -60,000, cumulative -60,000.
#   2024/25 (full-year rates): staff £120,000, running £20,000
#     counted: staff 120,000 x 0.75 = 90,000; running 20,000 x 0.75 = 15,000
#     net 90,000 - 15,000 = 75,000; cumulative -60,000 + 75,000 = 15,000 -> payback 2024/25
#   2025/26 is a full year: staff £120,000 counted in full.
def test_example_c_part_first_year_is_pro_rated():
    results = results_compute(
        years=[
            year(2024, running="20000", staff="120000"),
            year(2025, running="20000", staff="120000"),
        ],
        setup_costs=[SetupCostInput(kind="legal", year=2023, amount=D("60000"))],
        first_year=2024,
        first_year_months=9,
    )
    before, first, second = results.years
    assert (before.label, before.gross, before.net, before.entered) == (
        "2023/24",
        D("0"),
        D("-60000.00"),
        False,
    )
    assert first.partial and first.fraction == D("0.75")
    assert (first.gross, first.running_costs, first.net) == (
        D("90000.00"),
        D("15000.00"),
        D("75000.00"),
    )
    assert first.cumulative_net == D("15000.00")
    assert (second.gross, second.running_costs) == (D("120000.00"), D("20000.00"))
    assert results.payback_year == 2024
    assert results.payback_statement == "The costs are paid back in 2024/25, year 2 of 3"
    # Average a full year: (90,000 + 120,000) / (0.75 + 1) = 210,000 / 1.75 = 120,000.
    assert results.average_annual_gross == D("120000.00")


def test_rounding_is_to_the_penny_half_up():
    # 6 of 12 months of £100.05 is £50.025: half up gives £50.03 (banker's would give £50.02).
    results = results_compute(
        years=[year(2024, staff="100.05")], setup_costs=[], first_year=2024, first_year_months=6
    )
    assert results.years[0].gross == D("50.03")
    # 7 of 12 months of £1,000.00 is £583.3333... -> £583.33;
    # of £1,000.01 it is £583.3391... -> £583.34
    assert money_round(D("1000.00") * year_fraction(months=7)) == D("583.33")
    assert money_round(D("1000.01") * year_fraction(months=7)) == D("583.34")
    assert money_round("-0.005") == D("-0.01")
    with pytest.raises(ValueError):
        year_fraction(months=13)


def test_a_gap_between_years_counts_as_nothing_entered():
    results = results_compute(
        years=[year(2024, staff="10"), year(2026, staff="10")], setup_costs=[]
    )
    assert [(r.label, r.gross, r.entered) for r in results.years] == [
        ("2024/25", D("10.00"), True),
        ("2025/26", D("0"), False),
        ("2026/27", D("10.00"), True),
    ]


def test_payback_is_when_the_costs_stay_covered():
    # 2024/25: +50,000 (cumulative 50,000); 2025/26: a £100,000 set-up cost and 20,000
    # savings (cumulative -30,000); 2026/27: +40,000 (cumulative 10,000).
    # Ahead in 2024/25 is before the later cost; the costs are paid back in 2026/27.
    results = results_compute(
        years=[year(2024, staff="50000"), year(2025, staff="20000"), year(2026, staff="40000")],
        setup_costs=[SetupCostInput(kind="it", year=2025, amount=D("100000"))],
    )
    assert [r.cumulative_net for r in results.years] == [
        D("50000.00"),
        D("-30000.00"),
        D("10000.00"),
    ]
    assert results.payback_year == 2026


def test_no_costs_means_nothing_to_pay_back():
    results = results_compute(years=[year(2024, staff="1000")], setup_costs=[])
    assert results.payback_statement == NO_COSTS
    assert results.payback_year is None
    assert results.roi is None


# Shares by agreed ratio, from example A: 50% / 30% / 20%
#   gross 290,000 -> 145,000 / 87,000 / 58,000
#   costs 260,000 -> 130,000 / 78,000 / 52,000
#   net            ->  15,000 /  9,000 /  6,000
def test_shares_by_agreed_ratio():
    partners = [
        PartnerInput(name="Adur", agreed_share=D("50")),
        PartnerInput(name="Worthing", agreed_share=D("30")),
        PartnerInput(name="Arun", agreed_share=D("20")),
    ]
    results = results_compute(**EXAMPLE_A, partners=partners, share_method="ratio")
    assert [(s.name, s.share, s.gross, s.costs, s.net) for s in results.shares] == [
        ("Adur", D("50.00"), D("145000.00"), D("130000.00"), D("15000.00")),
        ("Worthing", D("30.00"), D("87000.00"), D("78000.00"), D("9000.00")),
        ("Arun", D("20.00"), D("58000.00"), D("52000.00"), D("6000.00")),
    ]
    assert results.share_problem == ""


def test_ratios_that_do_not_add_up_to_100_are_not_used():
    partners = [
        PartnerInput(name="Adur", agreed_share=D("60")),
        PartnerInput(name="Worthing", agreed_share=D("50")),
    ]
    results = results_compute(**EXAMPLE_A, partners=partners, share_method="ratio")
    assert results.shares == []
    assert "add up to 110.00%, not 100%" in results.share_problem


# Shares by baseline: £600,000 / £300,000 / £100,000 of £1,000,000 -> 60% / 30% / 10%
#   net 30,000 -> 18,000 / 9,000 / 3,000
def test_shares_by_baseline():
    partners = [
        PartnerInput(name="Adur", baseline=D("600000")),
        PartnerInput(name="Worthing", baseline=D("300000")),
        PartnerInput(name="Arun", baseline=D("100000")),
    ]
    results = results_compute(**EXAMPLE_A, partners=partners, share_method="baseline")
    assert [(s.share, s.net) for s in results.shares] == [
        (D("60.00"), D("18000.00")),
        (D("30.00"), D("9000.00")),
        (D("10.00"), D("3000.00")),
    ]
    assert results.baseline_total == D("1000000.00")


def test_shares_by_baseline_need_a_baseline():
    partners = [PartnerInput(name="Adur"), PartnerInput(name="Worthing")]
    results = results_compute(**EXAMPLE_A, partners=partners, share_method="baseline")
    assert results.shares == []
    assert "baselines add up to nothing" in results.share_problem


def test_split_rounding_always_adds_up():
    # £1,000.01 50/50: 500.005 each, rounds half up to 500.01 each = 1,000.02, a penny
    # over; the penny comes off the largest share (the first of equals).
    assert split(D("1000.01"), [D("50"), D("50")]) == [D("500.00"), D("500.01")]
    # £10 by 33.33/33.33/33.34: 3.333 -> 3.33, 3.333 -> 3.33, 3.334 -> 3.33 = 9.99;
    # the missing penny goes to the largest share (33.34%).
    assert split(D("10.00"), [D("33.33"), D("33.33"), D("33.34")]) == [
        D("3.33"),
        D("3.33"),
        D("3.34"),
    ]
    # Three equal baselines: 33.33% each = 99.99%; the first gets the extra 0.01%.
    assert shares_by_baseline([D("1"), D("1"), D("1")]) == [D("33.34"), D("33.33"), D("33.33")]


def test_median_of_odd_and_even_counts():
    assert median([D("3"), D("1"), D("2")]) == D("2.00")
    # (882,352.94 + 1,138,000) / 2 = 1,010,176.47
    assert median([D("630000"), D("882352.94"), D("1138000"), D("2000000")]) == D("1010176.47")
