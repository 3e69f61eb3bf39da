"""The one loading service for the reference data and partnership CSVs.

`make run`, the `load_reference_data` command and the admin's CSV upload all call it.
Loading is idempotent: a second load with the same files writes nothing, and a
partnership row that cannot be matched is reported and saved not at all.
"""

import csv
import hashlib
import io
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.text import slugify

from core.money import money_parse
from core.parsing import ParseError, parse_year
from partnerships.models import (
    Council,
    CouncilType,
    DataLoad,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PartnershipStatus,
    PublicBody,
    PublicBodyKind,
    Region,
    SavingsKind,
    SavingsRecord,
    Sector,
    ServiceCategory,
)
from partnerships.rules import members_check
from partnerships.services.generations import generations_load
from partnerships.services.pack import partnerships_pack_load, retired_slugs
from partnerships.services.periods import PeriodError, financial_years
from partnerships.services.rows import row_save

logger = logging.getLogger(__name__)

REFERENCE_FILES = (
    "region_boundaries.geojson",
    "public_bodies.csv",
    "public_body_boundaries.geojson",
    "councils.csv",
    "council_boundaries.geojson",
    "council_boundaries_low.geojson",
    "county_boundaries.geojson",
    "council_name_lookup.csv",
    "generations/generations.csv",
    "generations/council_generations.csv",
    "generations/districts_G2009.geojson",
    "generations/districts_G2019.geojson",
    "generations/districts_G2020.geojson",
    "generations/districts_G2021.geojson",
    "generations/districts_G2023.geojson",
    "generations/counties_G2009.geojson",
    "generations/counties_G2019.geojson",
    "generations/counties_G2020.geojson",
    "generations/counties_G2021.geojson",
    "generations/counties_G2023.geojson",
    "partnerships/partnerships.csv",
    "partnerships/partnership_members.csv",
    "partnerships/savings.csv",
)

# The curated list of service categories, in display order.
CATEGORIES = (
    "Revenues and benefits",
    "Legal",
    "Building control",
    "Planning",
    "Environmental health and regulatory services",
    "Waste and recycling",
    "ICT",
    "HR and payroll",
    "Finance and audit",
    "Procurement",
    "Customer services",
    "Management team / chief executive",
    "Counter fraud",
    "Highways and transport",
    "Adult social care",
    "Children's services",
    "Public health",
    "Culture, leisure and tourism",
    "Housing",
    "Emergency planning",
    "Property and assets",
    "Other",
)

COUNCIL_TYPES = {
    "NMD": CouncilType.DISTRICT,
    "MD": CouncilType.METROPOLITAN_DISTRICT,
    "LBO": CouncilType.LONDON_BOROUGH,
    "UA": CouncilType.UNITARY,
    "CTY": CouncilType.COUNTY,
    "CC": CouncilType.CITY_CORPORATION,
    "COMB": CouncilType.COMBINED_AUTHORITY,
    "SRA": CouncilType.STRATEGIC_AUTHORITY,
}

BODY_KINDS = {
    "fire_rescue_authority": (PublicBodyKind.FIRE_RESCUE_AUTHORITY, Sector.FIRE),
    "police_force_area": (PublicBodyKind.POLICE_FORCE_AREA, Sector.POLICE),
    "integrated_care_board": (PublicBodyKind.INTEGRATED_CARE_BOARD, Sector.HEALTH),
    "combined_authority": (PublicBodyKind.COMBINED_AUTHORITY, Sector.OTHER),
}

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

# Low-detail county shapes are simplified from the detailed ones (the BUC file has
# districts only); about 300 m, close to the districts' 500 m generalisation.
COUNTY_LOW_TOLERANCE = 0.003
# Councils whose boundaries come within about 20 m of each other are neighbours; the
# boundaries were simplified per shared arc, so real neighbours touch exactly.
NEIGHBOUR_TOLERANCE = 0.0002


@dataclass
class RowError:
    row: int
    name: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}" + (f" ('{self.name}')" if self.name else "")


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    skipped: bool = False

    def lines(self) -> list[str]:
        if self.skipped:
            return ["Reference data already loaded from these files; nothing to do."]
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        lines = [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        ]
        lines += [str(error) for error in self.errors]
        return lines

    def merge(self, other: "LoadReport") -> None:
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)
        self.errors.extend(other.errors)


