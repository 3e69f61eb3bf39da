"""The one export writer: text a person typed never becomes a formula in a spreadsheet,
numbers and dates stay numbers and dates, and the files open cleanly in Excel (a CSV starts
with the byte order mark and its header; an XLSX table has a filter on its header)."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.exports import (
    DATE,
    INTEGER,
    MONEY,
    NUMBER,
    PERCENT,
    Column,
    CsvWriter,
    XlsxWorkbook,
    csv_cell,
)

# OWASP's formula triggers, and one behind spaces (some imports trim them).
PAYLOADS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def workbook_of(*rows: tuple[list, list]) -> bytes:
    workbook = XlsxWorkbook()
    sheet = workbook.sheet("Data")
    for values, kinds in rows:
        sheet.row(values, kinds)
    return workbook.getvalue()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_like_text_is_quoted_in_csv(payload):
    writer = CsvWriter()
    writer.row(["Orbis", payload])
    ((plain, cell),) = csv_rows(writer.getvalue())
    assert plain == "Orbis"
    assert cell == "'" + payload


@pytest.mark.parametrize("text", ["Orbis", "Adur-Worthing", "1+1=2", "a@b.example", ""])
def test_ordinary_text_is_written_as_it_is(text):
    assert csv_cell(text) == text


def test_numbers_and_dates_are_written_plainly_in_csv_a_negative_one_included():
    writer = CsvWriter()
    writer.row(
        [Decimal("-100000"), -3, Decimal("12345678901234.57"), 2015, date(2024, 4, 1), None],
        [MONEY, INTEGER, MONEY, INTEGER, DATE, MONEY],
    )
    assert csv_rows(writer.getvalue()) == [
        ["-100000.00", "-3", "12345678901234.57", "2015", "2024-04-01", ""]
    ]


def test_a_decimal_is_never_rounded_through_a_float_in_csv():
    assert csv_cell(Decimal("0.1") + Decimal("0.2"), NUMBER) == "0.3"
    assert csv_cell(Decimal("1E+3"), NUMBER) == "1000"
    assert csv_cell(Decimal("99999999999999.99"), MONEY) == "99999999999999.99"


def test_a_value_that_is_not_a_number_is_left_empty_not_an_error():
    assert csv_cell(Decimal("sNaN"), MONEY) == ""
    assert csv_cell(float("inf")) == ""
    content = workbook_of(([Decimal("sNaN"), Decimal("NaN")], [MONEY, NUMBER]))
    sheet = load_workbook(io.BytesIO(content))["Data"]
    assert sheet["A1"].value is None and sheet["B1"].value is None


def test_a_csv_is_the_byte_order_mark_then_the_header_and_nothing_above_it():
    writer = CsvWriter()
    writer.table([Column("name", "Name"), Column("amount", "Amount (£)", MONEY)], [])
    content = writer.getvalue().encode("utf-8")
    # Excel opens a CSV as UTF-8 only after these three bytes; without them "£" is "Â£".
    assert content == b"\xef\xbb\xbfName,Amount (\xc2\xa3)\r\n"


@pytest.mark.parametrize("payload", [*PAYLOADS, "#N/A", "=", "-"])
def test_typed_text_is_a_text_cell_in_xlsx(payload):
    content = workbook_of(([payload], []))
    cell = load_workbook(io.BytesIO(content))["Data"]["A1"]
    assert cell.data_type == "s"
    # XML reads a carriage return back as a line break; the text is otherwise the same.
    assert cell.value == payload.replace("\r", "\n")


def test_formula_like_text_keeps_excels_quote_prefix_so_editing_keeps_it_text():
    content = workbook_of((["=1+1", "Orbis"], []))
    sheet = load_workbook(io.BytesIO(content))["Data"]
    assert sheet["A1"].quotePrefix is True
    assert not sheet["B1"].quotePrefix


def test_the_xlsx_has_no_formula_at_all():
    content = workbook_of(([*PAYLOADS], []))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "HYPERLINK" in xml


def test_numbers_and_dates_are_typed_and_formatted_in_xlsx():
    content = workbook_of(
        (
            [Decimal("-100000.00"), 2015, Decimal("2.5"), date(2024, 4, 1), Decimal("-1")],
            [MONEY, INTEGER, NUMBER, DATE, None],
        )
    )
    money, year, number, day, negative = load_workbook(io.BytesIO(content))["Data"][1]
    assert (money.data_type, money.value, money.number_format) == ("n", -100000, "£#,##0.00")
    assert (year.data_type, year.value, year.number_format) == ("n", 2015, "0")
    assert (number.value, number.number_format) == (2.5, "General")
    assert day.is_date and day.value.date() == date(2024, 4, 1)
    assert negative.data_type == "n" and negative.value == -1


def test_a_decimal_amount_is_stored_exactly_in_xlsx():
    content = workbook_of(([Decimal("12345678901234.57")], [MONEY]))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>12345678901234.57</v>" in xml


def test_characters_a_spreadsheet_cannot_hold_do_not_break_the_xlsx():
    content = workbook_of((["Orbis\x01\x00 shared"], []))
    assert load_workbook(io.BytesIO(content))["Data"]["A1"].value == "Orbis   shared"


def test_a_table_has_bold_headings_that_stay_in_view():
    workbook = XlsxWorkbook()
    workbook.sheet("Data").table(
        [Column("name", "Name"), Column("amount", "Amount (£)", MONEY)],
        [{"name": "@SUM(1+1)", "amount": Decimal("10.50")}],
    )
    sheet = load_workbook(io.BytesIO(workbook.getvalue()))["Data"]
    assert [c.value for c in sheet[1]] == ["Name", "Amount (£)"]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", "@SUM(1+1)")
    assert sheet["B2"].value == 10.5


def test_a_percentage_is_a_number_in_a_percentage_format():
    content = workbook_of(([Decimal("12.5"), Decimal("60.00")], [PERCENT, PERCENT]))
    share, other = load_workbook(io.BytesIO(content))["Data"][1]
    assert (share.data_type, share.value, share.number_format) == ("n", 0.125, "0.0%")
    assert other.value == 0.6
    writer = CsvWriter()
    writer.row([Decimal("12.5")], [PERCENT])
    assert csv_rows(writer.getvalue()) == [["12.5"]]


def test_a_tables_filter_covers_its_header_and_rows_up_to_the_first_empty_row():
    workbook = XlsxWorkbook()
    sheet = workbook.sheet("Data")
    sheet.header(["Name", "Amount (£)", "Year"])
    sheet.row(["Orbis", Decimal("10.50"), 2015], ["text", MONEY, INTEGER])
    sheet.row(["Adur-Worthing", Decimal("1"), 2007], ["text", MONEY, INTEGER])
    sheet.row([])
    sheet.row(["A note under the table"])
    empty = workbook.sheet("Empty")
    empty.header(["Name"])
    loaded = load_workbook(io.BytesIO(workbook.getvalue()))
    assert loaded["Data"].auto_filter.ref == "A1:C3"
    assert loaded["Empty"].auto_filter.ref == "A1:A1"
    assert loaded["Data"]["C2"].value == 2015


def test_the_about_sheet_is_labels_and_their_text_after_the_tables():
    workbook = XlsxWorkbook()
    workbook.sheet("Data").table([Column("name", "Name")], [{"name": "Orbis"}])
    workbook.about([("Licence", "Open Government Licence v3.0"), ("Downloaded", date(2026, 1, 2))])
    loaded = load_workbook(io.BytesIO(workbook.getvalue()))
    assert loaded.sheetnames == ["Data", "About"]
    rows = list(loaded["About"].iter_rows())
    assert [(a.value, a.font.b) for a, _b in rows] == [("Licence", True), ("Downloaded", True)]
    assert rows[0][1].value == "Open Government Licence v3.0"
    assert rows[1][1].is_date
