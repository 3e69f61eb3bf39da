"""Open data downloads of a filtered view, as CSV and XLSX.

Published facts only: no contact names, emails or phone numbers are ever exported.
Every file carries the licence (Open Government Licence v3.0) and the attribution.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet

from partnerships.models import Partnership, SavingsRecord
from partnerships.selectors import members_prefetches

LICENCE = (
    "Licence: Open Government Licence v3.0, "
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)
ATTRIBUTION = (
    "Shared Services Map, Local Government Association. Contains OS data © Crown copyright "
    "and database right 2023–2025. Source: Office for National Statistics, licensed under the "
    "Open Government Licence v3.0. Local authority names and codes: mySociety, "
    "uk_local_authority_names_and_codes, CC BY 4.0 (adapted). Partnership facts and savings "
    "are as reported by the sources listed in each row, unverified."
)

PARTNERSHIP_COLUMNS = (
    ("name", "Name"),
    ("url", "Page"),
    ("categories", "Service categories"),
    ("status", "Status"),
    ("start_year", "Start year"),
    ("end_year", "End year"),
    ("lead", "Lead or host"),
    ("councils", "Member councils"),
    ("council_codes", "Member council GSS codes"),
    ("public_bodies", "Member public bodies"),
    ("partner_sectors", "Partner sectors"),
    ("achieved_total", "Achieved savings to date (£)"),
    ("latest_period", "Latest achieved figure: period"),
    ("latest_amount", "Latest achieved figure (£)"),
    ("expected_total", "Expected savings (£)"),
    ("reported_savings", "Savings as reported"),
    ("no_savings_reason", "Reason there is no figure"),
    ("description", "Description"),
    ("website", "Website"),
    ("sources", "Sources"),
)

SAVINGS_COLUMNS = (
    ("partnership", "Partnership"),
    ("period", "Financial years"),
    ("start_year", "First financial year (start)"),
    ("end_year", "Last financial year (start)"),
    ("amount", "Amount (£)"),
    ("kind", "Achieved or expected"),
    ("cashable", "Cashable"),
    ("recurrence", "Recurring or one-off"),
    ("wording", "As reported"),
    ("source", "Source"),
)


def partnerships_for_export(*, partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The partnerships with everything an export row needs, in a fixed number of queries."""
    return partnerships.prefetch_related("categories", *members_prefetches(), "savings_records")


def _money(value) -> str:
    return f"{value:.2f}" if value is not None else ""


def partnership_rows(
    partnerships: Iterable[Partnership], *, base_url: str = ""
) -> Iterator[dict[str, str]]:
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
            "status": p.get_status_display() if p.status else "Not known",
            "start_year": str(p.start_year or ""),
            "end_year": str(p.end_year or ""),
            "lead": "; ".join(leads),
            "councils": "; ".join(c.official_name for c in councils),
            "council_codes": "; ".join(c.gss_code for c in councils),
            "public_bodies": "; ".join(b.name for b in bodies),
            "partner_sectors": "; ".join(sectors),
            "achieved_total": _money(p.achieved_savings_total),
            "latest_period": latest.period_label if latest else "",
            "latest_amount": _money(latest.amount) if latest else "",
            "expected_total": _money(p.expected_savings_total),
            "reported_savings": p.reported_savings,
            "no_savings_reason": reason,
            "description": p.description,
            "website": p.website,
            "sources": " ; ".join(p.source_links),
        }


def savings_rows(partnerships: Iterable[Partnership]) -> Iterator[dict[str, str]]:
    for p in partnerships:
        record: SavingsRecord
        for record in p.savings_records.all():
            yield {
                "partnership": p.name,
                "period": record.period_label,
                "start_year": str(record.start_year),
                "end_year": str(record.end_year),
                "amount": _money(record.amount),
                "kind": record.get_kind_display(),
                "cashable": {True: "Yes", False: "No", None: "Not known"}[record.cashable],
                "recurrence": record.get_recurrence_display(),
                "wording": record.wording,
                "source": record.source,
            }


def _preamble(description: str) -> list[str]:
    return [
        f"Shared Services Map: {description}",
        f"Downloaded {date.today():%d %B %Y}",
        LICENCE,
        f"Attribution: {ATTRIBUTION}",
    ]


def csv_export(*, rows: Iterable[dict], columns: tuple, description: str) -> str:
    """CSV text: four '#' lines (title, date, licence, attribution), then the table."""
    out = io.StringIO()
    for line in _preamble(description):
        out.write(f"# {line}\n")
    writer = csv.writer(out)
    writer.writerow([label for _key, label in columns])
    for row in rows:
        writer.writerow([row[key] for key, _label in columns])
    return out.getvalue()


def xlsx_export(*, sheets: list[tuple[str, tuple, Iterable[dict]]], description: str) -> bytes:
    """An XLSX workbook: one sheet per table, then a sheet with the licence and attribution."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    numeric = {"achieved_total", "latest_amount", "expected_total", "amount"}
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append([label for _key, label in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(
                [
                    float(row[key]) if key in numeric and row[key] else row[key]
                    for key, _label in columns
                ]
            )
        sheet.freeze_panes = "A2"
    about = workbook.create_sheet("Licence")
    for line in _preamble(description):
        about.append([line])
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
