"""Factories for partnerships test data; real councils come from the loaded reference data."""

from decimal import Decimal

import factory

from partnerships.models import (
    Council,
    Partnership,
    PartnershipCouncil,
    SavingsKind,
    SavingsRecord,
    ServiceCategory,
)


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
    spread over real councils, so query counts can be compared at two data sizes."""
    councils = list(Council.objects.filter(current=True).order_by("pk"))
    categories = list(ServiceCategory.objects.all())
    existing = Partnership.objects.count()
    for n in range(existing * (multiplier - 1)):
        members = [councils[(n * 7 + k * 13) % len(councils)] for k in range(3)]
        partnership = partnership_with_members(
            *members, categories=[categories[n % len(categories)]]
        )
        for year in (2017, 2018):
            SavingsRecordFactory(partnership=partnership, start_year=year, end_year=year)
