"""Partnerships from a CSV in the known_partnerships.csv format (the admin's upload):
each row read and checked whole (`_partnership_row_read`), then saved whole
(`_partnership_row_save`), or reported with its row number and saved not at all."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, When
from django.utils.text import slugify

from core.money import money_parse
from core.parsing import ParseError, parse_year
from partnerships.models import (
    Council,
    Partnership,
    PartnershipStatus,
    PublicBody,
    PublicBodyKind,
    SavingsKind,
    SavingsRecord,
    Sector,
    ServiceCategory,
)
from partnerships.rules import START_YEARS, members_check
from partnerships.services.loading import categories_ensure, csv_read
from partnerships.services.periods import PeriodError, financial_years
from partnerships.services.report import LoadReport, Progress, RowError
from partnerships.services.rows import row_save

SECTOR_NAMES = {
    "fire and rescue": Sector.FIRE,
    "fire": Sector.FIRE,
    "police": Sector.POLICE,
    "health": Sector.HEALTH,
    "housing": Sector.HOUSING,
    "planning": Sector.PLANNING,
    "other": Sector.OTHER,
}

PARTNERSHIP_COLUMNS = (
    "name",
    "members",
    "lead_member",
    "category",
    "partner_sectors",
    "start_year",
    "savings_text",
    "savings_gbp_total",
    "savings_period",
    "status",
    "description",
    "source_url",
)


class CouncilNames:
    """Matches the names partnership data uses for councils to council rows."""

    def __init__(self, *, lookup_rows: Iterable[dict[str, str]]):
        by_code = {c.register_code: c for c in Council.objects.all()}
        self.names: dict[str, Council] = {}
        for council in by_code.values():
            for name in [council.official_name, council.short_name, *council.alt_names.split("\n")]:
                if name:
                    self.names.setdefault(self.normalise(name), council)
        for row in lookup_rows:
            council = by_code.get(row["local-authority-code"])
            if council:
                self.names.setdefault(self.normalise(row["la-name"]), council)

    @staticmethod
    def normalise(name: str) -> str:
        name = name.lower().replace("&", "and").replace("’", "'")
        return " ".join(name.replace(",", " ").split())

    def find(self, name: str) -> Council | None:
        return self.names.get(self.normalise(name))


def _body_for(name: str, sectors: list[str]) -> tuple[str, str]:
    """Kind and sector of a non-council member from its name and the row's sectors."""
    lowered = name.lower()
    guesses = [
        (("fire",), PublicBodyKind.FIRE_SERVICE, Sector.FIRE),
        (
            ("police", "constabulary", "crime commissioner"),
            PublicBodyKind.POLICE_BODY,
            Sector.POLICE,
        ),
        (("nhs", "health", "hospital", "care trust"), PublicBodyKind.NHS_TRUST, Sector.HEALTH),
        (("housing", "homes"), PublicBodyKind.HOUSING_ASSOCIATION, Sector.HOUSING),
        (("national park",), PublicBodyKind.NATIONAL_PARK, Sector.PLANNING),
        (("university", "college"), PublicBodyKind.UNIVERSITY, Sector.OTHER),
    ]
    for words, kind, sector in guesses:
        if any(word in lowered for word in words) and (sector in sectors or not sectors):
            return kind, sector
    sector = sectors[0] if sectors else Sector.OTHER
    kinds = {
        Sector.FIRE: PublicBodyKind.FIRE_SERVICE,
        Sector.POLICE: PublicBodyKind.POLICE_BODY,
        Sector.HEALTH: PublicBodyKind.NHS_TRUST,
        Sector.HOUSING: PublicBodyKind.HOUSING_ASSOCIATION,
    }
    return kinds.get(sector, PublicBodyKind.OTHER), sector


class RowProblem(Exception):
    def __init__(self, message: str, name: str = ""):
        super().__init__(message)
        self.message = message
        self.name = name


def _split(value: str, separator: str = ";") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


@dataclass
class PartnershipRow:
    """One CSV row, checked: what it says about the partnership, matched to councils,
    public bodies (name, kind, sector) and categories."""

    name: str
    slug: str
    categories: list[ServiceCategory]
    member_councils: list[Council]
    member_bodies: list[tuple[str, str, str]]
    lead: str
    lead_council: Council | None
    status: str
    start_year: str
    savings: dict | None


