"""Headline figures and chart data, on the real partnerships, and the figures page a
visitor or journalist reads: headline numbers, charts beside their tables, downloads."""

import csv
import io
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.db.models import Sum
from django.urls import reverse

from partnerships.charts import bar_chart_svg, value_ticks
from partnerships.figures import Row, partnership_figures
from partnerships.filters import PartnershipFilter
from partnerships.models import (
    Partnership,
    SavingsKind,
    SavingsOrigin,
    SavingsRecord,
    SavingsYear,
    financial_year_label,
)
from partnerships.services.ledger import COUNTING_RULE
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.django_db


def figures(**params):
    filterset = PartnershipFilter(params or None)
    return partnership_figures(partnerships=filterset.qs, period=filterset.period)


def in_view(**params):
    return PartnershipFilter(params or None).qs


def ledger_total(partnerships, kind: str, up_to_year: int | None = None) -> Decimal:
    rows = SavingsYear.objects.filter(partnership__in=partnerships.values("pk"), kind=kind)
    if up_to_year is not None:
        rows = rows.filter(year__lte=up_to_year)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def test_headline_figures_add_up_from_the_ledger_of_the_partnerships_in_view(real_data):
    now = in_view()
    result = figures()
    # Now: operational or status not confirmed (78 + 12), ended and proposed left out.
    assert result.partnerships == now.count() == 90
    assert result.achieved_total == ledger_total(now, SavingsKind.ACHIEVED)
    assert result.achieved_total > Decimal("100000000")
    # Not the records added up: overlapping figures count once.
    records = SavingsRecord.objects.filter(partnership__in=now, kind=SavingsKind.ACHIEVED)
    assert result.achieved_total < records.aggregate(total=Sum("amount"))["total"]
    assert result.current_councils == 317  # 296 district-level councils and 21 counties
    assert 0 < result.current_councils_involved < 317
    assert 0 < result.share_of_councils < 1


def test_expected_savings_appear_and_equal_the_ledger_for_the_years_shown(real_data):
    now = in_view()
    result = figures()
    assert result.expected_total == ledger_total(now, SavingsKind.EXPECTED) > 0
    by_year = {row.label: row for row in result.savings_by_year}
    expected_years = (
        SavingsYear.objects.filter(partnership__in=now.values("pk"), kind=SavingsKind.EXPECTED)
        .values_list("year")
        .annotate(total=Sum("amount"))
    )
    for year, total in expected_years:
        assert by_year[financial_year_label(year)].expected == total
    assert sum(row.expected for row in result.savings_by_year) == result.expected_total
    # Strata's £6m over ten years counts; its £8.3m for the same years does not.
    strata = figures(q="Strata")
    assert strata.partnerships == 1
    assert strata.expected_total == Decimal("6000000.00")


def test_achieved_and_expected_are_never_added_together(real_data):
    now = in_view()
    result = figures()
    achieved_years = dict(
        SavingsYear.objects.filter(partnership__in=now.values("pk"), kind=SavingsKind.ACHIEVED)
        .values_list("year")
        .annotate(total=Sum("amount"))
    )
    both = [row for row in result.savings_by_year if row.achieved and row.expected]
    assert both  # years with both kinds of figure
    for row in result.savings_by_year:
        year = int(row.label[:4])
        assert row.achieved == achieved_years.get(year, Decimal("0"))
    assert sum(row.achieved for row in result.savings_by_year) == result.achieved_total


def test_the_counted_amounts_say_which_source_they_came_from(real_data):
    partnership = in_view().get(slug="strata")
    SavingsRecord.objects.create(
        partnership=partnership,
        start_year=2024,
        end_year=2024,
        amount=Decimal("50000"),
        kind=SavingsKind.ACHIEVED,
        origin=SavingsOrigin.REFRESH,
        origin_detail="Exeter City Council, 2024 refresh",
    )
    result = figures()
    origins = {row.label: row for row in result.by_origin}
    assert list(origins) == [
        "Annual refresh questionnaire",
        "Published source (reference data)",
    ]
    refresh = origins["Annual refresh questionnaire"]
    assert (refresh.partnerships, refresh.achieved, refresh.expected) == (1, Decimal("50000"), 0)
    assert sum(row.achieved for row in result.by_origin) == result.achieved_total
    assert sum(row.expected for row in result.by_origin) == result.expected_total


