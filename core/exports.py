"""Every CSV and XLSX file the site sends is written here, so that text a person typed can
never run as a formula in the spreadsheet that opens the file.

OWASP's advice on CSV injection (https://owasp.org/www-community/attacks/CSV_Injection):
spreadsheets read a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula. So:

- in CSV such text is written with a leading single quote, which spreadsheets show as text;
- in XLSX every piece of text is a string cell. openpyxl makes any ``str`` beginning with
  ``=`` a formula cell (``Cell._bind_value``), and one equal to ``#N/A`` an error cell, so the
  cell's type is set back to text, and formula-like text also gets Excel's quote prefix so it
  stays text when someone edits the cell.

Only text is escaped: numbers and dates stay numbers and dates (so a negative amount is a
number, written plainly), with money shown as pounds and pence in XLSX.

Files open cleanly in Excel: a CSV starts with the UTF-8 byte order mark (without it Excel
reads the file as Windows-1252 and mangles "£" and "©") and its header is the first line,
so the licence and attribution travel beside it (an "About" text or sheet), never above it;
an XLSX table has a filter on its header row, which stays in view as the rows scroll.
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, NamedTuple

from django.utils import timezone

# The media type each export format is served with.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
}

# The UTF-8 byte order mark: Excel opens a CSV as UTF-8 only when it starts with one.
BOM = "\ufeff"

# What a value in a column is; it decides how a number is written (kinds of text need none).
TEXT = "text"
MONEY = "money"  # pounds and pence: 2 places in CSV, £#,##0.00 in XLSX
INTEGER = "integer"  # counts, years, months
NUMBER = "number"  # any other number, as precise as it is
PERCENT = "percent"  # a percentage as its number (12.5 for 12.5%); a fraction in XLSX
DATE = "date"

XLSX_FORMATS = {
    MONEY: "£#,##0.00",
    INTEGER: "0",
    NUMBER: "General",
    PERCENT: "0.0%",
    DATE: "d mmmm yyyy",
}

FORMULA_TRIGGERS = frozenset("=+-@\t\r")

# Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses a string that has one.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Column(NamedTuple):
    """A column of a table: the row key it shows, its heading and what kind of value it is."""

    key: str
    heading: str
    kind: str = TEXT


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula. Leading spaces are looked
    past, as some spreadsheets trim them when they import a CSV."""
    return text.lstrip(" ")[:1] in FORMULA_TRIGGERS


