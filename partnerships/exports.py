"""Open data downloads of a filtered view, as CSV and XLSX.

Published facts only: no contact names, emails or phone numbers are ever exported.
Every file comes with what it is, its period, its source, the licence (Open Government
Licence v3.0) and the attribution: an XLSX in its "About" sheet, a CSV in the "About"
text beside it (the same address with "-about.txt"), as a CSV's first line must be its
header for a spreadsheet to open it cleanly. The files are written by core.exports, so a
name typed as a formula stays text.
"""

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse

from core.exports import DATE, INTEGER, MONEY, Column, CsvWriter, XlsxWorkbook
from partnerships.licence import ATTRIBUTION, LICENCE
from partnerships.models import Partnership, SavingsRecord, financial_year_label
from partnerships.selectors import members_prefetches
from partnerships.services.ledger import COUNTING_RULE
from partnerships.timeline import Period, counted_councils, period_for

PARTNERSHIP_COLUMNS = (
    Column("name", "Name"),
    Column("url", "Page"),
    Column("categories", "Service categories"),
    Column("status", "Status"),
    Column("start_year", "Start year", INTEGER),
    Column("end_year", "End year", INTEGER),
    Column("lead", "Lead or host"),
    Column("councils", "Member councils (everyone that has belonged)"),
    Column("council_codes", "Member council GSS codes"),
    Column("counted", "Councils counted in this view"),
    Column("counted_codes", "Councils counted: GSS codes"),
    Column("public_bodies", "Member public bodies"),
    Column("partner_sectors", "Partner sectors"),
    Column("achieved_total", "Achieved savings counted in this view (£)", MONEY),
    Column("latest_period", "Latest achieved figure: period"),
    Column("latest_amount", "Latest achieved figure (£)", MONEY),
    Column("expected_total", "Expected savings counted (£)", MONEY),
    Column("reported_savings", "Savings as reported"),
    Column("no_savings_reason", "Reason there is no figure"),
    Column("description", "Description"),
    Column("website", "Website"),
    Column("sources", "Sources"),
)

SAVINGS_COLUMNS = (
    Column("partnership", "Partnership"),
    Column("period", "Financial years"),
    Column("start_year", "First financial year (start)", INTEGER),
    Column("end_year", "Last financial year (start)", INTEGER),
    Column("amount", "Amount (£)", MONEY),
    Column("basis", "Per year or in all"),
    Column("kind", "Achieved or expected"),
    Column("counted_years", "Financial years it counts in totals"),
    Column("cashable", "Cashable"),
    Column("recurrence", "Recurring or one-off"),
    Column("origin", "Where the figure came from"),
    Column("evidence", "Evidence"),
    Column("reported_on", "Reported on", DATE),
    Column("wording", "As reported"),
    Column("source_url", "Source link"),
    Column("source", "Source"),
)


def partnerships_for_export(*, partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The partnerships with everything an export row needs, in a fixed number of queries."""
    return partnerships.prefetch_related(
        "categories", *members_prefetches(), "savings_records", "savings_years"
    )


def partnership_rows(
    partnerships: Iterable[Partnership], *, base_url: str = "", period: Period | None = None
) -> Iterator[dict]:
    """One row per partnership; the councils and totals counted are the period's (now by
    default), as the map and the lists count them."""
    partnerships = list(partnerships)
    period = period or period_for(None)
    counted = counted_councils([p.pk for p in partnerships], period)
    for p in partnerships:
        councils = [m.council for m in p.council_memberships.all()]
        bodies = [m.public_body for m in p.body_memberships.all()]
        leads = [m.council.official_name for m in p.council_memberships.all() if m.is_lead] + [
            m.public_body.name for m in p.body_memberships.all() if m.is_lead
        ]
        sectors = sorted({b.get_sector_display() for b in bodies})
        latest = p.latest_achieved_record
        reason = p.get_no_savings_reason_display() if p.no_savings_reason else ""
        if p.no_savings_reason_other:
            reason = f"{reason}: {p.no_savings_reason_other}"
        yield {
            "name": p.name,
            "url": base_url + p.get_absolute_url(),
            "categories": "; ".join(c.name for c in p.categories.all()),
            "status": p.status_label,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "lead": "; ".join(leads),
            "councils": "; ".join(c.official_name for c in councils),
            "council_codes": "; ".join(c.gss_code for c in councils),
            "counted": "; ".join(c.label for c in counted.get(p.pk, [])),
            "counted_codes": "; ".join(c.gss_code for c in counted.get(p.pk, [])),
            "public_bodies": "; ".join(b.name for b in bodies),
            "partner_sectors": "; ".join(sectors),
            "achieved_total": _achieved(p, period),
            "latest_period": latest.period_label if latest else "",
            "latest_amount": latest.amount if latest else None,
            "expected_total": _counted_total(p, "expected", period),
            "reported_savings": p.reported_savings,
            "no_savings_reason": reason,
            "description": p.description,
            "website": p.website,
            "sources": " ; ".join(p.source_links),
        }


def _counted_total(p: Partnership, kind: str, period: Period):
    """The ledger's total for a kind, up to the period's year for a past year."""
    years = [
        y
        for y in p.savings_years.all()
        if y.kind == kind and (period.is_now or y.year <= period.year)
    ]
    return sum((y.amount for y in years), Decimal("0")) if years else None


def _achieved(p: Partnership, period: Period):
    return _counted_total(p, "achieved", period)


def _year_spans(years: list[int]) -> str:
    """[2010, 2011, 2012, 2015] -> "2010/11 to 2012/13; 2015/16"."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    label = financial_year_label
    return "; ".join(label(a) if a == b else f"{label(a)} to {label(b)}" for a, b in spans)


