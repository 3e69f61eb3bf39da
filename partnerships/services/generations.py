"""Loading England's council generations since April 2009 (`data/generations/`) and
working out which council stands for which in each (`CouncilStandIn`)."""

import csv
import json
from datetime import date
from pathlib import Path

from django.db import transaction

from partnerships.models import (
    Council,
    CouncilStandIn,
    CouncilType,
    Generation,
    GenerationCouncil,
    Region,
)
from partnerships.services.rows import row_save, row_update

GENERATION_FILES = ("generations/generations.csv", "generations/council_generations.csv")
AUTHORITY_TYPES = {
    "NMD": CouncilType.DISTRICT,
    "MD": CouncilType.METROPOLITAN_DISTRICT,
    "LBO": CouncilType.LONDON_BOROUGH,
    "UA": CouncilType.UNITARY,
    "CTY": CouncilType.COUNTY,
    "CC": CouncilType.CITY_CORPORATION,
}


def generation_file_names(data_dir: Path) -> list[str]:
    """Every file of the generations folder, for the load's fingerprint."""
    return sorted(f"generations/{p.name}" for p in (data_dir / "generations").iterdir())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _shapes(path: Path) -> dict[str, tuple[str, str]]:
    """{local authority code: (geometry as GeoJSON text, region name)}."""
    with path.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return {
        f["properties"]["local_authority_code"]: (
            json.dumps(f["geometry"], separators=(",", ":")),
            f["properties"].get("region") or "",
        )
        for f in features
    }


@transaction.atomic
def generations_load(*, data_dir: Path, report) -> None:
    """Generations and the councils of each with that generation's code and boundary.
    Idempotent: rows that match the files are left as they are."""
    folder = data_dir / "generations"
    councils = {c.register_code: c for c in Council.objects.all()}
    regions = {r.name: r for r in Region.objects.all()}
    by_generation: dict[str, list[dict[str, str]]] = {}
    for row in _rows(folder / "council_generations.csv"):
        by_generation.setdefault(row["generation"], []).append(row)

    for row in _rows(folder / "generations.csv"):
        fields = {
            "valid_from": date.fromisoformat(row["valid_from"]),
            "valid_to": date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            "district_count": int(row["district_count"]),
            "county_count": int(row["county_count"]),
            "source": f"{row['ons_vintage']} ({row['source_repository']} "
            f"at {row['source_commit'][:12]})",
            "licence": row["licence"],
        }
        generation = row_save(
            Generation, fields, report, "generations", {"code": row["generation"]}
        )

        shapes = _shapes(folder / row["districts_file"]) | _shapes(folder / row["counties_file"])
        existing = {gc.council_id: gc for gc in generation.councils.all()}
        wanted = set()
        new_rows = []
        for council_row in by_generation.get(row["generation"], []):
            council = councils.get(council_row["local_authority_code"])
            if council is None:
                continue
            geometry, region_name = shapes.get(council_row["local_authority_code"], ("", ""))
            county = councils.get(council_row["county_la_code"])
            values = {
                "gss_code": council_row["gss_code"],
                "name": council_row["nice_name"],
                "council_type": AUTHORITY_TYPES[council_row["authority_type"]],
                "is_county": council_row["authority_type"] == "CTY",
                "region_id": regions[region_name].pk if region_name in regions else None,
                "county_id": county.pk if county else None,
                "boundary": geometry,
            }
            wanted.add(council.pk)
            current = existing.get(council.pk)
            if current is None:
                new_rows.append(GenerationCouncil(generation=generation, council=council, **values))
                continue
            row_update(current, values, report, "councils in generations")
        GenerationCouncil.objects.bulk_create(new_rows)
        report.created["councils in generations"] += len(new_rows)
        generation.councils.exclude(council_id__in=wanted).delete()
    stand_ins_compute(report=report)


def stand_ins_compute(*, report) -> None:
    """For every council and generation, the councils of that generation standing for
    it: itself if it existed then, else its successors followed through every
    reorganisation until they exist; none if it was created later."""
    generations = list(Generation.objects.all())
    present = {
        (gc.generation_id, gc.council_id): gc.pk
        for gc in GenerationCouncil.objects.only("pk", "generation_id", "council_id")
    }
    successors: dict[int, list[int]] = {}
    for from_id, to_id in Council.replaced_by.through.objects.values_list(
        "from_council_id", "to_council_id"
    ):
        successors.setdefault(from_id, []).append(to_id)
    ended = dict(Council.objects.values_list("pk", "end_date"))

    wanted = set()
    for generation in generations:
        for council_id, end_date in ended.items():
            if (generation.pk, council_id) in present:
                wanted.add((generation.pk, council_id, present[(generation.pk, council_id)]))
                continue
            # Some register end dates are the successor's first day, not the last day.
            if end_date is None or end_date > generation.valid_from:
                continue  # not yet created, or not a council of the generations
            queue, seen = list(successors.get(council_id, [])), set()
            while queue:
                successor = queue.pop(0)
                if successor in seen:
                    continue
                seen.add(successor)
                if (generation.pk, successor) in present:
                    wanted.add((generation.pk, council_id, present[(generation.pk, successor)]))
                else:
                    queue.extend(successors.get(successor, []))
    existing = {
        (s.generation_id, s.member_id, s.shown_id): s.pk for s in CouncilStandIn.objects.all()
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    CouncilStandIn.objects.filter(pk__in=stale).delete()
    CouncilStandIn.objects.bulk_create(
        [
            CouncilStandIn(generation_id=g, member_id=m, shown_id=s)
            for g, m, s in sorted(wanted - set(existing))
        ]
    )
    report.created["council stand-ins"] += len(wanted - set(existing))
