"""Loading the sourced partnerships pack (`data/partnerships/`): partnerships with
their status and years, members with joined and left years, and one savings record
per figure a source gave (origin: the reference data).

Idempotent: a second load of the same files writes nothing. Former councils are
loaded as the members the sources name; `partnerships.timeline` rolls them up to
their successors.
"""

import csv
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.text import slugify

from partnerships.models import (
    Council,
    NoSavingsReason,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PartnershipStatus,
    PublicBody,
    PublicBodyKind,
    Recurrence,
    SavingsEvidence,
    SavingsKind,
    SavingsOrigin,
    SavingsRecord,
    Sector,
    ServiceCategory,
)
from partnerships.services.ledger import ledger_rebuild
from partnerships.services.rows import row_save

PACK_FILES = (
    "partnerships/partnerships.csv",
    "partnerships/partnership_members.csv",
    "partnerships/savings.csv",
)
# Kind and sector of a member that is not a council, by the pack's member_kind.
MEMBER_KINDS = {
    "fire_rescue": (PublicBodyKind.FIRE_SERVICE, Sector.FIRE),
    "police": (PublicBodyKind.POLICE_BODY, Sector.POLICE),
    "health": (PublicBodyKind.NHS_TRUST, Sector.HEALTH),
    "housing": (PublicBodyKind.HOUSING_ASSOCIATION, Sector.HOUSING),
    "planning": (PublicBodyKind.NATIONAL_PARK, Sector.PLANNING),
    "other": (PublicBodyKind.OTHER, Sector.OTHER),
}
# A member whose code is a combined authority is that body itself.
CODED_KINDS = {"E47": PublicBodyKind.COMBINED_AUTHORITY}


