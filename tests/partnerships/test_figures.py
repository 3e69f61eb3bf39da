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
from partnerships.models import Partnership, SavingsKind, SavingsRecord
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


def test_counts_and_sums_match_the_records_of_a_filtered_set():
    south_east = Partnership.objects.filter(
        published=True, council_memberships__council__region__name="South East"
    ).distinct()
    result = figures(region="south-east")
    assert result.partnerships == south_east.count() > 0
    records = SavingsRecord.objects.filter(partnership__in=south_east)
    assert (
        result.achieved_total
        == records.filter(kind=SavingsKind.ACHIEVED).aggregate(total=Sum("amount"))["total"]
    )
    assert result.expected_total == (
        records.filter(kind=SavingsKind.EXPECTED).aggregate(total=Sum("amount"))["total"]
        or Decimal("0")
    )
    by_year = {row.label: row.achieved for row in result.savings_by_year}
    assert sum(by_year.values()) == result.achieved_total


def test_unpublished_partnerships_are_not_counted():
    before = figures()
    orbis = Partnership.objects.get(name="Orbis")
    orbis.published = False
    orbis.save()
    after = figures()
    assert after.partnerships == before.partnerships - 1
    assert after.achieved_total == before.achieved_total - Decimal("16000000")


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
    # pygal draws the first label at the bottom, so the first in the table comes last.
    assert labels == ["ICT", "Legal"]
    # Legal's empty bar has no "£0" beside it.
    assert re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)<', svg) == ["£2.5m"]


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


def test_the_headline_panel_shows_the_national_figures(client):
    response = client.get(FIGURES)
    assert response.status_code == 200
    html = response.content.decode()
    shown = text(html)
    expected = figures()
    assert f"Partnerships {expected.partnerships}" in shown
    share = round(100 * expected.current_councils_involved / 317)
    assert (
        f"Councils involved {expected.current_councils_involved} {share}% of England's 317 councils"
        in shown
    )
    assert f"Achieved savings to date {money(expected.achieved_total)}" in shown
    assert "Achieved savings in 2019/20 £500,000" in shown
    assert f"Expected savings {money(expected.expected_total)}" in shown
    assert "Partnerships with neither a savings figure nor a reason 50" in shown
    # The nav marks the page, and the partnerships counted are a click from their list.
    assert re.search(r'<a href="/figures/" aria-current="page">Figures</a>', html)
    assert '<a href="/partnerships/">see them listed</a>' in html


def test_every_chart_sits_beside_its_data_as_a_table(client):
    html = client.get(FIGURES).content.decode()
    tables = tables_of(html)
    assert set(tables) >= {
        "by-category-table",
        "by-region-table",
        "by-start-year-table",
        "savings-by-year-table",
        "type-pairings-table",
    }
    for table in tables.values():
        assert table["caption"].strip()
        assert set(table["scopes"]) <= {"col", "row"} and None not in table["scopes"]
    expected = figures()
    categories = {row[0]: row[1:] for row in tables["by-category-table"]["rows"][1:]}
    assert categories["Legal"][0] == "5"
    assert len(categories) == len(expected.by_category)
    regions = {row[0]: row[1:] for row in tables["by-region-table"]["rows"][1:]}
    south_east = next(r for r in expected.by_region if r.label == "South East")
    assert regions["South East"] == [str(south_east.partnerships), money(south_east.achieved)]
    pairings = tables["type-pairings-table"]["rows"][1:]
    assert pairings[0][0] == "District council and district council"
    savings_by_year = tables["savings-by-year-table"]["rows"]
    assert savings_by_year[0] == ["Financial year", "Achieved savings"]
    # Eight charts (partnerships and savings where a table has both), each an image
    # with a text alternative, drawn on the server: no script, nothing from elsewhere.
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 8
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    assert "<script" not in html.split("<main", 1)[1]
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<main", 1)[1].split("</main>")[0])


def test_the_figures_follow_the_filters_in_the_address(client):
    html = client.get(FIGURES + "?category=legal&region=south-east").content.decode()
    expected = figures(category="legal", region="south-east")
    assert 0 < expected.partnerships < 5
    shown = text(html)
    assert f"Partnerships {expected.partnerships}" in shown
    assert "Service category: Legal" in shown and "Region: South East" in shown
    assert '<a href="/figures/">Clear all filters</a>' in html
    # The same view elsewhere: map, list and downloads carry the filters.
    for url in ("/", "/partnerships/", "/partnerships/download.csv", "/figures/by-region.csv"):
        assert f'href="{url}?category=legal&amp;region=south-east"' in html
    categories = [row[0] for row in tables_of(html)["by-category-table"]["rows"][1:]]
    assert "Legal" in categories


def test_a_year_shows_the_figures_as_they_were(client):
    html = client.get(FIGURES + "?year=2012").content.decode()
    then = partnership_figures(partnerships=PartnershipFilter({"year": "2012"}).qs, up_to_year=2012)
    assert then.achieved_total < figures().achieved_total
    assert f"Achieved savings to date {money(then.achieved_total)}" in text(html)
    assert "As at financial year: 2012/13" in text(html)


def test_a_bad_filter_is_explained_and_the_others_still_apply(client):
    response = client.get(FIGURES + "?region=atlantis&category=legal")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Figures" in html
    assert "There is no region “atlantis”" in html
    assert "Partnerships 5" in text(html)


def test_a_table_downloads_as_csv_with_the_licence(client):
    response = client.get("/figures/by-category.csv?region=south-east")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "shared-services-figures-by-category-south-east.csv" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    preamble = [line for line in lines if line.startswith("# ")]
    assert any("Open Government Licence v3.0" in line for line in preamble)
    assert any("Contains OS data © Crown copyright" in line for line in preamble)
    rows = list(csv.DictReader(io.StringIO("\n".join(x for x in lines if not x.startswith("# ")))))
    expected = figures(region="south-east").by_category
    assert [row["Service category"] for row in rows] == [r.label for r in expected]
    assert [int(row["Partnerships"]) for row in rows] == [r.partnerships for r in expected]
    assert sum(Decimal(row["Achieved savings (£)"] or 0) for row in rows) == sum(
        r.achieved for r in expected
    )


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
    assert "Partnerships 650" in text(client.get(FIGURES).content.decode())
    assert response.status_code == 200