def savings_rows(partnerships: Iterable[Partnership]) -> Iterator[dict]:
    """Every figure of the partnerships, each with its source and the years (if any) in
    which it is the one that counts in totals."""
    for p in partnerships:
        counted: dict[int, list[int]] = {}
        for year in p.savings_years.all():
            counted.setdefault(year.record_id, []).append(year.year)
        record: SavingsRecord
        for record in p.savings_records.all():
            yield {
                "partnership": p.name,
                "period": record.period_label,
                "start_year": record.start_year,
                "end_year": record.end_year,
                "amount": record.amount,
                "basis": record.basis_label,
                "kind": record.get_kind_display(),
                "counted_years": _year_spans(counted.get(record.pk, [])) or "None",
                "cashable": {True: "Yes", False: "No", None: "Not known"}[record.cashable],
                "recurrence": record.get_recurrence_display(),
                "origin": record.origin_label,
                "evidence": record.get_evidence_display(),
                "reported_on": record.reported_on,
                "wording": record.wording,
                "source_url": record.source_url,
                "source": record.source,
            }


def about_lines(*, description: str, period: Period, site_url: str) -> list[tuple[str, object]]:
    """What a file is, as (label, text): its contents, period, source, licence and
    attribution, and how its totals are counted."""
    when = (
        "now: the councils that are members today, and every savings figure reported"
        if period.is_now
        else f"{period.label}: the councils that were members then, and savings figures up "
        "to and including that financial year"
    )
    return [
        ("File", f"Shared Services Map: {description}"),
        ("Period", when),
        ("Downloaded", date.today()),
        (
            "Source",
            f"Shared Services Map, Local Government Association, {site_url}/ . Each "
            "partnership's and each figure's own sources are in its row.",
        ),
        ("Licence", LICENCE),
        ("Attribution", ATTRIBUTION),
        ("Totals", COUNTING_RULE),
        ("Every download and the API", site_url + reverse("partnerships:data-api")),
    ]


def about_text(lines: list[tuple[str, object]]) -> str:
    """The About lines as plain text, one "Label: text" a line, for the file beside a CSV."""
    return "".join(
        f"{label}: {f'{value:%d %B %Y}' if isinstance(value, date) else value}\n"
        for label, value in lines
    )


def csv_export(*, rows: Iterable[dict], columns: tuple[Column, ...]) -> str:
    """CSV text: the byte order mark, the header, the rows; nothing above the header."""
    writer = CsvWriter()
    writer.table(columns, rows)
    return writer.getvalue()


def xlsx_export(
    *, sheets: list[tuple[str, tuple[Column, ...], Iterable[dict]]], about: list[tuple[str, object]]
) -> bytes:
    """An XLSX workbook: one sheet per table, then the "About" sheet."""
    workbook = XlsxWorkbook()
    for title, columns, rows in sheets:
        workbook.sheet(title).table(columns, rows)
    workbook.about(about)
    return workbook.getvalue()
