"""A tracker's figures as CSV and XLSX. Figures only: never the creator's name or email.

Written by core.exports, like every download of the site: text typed into a tracker (its
name, a cost's description, notes) stays text, and amounts stay numbers (a share or the
return on investment a percentage in XLSX). The CSV's first line is its header, as
Excel needs; the summary follows the year table after an empty row.
"""

from datetime import date
from decimal import Decimal

from benefits import calculations
from benefits.models import RATING_LABELS, SetupCostKind, Tracker
from benefits.selectors import Comparison
from core.exports import (
    DATE,
    INTEGER,
    MONEY,
    NUMBER,
    PERCENT,
    TEXT,
    Column,
    CsvWriter,
    XlsxWorkbook,
)
from partnerships.licence import ATTRIBUTION, LICENCE
from partnerships.models import financial_year_label

YEAR_COLUMNS = (
    Column("label", "Financial year"),
    Column("months", "Months counted", INTEGER),
    Column("achieved", "Achieved or expected"),
    *(
        Column(kind, "New income (£)" if kind == "income" else f"{label} savings (£)", MONEY)
        for kind, label in calculations.SAVING_KIND_LABELS.items()
    ),
    Column("gross", "Gross savings (£)", MONEY),
    Column("setup_costs", "One-off set-up costs (£)", MONEY),
    Column("running_costs", "New running costs (£)", MONEY),
    Column("costs", "Costs (£)", MONEY),
    Column("net", "Net savings (£)", MONEY),
    Column("cumulative_gross", "Cumulative gross savings (£)", MONEY),
    Column("cumulative_costs", "Cumulative costs (£)", MONEY),
    Column("cumulative_net", "Cumulative net savings (£)", MONEY),
)


def year_rows(results: calculations.Results) -> list[dict]:
    rows = []
    for r in results.years:
        row = {
            "label": r.label,
            "months": int((r.fraction * 12).quantize(Decimal(1))),
            "achieved": "Achieved" if r.achieved else ("Expected" if r.entered else "None entered"),
            **{kind: r.savings[kind] for kind in calculations.SAVING_KINDS},
        }
        for key in (
            "gross",
            "setup_costs",
            "running_costs",
            "costs",
            "net",
            "cumulative_gross",
            "cumulative_costs",
            "cumulative_net",
        ):
            row[key] = getattr(r, key)
        rows.append(row)
    return rows


def total_row(results: calculations.Results) -> dict:
    """The totals under the year rows; cumulative columns are left empty."""
    return {
        **dict.fromkeys(column.key for column in YEAR_COLUMNS),
        "label": "Total",
        **results.savings_by_kind,
        "gross": results.gross,
        "setup_costs": results.setup_costs,
        "running_costs": results.running_costs,
        "costs": results.costs,
        "net": results.net,
    }


def summary_lines(tracker: Tracker, results: calculations.Results) -> list[tuple[str, object, str]]:
    """The summary as (label, value, kind of value)."""
    roi = (
        ("Return on investment (%)", results.roi, PERCENT)
        if results.roi is not None
        else ("Return on investment", "Not applicable (no costs)", TEXT)
    )
    lines = [
        ("Tracker", tracker.name, TEXT),
        ("Planned or on the map", "Planned" if tracker.is_planned else "On the map", TEXT),
        ("First financial year", tracker.first_year_label, TEXT),
        ("Months in operation in the first year", tracker.first_year_months, INTEGER),
        ("Gross savings (£)", results.gross, MONEY),
        ("One-off set-up costs (£)", results.setup_costs, MONEY),
        ("New running costs (£)", results.running_costs, MONEY),
        ("Total costs (£)", results.costs, MONEY),
        ("Net savings (£)", results.net, MONEY),
        ("Payback", results.payback_statement, TEXT),
        roi,
    ]
    lines += [(f"{label} (£)", amount, MONEY) for _key, label, amount in results.groups]
    return lines