Progress = Callable[[str], None]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _read_features(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def _geometry_text(geometry: dict | None) -> str:
    return json.dumps(geometry, separators=(",", ":")) if geometry else ""


def files_fingerprint(data_dir: Path, names: Iterable[str] = REFERENCE_FILES) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def categories_ensure(report: LoadReport | None = None) -> None:
    """Create the curated service categories that do not exist yet."""
    report = report or LoadReport()
    for position, name in enumerate(CATEGORIES, start=1):
        row_save(
            ServiceCategory,
            {"name": name, "position": position},
            report,
            "categories",
            {"slug": slugify(name)},
        )


def regions_load(*, data_dir: Path, report: LoadReport) -> dict[str, Region]:
    regions = {}
    for feature in _read_features(data_dir / "region_boundaries.geojson"):
        props = feature["properties"]
        regions[props["name"]] = row_save(
            Region,
            {
                "name": props["name"],
                "slug": slugify(props["name"]),
                "boundary": _geometry_text(feature["geometry"]),
            },
            report,
            "regions",
            {"gss_code": props["gss_code"]},
        )
    return regions


def public_bodies_load(*, data_dir: Path, report: LoadReport) -> dict[str, PublicBody]:
    geometries = {
        f["properties"]["code"]: f["geometry"]
        for f in _read_features(data_dir / "public_body_boundaries.geojson")
    }
    bodies = {}
    for row in _read_csv(data_dir / "public_bodies.csv"):
        if row["nation"] != "England" or row["body_type"] not in BODY_KINDS:
            continue
        kind, sector = BODY_KINDS[row["body_type"]]
        bodies[row["code"]] = row_save(
            PublicBody,
            {
                "name": row["name"],
                "kind": kind,
                "sector": sector,
                "boundary": _geometry_text(geometries.get(row["code"])),
            },
            report,
            "public bodies",
            {"code": row["code"]},
        )
    return bodies


def _parse_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def councils_load(
    *, data_dir: Path, report: LoadReport, regions: dict[str, Region], bodies: dict
) -> dict[str, Council]:
    """Every English council, current and former, with boundaries and covering bodies."""
    from shapely.geometry import mapping, shape

    rows = [r for r in _read_csv(data_dir / "councils.csv") if r["nation"] == "England"]
    detailed = {
        f["properties"]["gss_code"]: f["geometry"]
        for name in ("council_boundaries.geojson", "county_boundaries.geojson")
        for f in _read_features(data_dir / name)
    }
    low = {
        f["properties"]["gss_code"]: f["geometry"]
        for f in _read_features(data_dir / "council_boundaries_low.geojson")
    }
    body_geometries = {
        f["properties"]["code"]: f["geometry"]
        for f in _read_features(data_dir / "public_body_boundaries.geojson")
    }
    by_code = {row["local_authority_code"]: row for row in rows}
    london = next((r for r in regions.values() if r.name == "London"), None)

    councils: dict[str, Council] = {}
    for row in rows:
        gss = row["gss_code"]
        geometry = detailed.get(gss) or body_geometries.get(gss)
        if row["authority_type"] == "SRA" and london is not None:
            geometry = json.loads(london.boundary)
        low_geometry = low.get(gss)
        if geometry and not low_geometry:
            simplified = shape(geometry).simplify(COUNTY_LOW_TOLERANCE, preserve_topology=True)
            low_geometry = mapping(simplified)
        region_name = row["region"]
        if not region_name and row["replaced_by"]:
            successor = by_code.get(row["replaced_by"].split(",")[0])
            region_name = successor["region"] if successor else ""
        population = row["population_2020"]
        fields = {
            "gss_code": gss,
            "official_name": row["official_name"],
            "short_name": row["nice_name"],
            "council_type": COUNCIL_TYPES[row["authority_type"]],
            "region": regions.get(region_name),
            "population": int(float(population)) if population else None,
            "area_km2": float(row["area_km2"]) if row["area_km2"] else None,
            "latitude": float(row["lat"]) if row["lat"] else None,
            "longitude": float(row["long"]) if row["long"] else None,
            "boundary": _geometry_text(geometry),
            "boundary_low": _geometry_text(low_geometry),
            "current": row["current"] == "True",
            "start_date": _parse_date(row["start_date"]),
            "end_date": _parse_date(row["end_date"]),
            "fire_rescue_authority": bodies.get(row["fire_rescue_authority_code"]),
            "police_force_area": bodies.get(row["police_force_area_code"]),
            "integrated_care_board": bodies.get(row["icb_code"]),
            "combined_authority": bodies.get(row["combined_authority_code_2025"]),
            "alt_names": "\n".join(
                sorted({n.strip() for n in row["alt_names"].split(",") if n.strip()})
            ),
        }
        councils[row["local_authority_code"]] = row_save(
            Council, fields, report, "councils", {"register_code": row["local_authority_code"]}
        )

    # Links between councils need every council saved first.
    for code, council in councils.items():
        row = by_code[code]
        county = councils.get(row["county_la_code"])
        if council.county_id != (county.pk if county else None):
            council.county = county
            council.save(update_fields=["county"])
            report.updated["council links"] += 1
        successors = {councils[c].pk for c in row["replaced_by"].split(",") if c in councils}
        if set(council.replaced_by.values_list("pk", flat=True)) != successors:
            council.replaced_by.set(successors)
            report.updated["council links"] += 1
    return councils


def neighbours_compute(*, councils: Iterable[Council], report: LoadReport) -> None:
    """Store which current councils border each other, from their boundaries.

    A county is not the neighbour of its own districts (it contains them), but it is
    the neighbour of the councils across its border, of whatever type.
    """
    from shapely import STRtree
    from shapely.geometry import shape

    skipped_types = {CouncilType.COMBINED_AUTHORITY, CouncilType.STRATEGIC_AUTHORITY}
    group = [
        c for c in councils if c.current and c.boundary and c.council_type not in skipped_types
    ]
    shapes = [shape(json.loads(c.boundary)) for c in group]
    tree = STRtree(shapes)
    for index, council in enumerate(group):
        grown = shapes[index].buffer(NEIGHBOUR_TOLERANCE)
        found = set()
        for other_index in tree.query(grown, predicate="intersects"):
            other = group[other_index]
            if (
                other_index == index
                or council.county_id == other.pk
                or other.county_id == council.pk
            ):
                continue
            found.add(other.pk)
        if set(council.neighbours.values_list("pk", flat=True)) != found:
            council.neighbours.set(found)
            report.updated["neighbour lists"] += 1
        else:
            report.unchanged["neighbour lists"] += 1


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


def _partnership_row(
    *,
    row: dict[str, str],
    names: CouncilNames,
    categories: dict[str, ServiceCategory],
    update_existing: bool,
    report: LoadReport,
) -> None:
    name = row["name"].strip()
    if not name:
        raise RowProblem("the partnership has no name")
    slug = slugify(name)[:200]

    found_categories = []
    for category_name in _split(row["category"]):
        category = categories.get(category_name.lower())
        if category is None:
            raise RowProblem("unknown service category", category_name)
        found_categories.append(category)
    if not found_categories:
        raise RowProblem("the partnership has no service category", name)

    sectors = []
    for sector_name in _split(row["partner_sectors"]):
        sector = SECTOR_NAMES.get(sector_name.lower())
        if sector is None:
            raise RowProblem("unknown partner sector", sector_name)
        sectors.append(sector)

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
            parse_year(start_year, min_year=1901, max_year=2099)
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

    wanted_councils = {c.pk: c == lead_council for c in member_councils}
    current = {m.council_id: m for m in partnership.council_memberships.all()}
    for council_id, membership in current.items():
        if council_id not in wanted_councils:
            membership.delete()
    for council_id, is_lead in wanted_councils.items():
        membership = current.get(council_id)
        if membership is None:
            PartnershipCouncil.objects.create(
                partnership=partnership, council_id=council_id, is_lead=is_lead
            )
        elif membership.is_lead != is_lead:
            membership.is_lead = is_lead
            membership.save(update_fields=["is_lead"])

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
    current_bodies = {m.public_body_id: m for m in partnership.body_memberships.all()}
    for body_id, membership in current_bodies.items():
        if body_id not in wanted_bodies:
            membership.delete()
    for body_id, is_lead in wanted_bodies.items():
        membership = current_bodies.get(body_id)
        if membership is None:
            PartnershipPublicBody.objects.create(
                partnership=partnership, public_body_id=body_id, is_lead=is_lead
            )
        elif membership.is_lead != is_lead:
            membership.is_lead = is_lead
            membership.save(update_fields=["is_lead"])

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
                _partnership_row(
                    row=row,
                    names=names,
                    categories=categories,
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


def reference_data_load(
    *, data_dir: Path, force: bool = False, progress: Progress | None = None
) -> LoadReport:
    """Load regions, public bodies, councils (with boundaries and neighbours), the
    council generations since 2009 and the sourced partnerships pack, in one
    transaction. Skipped when the same files were loaded before."""
    say = progress or (lambda message: None)
    fingerprint = files_fingerprint(data_dir)
    if (
        not force
        and DataLoad.objects.filter(fingerprint=fingerprint, finished_at__isnull=False).exists()
    ):
        return LoadReport(skipped=True)

    report = LoadReport()
    load = DataLoad.objects.create(fingerprint=fingerprint)
    with transaction.atomic():
        say("Loading service categories and regions…")
        categories_ensure(report)
        regions = regions_load(data_dir=data_dir, report=report)
        say("Loading fire, police, health and combined-authority bodies…")
        bodies = public_bodies_load(data_dir=data_dir, report=report)
        say("Loading councils and their boundaries…")
        councils = councils_load(data_dir=data_dir, report=report, regions=regions, bodies=bodies)
        say("Working out which councils are neighbours…")
        neighbours_compute(councils=councils.values(), report=report)
        say("Loading the council generations since 2009…")
        generations_load(data_dir=data_dir, report=report)
        say("Loading the sourced partnerships pack…")
        retired = Partnership.objects.filter(slug__in=retired_slugs(data_dir=data_dir))
        report.updated["partnerships carried over under a new slug"] += retired.count()
        retired.delete()
        partnerships_pack_load(data_dir=data_dir, report=report)
    load.finished_at = timezone.now()
    load.summary = "\n".join(report.lines())
    load.save(update_fields=["finished_at", "summary"])
    return report


def name_lookup_rows(*, data_dir: Path) -> list[dict[str, str]]:
    """The council name variants shipped with the reference data."""
    return _read_csv(data_dir / "council_name_lookup.csv")
