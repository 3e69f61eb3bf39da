"""Ten times the data (or N times): synthetic partnerships modelled on the real ones.

    DJANGO_SETTINGS_MODULE=... .venv/bin/python -m bench.scale --scale 10

After the real reference data is loaded, `partnerships_scale(factor=N)` adds N - 1 copies
of every real published partnership: the same real councils and public bodies as
members (lead, joining and leaving years kept), the same categories, status and years,
and its savings figures copied, plus one figure a year for ten financial years, so
that 10x gives about 1,090 partnerships, 4,270 memberships and 10,700 savings
records. Every copy is published.

Rows go in with one bulk insert per table: no per-row signals, no history (this is
benchmark data, not staff's edits). The savings ledger is then rebuilt once for the
copies and the map's data version renewed once (`map_data_changed`), as the signals
would have done. Copies are recognised by their slug (`bench-<k>-<original slug>`), so
running it again with the same factor changes nothing, and with another factor
replaces the copies.
"""

import argparse
import json
import random
from dataclasses import asdict, dataclass
from decimal import Decimal

COPY_PREFIX = "bench-"
# Financial years of the synthetic figures added to each copy (2015 is 2015/16): the
# last is a forecast, the rest achieved.
SYNTHETIC_YEARS = range(2015, 2025)
SYNTHETIC_SOURCE = "Synthetic figure for the benchmark (bench/scale.py)"


@dataclass(frozen=True)
class ScaleReport:
    """What the database holds after scaling, and how many copies were added."""

    factor: int
    added: int
    partnerships: int
    memberships: int
    savings_records: int

    def line(self) -> str:
        return (
            f"{self.factor}x data: {self.partnerships:,} published partnerships,"
            f" {self.memberships:,} memberships, {self.savings_records:,} savings records"
        )


def _report(factor: int, added: int) -> ScaleReport:
    from partnerships.models import (
        Partnership,
        PartnershipCouncil,
        PartnershipPublicBody,
        SavingsRecord,
    )

    live = Partnership.objects.filter(snapshot__isnull=True, published=True)
    return ScaleReport(
        factor=factor,
        added=added,
        partnerships=live.count(),
        memberships=PartnershipCouncil.objects.filter(partnership__in=live).count()
        + PartnershipPublicBody.objects.filter(partnership__in=live).count(),
        savings_records=SavingsRecord.objects.filter(partnership__in=live).count(),
    )


def copy_slug(slug: str, k: int) -> str:
    """The slug of the k-th copy of a partnership (k from 1); at most 200 characters."""
    return f"{COPY_PREFIX}{k}-{slug}"[:200]


