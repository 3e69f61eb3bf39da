"""Partnerships from a CSV in the known_partnerships.csv format (the admin's upload):
each row read and checked whole, every bad cell named (`RowReader.read`); what the rows
would do shown first, writing nothing (`partnerships_csv_preview`); then each good row
saved whole (`partnerships_load_csv`), a bad one reported and saved not at all."""

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, When
from django.utils.text import slugify

from core.money import money_exact, money_parse
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


# Bounds on one cell, in characters: far above anything in known_partnerships.csv (its
# longest cell has 449), so that a pasted page is refused by name, not stored.
CELL_MAX_LENGTHS = {
    "name": 200,
    "members": 5_000,
    "lead_member": 200,
    "category": 1_000,
    "partner_sectors": 500,
    "start_year": 20,
    "savings_text": 2_000,
    "savings_gbp_total": 40,
    "savings_period": 100,
    "status": 20,
    "description": 10_000,
    "source_url": 2_000,
}
# Which column a partnership's or savings figure's field comes from, to name the
# column when the model refuses the field.
FIELD_COLUMNS = {
    "name": "name",
    "description": "description",
    "status": "status",
    "start_year": "start_year",
    "source": "source_url",
    "reported_savings": "savings_text",
}
SAVINGS_COLUMNS = {
    "start_year": "savings_period",
    "end_year": "savings_period",
    "amount": "savings_gbp_total",
    "wording": "savings_text",
    "source": "source_url",
    "note": "savings_period",
}


@dataclass
class CellProblem:
    """What is wrong with one cell of a row: its column, what it holds, and why."""

    column: str
    value: str
    message: str