def test_a_ten_year_total_is_not_booked_in_one_year(real_data):
    result = figures(q="Strata")
    years = {row.label: row for row in result.savings_by_year}
    assert [label for label, row in years.items() if row.expected] == [
        financial_year_label(year) for year in range(2014, 2024)
    ]
    assert {row.expected for row in years.values() if row.expected} == {Decimal("600000.00")}
    assert all(row.expected_spread == row.expected for row in years.values())
    assert result.has_spread


def test_overlapping_figures_are_not_added_together_on_the_figures_page(real_data):
    result = figures(q="Hambleton", status="ended")
    assert result.partnerships == 1
    # £2.6m and £2.4m over 2009/10 to 2011/12, and £600,000 for 2011/12: one counts a year.
    assert result.achieved_total == Decimal("2400000.00")
    assert result.expected_total == Decimal("1800000.00")


def test_a_figure_without_a_period_is_not_counted_but_is_a_figure(real_data):
    result = figures(q="Eastbourne")
    assert result.partnerships == 1
    assert result.achieved_total == 0 and result.with_achieved == 0
    assert result.only_undated == 1
    # It has a figure, so it is not in the gap.
    assert result.without_figure_or_reason == 0


def test_the_latest_year_is_the_newest_year_with_achieved_figures_and_says_how_many(real_data):
    now = in_view()
    result = figures()
    achieved = SavingsYear.objects.filter(
        partnership__in=now.values("pk"), kind=SavingsKind.ACHIEVED
    )
    newest = max(achieved.values_list("year", flat=True))
    assert result.latest_year == newest
    assert result.latest_year_total == achieved.filter(year=newest).aggregate(t=Sum("amount"))["t"]
    assert result.latest_year_partnerships == (
        achieved.filter(year=newest).values("partnership").distinct().count()
    )
    then = figures(year="2012")
    assert then.latest_year == 2012
    assert then.latest_year_partnerships == 10


def test_no_figure_and_no_reason_is_counted_over_the_partnerships_in_view(real_data):
    def gap(**params) -> int:
        return (
            in_view(**params)
            .filter(no_savings_reason="")
            .exclude(pk__in=SavingsRecord.objects.values("partnership"))
            .count()
        )

    assert figures().without_figure_or_reason == gap() == 47
    assert figures(category="legal").without_figure_or_reason == gap(category="legal") < 47
    assert figures(year="2012").without_figure_or_reason == gap(year="2012")


def test_a_reason_closes_the_gap_for_a_partnership(real_data):
    before = figures().without_figure_or_reason
    gap = (
        in_view()
        .filter(no_savings_reason="")
        .exclude(pk__in=SavingsRecord.objects.values("partnership"))
        .first()
    )
    Partnership.objects.filter(pk=gap.pk).update(no_savings_reason="not_measured")
    assert figures().without_figure_or_reason == before - 1


def test_charts_count_a_partnership_once_per_category_and_region(real_data):
    now = in_view()
    result = figures()
    categories = {row.label: row for row in result.by_category}
    legal = now.filter(categories__slug="legal").distinct()
    assert categories["Legal"].partnerships == legal.count() > 0
    assert categories["Legal"].achieved == ledger_total(legal, SavingsKind.ACHIEVED)
    assert categories["Legal"].expected == ledger_total(legal, SavingsKind.EXPECTED)
    regions = {row.label: row for row in result.by_region}
    assert regions["South East"].partnerships == figures(region="south-east").partnerships
    assert sum(r.partnerships for r in result.by_start_year) == now.exclude(start_year=None).count()


def test_the_most_common_pairing_is_district_and_district(real_data):
    pairings = figures().type_pairings
    assert pairings[0].label == "District council and district council"
    assert pairings[0].partnerships >= 15


def test_filters_drive_the_figures(real_data):
    legal = figures(category="legal")
    assert legal.partnerships == in_view(category="legal").count() > 0
    assert "Legal" in [row.label for row in legal.by_category]
    assert {row.label: row.partnerships for row in legal.by_category}["Legal"] == (
        legal.partnerships
    )
    assert legal.partnerships < figures().partnerships