def csv_export(*, tracker: Tracker, results: calculations.Results) -> str:
    """One row per financial year under the header (the first line) and a total row; then,
    after an empty row, the summary as a label and its value on each row."""
    writer = CsvWriter()
    writer.table(YEAR_COLUMNS, [*year_rows(results), total_row(results)])
    writer.row([])
    writer.row(["Benefits tracker", tracker.name])
    writer.row(["Downloaded from the Shared Services Map", date.today()])
    for label, value, kind in summary_lines(tracker, results):
        writer.row([label, value], [TEXT, kind])
    return writer.getvalue()


def xlsx_export(
    *, tracker: Tracker, results: calculations.Results, comparison: Comparison
) -> bytes:
    """A workbook: summary, years, set-up costs, partners' shares, comparison with the
    map and non-financial benefits."""
    workbook = XlsxWorkbook()
    summary = workbook.sheet("Summary")
    summary.row(["Benefits tracker", tracker.name])
    summary.row(["Downloaded", date.today()], [TEXT, DATE])
    for label, value, kind in summary_lines(tracker, results):
        summary.row([label, value], [TEXT, kind])
    summary.width("A", 42)
    summary.width("B", 60)

    workbook.sheet("Years").table(YEAR_COLUMNS, year_rows(results))

    kinds = dict(SetupCostKind.choices)
    costs = workbook.sheet("Set-up costs")
    costs.header(["Kind", "Financial year", "Amount (£)", "Description"])
    for c in tracker.setup_costs.all():
        costs.row(
            [kinds.get(c.kind, c.kind), financial_year_label(c.year), c.amount, c.description],
            [TEXT, TEXT, MONEY, TEXT],
        )

    partners = workbook.sheet("Partners")
    partners.header(
        [
            "Partner",
            "Annual cost before sharing (£)",
            "Staff before sharing (FTE)",
            "Share (%)",
            "Share of gross savings (£)",
            "Share of costs (£)",
            "Share of net savings (£)",
        ]
    )
    for s, p in zip(results.shares, tracker.partners.all(), strict=False):
        partners.row(
            [s.name, s.baseline, p.baseline_fte, s.share, s.gross, s.costs, s.net],
            [TEXT, MONEY, NUMBER, PERCENT, MONEY, MONEY, MONEY],
        )
    if not results.shares:
        partners.row([results.share_problem])

    compared = workbook.sheet("Comparison")
    compared.header(["Published partnership", "Achieved savings per year (£)"])
    for name, value in comparison.rows:
        compared.row([name, value], [TEXT, MONEY])
    compared.row([])
    compared.row([comparison.statement])
    compared.row(["Median (£)", comparison.median], [TEXT, MONEY])
    compared.row(["Lowest (£)", comparison.low], [TEXT, MONEY])
    compared.row(["Highest (£)", comparison.high], [TEXT, MONEY])

    ratings = workbook.sheet("Other benefits")
    ratings.header(["Benefit", "Rating", "Notes"])
    for r in tracker.ratings.all():
        ratings.row([r.get_aspect_display(), RATING_LABELS.get(r.rating, "Not rated"), r.notes])

    workbook.about(
        [
            ("File", f"Benefits tracker: {tracker.name}"),
            ("Downloaded", date.today()),
            (
                "Period",
                f"Financial years {results.years[0].label} to {results.years[-1].label}"
                if results.years
                else "No financial years entered yet",
            ),
            (
                "Source",
                "The figures entered in this tracker on the Shared Services Map: estimates "
                "by its partners, not published or checked by the LGA.",
            ),
            (
                "Comparison",
                "The published partnerships on the Shared Services Map, achieved savings "
                "as their sources reported them. " + ATTRIBUTION,
            ),
            ("Licence", f"The published figures in the Comparison sheet: {LICENCE}"),
        ]
    )
    return workbook.getvalue()