def escape_text(text: str) -> str:
    """Text for a CSV cell: formula-like text gets a leading single quote."""
    return "'" + text if is_formula_like(text) else text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_finite(value: int | float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return value == value and value not in (float("inf"), float("-inf"))


def _naive(value: datetime) -> datetime:
    # Excel has no time zones: an aware datetime is written as the site's local time.
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def format_value(value: Any, kind: str | None = None) -> str:
    """A value as plain text, unescaped: money to two places, numbers exactly as they are
    (a Decimal never through a float), dates as ISO dates, nothing for None or a value
    that is not a number (NaN, infinity)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if _is_number(value):
        if not _is_finite(value):
            return ""
        if kind == MONEY:
            return f"{value:.2f}"
        if kind == INTEGER and not isinstance(value, int):
            return f"{value:.0f}"
        if isinstance(value, Decimal):
            return format(value, "f")
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return _naive(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any, kind: str | None = None) -> str:
    """A value as a CSV cell: numbers and dates plainly, text escaped."""
    text = format_value(value, kind)
    if value is None or isinstance(value, bool | date) or _is_number(value):
        return text
    return escape_text(text)


class CsvWriter:
    """CSV rows written to a file (an HttpResponse will do) after the byte order mark,
    every cell through csv_cell. Nothing but the table: the first line is its header."""

    def __init__(self, file: IO[str] | None = None) -> None:
        self.file = file if file is not None else io.StringIO()
        self.file.write(BOM)
        self._writer = csv.writer(self.file)

    def row(self, values: Iterable[Any], kinds: Sequence[str | None] = ()) -> None:
        values = list(values)
        kinds = list(kinds) + [None] * (len(values) - len(kinds))
        self._writer.writerow(csv_cell(v, k) for v, k in zip(values, kinds, strict=False))

    def table(self, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> None:
        """A header of the columns' headings, then one line per row (a mapping by key)."""
        self.row(column.heading for column in columns)
        kinds = [column.kind for column in columns]
        for row in rows:
            self.row((row[column.key] for column in columns), kinds)

    def getvalue(self) -> str:
        return self.file.getvalue()


def xlsx_cell_set(cell, value: Any, kind: str | None = None) -> None:
    """Put a value in an openpyxl cell: a number or date as one (with its number format),
    anything else as a text cell that is never a formula."""
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = value
        return
    if _is_number(value):
        if _is_finite(value):
            # Excel's percentage format shows a fraction: 0.125 is 12.5%.
            cell.value = value / 100 if kind == PERCENT else value
            cell.number_format = XLSX_FORMATS.get(kind or NUMBER, XLSX_FORMATS[NUMBER])
        return
    if isinstance(value, datetime):
        cell.value = _naive(value)
        cell.number_format = "d mmmm yyyy hh:mm"
        return
    if isinstance(value, date):
        cell.value = value
        cell.number_format = XLSX_FORMATS[DATE]
        return
    text = _NOT_IN_XLSX.sub(" ", str(value))
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True


class XlsxSheet:
    """A worksheet written row by row, every cell through xlsx_cell_set. A sheet with a
    header is a table: its header row has a filter (sort and filter buttons), over the
    rows under it up to the first empty row, as Excel itself takes a table to end."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet
        self._rows = 0
        self._table_width = 0  # the header's columns, while rows still join its table

    def row(
        self, values: Iterable[Any], kinds: Sequence[str | None] = (), *, bold: bool = False
    ) -> None:
        from openpyxl.styles import Font

        self._rows += 1
        values, kinds = list(values), list(kinds)
        for index, value in enumerate(values):
            cell = self.worksheet.cell(row=self._rows, column=index + 1)
            xlsx_cell_set(cell, value, kinds[index] if index < len(kinds) else None)
            if bold:
                cell.font = Font(bold=True)
        if not values:
            self._table_width = 0
        if self._table_width:
            self._filter(self._rows)

    def _filter(self, last_row: int) -> None:
        from openpyxl.utils import get_column_letter

        last_column = get_column_letter(self._table_width)
        self.worksheet.auto_filter.ref = f"A1:{last_column}{last_row}"

    def header(self, headings: Iterable[str]) -> None:
        """Bold headings in the first row, which stays in view as the rows scroll and
        carries the table's filter."""
        headings = list(headings)
        self.row(headings, bold=True)
        self._table_width = len(headings)
        self._filter(self._rows)
        self.worksheet.freeze_panes = "A2"

    def table(self, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> None:
        self.header(column.heading for column in columns)
        kinds = [column.kind for column in columns]
        for row in rows:
            self.row((row[column.key] for column in columns), kinds)

    def width(self, column: str, width: float) -> None:
        self.worksheet.column_dimensions[column].width = width


class XlsxWorkbook:
    """An XLSX workbook of XlsxSheets, in the order they are added."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._workbook = Workbook()
        self._workbook.remove(self._workbook.active)

    def sheet(self, title: str) -> XlsxSheet:
        return XlsxSheet(self._workbook.create_sheet(title))

    def about(self, lines: Iterable[tuple[str, Any]]) -> XlsxSheet:
        """The last sheet, "About": what the file is, its period, source, licence and
        attribution, as a label and its text on each row."""
        from openpyxl.styles import Alignment, Font

        sheet = self.sheet("About")
        for label, value in lines:
            sheet.row([label, value], [TEXT, DATE if isinstance(value, date) else TEXT])
            sheet.worksheet.cell(row=sheet._rows, column=1).font = Font(bold=True)
            sheet.worksheet.cell(row=sheet._rows, column=2).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
        sheet.width("A", 28)
        sheet.width("B", 100)
        return sheet

    def getvalue(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()
