"""The one loading service for the reference data: regions, public bodies, councils,
generations and the sourced partnerships pack, from the files in `data/`.

`make run` and the `load_reference_data` command call it. Loading is idempotent: a
second load with the same files writes nothing. Beside it, by job: `geometry`
(boundaries as stored), `neighbours` (which councils border each other), `csv_rows`
(the partnerships CSV the admin uploads), `report` (what a load did) and `rows` (the
create-or-update every loader uses).
"""

import csv
import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partnerships.map_layers import map_data_changed
from partnerships.models import (
    Council,
    CouncilType,
    DataLoad,
    Partnership,
    PublicBody,
    PublicBodyKind,
    Region,
    Sector,
    ServiceCategory,
)
from partnerships.services.generations import generations_load
from partnerships.services.geometry import features_read, geometry_low, geometry_text
from partnerships.services.neighbours import neighbours_compute
from partnerships.services.pack import partnerships_pack_load, retired_slugs
from partnerships.services.report import LoadReport, Progress
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


def csv_read(path: Path) -> list[dict[str, str]]:
    """The rows of a reference CSV file."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


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
    for feature in features_read(data_dir / "region_boundaries.geojson"):
        props = feature["properties"]
        regions[props["name"]] = row_save(
            Region,
            {
                "name": props["name"],
                "slug": slugify(props["name"]),
                "boundary": geometry_text(feature["geometry"]),
            },
            report,
            "regions",
            {"gss_code": props["gss_code"]},
        )
    return regions


def public_bodies_load(*, data_dir: Path, report: LoadReport) -> dict[str, PublicBody]:
    geometries = {
        f["properties"]["code"]: f["geometry"]
        for f in features_read(data_dir / "public_body_boundaries.geojson")
    }
    bodies = {}
    for row in csv_read(data_dir / "public_bodies.csv"):
        if row["nation"] != "England" or row["body_type"] not in BODY_KINDS:
            continue
        kind, sector = BODY_KINDS[row["body_type"]]
        bodies[row["code"]] = row_save(
            PublicBody,
            {
                "name": row["name"],
                "kind": kind,
                "sector": sector,
                "boundary": geometry_text(geometries.get(row["code"])),
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
    rows = [r for r in csv_read(data_dir / "councils.csv") if r["nation"] == "England"]
    detailed = {
        f["properties"]["gss_code"]: f["geometry"]
        for name in ("council_boundaries.geojson", "county_boundaries.geojson")
        for f in features_read(data_dir / name)
    }
    low = {
        f["properties"]["gss_code"]: f["geometry"]
        for f in features_read(data_dir / "council_boundaries_low.geojson")
    }
    body_geometries = {
        f["properties"]["code"]: f["geometry"]
        for f in features_read(data_dir / "public_body_boundaries.geojson")
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
            low_geometry = geometry_low(geometry)
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
            "boundary": geometry_text(geometry),
            "boundary_low": geometry_text(low_geometry),
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
    # Generations and stand-ins went in with bulk inserts, which send no signal; a new
    # version for every process that shares this cache (the others see the new load
    # within a minute: `map_data_version`).
    map_data_changed()
    return report