def _split(value: str, separator: str = ";") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def _shown(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


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
    fields: dict


class RowReader:
    """Reads rows against what is known here: council names, the service categories and
    the public bodies, each loaded once for the whole file."""

    def __init__(self, *, name_lookup_rows: Iterable[dict[str, str]] | None):
        self.names = CouncilNames(lookup_rows=name_lookup_rows or [])
        self.categories: dict[str, ServiceCategory] = {}
        for category in ServiceCategory.objects.all():
            self.categories[category.name.lower()] = category
            self.categories[category.slug] = category
        self.bodies = {b.name.lower(): b for b in PublicBody.objects.only("name", "kind", "sector")}

    def read(self, row: dict[str, str]) -> tuple[PartnershipRow | None, list[CellProblem]]:
        """The row checked whole: every bad cell named (not only the first), and the
        row read when none is bad."""
        problems: list[CellProblem] = []

        def refuse(column: str, message: str, value: str | None = None) -> None:
            problems.append(CellProblem(column, row[column] if value is None else value, message))

        for column, limit in CELL_MAX_LENGTHS.items():
            if len(row[column]) > limit:
                refuse(
                    column,
                    f"is {len(row[column]):,} characters long; this column takes at most {limit:,}",
                    _shown(row[column]),
                )
        if problems:
            return None, problems
        for column in PARTNERSHIP_COLUMNS:
            if "\x00" in row[column]:
                refuse(column, "contains a NUL character, which no text here can hold", "")
        if problems:
            return None, problems

        name = row["name"].strip()
        if not name:
            refuse("name", "the partnership has no name")

        categories = []
        for cell in _split(row["category"]):
            category = self.categories.get(cell.lower())
            if category is None:
                refuse("category", f"“{cell}” is an unknown service category", cell)
            elif category not in categories:
                categories.append(category)
        if not _split(row["category"]):
            refuse("category", "the partnership has no service category")

        sectors = []
        for cell in _split(row["partner_sectors"]):
            sector = SECTOR_NAMES.get(cell.lower())
            if sector is None:
                known = ", ".join(sorted({k.capitalize() for k in SECTOR_NAMES}))
                refuse("partner_sectors", f"“{cell}” is an unknown partner sector ({known})", cell)
            else:
                sectors.append(sector)

        member_councils: list[Council] = []
        member_bodies: list[tuple[str, str, str]] = []
        unknown_member = False
        for member in _split(row["members"]):
            council = self.names.find(member)
            if council is not None:
                if council not in member_councils:
                    member_councils.append(council)
                continue
            body = self.bodies.get(member.lower())
            if body is not None:
                member_bodies.append((body.name, body.kind, body.sector))
            elif sectors:
                member_bodies.append((member, *_body_for(member, sectors)))
            else:
                unknown_member = True
                refuse(
                    "members",
                    f"“{member}” is not a known council or public body (name a new public "
                    "body's sector in partner_sectors to add it)",
                    member,
                )
        if not unknown_member:
            # Too few members only when every member was found: an unknown name is the
            # problem to fix, not the count it leaves.
            try:
                members_check(member_councils, {b[0].lower() for b in member_bodies})
            except ValidationError as error:
                refuse("members", error.messages[0])

        lead = row["lead_member"].strip()
        lead_council = self.names.find(lead) if lead else None
        if (
            lead
            and not unknown_member
            and lead_council not in member_councils
            and lead.lower() not in {b[0].lower() for b in member_bodies}
        ):
            refuse("lead_member", f"the lead member “{lead}” is not one of the members", lead)

        status = row["status"].strip().lower()
        if status and status not in PartnershipStatus.values:
            refuse("status", "status must be operational, ended, proposed or blank")
        start_year = row["start_year"].strip()
        if start_year:
            try:
                parse_year(start_year, min_year=START_YEARS.earliest, max_year=START_YEARS.latest)
            except ParseError as exc:
                refuse("start_year", f"the start year must be a year such as 2014: {exc}")

        savings = self._savings(row, refuse)
        if problems:
            return None, problems
        fields = {
            "name": name,
            "description": row["description"].strip(),
            "status": status,
            "start_year": int(start_year) if start_year else None,
            "source": row["source_url"].strip(),
            "reported_savings": row["savings_text"].strip(),
        }
        return (
            PartnershipRow(
                name=name,
                slug=slugify(name)[:200],
                categories=categories,
                member_councils=member_councils,
                member_bodies=member_bodies,
                lead=lead,
                lead_council=lead_council,
                status=status,
                start_year=start_year,
                savings=savings,
                fields=fields,
            ),
            [],
        )

    @staticmethod
    def _savings(row: dict[str, str], refuse) -> dict | None:
        if not row["savings_gbp_total"].strip():
            return None
        amount = first = last = None
        try:
            # Pence may come with more places than kept: rounded below.
            amount = money_parse(
                row["savings_gbp_total"], decimal_places=6, max_value=Decimal("9999999999")
            )
        except ValidationError as exc:
            refuse(
                "savings_gbp_total",
                "savings cannot be negative"
                if exc.code == "negative"
                else f"the savings total must be a number of pounds: {exc.messages[0]}",
            )
        try:
            first, last = financial_years(row["savings_period"])
        except (PeriodError, ValueError) as exc:
            refuse("savings_period", f"savings period not understood: {exc}")
        if amount is None or first is None:
            return None
        return {
            "start_year": first,
            "end_year": last,
            "amount": amount.quantize(Decimal("0.01")),
            "kind": SavingsKind.ACHIEVED,
            "wording": row["savings_text"].strip(),
            "source": row["source_url"].strip(),
            "note": f"Period as reported: {row['savings_period'].strip()}",
        }


def _existing(read: PartnershipRow) -> Partnership | None:
    """The same partnership by its address or by its name (the pack's slugs are shorter
    than the slug of the name); a published year's frozen copies are never touched."""
    return (
        Partnership.objects.filter(snapshot__isnull=True)
        .filter(Q(slug=read.slug) | Q(name__iexact=read.name))
        .order_by(Case(When(slug=read.slug, then=0), default=1))
        .first()
    )


def _same_figure(partnership: Partnership | None, savings: dict) -> SavingsRecord | None:
    if partnership is None:
        return None
    return partnership.savings_records.filter(
        start_year=savings["start_year"], end_year=savings["end_year"], kind=savings["kind"]
    ).first()


def _model_problems(read: PartnershipRow, existing: Partnership | None) -> list[CellProblem]:
    """What the models would refuse in the row (a field's length or range, a savings
    figure overlapping one from the same source), each named by its column."""
    problems = []
    partnership = Partnership(**{**read.fields, "slug": existing.slug if existing else read.slug})
    if existing is not None:
        partnership.pk = existing.pk
    checks = [(partnership, ["slug"], FIELD_COLUMNS)]
    if read.savings is not None:
        same = _same_figure(existing, read.savings)
        record = SavingsRecord(partnership_id=existing.pk if existing else None, **read.savings)
        record.pk = same.pk if same else None
        checks.append((record, ["partnership"], SAVINGS_COLUMNS))
    for obj, exclude, columns in checks:
        try:
            obj.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                column = columns.get(field, "")
                for message in messages:
                    problems.append(CellProblem(column, "", message))
    return problems


# --- What a row would do: the preview -------------------------------------------------


class RowAction:
    CREATE = "create"
    CHANGE = "change"
    UNCHANGED = "unchanged"
    KEPT = "kept"
    REFUSED = "refused"


@dataclass
class RowPlan:
    """What one row would do, in words for the preview: its partnership, members,
    services and figure, and for an existing partnership each change."""

    row: int
    name: str
    action: str
    members: list[str]
    categories: list[str]
    figure: str
    changes: list[str]
    problems: list[CellProblem]


@dataclass
class CsvPreview:
    plans: list[RowPlan]
    update_existing: bool

    def count(self, action: str) -> int:
        return sum(1 for plan in self.plans if plan.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            action: self.count(action)
            for action in (
                RowAction.CREATE,
                RowAction.CHANGE,
                RowAction.UNCHANGED,
                RowAction.KEPT,
                RowAction.REFUSED,
            )
        }

    @property
    def refused(self) -> list[RowPlan]:
        return [plan for plan in self.plans if plan.action == RowAction.REFUSED]

    @property
    def writes(self) -> bool:
        """Whether confirming would write anything."""
        return bool(self.count(RowAction.CREATE) or self.count(RowAction.CHANGE))

    @property
    def digest(self) -> str:
        """A fingerprint of what the preview said each row would do: if the data changes
        between the preview and the confirmation, so does this."""
        digest = hashlib.sha256()
        for plan in self.plans:
            digest.update(repr((plan.row, plan.name, plan.action, plan.changes)).encode())
        return digest.hexdigest()


def _member_words(read: PartnershipRow, bodies: dict[str, PublicBody]) -> list[str]:
    words = [
        c.short_name + (" (lead)" if c == read.lead_council else "") for c in read.member_councils
    ]
    for name, _kind, sector in read.member_bodies:
        new = "" if name.lower() in bodies else f", a new public body ({Sector(sector).label})"
        lead = " (lead)" if name == read.lead and read.lead_council is None else ""
        words.append(f"{name}{lead}{new}")
    return words


def _figure_words(savings: dict | None) -> str:
    if savings is None:
        return ""
    record = SavingsRecord(**savings)
    return f"{money_exact(savings['amount'], pence='if-any')} achieved, {record.period_label}"


def _value_words(value) -> str:
    return f"“{_shown(str(value))}”" if value not in ("", None) else "blank"


def _row_changes(read: PartnershipRow, existing: Partnership, bodies) -> list[str]:
    """What saving the row would change in the existing partnership, in words."""
    changes = []
    labels = {
        "name": "name",
        "description": "description",
        "status": "status",
        "start_year": "start year",
        "source": "sources",
        "reported_savings": "savings in the source's words",
    }
    for field, value in read.fields.items():
        old = getattr(existing, field)
        if old != value:
            changes.append(f"{labels[field]}: {_value_words(old)} becomes {_value_words(value)}")

    old_categories = set(existing.categories.all())
    added = [c.name for c in read.categories if c not in old_categories]
    removed = [c.name for c in old_categories if c not in read.categories]
    if added:
        changes.append("adds the service " + ", ".join(added))
    if removed:
        changes.append("removes the service " + ", ".join(sorted(removed)))

    current = {m.council: m.is_lead for m in existing.council_memberships.select_related("council")}
    wanted = {c: c == read.lead_council for c in read.member_councils}
    current_bodies = {
        m.public_body.name.lower(): (m.public_body.name, m.is_lead)
        for m in existing.body_memberships.select_related("public_body")
    }
    wanted_bodies = {name.lower(): (name, name == read.lead) for name, _k, _s in read.member_bodies}
    joined = [c.short_name for c in wanted if c not in current] + [
        name for key, (name, _lead) in wanted_bodies.items() if key not in current_bodies
    ]
    left = [c.short_name for c in current if c not in wanted] + [
        name for key, (name, _lead) in current_bodies.items() if key not in wanted_bodies
    ]
    if joined:
        changes.append("adds the member " + ", ".join(joined))
    if left:
        changes.append("removes the member " + ", ".join(left))
    lead_moves = [c.short_name for c, lead in wanted.items() if lead and not current.get(c)] + [
        name
        for key, (name, lead) in wanted_bodies.items()
        if lead and not current_bodies.get(key, ("", False))[1]
    ]
    if lead_moves:
        changes.append(f"the lead becomes {', '.join(lead_moves)}")
    elif any(current.values()) and not any(wanted.values()) and not read.lead:
        changes.append("no member is the lead any more")

    if read.savings is not None:
        same = _same_figure(existing, read.savings)
        if same is None:
            changes.append(f"adds the figure {_figure_words(read.savings)}")
        elif any(getattr(same, f) != v for f, v in read.savings.items()):
            changes.append(
                f"the figure for {same.period_label}: "
                f"{money_exact(same.amount, pence='if-any')} becomes "
                f"{money_exact(read.savings['amount'], pence='if-any')}"
                + (
                    " (its wording, source or note changes)"
                    if same.amount == read.savings["amount"]
                    else ""
                )
            )
    return changes


def _rows(text: str) -> tuple[list[tuple[int, dict[str, str], list[CellProblem]]], str]:
    """Each row of the file (numbered as a spreadsheet numbers them, the header being row
    1) with the problems of its shape, or a problem of the whole file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in PARTNERSHIP_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], f"missing columns: {', '.join(missing)}"
    rows = []
    try:
        for row in reader:
            problems = []
            extra = row.pop(None, None)
            if extra and any(cell.strip() for cell in extra):
                problems.append(
                    CellProblem(
                        "",
                        _shown(", ".join(extra)),
                        f"this row has {len(extra)} more cell{'s' if len(extra) != 1 else ''} "
                        "than the header has columns: a cell holding a comma needs double "
                        "quotes around it",
                    )
                )
            short = [c for c in PARTNERSHIP_COLUMNS if row.get(c) is None]
            if short and len(short) < len(PARTNERSHIP_COLUMNS):
                problems.append(
                    CellProblem(
                        "",
                        "",
                        f"this row ends before the columns {', '.join(short)}: check its "
                        "commas and quotes",
                    )
                )
            cells = {key: (value or "") for key, value in row.items() if key}
            rows.append((reader.line_num, cells, problems))
    except csv.Error as exc:
        return rows, f"row {reader.line_num} cannot be read as CSV: {exc}"
    return rows, ""


def partnerships_csv_preview(
    *,
    text: str,
    name_lookup_rows: Iterable[dict[str, str]] | None = None,
    update_existing: bool = False,
) -> CsvPreview:
    """What loading the CSV would do, row by row, writing nothing: the partnerships it
    would create, those it would change and how, those it would leave, and every bad cell
    of every refused row. `partnerships_load_csv` does what this says."""
    preview = CsvPreview(plans=[], update_existing=update_existing)
    rows, file_problem = _rows(text)
    if file_problem and not rows:
        preview.plans.append(
            RowPlan(1, "", RowAction.REFUSED, [], [], "", [], [CellProblem("", "", file_problem)])
        )
        return preview
    reader = RowReader(name_lookup_rows=name_lookup_rows)
    seen: dict[str, int] = {}
    for number, row, problems in rows:
        read, cell_problems = (None, []) if problems else reader.read(row)
        problems = problems + cell_problems
        existing = None
        if read is not None:
            slug = read.slug
            if slug in seen:
                problems.append(
                    CellProblem(
                        "name",
                        read.name,
                        f"row {seen[slug]} is the same partnership: give each one row",
                    )
                )
            seen.setdefault(slug, number)
            existing = _existing(read)
            if existing is None or update_existing:
                problems += _model_problems(read, existing)
        name = read.name if read is not None else row.get("name", "").strip()
        if problems:
            preview.plans.append(
                RowPlan(number, _shown(name), RowAction.REFUSED, [], [], "", [], problems)
            )
            continue
        changes = []
        if existing is None:
            action = RowAction.CREATE
        elif not update_existing:
            action = RowAction.KEPT
        else:
            changes = _row_changes(read, existing, reader.bodies)
            action = RowAction.CHANGE if changes else RowAction.UNCHANGED
        preview.plans.append(
            RowPlan(
                number,
                read.name,
                action,
                _member_words(read, reader.bodies),
                [c.name for c in read.categories],
                _figure_words(read.savings),
                changes,
                [],
            )
        )
    if file_problem:
        preview.plans.append(
            RowPlan(0, "", RowAction.REFUSED, [], [], "", [], [CellProblem("", "", file_problem)])
        )
    return preview


# --- Saving the rows ------------------------------------------------------------------


def _partnership_row_save(
    *,
    read: PartnershipRow,
    existing: Partnership | None,
    update_existing: bool,
    publish_new: bool,
    bodies: dict[str, PublicBody],
    report: LoadReport,
) -> None:
    """Save a checked row: the partnership (unless it exists and `update_existing` is
    not set), its categories, members and savings figure. A new partnership is published
    when `publish_new` is set; an existing one keeps its own choice."""
    slug = existing.slug if existing is not None else read.slug
    if existing is not None and not update_existing:
        report.unchanged["partnerships"] += 1
        return
    fields = dict(read.fields)
    if existing is None:
        fields["published"] = publish_new
    partnership = row_save(Partnership, fields, report, "partnerships", {"slug": slug})
    if set(partnership.categories.all()) != set(read.categories):
        partnership.categories.set(read.categories)

    _memberships_sync(
        partnership.council_memberships.all(),
        "council_id",
        {c.pk: c == read.lead_council for c in read.member_councils},
        partnership=partnership,
    )

    wanted_bodies = {}
    for body_name, kind, sector in read.member_bodies:
        body = bodies.get(body_name.lower())
        if body is None:
            body = row_save(
                PublicBody,
                {"sector": sector},
                report,
                "public bodies",
                {"name": body_name, "kind": kind},
            )
            bodies[body_name.lower()] = body
        wanted_bodies[body.pk] = body_name == read.lead
    _memberships_sync(
        partnership.body_memberships.all(), "public_body_id", wanted_bodies, partnership=partnership
    )

    savings = read.savings
    if savings is not None:
        same = _same_figure(partnership, savings)
        if same is None:
            record = SavingsRecord(partnership=partnership, **savings)
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


def _row_errors(number: int, problems: list[CellProblem]) -> list[RowError]:
    return [
        RowError(number, problem.value, problem.message, column=problem.column)
        for problem in problems
    ]


def partnerships_load_csv(
    *,
    text: str,
    name_lookup_rows: Iterable[dict[str, str]] | None = None,
    update_existing: bool = False,
    publish_new: bool = True,
    progress: Progress | None = None,
) -> LoadReport:
    """Load partnerships from CSV text in the known_partnerships.csv format.

    Each row is read again and checked whole, then saved whole or not at all; a row that
    fails is reported with every bad cell (its row number, the header being row 1, and
    its column). Existing partnerships (same name) are left alone unless
    `update_existing` is set; new ones are published when `publish_new` is set.
    """
    report = LoadReport()
    rows, file_problem = _rows(text)
    if file_problem and not rows:
        report.errors.append(RowError(1, "", file_problem))
        return report
    categories_ensure()
    reader = RowReader(name_lookup_rows=name_lookup_rows)
    for number, row, problems in rows:
        read, cell_problems = (None, []) if problems else reader.read(row)
        problems = problems + cell_problems
        if read is None:
            report.errors += _row_errors(number, problems)
            continue
        try:
            with transaction.atomic():
                _partnership_row_save(
                    read=read,
                    existing=_existing(read),
                    update_existing=update_existing,
                    publish_new=publish_new,
                    bodies=reader.bodies,
                    report=report,
                )
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, messages in fields.items():
                column = FIELD_COLUMNS.get(field) or SAVINGS_COLUMNS.get(field, "")
                report.errors += [RowError(number, read.name, m, column=column) for m in messages]
        if progress and number % 20 == 0:
            progress(f"partnerships: {number - 1} rows read")
    if file_problem:
        report.errors.append(RowError(0, "", file_problem))
    return report


def name_lookup_rows(*, data_dir: Path) -> list[dict[str, str]]:
    """The council name variants shipped with the reference data."""
    return csv_read(data_dir / "council_name_lookup.csv")
