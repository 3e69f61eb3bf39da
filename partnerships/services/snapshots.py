"""Publishing a year's map: freezing what was published for a financial year, so that
the year's map, lists, figures, downloads and API show exactly that from then on.

Each partnership running that year is copied, with its categories, members and savings
records, into rows that belong to the snapshot (`Partnership.snapshot`): never
published themselves, read only when a view asks for that year. Copies are made with
`bulk_create`, so they leave no history entries of their own (the snapshot is the
record) and the live partnerships are not touched.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from partnerships.map_layers import map_data_changed_on_commit
from partnerships.models import (
    MapSnapshot,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    SavingsRecord,
    financial_year_label,
)
from partnerships.published import facts_prefetch
from partnerships.services.ledger import ledger_rebuild
from partnerships.timeline import (
    FIRST_YEAR,
    current_financial_year,
    partnerships_running,
    period_for,
)

COPIED_FIELDS = [
    f.name
    for f in Partnership._meta.concrete_fields
    if f.name
    not in {"id", "slug", "snapshot", "public_slug", "published", "created_at", "updated_at"}
]
RECORD_FIELDS = [
    f.name for f in SavingsRecord._meta.concrete_fields if f.name not in {"id", "partnership"}
]

# What a membership says besides who the member is.
MEMBERSHIP_FIELDS = ("is_lead", "joined_year", "left_year")


def _copies(rows: QuerySet, partnership: Partnership, fields) -> list:
    """Unsaved copies of a partnership's `rows` (its members or savings records) for
    `partnership`, each with the original's `fields`."""
    return [
        rows.model(partnership_id=partnership.pk, **{n: getattr(row, n) for n in fields})
        for row in rows
    ]


def snapshot_for(year: int | None) -> MapSnapshot | None:
    """The published snapshot of a financial year, if there is one (one query)."""
    if year is None:
        return None
    return MapSnapshot.objects.filter(year=year).only("pk", "year", "published_at").first()


def on_snapshot(queryset: QuerySet, snapshot: MapSnapshot) -> QuerySet:
    """The snapshot's partnerships in place of the live ones of `queryset`, keeping the
    prefetches and deferred fields the caller asked for. Combined with `|`, a queryset
    keeps the left one's shape and ORs the conditions: (live or frozen) and frozen is the
    frozen rows alone, as the copies are never published."""
    return (queryset | Partnership.objects.filter(snapshot=snapshot)).filter(snapshot=snapshot)


@transaction.atomic
def map_snapshot_publish(*, year: int, user=None, note: str = "") -> MapSnapshot:
    """Freeze the published partnerships running in the financial year (every status,
    so the status filters still work on it). Refused if the year already has one."""
    if not FIRST_YEAR <= year <= current_financial_year():
        raise ValidationError(
            f"There is no map of {year}: give a financial year from "
            f"{financial_year_label(FIRST_YEAR)} to "
            f"{financial_year_label(current_financial_year())}."
        )
    if MapSnapshot.objects.filter(year=year).exists():
        raise ValidationError(
            f"The map of {financial_year_label(year)} was already published; it stays as "
            "it was published."
        )
    live = partnerships_running(
        Partnership.objects.filter(published=True, snapshot__isnull=True),
        period_for(year),
        statuses_asked=True,
    ).prefetch_related(*facts_prefetch())
    live = list(live)
    snapshot = MapSnapshot.objects.create(
        year=year,
        published_at=timezone.now(),
        published_by=getattr(user, "get_username", lambda: "")() if user else "",
        note=note[:200],
        payload={
            "partnerships": len(live),
            "member_councils": sum(len(p.council_memberships.all()) for p in live),
            "savings_records": sum(len(p.savings_records.all()) for p in live),
        },
    )
    copies = Partnership.objects.bulk_create(
        [
            Partnership(
                **{name: getattr(p, name) for name in COPIED_FIELDS},
                slug=f"{p.slug[:180]}--{snapshot.pk}",
                public_slug=p.slug,
                snapshot=snapshot,
                published=False,
            )
            for p in live
        ]
    )
    categories, councils, bodies, records = [], [], [], []
    for original, copy in zip(live, copies, strict=True):
        categories += [
            Partnership.categories.through(partnership_id=copy.pk, servicecategory_id=c.pk)
            for c in original.categories.all()
        ]
        councils += _copies(
            original.council_memberships.all(), copy, ("council_id", *MEMBERSHIP_FIELDS)
        )
        bodies += _copies(
            original.body_memberships.all(), copy, ("public_body_id", *MEMBERSHIP_FIELDS)
        )
        records += _copies(original.savings_records.all(), copy, RECORD_FIELDS)
    Partnership.categories.through.objects.bulk_create(categories)
    PartnershipCouncil.objects.bulk_create(councils)
    PartnershipPublicBody.objects.bulk_create(bodies)
    SavingsRecord.objects.bulk_create(records)
    ledger_rebuild(partnership_ids=[c.pk for c in copies])
    # The copies went in with bulk inserts, which send no signal.
    map_data_changed_on_commit()
    return snapshot
