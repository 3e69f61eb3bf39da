"""The figures page: headline numbers and charts of the partnerships the site's filters
select, each chart beside its data as a table, and each table as a CSV download.

Charts are SVG drawn on the server (partnerships.charts), so the page needs no
JavaScript and nothing from a CDN.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from core.exports import INTEGER, MONEY, Column
from partnerships import exports
from partnerships.charts import bar_chart_svg
from partnerships.figures import Figures, Row, partnership_figures
from partnerships.filters import PartnershipFilter
from partnerships.views.downloads import Download, csv_or_about, filtered_download
from partnerships.views.map import view_links
from sharedmap.http import stored_page


@dataclass(frozen=True)
class Value:
    """One value a table shows beside its label: a Row attribute, its column heading,
    whether it is money and whether it has a chart of its own."""

    attribute: str
    heading: str
    is_money: bool = True
    charted: bool = True
    chart_title: str = ""


PARTNERSHIPS = Value("partnerships", "Partnerships", is_money=False)
ACHIEVED = Value("achieved", "Achieved savings (£)")
EXPECTED = Value("expected", "Expected savings (£)")


@dataclass(frozen=True)
class TableSpec:
    """One table of the figures page: what its rows are and which values it shows."""

    slug: str
    heading: str
    caption: str
    label_heading: str
    subject: str  # "... by <subject>" in the chart titles
    rows: Callable[[Figures], list[Row]]
    values: tuple[Value, ...] = (PARTNERSHIPS, ACHIEVED, EXPECTED)
    horizontal: bool = True
    note: str = ""
    chart_note: str = ""


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString


@dataclass
class FigureTable:
    spec: TableSpec
    rows: list[Row]
    charts: list[Chart] = field(default_factory=list)
    # Each row as (label, [(value, is money)]) in the order of `spec.values`.
    lines: list[tuple[str, list[tuple[object, bool]]]] = field(default_factory=list)


SPREAD_NOTE = (
    "Savings are counted by the ledger: one figure per partnership, kind and financial "
    "year. A figure given as a total over several years is spread evenly over its years "
    "(the columns of shares show how much of each year is such a share); a figure per "
    "year counts in full in each year. Achieved and expected savings are shown side by "
    "side and never added together."
)

TABLES = (
    TableSpec(
        slug="by-category",
        heading="By service category",
        caption="Partnerships, achieved and expected savings by service category",
        label_heading="Service category",
        subject="service category",
        rows=lambda figures: figures.by_category,
        note="A partnership that shares several services counts once under each of them.",
    ),
    TableSpec(
        slug="by-region",
        heading="By region",
        caption="Partnerships, achieved and expected savings by region",
        label_heading="Region",
        subject="region",
        rows=lambda figures: figures.by_region,
        note=(
            "A partnership counts once in each region where one of its member councils is, "
            "so a partnership across regions counts in each of them."
        ),
    ),
    TableSpec(
        slug="by-start-year",
        heading="By year started",
        caption="Partnerships by the year they started",
        label_heading="Year started",
        subject="year started",
        rows=lambda figures: figures.by_start_year,
        values=(PARTNERSHIPS,),
        horizontal=False,
        note="Partnerships whose start year is not known are left out.",
    ),
    TableSpec(
        slug="savings-by-year",
        heading="Savings by year",
        caption=(
            "Achieved and expected savings by financial year, totals over several years "
            "spread evenly over them"
        ),
        label_heading="Financial year",
        subject="financial year",
        rows=lambda figures: figures.savings_by_year,
        values=(
            ACHIEVED,
            Value(
                "achieved_spread",
                "Of which shares of totals over several years, achieved (£)",
                charted=False,
            ),
            EXPECTED,
            Value(
                "expected_spread",
                "Of which shares of totals over several years, expected (£)",
                charted=False,
            ),
        ),
        horizontal=False,
        note=SPREAD_NOTE,
        chart_note="totals over several years spread evenly over their years",
    ),
    TableSpec(
        slug="by-origin",
        heading="By where the figures came from",
        caption="Partnerships, achieved and expected savings counted, by the figures' source",
        label_heading="Where the figures came from",
        subject="source of the figures",
        rows=lambda figures: figures.by_origin,
        note=(
            "Each amount counted in the totals comes from one figure (by the rule above), "
            "and is shown here under that figure's source. A partnership with figures from "
            "several sources counts under each."
        ),
    ),
    TableSpec(
        slug="type-pairings",
        heading="Most common pairings of council types",
        caption="The most common pairings of types of member council, up to ten",
        label_heading="Types of council working together",
        subject="pairing of council types",
        rows=lambda figures: figures.type_pairings,
        note=(
            "A partnership counts once under each pair of council types among its members; "
            "two or more councils of one type make a pairing of that type with itself."
        ),
    ),
)
TABLE_SPECS = {spec.slug: spec for spec in TABLES}


def _chart_title(spec: TableSpec, value: Value) -> str:
    what = {
        "partnerships": "Number of partnerships",
        "achieved": "Achieved savings",
        "expected": "Expected savings",
    }[value.attribute]
    title = f"{what} by {spec.subject}"
    return f"{title} ({spec.chart_note})" if spec.chart_note else title


def _table(spec: TableSpec, figures: Figures) -> FigureTable:
    """A table's rows and, when it has any, its charts: one per charted value."""
    rows = spec.rows(figures)
    lines = [
        (row.label, [(getattr(row, v.attribute), v.is_money) for v in spec.values]) for row in rows
    ]
    if not rows:
        return FigureTable(spec=spec, rows=rows)
    charts = [
        Chart(
            title=_chart_title(spec, value),
            svg=bar_chart_svg(
                rows=rows,
                value=attrgetter(value.attribute),
                description=_chart_title(spec, value),
                is_money=value.is_money,
                horizontal=spec.horizontal,
            ),
        )
        for value in spec.values
        if value.charted and any(getattr(row, value.attribute) for row in rows)
    ]
    return FigureTable(spec=spec, rows=rows, charts=charts, lines=lines)


