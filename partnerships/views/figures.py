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
from partnerships.views.downloads import Download, filtered_download
from partnerships.views.map import view_links


@dataclass(frozen=True)
class TableSpec:
    """One table of the figures page: what its rows are and which values it shows."""

    slug: str
    heading: str
    caption: str
    label_heading: str
    subject: str  # "... by <subject>" in the chart titles
    rows: Callable[[Figures], list[Row]]
    partnerships: bool = True
    achieved: bool = True
    horizontal: bool = True
    note: str = ""

    def values(self) -> list[tuple[str, str, bool]]:
        """The values this table shows beside its label: (Row attribute, column heading,
        is money), for its charts and its CSV columns alike."""
        values = []
        if self.partnerships:
            values.append(("partnerships", "Partnerships", False))
        if self.achieved:
            values.append(("achieved", "Achieved savings (£)", True))
        return values


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString


@dataclass
class FigureTable:
    spec: TableSpec
    rows: list[Row]
    charts: list[Chart] = field(default_factory=list)


TABLES = (
    TableSpec(
        slug="by-category",
        heading="By service category",
        caption="Partnerships and achieved savings by service category",
        label_heading="Service category",
        subject="service category",
        rows=lambda figures: figures.by_category,
        note="A partnership that shares several services counts once under each of them.",
    ),
    TableSpec(
        slug="by-region",
        heading="By region",
        caption="Partnerships and achieved savings by region",
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
        achieved=False,
        horizontal=False,
        note="Partnerships whose start year is not known are left out.",
    ),
    TableSpec(
        slug="savings-by-year",
        heading="Achieved savings by year",
        caption="Achieved savings by the financial year in which the reported period ended",
        label_heading="Financial year",
        subject="financial year",
        rows=lambda figures: figures.savings_by_year,
        partnerships=False,
        horizontal=False,
        note=(
            "A figure reported for several years together counts in the last of them, so "
            "this shows when savings were reported, not how they were spread over the years."
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


def _table(spec: TableSpec, figures: Figures) -> FigureTable:
    """A table's rows and, when it has any, its charts: one per value it shows."""
    rows = spec.rows(figures)
    if not rows:
        return FigureTable(spec=spec, rows=rows)
    titles = {
        "partnerships": f"Number of partnerships by {spec.subject}",
        "achieved": f"Achieved savings by {spec.subject}",
    }
    charts = [
        Chart(
            title=titles[attribute],
            svg=bar_chart_svg(
                rows=rows,
                value=attrgetter(attribute),
                description=titles[attribute],
                is_money=is_money,
                horizontal=spec.horizontal,
            ),
        )
        for attribute, _heading, is_money in spec.values()
    ]
    return FigureTable(spec=spec, rows=rows, charts=charts)


def _up_to_year(filterset: PartnershipFilter) -> int | None:
    """The "as at" financial year, when it was given and is valid."""
    year = filterset.cleaned("year")
    return int(year) if year else None


def _figures(filterset: PartnershipFilter) -> Figures:
    return partnership_figures(partnerships=filterset.qs, up_to_year=_up_to_year(filterset))


@require_safe
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
def figures_csv(request: HttpRequest, filterset: PartnershipFilter, table: str) -> Download:
    """One of the figures page's tables as CSV, for the same filters, with the licence."""
    spec = TABLE_SPECS.get(table)
    if spec is None:
        raise Http404("There is no table of figures with this name.")
    columns = [Column("label", spec.label_heading)]
    columns += [
        Column(attribute, heading, MONEY if is_money else INTEGER)
        for attribute, heading, is_money in spec.values()
    ]
    text = exports.csv_export(
        rows=(
            {
                "label": r.label,
                "partnerships": r.partnerships,
                "achieved": r.achieved or None,
            }
            for r in spec.rows(_figures(filterset))
        ),
        columns=tuple(columns),
        description=f"{spec.caption}, for {filterset.describe()}",
    )
    return Download(text, "csv", f"shared-services-figures-{spec.slug}")