def partnerships_scale(*, factor: int, seed: int = 13) -> ScaleReport:
    """Make the live, published partnerships `factor` times as many as the real ones
    (see the module's docstring); idempotent for one factor."""
    from django.db import transaction

    from partnerships.map_layers import map_data_changed
    from partnerships.models import (
        Partnership,
        PartnershipCouncil,
        PartnershipPublicBody,
        SavingsKind,
        SavingsOrigin,
        SavingsRecord,
    )
    from partnerships.services.ledger import ledger_rebuild

    if factor < 1:
        raise ValueError("The factor is a whole number from 1.")
    copies = Partnership.objects.filter(slug__startswith=COPY_PREFIX, snapshot__isnull=True)
    originals = list(
        Partnership.objects.filter(snapshot__isnull=True, published=True)
        .exclude(slug__startswith=COPY_PREFIX)
        .prefetch_related("categories", "council_memberships", "body_memberships")
        .prefetch_related("savings_records")
        .order_by("pk")
    )
    wanted = len(originals) * (factor - 1)
    if copies.count() == wanted:
        return _report(factor, 0)

    rng = random.Random(seed)
    with transaction.atomic():
        # Another factor's copies go first (their memberships, figures and ledger rows
        # go with them: raw deletes, as the inserts, skip per-row history).
        copy_ids = list(copies.values_list("pk", flat=True))
        if copy_ids:
            from partnerships.models import SavingsYear

            for model in (SavingsYear, SavingsRecord, PartnershipCouncil, PartnershipPublicBody):
                model.objects.filter(partnership_id__in=copy_ids)._raw_delete(model.objects.db)
            Partnership.categories.through.objects.filter(partnership_id__in=copy_ids).delete()
            Partnership.objects.filter(pk__in=copy_ids)._raw_delete(Partnership.objects.db)

        made = Partnership.objects.bulk_create(
            [
                Partnership(
                    name=f"{original.name} (copy {k})"[:200],
                    slug=copy_slug(original.slug, k),
                    description=original.description,
                    status=original.status,
                    start_year=original.start_year,
                    end_year=original.end_year,
                    website=original.website,
                    source=original.source,
                    reported_savings=original.reported_savings,
                    no_savings_reason=original.no_savings_reason,
                    no_savings_reason_other=original.no_savings_reason_other,
                    published=True,
                )
                for k in range(1, factor)
                for original in originals
            ],
            batch_size=500,
        )
        if not all(p.pk for p in made):  # a backend that returns no ids (none of ours)
            made = list(copies.order_by("pk"))
        by_slug = {p.slug: p for p in made}

        councils, bodies, categories, records = [], [], [], []
        through = Partnership.categories.through
        for k in range(1, factor):
            for original in originals:
                copy = by_slug[copy_slug(original.slug, k)]
                for m in original.council_memberships.all():
                    councils.append(
                        PartnershipCouncil(
                            partnership=copy,
                            council_id=m.council_id,
                            is_lead=m.is_lead,
                            joined_year=m.joined_year,
                            left_year=m.left_year,
                        )
                    )
                for m in original.body_memberships.all():
                    bodies.append(
                        PartnershipPublicBody(
                            partnership=copy,
                            public_body_id=m.public_body_id,
                            is_lead=m.is_lead,
                            joined_year=m.joined_year,
                            left_year=m.left_year,
                        )
                    )
                for category in original.categories.all():
                    categories.append(through(partnership=copy, servicecategory=category))
                for r in original.savings_records.all():
                    records.append(
                        SavingsRecord(
                            partnership=copy,
                            start_year=r.start_year,
                            end_year=r.end_year,
                            amount=r.amount,
                            kind=r.kind,
                            per_year=r.per_year,
                            cashable=r.cashable,
                            recurrence=r.recurrence,
                            origin=r.origin,
                            origin_detail=r.origin_detail,
                            evidence=r.evidence,
                            reported_on=r.reported_on,
                            source_url=r.source_url,
                            wording=r.wording,
                            source=r.source,
                        )
                    )
                for year in SYNTHETIC_YEARS:
                    records.append(
                        SavingsRecord(
                            partnership=copy,
                            start_year=year,
                            end_year=year,
                            amount=Decimal(rng.randrange(20, 2000) * 1000),
                            kind=SavingsKind.EXPECTED
                            if year == SYNTHETIC_YEARS[-1]
                            else SavingsKind.ACHIEVED,
                            per_year=True,
                            origin=SavingsOrigin.STAFF,
                            origin_detail="benchmark",
                            source=SYNTHETIC_SOURCE,
                        )
                    )
        PartnershipCouncil.objects.bulk_create(councils, batch_size=1000)
        PartnershipPublicBody.objects.bulk_create(bodies, batch_size=1000)
        through.objects.bulk_create(categories, batch_size=1000)
        SavingsRecord.objects.bulk_create(records, batch_size=1000)
        ledger_rebuild(partnership_ids=[p.pk for p in made])
        # The one "data changed" call the signals would have made, after commit as they do.
        transaction.on_commit(map_data_changed)
    return _report(factor, len(made))


def samples() -> dict[str, str]:
    """Pages to measure that are the same at every size: the real partnership with the
    most member councils, and the council in the most real partnerships."""
    from django.db.models import Count, Q

    from partnerships.models import Council, Partnership

    real = Q(snapshot__isnull=True, published=True) & ~Q(slug__startswith=COPY_PREFIX)
    partnership = (
        Partnership.objects.filter(real)
        .annotate(n=Count("council_memberships"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    in_real = Q(memberships__partnership__snapshot__isnull=True) & ~Q(
        memberships__partnership__slug__startswith=COPY_PREFIX
    )
    council = (
        Council.objects.filter(current=True)
        .annotate(n=Count("memberships", filter=in_real))
        .order_by("-n", "gss_code")
        .values_list("gss_code", flat=True)
        .first()
    )
    return {"partnership": partnership or "", "council": council or ""}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the report and samples as JSON")
    options = parser.parse_args(argv)
    import django

    django.setup()
    report = partnerships_scale(factor=options.scale)
    # Once more on every run, even when nothing was added: whatever the app builds when
    # its data changes (layers, counts) is then built by the code being measured.
    from partnerships.map_layers import map_data_changed

    map_data_changed()
    if options.json:
        print(json.dumps({**asdict(report), "line": report.line(), **samples()}))
    else:
        print(report.line(), flush=True)


if __name__ == "__main__":
    main()