def _known(cell: str, known: dict, unknown: str) -> list:
    """What `known` (keyed in lower case) gives each name listed in a cell, or a
    `RowProblem` saying `unknown` and the name it lacks."""
    found = []
    for name in _split(cell):
        value = known.get(name.lower())
        if value is None:
            raise RowProblem(unknown, name)
        found.append(value)
    return found


def _partnership_row_read(
    *, row: dict[str, str], names: CouncilNames, categories: dict[str, ServiceCategory]
) -> PartnershipRow:
    """Check a row whole and match its names, or raise `RowProblem` saying what is wrong."""
    name = row["name"].strip()
    if not name:
        raise RowProblem("the partnership has no name")
    slug = slugify(name)[:200]

    found_categories = _known(row["category"], categories, "unknown service category")
    if not found_categories:
        raise RowProblem("the partnership has no service category", name)
    sectors = _known(row["partner_sectors"], SECTOR_NAMES, "unknown partner sector")

    member_councils: list[Council] = []
    member_bodies: list[tuple[str, str, str]] = []
    for member in _split(row["members"]):
        council = names.find(member)
        if council is not None:
            if council not in member_councils:
                member_councils.append(council)
            continue
        body = PublicBody.objects.filter(name__iexact=member).first()
        if body is not None:
            member_bodies.append((body.name, body.kind, body.sector))
        elif sectors:
            member_bodies.append((member, *_body_for(member, sectors)))
        else:
            raise RowProblem("member is not a known council or public body", member)
    members_check(member_councils, member_bodies)

    lead = row["lead_member"].strip()
    lead_council = names.find(lead) if lead else None
    if lead and lead_council not in member_councils and lead not in {b[0] for b in member_bodies}:
        raise RowProblem("the lead member is not one of the members", lead)

    status = row["status"].strip().lower()
    if status and status not in PartnershipStatus.values:
        raise RowProblem("status must be operational, ended, proposed or blank", row["status"])
    start_year = row["start_year"].strip()
    if start_year:
        try:
            parse_year(start_year, min_year=START_YEARS.earliest, max_year=START_YEARS.latest)
        except ParseError as exc:
            raise RowProblem("start year must be a year such as 2014", start_year) from exc

    savings = None
    if row["savings_gbp_total"].strip():
        try:
            # Pence may come with more places than kept: rounded below.
            amount = money_parse(row["savings_gbp_total"], decimal_places=6)
        except ValidationError as exc:
            problem = (
                "savings cannot be negative"
                if exc.code == "negative"
                else "savings total must be a number of pounds"
            )
            raise RowProblem(problem, row["savings_gbp_total"]) from exc
        try:
            first, last = financial_years(row["savings_period"])
        except PeriodError as exc:
            raise RowProblem(
                f"savings period not understood: {exc}", row["savings_period"]
            ) from exc
        savings = {
            "start_year": first,
            "end_year": last,
            "amount": amount.quantize(Decimal("0.01")),
            "kind": SavingsKind.ACHIEVED,
            "wording": row["savings_text"].strip(),
            "source": row["source_url"].strip(),
            "note": f"Period as reported: {row['savings_period'].strip()}",
        }

    return PartnershipRow(
        name=name,
        slug=slug,
        categories=found_categories,
        member_councils=member_councils,
        member_bodies=member_bodies,
        lead=lead,
        lead_council=lead_council,
        status=status,
        start_year=start_year,
        savings=savings,
    )