def test_a_year_counts_its_councils_and_savings_up_to_and_including_it(real_data):
    then = figures(year="2012")
    running = in_view(year="2012")
    assert then.partnerships == running.count() == 51
    assert then.current_councils == 353  # 2012/13: 326 district-level councils, 27 counties
    assert then.achieved_total == ledger_total(running, SavingsKind.ACHIEVED, up_to_year=2012)
    assert then.expected_total == ledger_total(running, SavingsKind.EXPECTED, up_to_year=2012)
    assert max(row.label for row in then.savings_by_year) == "2012/13"
    assert then.achieved_total < ledger_total(running, SavingsKind.ACHIEVED)


def test_figures_take_the_same_queries_at_ten_times_the_data(
    real_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        figures()
    with django_assert_max_num_queries(7):
        figures(year="2018")
    grow_data(10)
    with django_assert_max_num_queries(7):
        result = figures()
    assert result.partnerships > 900
    with django_assert_max_num_queries(7):
        figures(year="2018")


def test_a_chart_is_svg_with_a_text_alternative_and_no_external_script(real_data):
    svg = bar_chart_svg(
        rows=figures().by_category,
        value=lambda row: row.partnerships,
        description="Partnerships by service category",
    )
    assert svg.startswith('<svg role="img" aria-label="Partnerships by service category.')
    assert "<script" not in svg
    assert "Management team / chief executive" in svg


def test_unpublished_partnerships_are_not_counted(real_data):
    before = figures()
    orbis = Partnership.objects.prefetch_related("savings_years").get(slug="orbis")
    assert orbis.achieved_savings_total
    orbis.published = False
    orbis.save()
    after = figures()
    assert after.partnerships == before.partnerships - 1
    assert after.achieved_total == before.achieved_total - (orbis.achieved_savings_total or 0)


def test_chart_axes_step_in_round_numbers():
    assert value_ticks(26_620_000) == [0, 10_000_000, 20_000_000, 30_000_000]
    assert value_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert value_ticks(22) == [0, 5, 10, 15, 20, 25]
    assert value_ticks(0) == [0, 1]


def test_a_horizontal_chart_reads_top_down_like_its_table_and_skips_empty_bars():
    rows = [
        Row(label="Legal", partnerships=2, achieved=Decimal("0")),
        Row(label="ICT", partnerships=1, achieved=Decimal("2500000")),
    ]
    svg = bar_chart_svg(rows=rows, value=lambda r: r.achieved, description="Saved", is_money=True)
    labels = re.findall(r"<text[^>]*>(Legal|ICT)</text>", svg)
    # The chart reads top down in the table's order.
    assert labels == ["Legal", "ICT"]
    # Legal's empty bar has no "£0" beside it.
    assert re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)<', svg) == ["£2.5m"]


def test_a_net_cost_is_drawn_below_zero_with_the_minus_sign():
    rows = [
        Row(label="2024/25", partnerships=1, achieved=Decimal("-100000")),
        Row(label="2025/26", partnerships=1, achieved=Decimal("30000")),
    ]
    svg = bar_chart_svg(
        rows=rows, value=lambda r: r.achieved, description="Net", is_money=True, horizontal=False
    )
    assert value_ticks(30_000, smallest=-100_000)[0] == -100_000
    assert re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)<', svg) == ["−£100k", "£30k"]
    # The value axis runs below zero, its labels signed the same way.
    assert "−£50k" in re.findall(r"<text[^>]*>([^<]*)</text>", svg)


# --- The figures page ----------------------------------------------------------------

FIGURES = reverse("partnerships:figures")


