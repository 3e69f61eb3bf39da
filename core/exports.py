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
}

# What a value in a column is; it decides how a number is written (kinds of text need none).
TEXT = "text"
MONEY = "money"  # pounds and pence: 2 places in CSV, £#,##0.00 in XLSX
INTEGER = "integer"  # counts, years, months
NUMBER = "number"  # any other number, as precise as it is
DATE = "date"

XLSX_FORMATS = {
    MONEY: "£#,##0.00",
    INTEGER: "0",
    NUMBER: "General",
    DATE: "d mmmm yyyy",
}

FORMULA_TRIGGERS = frozenset("=+-@\t\r")

# Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses a string that has one.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A comment line is one line, whatever the text in it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# In a comment line a spreadsheet still splits on commas: a piece that would start a new cell
# with a formula (or with a quote, which would open a quoted cell) gets the quote prefix too.
_COMMA_THEN_FORMULA = re.compile(r'(,[ ]*)(?=[=+\-@"])')


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


def comment_line(text: str) -> str:
    """A '#' line above a CSV table (a title, the licence): one line, and no piece of it a
    spreadsheet splits off at a comma can start a formula."""
    return "# " + _COMMA_THEN_FORMULA.sub(r"\1'", _CONTROL.sub(" ", str(text)))


class CsvWriter:
    """CSV rows and '#' comment lines written to a file (an HttpResponse will do), every
    cell through csv_cell."""

    def __init__(self, file: IO[str] | None = None) -> None:
        self.file = file if file is not None else io.StringIO()
        self._writer = csv.writer(self.file)

    def comment(self, text: str) -> None:
        self.file.write(comment_line(text) + "\n")

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
            cell.value = value
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
    """A worksheet written row by row, every cell through xlsx_cell_set."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet
        self._rows = 0

    def row(
        self, values: Iterable[Any], kinds: Sequence[str | None] = (), *, bold: bool = False
    ) -> None:
        from openpyxl.styles import Font

        self._rows += 1
        kinds = list(kinds)
        for index, value in enumerate(values):
            cell = self.worksheet.cell(row=self._rows, column=index + 1)
            xlsx_cell_set(cell, value, kinds[index] if index < len(kinds) else None)
            if bold:
                cell.font = Font(bold=True)

    def header(self, headings: Iterable[str]) -> None:
        """Bold headings in the first row, which stays in view as the rows scroll."""
        self.row(headings, bold=True)
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

    def getvalue(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()