def _partnership_row_save(
    *, read: PartnershipRow, row: dict[str, str], update_existing: bool, report: LoadReport
) -> None:
    """Save a checked row: the partnership (unless it exists and `update_existing` is
    not set), its categories, members and savings figure."""
    name, slug, savings = read.name, read.slug, read.savings
    found_categories, member_councils, member_bodies = (
        read.categories,
        read.member_councils,
        read.member_bodies,
    )
    lead, lead_council, status, start_year = (
        read.lead,
        read.lead_council,
        read.status,
        read.start_year,
    )
    # The same partnership by its address or by its name (the pack's slugs are shorter
    # than the slug of the name); a published year's frozen copies are never touched.
    existing = (
        Partnership.objects.filter(snapshot__isnull=True)
        .filter(Q(slug=slug) | Q(name__iexact=name))
        .order_by(Case(When(slug=slug, then=0), default=1))
        .first()
    )
    if existing is not None:
        slug = existing.slug
    if existing is not None and not update_existing:
        report.unchanged["partnerships"] += 1
        return

    fields = {
        "name": name,
        "description": row["description"].strip(),
        "status": status,
        "start_year": int(start_year) if start_year else None,
        "source": row["source_url"].strip(),
        "reported_savings": row["savings_text"].strip(),
    }
    partnership = row_save(Partnership, fields, report, "partnerships", {"slug": slug})
    if set(partnership.categories.all()) != set(found_categories):
        partnership.categories.set(found_categories)

    _memberships_sync(
        partnership.council_memberships.all(),
        "council_id",
        {c.pk: c == lead_council for c in member_councils},
        partnership=partnership,
    )

    wanted_bodies = {}
    for body_name, kind, sector in member_bodies:
        body = PublicBody.objects.filter(name__iexact=body_name).first()
        if body is None:
            body = row_save(
                PublicBody,
                {"sector": sector},
                report,
                "public bodies",
                {"name": body_name, "kind": kind},
            )
        wanted_bodies[body.pk] = body_name == lead
    _memberships_sync(
        partnership.body_memberships.all(), "public_body_id", wanted_bodies, partnership=partnership
    )

    if savings is not None:
        record = SavingsRecord(partnership=partnership, **savings)
        same = partnership.savings_records.filter(
            start_year=savings["start_year"], end_year=savings["end_year"], kind=savings["kind"]
        ).first()
        if same is None:
            record.full_clean()
            record.save()
            report.created["savings records"] += 1
        else:
            row_save(SavingsRecord, savings, report, "savings records", {"pk": same.pk})


def _memberships_sync(memberships, member_field: str, wanted: dict, *, partnership) -> None:
    """Make a partnership's council or public-body memberships (`memberships`, keyed by
    `member_field`) the `wanted` ones, {member id: is lead}: others removed, the missing
    added, the lead moved."""
    current = {getattr(m, member_field): m for m in memberships}
    for member_id, membership in current.items():
        if member_id not in wanted:
            membership.delete()
    for member_id, is_lead in wanted.items():
        membership = current.get(member_id)
        if membership is None:
            memberships.model.objects.create(
                partnership=partnership, **{member_field: member_id}, is_lead=is_lead
            )
        elif membership.is_lead != is_lead:
            membership.is_lead = is_lead
            membership.save(update_fields=["is_lead"])


def partnerships_load_csv(
    *,
    text: str,
    name_lookup_rows: Iterable[dict[str, str]] | None = None,
    update_existing: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Load partnerships from CSV text in the known_partnerships.csv format.

    Each row is saved whole or not at all; rows that fail are reported with their row
    number (the header is row 1). Existing partnerships (same name) are left alone
    unless `update_existing` is set.
    """
    report = LoadReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in PARTNERSHIP_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(RowError(1, "", f"missing columns: {', '.join(missing)}"))
        return report
    categories_ensure()
    categories = {}
    for category in ServiceCategory.objects.all():
        categories[category.name.lower()] = category
        categories[category.slug] = category
    names = CouncilNames(lookup_rows=name_lookup_rows or [])
    for number, row in enumerate(reader, start=2):
        row = {key: (value or "") for key, value in row.items() if key}
        try:
            with transaction.atomic():
                _partnership_row_save(
                    read=_partnership_row_read(row=row, names=names, categories=categories),
                    row=row,
                    update_existing=update_existing,
                    report=report,
                )
        except RowProblem as problem:
            report.errors.append(RowError(number, problem.name, problem.message))
        except ValidationError as error:
            message = "; ".join(error.messages)
            report.errors.append(RowError(number, row.get("name", ""), message))
        if progress and number % 20 == 0:
            progress(f"partnerships: {number - 1} rows read")
    return report


def name_lookup_rows(*, data_dir: Path) -> list[dict[str, str]]:
    """The council name variants shipped with the reference data."""
    return csv_read(data_dir / "council_name_lookup.csv")