class Tables(HTMLParser):
    """Every table on a page: its caption, column headings and rows of cell text, and
    whether each header cell carries a scope."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._in_caption = False
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"id": attrs.get("id"), "caption": "", "rows": [], "scopes": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            if tag == "th":
                self.tables[-1]["scopes"].append(attrs.get("scope"))

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append(self._row)

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> dict[str, dict]:
    parser = Tables()
    parser.feed(html)
    return {table["id"]: table for table in parser.tables}


def money(amount: Decimal) -> str:
    return f"£{amount:,.0f}"


def text(html: str) -> str:
    html = re.sub(r"</?(a|strong|span|em|code)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def csv_rows(response) -> list[dict]:
    # The byte order mark (for Excel), then the header on the first line.
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_headline_panel_shows_the_national_figures(client, real_data):
    response = client.get(FIGURES)
    assert response.status_code == 200
    html = response.content.decode()
    shown = text(html)
    expected = figures()
    assert f"Partnerships {expected.partnerships}" in shown
    share = round(100 * expected.current_councils_involved / 317)
    assert (
        f"Councils involved {expected.current_councils_involved} {share}% of the 317 councils "
        "in England now" in shown
    )
    assert f"Achieved savings to date {money(expected.achieved_total)}" in shown
    assert f"Expected savings in all {money(expected.expected_total)}" in shown
    assert expected.expected_total > 0
    assert (
        f"Achieved savings in {expected.latest_year_label} {money(expected.latest_year_total)} "
        "the most recent financial year with achieved figures, covering "
        f"{expected.latest_year_partnerships} partnership" in shown
    )
    assert (
        f"No figure and no reason {expected.without_figure_or_reason} of the "
        f"{expected.partnerships} partnerships shown" in shown
    )
    assert f"Which figure counts in totals. {COUNTING_RULE}" in shown
    # The nav marks the page, and the partnerships counted are a click from their list.
    assert re.search(r'<a href="/figures/" aria-current="page">Figures</a>', html)
    assert '<a href="/partnerships/">see them listed</a>' in html


def test_every_chart_sits_beside_its_data_as_a_table(client, real_data):
    html = client.get(FIGURES).content.decode()
    tables = tables_of(html)
    assert set(tables) >= {
        "by-category-table",
        "by-region-table",
        "by-start-year-table",
        "savings-by-year-table",
        "by-origin-table",
        "type-pairings-table",
    }
    for table in tables.values():
        assert table["caption"].strip()
        assert set(table["scopes"]) <= {"col", "row"} and None not in table["scopes"]
    expected = figures()
    categories = {row[0]: row[1:] for row in tables["by-category-table"]["rows"][1:]}
    legal = next(r for r in expected.by_category if r.label == "Legal")
    assert categories["Legal"][0] == str(legal.partnerships)
    assert len(categories) == len(expected.by_category)
    regions = {row[0]: row[1:] for row in tables["by-region-table"]["rows"][1:]}
    south_east = next(r for r in expected.by_region if r.label == "South East")
    assert regions["South East"] == [
        str(south_east.partnerships),
        money(south_east.achieved),
        money(south_east.expected),
    ]
    pairings = tables["type-pairings-table"]["rows"][1:]
    assert pairings[0][0] == "District council and district council"
    savings_by_year = tables["savings-by-year-table"]["rows"]
    assert savings_by_year[0] == [
        "Financial year",
        "Achieved savings (£)",
        "Of which shares of totals over several years, achieved (£)",
        "Expected savings (£)",
        "Of which shares of totals over several years, expected (£)",
    ]
    # The savings charts say that totals over several years are spread evenly.
    assert (
        "Achieved savings by financial year (totals over several years spread evenly over "
        "their years)" in text(html)
    )
    assert "Expected savings by financial year (totals over several years" in text(html)
    # Each chart is an image with a text alternative, drawn on the server: no script,
    # nothing from elsewhere.
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 3 + 3 + 1 + 2 + 3 + 3
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    assert "<script" not in html.split("<main", 1)[1]
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<main", 1)[1].split("</main>")[0])


def test_the_figures_follow_the_filters_in_the_address(client, real_data):
    html = client.get(FIGURES + "?category=legal&region=south-east").content.decode()
    expected = figures(category="legal", region="south-east")
    assert 0 < expected.partnerships < figures(category="legal").partnerships
    shown = text(html)
    assert f"Partnerships {expected.partnerships}" in shown
    assert "Service category: Legal" in shown and "Region: South East" in shown
    assert '<a href="/figures/">Clear all filters</a>' in html
    # The same view elsewhere: map, list and downloads carry the filters.
    for url in ("/", "/partnerships/", "/partnerships/download.csv", "/figures/by-region.csv"):
        assert f'href="{url}?category=legal&amp;region=south-east"' in html
    categories = [row[0] for row in tables_of(html)["by-category-table"]["rows"][1:]]
    assert "Legal" in categories


@pytest.mark.parametrize("query", ["", "?year=2012", "?year=2012&region=south-east"])
def test_the_page_and_its_csv_give_the_same_totals(client, real_data, query):
    html = client.get(FIGURES + query).content.decode()
    shown = text(html)
    params = dict(p.split("=") for p in query.lstrip("?").split("&") if p)
    expected = figures(**params)
    rows = csv_rows(client.get("/figures/savings-by-year.csv" + query))
    achieved = sum(pounds(row["Achieved savings (£)"]) for row in rows)
    expected_sum = sum(pounds(row["Expected savings (£)"]) for row in rows)
    assert achieved == expected.achieved_total > 0
    assert expected_sum == expected.expected_total > 0
    when = "up to 2012/13" if "year" in params else "to date"
    assert f"Achieved savings {when} {money(achieved)}" in shown
    assert money(expected_sum) in shown
    if "year" in params:
        assert max(row["Financial year"] for row in rows) == "2012/13"


def test_a_year_shows_the_figures_as_they_were(client, real_data):
    html = client.get(FIGURES + "?year=2012").content.decode()
    then = figures(year="2012")
    assert then.achieved_total < figures().achieved_total
    shown = text(html)
    assert f"Achieved savings up to 2012/13 {money(then.achieved_total)}" in shown
    assert "As at financial year: 2012/13" in shown
    assert "of the 353 councils in England in 2012/13" in shown


def test_a_bad_filter_is_explained_and_the_others_still_apply(client):
    response = client.get(FIGURES + "?region=atlantis&category=legal")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Figures" in html
    assert "There is no region “atlantis”" in html
    assert f"Partnerships {figures(category='legal').partnerships}" in text(html)


def test_a_table_downloads_as_csv_with_the_licence(client):
    response = client.get("/figures/by-category.csv?region=south-east")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "shared-services-figures-by-category-south-east.csv" in response["Content-Disposition"]
    # The licence is in the About text beside the CSV, which the CSV's Link header names.
    about_url = "/figures/by-category-about.txt?region=south-east"
    assert response["Link"] == f'<{about_url}>; rel="describedby"'
    preamble = client.get(about_url).content.decode().splitlines()
    assert any("Open Government Licence v3.0" in line for line in preamble)
    assert any("Contains OS data © Crown copyright" in line for line in preamble)
    rows = csv_rows(response)
    expected = figures(region="south-east").by_category
    assert [row["Service category"] for row in rows] == [r.label for r in expected]
    assert [int(row["Partnerships"]) for row in rows] == [r.partnerships for r in expected]
    assert [pounds(row["Achieved savings (£)"]) for row in rows] == [r.achieved for r in expected]
    assert [pounds(row["Expected savings (£)"]) for row in rows] == [r.expected for r in expected]
    # A row with no counted figure is an empty cell, never "0.00".
    assert "0.00" not in {row["Achieved savings (£)"] for row in rows}
    assert any("Totals: " + COUNTING_RULE in line for line in preamble)


def test_an_unknown_table_or_a_bad_filter_is_not_downloaded(client):
    assert client.get("/figures/everything.csv").status_code == 404
    response = client.get("/figures/by-region.csv?savings=heaps")
    assert response.status_code == 400
    assert "Achieved savings" in response.content.decode()


def test_the_figures_page_takes_the_same_queries_at_ten_times_the_data(
    client, django_assert_max_num_queries
):
    filtered = FIGURES + "?region=south-east&category=legal&category=ict&year=2018"
    table = "/figures/type-pairings.csv?region=south-east&year=2018"
    counts = {}
    for url in (FIGURES, filtered, table):
        with django_assert_max_num_queries(16) as queries:
            client.get(url)
        counts[url] = len(queries.captured_queries)
    grow_data(10)
    for url in (FIGURES, filtered, table):
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
    assert f"Partnerships {figures().partnerships:,}" in text(client.get(FIGURES).content.decode())
    assert figures().partnerships > 900
    assert response.status_code == 200


def pounds(cell: str) -> Decimal:
    """A CSV money cell: an empty one is no counted figure."""
    return Decimal(cell) if cell else Decimal("0")
