"""A tracker's downloads: text typed into it never runs as a formula in a spreadsheet, and
its amounts stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from benefits import services
from tests.benefits.factories import figures_enter, planned_tracker, tracker_for

pytestmark = pytest.mark.django_db

ADUR_WORTHING = "adur-worthing"
HYPERLINK = '=HYPERLINK("http://evil.example","x")'


def formula_tracker(name: str):
    tracker, token = planned_tracker("E07000223", "E07000229", name=name)
    figures_enter(
        tracker,
        costs=[
            services.SetupCostFigures(kind="redundancy", year=2024, amount=Decimal("150000")),
            services.SetupCostFigures(
                kind="other", year=2024, amount=Decimal("50000"), description="@SUM(1+1)"
            ),
        ],
    )
    tracker.ratings.update(notes="-1+1")
    return tracker, token


def download(client, token: str, kind: str):
    return client.get(reverse(f"benefits:tracker-{kind}", args=[token]))


@pytest.mark.parametrize("name", [HYPERLINK, "@SUM(1+1)", f"Legal,{HYPERLINK}"])
def test_a_tracker_named_as_a_formula_has_no_formula_anywhere_in_its_csv(client, name):
    _tracker, token = formula_tracker(name)
    text = download(client, token, "csv").content.decode("utf-8-sig")
    assert "HYPERLINK" in text or "@SUM(1+1)" in text
    # However a spreadsheet splits the lines at commas, no cell starts a formula ...
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert [c for c in cells if c.lstrip(" ")[:1] in ("=", "+", "@")] == []
    # ... and the net savings of a year that cost money is still a plain negative number.
    assert {c for c in cells if c.startswith("-")} == {"-100000.00"}


def test_text_typed_into_a_tracker_is_text_cells_in_the_xlsx(client):
    _tracker, token = formula_tracker(HYPERLINK)
    workbook = load_workbook(io.BytesIO(download(client, token, "xlsx").content))
    summary = {row[0].value: row[1] for row in workbook["Summary"].iter_rows()}
    for cell in (summary["Benefits tracker"], summary["Tracker"]):
        assert (cell.data_type, cell.value) == ("s", HYPERLINK)
    (description,) = [c for c in workbook["Set-up costs"]["D"][1:] if c.value]
    assert (description.data_type, description.value) == ("s", "@SUM(1+1)")
    notes = workbook["Other benefits"]["C2"]
    assert (notes.data_type, notes.value) == ("s", "-1+1")


def test_amounts_and_dates_in_the_xlsx_are_numbers_and_dates(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    workbook = load_workbook(io.BytesIO(download(client, token, "xlsx").content))
    summary = {row[0].value: row[1] for row in workbook["Summary"].iter_rows()}
    net = summary["Net savings (£)"]
    assert (net.data_type, net.value, net.number_format) == ("n", 30000, "£#,##0.00")
    assert summary["Months in operation in the first year"].value == 12
    assert summary["Downloaded"].is_date
    assert summary["Downloaded"].value.date() == date.today()
    years = workbook["Years"]
    header = [cell.value for cell in years[1]]
    first_net = years[2][header.index("Net savings (£)")]
    assert (first_net.value, first_net.number_format) == (-100000, "£#,##0.00")
    cost = workbook["Set-up costs"]["C2"]
    assert (cost.value, cost.number_format) == (150000, "£#,##0.00")


def test_the_csv_opens_on_its_header_with_the_summary_under_the_years(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    content = download(client, token, "csv").content
    assert content.startswith(b"\xef\xbb\xbfFinancial year,Months counted,")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    blank = rows.index([])
    assert [row[0] for row in rows[1:blank]] == ["2024/25", "2025/26", "Total"]
    summary = {row[0]: row[1] for row in rows[blank + 1 :]}
    assert summary["Net savings (£)"] == "30000.00"
    assert summary["Return on investment (%)"] == "11.5"
    assert summary["Downloaded from the Shared Services Map"] == date.today().isoformat()


def test_shares_and_the_return_are_percentages_and_the_tables_have_filters(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    workbook = load_workbook(io.BytesIO(download(client, token, "xlsx").content))
    summary = {row[0].value: row[1] for row in workbook["Summary"].iter_rows()}
    roi = summary["Return on investment (%)"]
    assert (roi.data_type, roi.number_format) == ("n", "0.0%")
    assert roi.value == pytest.approx(0.115)
    partners = workbook["Partners"]
    header = [cell.value for cell in partners[1]]
    share = partners[2][header.index("Share (%)")]
    assert (share.value, share.number_format) == (pytest.approx(0.6), "0.0%")
    assert partners.auto_filter.ref == "A1:G3"
    years = workbook["Years"]
    assert years.auto_filter.ref.startswith("A1:") and years.freeze_panes == "A2"
    about = {label: value for label, value in workbook["About"].iter_rows(values_only=True)}
    assert about["File"] == f"Benefits tracker: {tracker.name}"
    assert about["Period"] == "Financial years 2024/25 to 2025/26"
    assert "Open Government Licence v3.0" in about["Licence"]