def _figures(filterset: PartnershipFilter) -> Figures:
    """The figures of the filtered partnerships in the filterset's period: for a year,
    savings up to and including it."""
    return partnership_figures(partnerships=filterset.qs, period=filterset.period)


@require_safe
@stored_page
def figures_page(request: HttpRequest) -> HttpResponse:
    # As on the list, a bad filter is explained beside its field and the valid ones apply.
    filterset = PartnershipFilter.for_page(request.GET)
    query = filterset.query_string()
    figures = _figures(filterset)
    return render(
        request,
        "partnerships/figures.html",
        {
            "form": filterset.form,
            "applied_filters": filterset.applied(),
            "query": query,
            "links": view_links(query),
            "figures": figures,
            "tables": [_table(spec, figures) for spec in TABLES],
            "breadcrumbs": [("Home", reverse("partnerships:map")), ("Figures", None)],
        },
    )


@filtered_download
def figures_csv(
    request: HttpRequest, filterset: PartnershipFilter, table: str, about: bool = False
) -> Download:
    """One of the figures page's tables as CSV, for the same filters (or the About text
    beside it, with the licence)."""
    spec = TABLE_SPECS.get(table)
    if spec is None:
        raise Http404("There is no table of figures with this name.")
    columns = [Column("label", spec.label_heading)]
    columns += [
        Column(v.attribute, v.heading, MONEY if v.is_money else INTEGER) for v in spec.values
    ]

    def text() -> str:
        return exports.csv_export(
            rows=(
                {
                    "label": r.label,
                    # No counted figure is an empty cell, as the page says "No figure", not £0.
                    **{
                        v.attribute: (getattr(r, v.attribute) or None)
                        if v.is_money
                        else getattr(r, v.attribute)
                        for v in spec.values
                    },
                }
                for r in spec.rows(_figures(filterset))
            ),
            columns=tuple(columns),
        )

    return csv_or_about(
        request,
        about=about,
        stem=f"shared-services-figures-{spec.slug}",
        description=f"{spec.caption}, for {filterset.describe()}"
        + (
            f" ({filterset.period.label}, savings up to and including that year)"
            if filterset.period.year
            else ""
        ),
        filterset=filterset,
        text=text,
    )
