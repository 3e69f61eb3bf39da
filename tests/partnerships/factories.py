"""Factories for partnerships test data; real councils come from the loaded reference data."""

from decimal import Decimal

import factory

from partnerships.map_layers import map_data_changed
from partnerships.models import (
    Council,
    Partnership,
    PartnershipCouncil,
    SavingsKind,
    SavingsRecord,
    ServiceCategory,
)
from partnerships.services.ledger import ledger_rebuild


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Test shared service {n}")
    slug = factory.Sequence(lambda n: f"test-shared-service-{n}")
    description = "A shared service made for a test."
    status = "operational"
    start_year = 2015
    published = True


class SavingsRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsRecord

    partnership = factory.SubFactory(PartnershipFactory)
    start_year = 2018
    end_year = 2018
    amount = Decimal("100000.00")
    kind = SavingsKind.ACHIEVED


def partnership_with_members(
    *councils: Council, categories: list[ServiceCategory] | None = None, lead: int = 0, **kwargs
) -> Partnership:
    """A published partnership of the given councils (the first is lead by default)."""
    partnership = PartnershipFactory(**kwargs)
    for index, council in enumerate(councils):
        PartnershipCouncil.objects.create(
            partnership=partnership, council=council, is_lead=index == lead
        )
    partnership.categories.set(categories or [ServiceCategory.objects.get(slug="legal")])
    return partnership


def grow_data(multiplier: int = 10) -> None:
    """Add (multiplier - 1) times as many partnerships and savings records as exist,
    spread over real councils, so query counts can be compared at two data sizes.

    Rows go in with one bulk insert per table (no per-row signals or history: this is
    test data, not staff's edits); the savings ledger is then rebuilt once for the new
    partnerships and the map's cached layers dropped once, as the signals would have."""
    councils = list(Council.objects.filter(current=True).order_by("pk"))
    categories = list(ServiceCategory.objects.all())
    existing = Partnership.objects.count()
    first = Partnership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    count = existing * (multiplier - 1)
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(
                name=f"Test shared service {first + n}",
                slug=f"grown-shared-service-{first + n}",
                description="A shared service made for a test.",
                status="operational",
                start_year=2015,
                published=True,
            )
            for n in range(count)
        ],
        batch_size=500,
    )
    if not all(p.pk for p in partnerships):  # backends that return no ids (none of ours)
        partnerships = list(
            Partnership.objects.filter(slug__startswith="grown-shared-service-").order_by("pk")
        )
    memberships, category_links, records = [], [], []
    through = Partnership.categories.through
    for n, partnership in enumerate(partnerships):
        members = dict.fromkeys(councils[(n * 7 + k * 13) % len(councils)] for k in range(3))
        for index, council in enumerate(members):
            memberships.append(
                PartnershipCouncil(partnership=partnership, council=council, is_lead=index == 0)
            )
        category_links.append(
            through(partnership=partnership, servicecategory=categories[n % len(categories)])
        )
        for year in (2017, 2018):
            records.append(
                SavingsRecord(
                    partnership=partnership,
                    start_year=year,
                    end_year=year,
                    amount=Decimal("100000.00"),
                    kind=SavingsKind.ACHIEVED,
                )
            )
    PartnershipCouncil.objects.bulk_create(memberships, batch_size=500)
    through.objects.bulk_create(category_links, batch_size=500)
    SavingsRecord.objects.bulk_create(records, batch_size=500)
    ledger_rebuild(partnership_ids=[p.pk for p in partnerships])
    map_data_changed()
