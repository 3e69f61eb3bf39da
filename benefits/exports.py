"""A tracker's figures as CSV and XLSX. Figures only: never the creator's name or email."""

import csv
import io
from datetime import date
from decimal import Decimal

from benefits import calculations
from benefits.models import RATING_LABELS, SetupCostKind, Tracker
from benefits.selectors import Comparison
from partnerships.models import financial_year_label

YEAR_COLUMNS = (
    ("label", "Financial year"),
    ("months", "Months counted"),
    ("achieved", "Achieved or expected"),
    *(
        (kind, "New income (£)" if kind == "income" else f"{label} savings (£)")
        for kind, label in calculations.SAVING_KIND_LABELS.items()
    ),
    ("gross", "Gross savings (£)"),
    ("setup_costs", "One-off set-up costs (£)"),
    ("running_costs", "New running costs (£)"),
    ("costs", "Costs (£)"),
    ("net", "Net savings (£)"),
    ("cumulative_gross", "Cumulative gross savings (£)"),
    ("cumulative_costs", "Cumulative costs (£)"),
    ("cumulative_net", "Cumulative net savings (£)"),
)
MONEY_COLUMNS = {key for key, label in YEAR_COLUMNS if label.endswith("(£)")}


def year_rows(results: calculations.Results) -> list[dict]:
    rows = []
    for r in results.years:
        row = {
            "label": r.label,
            "months": str((r.fraction * 12).quantize(Decimal(1))),
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


def summary_lines(tracker: Tracker, results: calculations.Results) -> list[tuple[str, str]]:
    roi = f"{results.roi}%" if results.roi is not None else "Not applicable (no costs)"
    lines = [
        ("Tracker", tracker.name),
        ("Planned or on the map", "Planned" if tracker.is_planned else "On the map"),
        ("First financial year", tracker.first_year_label),
        ("Months in operation in the first year", str(tracker.first_year_months)),
        ("Gross savings (£)", f"{results.gross:.2f}"),
        ("One-off set-up costs (£)", f"{results.setup_costs:.2f}"),
        ("New running costs (£)", f"{results.running_costs:.2f}"),
        ("Total costs (£)", f"{results.costs:.2f}"),
        ("Net savings (£)", f"{results.net:.2f}"),
        ("Payback", results.payback_statement),
        ("Return on investment", roi),
    ]
    lines += [(f"{label} (£)", f"{amount:.2f}") for _key, label, amount in results.groups]
    return lines


def csv_export(*, tracker: Tracker, results: calculations.Results) -> str:
    """The summary as '#' lines, then one row per financial year and a total row."""
    out = io.StringIO()
    out.write(f"# Benefits tracker: {tracker.name}\n")
    out.write(f"# Downloaded {date.today():%d %B %Y} from the Shared Services Map\n")
    for label, value in summary_lines(tracker, results):
        out.write(f"# {label}: {value}\n")
    writer = csv.writer(out)
    writer.writerow([label for _key, label in YEAR_COLUMNS])
    for row in year_rows(results):
        writer.writerow(
            [f"{row[key]:.2f}" if key in MONEY_COLUMNS else row[key] for key, _ in YEAR_COLUMNS]
        )
    totals = {
        "label": "Total",
        **{k: f"{v:.2f}" for k, v in results.savings_by_kind.items()},
        "gross": f"{results.gross:.2f}",
        "setup_costs": f"{results.setup_costs:.2f}",
        "running_costs": f"{results.running_costs:.2f}",
        "costs": f"{results.costs:.2f}",
        "net": f"{results.net:.2f}",
    }
    writer.writerow([totals.get(key, "") for key, _ in YEAR_COLUMNS])
    return out.getvalue()


def xlsx_export(
    *, tracker: Tracker, results: calculations.Results, comparison: Comparison
) -> bytes:
    """A workbook: summary, years, set-up costs, partners' shares, comparison with the
    map and non-financial benefits."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(["Benefits tracker", tracker.name])
    _as_text(summary[1])
    summary.append(["Downloaded", f"{date.today():%d %B %Y}"])
    for label, value in summary_lines(tracker, results):
        summary.append([label, _number(value)])
        _as_text(summary[summary.max_row])
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 60

    def sheet(title: str, header: list[str], rows: list[list]) -> None:
        ws = workbook.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
            _as_text(ws[ws.max_row])
        ws.freeze_panes = "A2"

    sheet(
        "Years",
        [label for _key, label in YEAR_COLUMNS],
        [
            [float(row[key]) if key in MONEY_COLUMNS else row[key] for key, _ in YEAR_COLUMNS]
            for row in year_rows(results)
        ],
    )
    kinds = dict(SetupCostKind.choices)
    sheet(
        "Set-up costs",
        ["Kind", "Financial year", "Amount (£)", "Description"],
        [
            [kinds.get(c.kind, c.kind), financial_year_label(c.year),
             float(c.amount), c.description]
            for c in tracker.setup_costs.all()
        ],
    )  # fmt: skip
    sheet(
        "Partners",
        [
            "Partner",
            "Annual cost before sharing (£)",
            "Staff before sharing (FTE)",
            "Share (%)",
            "Share of gross savings (£)",
            "Share of costs (£)",
            "Share of net savings (£)",
        ],
        [
            [s.name, float(s.baseline), float(p.baseline_fte), float(s.share), float(s.gross),
             float(s.costs), float(s.net)]
            for s, p in zip(results.shares, tracker.partners.all(), strict=False)
        ] or [[results.share_problem]],
    )  # fmt: skip
    sheet(
        "Comparison",
        ["Published partnership", "Achieved savings per year (£)"],
        [[name, float(value)] for name, value in comparison.rows]
        + [
            [],
            [comparison.statement],
            ["Median (£)", float(comparison.median) if comparison.median is not None else ""],
            ["Lowest (£)", float(comparison.low) if comparison.low is not None else ""],
            ["Highest (£)", float(comparison.high) if comparison.high is not None else ""],
        ],
    )
    sheet(
        "Other benefits",
        ["Benefit", "Rating", "Notes"],
        [
            [r.get_aspect_display(), RATING_LABELS.get(r.rating, "Not rated"), r.notes]
            for r in tracker.ratings.all()
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _as_text(cells) -> None:
    """Text typed into a tracker stays text: openpyxl would store "=..." as a formula,
    which a spreadsheet would run when the file is opened."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _number(value: str):
    try:
        return float(value)
    except ValueError:
        return value