class PackError(ValueError):
    """The pack does not say something the app needs (a member code, a category)."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


def _financial_year(text: str) -> int | None:
    """ "2015/16" -> 2015."""
    return int(text[:4]) if text.strip() else None


def _body(row: dict[str, str], areas: dict[str, PublicBody]) -> PublicBody:
    """The member body by its name (a constabulary and its commissioner are two
    members), linked to the ONS area its code names."""
    code = row["member_code"].strip()
    if code[:3] in CODED_KINDS and code in areas:
        return areas[code]
    kind, sector = MEMBER_KINDS[row["member_kind"]]
    area = areas.get(code)
    if area is not None and area.name == row["member_name"]:
        return area
    body = PublicBody.objects.filter(name=row["member_name"], kind=kind).first()
    if body is None:
        body = PublicBody(name=row["member_name"], kind=kind, sector=sector, area=area)
        body.full_clean()
        body.save()
    elif body.area_id != (area.pk if area else None):
        body.area = area
        body.save(update_fields=["area"])
    return body


@transaction.atomic
def partnerships_pack_load(*, data_dir: Path, report) -> None:
    """Load (or bring up to date) every partnership of the pack."""
    folder = data_dir / "partnerships"
    categories = {c.name.lower(): c for c in ServiceCategory.objects.all()}
    councils = {c.register_code: c for c in Council.objects.all()}
    areas = {b.code: b for b in PublicBody.objects.exclude(code=None)}
    members: dict[str, list[dict[str, str]]] = {}
    for row in _rows(folder / "partnership_members.csv"):
        members.setdefault(row["slug"], []).append(row)
    savings: dict[str, list[dict[str, str]]] = {}
    for row in _rows(folder / "savings.csv"):
        savings.setdefault(row["slug"], []).append(row)

    touched = []
    for row in _rows(folder / "partnerships.csv"):
        slug = row["slug"]
        category = categories.get(row["category"].lower())
        if category is None:
            raise PackError(f"{slug}: unknown service category {row['category']!r}")
        status = row["status"].strip()
        if status and status not in PartnershipStatus.values:
            raise PackError(f"{slug}: unknown status {status!r}")
        reason = row["no_figure_reason"].strip()
        values = {
            "name": row["name"],
            "description": row["description"],
            "status": status,
            "start_year": _year(row["start_year"]),
            "end_year": _year(row["end_year"]),
            "website": row["website"],
            "source": row["source_urls"],
            "no_savings_reason": NoSavingsReason.OTHER if reason else "",
            "no_savings_reason_other": reason[:300],
        }
        partnership = row_save(Partnership, values, report, "partnerships", {"slug": slug})
        if set(partnership.categories.all()) != {category}:
            partnership.categories.set([category])
        _members_load(partnership, members.get(slug, []), row["lead_member"], councils, areas)
        if _savings_load(partnership, savings.get(slug, []), report):
            touched.append(partnership.pk)
    ledger_rebuild(partnership_ids=touched)


def _members_load(partnership, rows, lead: str, councils, areas) -> None:
    wanted_councils: dict[int, dict] = {}
    wanted_bodies: dict[int, dict] = {}
    for row in rows:
        values = {
            "is_lead": row["member_name"] == lead,
            "joined_year": _year(row["joined_year"]),
            "left_year": _year(row["left_year"]),
        }
        if row["member_kind"] == "council":
            council = councils.get(row["member_code"])
            if council is None:
                raise PackError(f"{partnership.slug}: no council {row['member_code']!r}")
            wanted_councils[council.pk] = values
        else:
            wanted_bodies[_body(row, areas).pk] = values
    for model, key, wanted in (
        (PartnershipCouncil, "council_id", wanted_councils),
        (PartnershipPublicBody, "public_body_id", wanted_bodies),
    ):
        existing = {getattr(m, key): m for m in model.objects.filter(partnership=partnership)}
        for member_id, membership in existing.items():
            if member_id not in wanted:
                membership.delete()
        for member_id, values in wanted.items():
            membership = existing.get(member_id)
            if membership is None:
                model.objects.create(partnership=partnership, **{key: member_id}, **values)
            else:
                changed = [n for n, v in values.items() if getattr(membership, n) != v]
                if changed:
                    for name in changed:
                        setattr(membership, name, values[name])
                    membership.save(update_fields=changed)


def _savings_load(partnership, rows, report) -> bool:
    """The pack's figures for one partnership, as reference-data records; True if any
    record was written."""
    wanted = []
    for row in rows:
        wanted.append(
            {
                "start_year": _financial_year(row["period_from"]),
                "end_year": _financial_year(row["period_to"] or row["period_from"]),
                "amount": Decimal(row["amount_gbp"]).quantize(Decimal("0.01")),
                "kind": SavingsKind(row["kind"]).value,
                "per_year": {"yes": True, "no": False}.get(row["per_year"]),
                "cashable": True if row["cashable"] == "yes" else None,
                "recurrence": (
                    Recurrence.RECURRING.value
                    if row["recurring"] == "recurring"
                    else Recurrence.UNKNOWN.value
                ),
                "origin": SavingsOrigin.REFERENCE.value,
                # The publisher of the page, so a figure reads "Published source: lgss.co.uk".
                "origin_detail": urlsplit(row["source_url"]).hostname.removeprefix("www.")
                if row["source_url"]
                else "",
                "evidence": SavingsEvidence.AS_REPORTED.value,
                "wording": row["quoted_text"],
                "source_url": row["source_url"],
                "source": row["source_url"],
            }
        )
    existing = list(partnership.savings_records.filter(origin=SavingsOrigin.REFERENCE))
    fields = list(wanted[0]) if wanted else []

    def key(values: dict) -> tuple:
        return tuple(values[name] for name in fields)

    by_key = {key({n: getattr(r, n) for n in fields}): r for r in existing}
    keep, written = set(), False
    for values in wanted:
        record = by_key.get(key(values))
        if record is not None and record.pk not in keep:
            keep.add(record.pk)
            report.unchanged["savings records"] += 1
            continue
        record = SavingsRecord(partnership=partnership, **values)
        record.full_clean()
        record.save()
        keep.add(record.pk)
        report.created["savings records"] += 1
        written = True
    stale = [r for r in existing if r.pk not in keep]
    for record in stale:
        record.delete()
    return written or bool(stale)


def retired_slugs(*, data_dir: Path) -> set[str]:
    """Slugs the earlier flat file gave partnerships that the pack now carries under a
    new slug, so that a database loaded from it does not keep both."""
    old = data_dir / "known_partnerships.csv"
    if not old.exists():
        return set()
    pack = {row["slug"] for row in _rows(data_dir / "partnerships" / "partnerships.csv")}
    return {slugify(row["name"])[:200] for row in _rows(old)} - pack
