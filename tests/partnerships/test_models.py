"""The rules that keep councils, partnerships and savings honest."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from partnerships.models import (
    Council,
    NoSavingsReason,
    Partnership,
    PublicBody,
    SavingsKind,
    SavingsOrigin,
    SavingsRecord,
    SavingsYear,
)
from partnerships.services import partnership_create
from tests.partnerships.factories import PartnershipFactory, SavingsRecordFactory

pytestmark = pytest.mark.django_db


def council(name: str) -> Council:
    return Council.objects.get(short_name=name, current=True)


def test_a_negative_saving_is_refused_by_validation_and_by_the_database():
    record = SavingsRecord(
        partnership=PartnershipFactory(),
        start_year=2018,
        end_year=2018,
        amount=Decimal("-1.00"),
        kind=SavingsKind.ACHIEVED,
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "amount" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_two_achieved_figures_for_the_same_years_both_stand_and_one_counts():
    partnership = PartnershipFactory()
    four_years = SavingsRecordFactory(
        partnership=partnership, start_year=2015, end_year=2018, amount=Decimal("400.00")
    )
    overlapping = SavingsRecord(
        partnership=partnership,
        start_year=2018,
        end_year=2018,
        amount=Decimal("5.00"),
        kind=SavingsKind.ACHIEVED,
        origin=SavingsOrigin.EXPERT_PROGRAMME,
    )
    overlapping.full_clean()
    overlapping.save()
    assert partnership.savings_records.count() == 2
    # One figure counts for 2018/19 (the one whose period ends latest, then the last
    # entered: the new one); the four-year total counts £100 in each of its other years.
    counted = dict(
        SavingsYear.objects.filter(partnership=partnership).values_list("year", "record_id")
    )
    assert counted == {2015: four_years.pk, 2016: four_years.pk, 2017: four_years.pk,
                       2018: overlapping.pk}  # fmt: skip
    assert SavingsYear.objects.filter(partnership=partnership).aggregate(t=Sum("amount"))[
        "t"
    ] == Decimal("305.00")


def test_an_expected_figure_may_sit_beside_an_achieved_one_for_the_same_year():
    partnership = PartnershipFactory()
    SavingsRecordFactory(partnership=partnership, start_year=2018, end_year=2018)
    expected = SavingsRecord(
        partnership=partnership,
        start_year=2018,
        end_year=2018,
        amount=Decimal("5.00"),
        kind=SavingsKind.EXPECTED,
    )
    expected.full_clean()
    expected.save()
    assert partnership.savings_records.count() == 2


def test_the_ledger_holds_one_counted_figure_per_partnership_kind_and_year():
    partnership = PartnershipFactory()
    record = SavingsRecordFactory(partnership=partnership)
    SavingsRecordFactory(partnership=partnership, origin=SavingsOrigin.REFRESH)
    assert SavingsYear.objects.filter(partnership=partnership).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        SavingsYear.objects.create(
            partnership=partnership, record=record, kind=SavingsKind.ACHIEVED, year=2018,
            amount=Decimal("1.00"),
        )  # fmt: skip


def test_a_figure_gives_both_years_or_neither():
    record = SavingsRecord(
        partnership=PartnershipFactory(),
        start_year=2019,
        end_year=None,
        amount=Decimal("1.00"),
        kind=SavingsKind.ACHIEVED,
    )
    with pytest.raises(ValidationError, match="or neither"):
        record.full_clean()
    record.start_year = None
    record.full_clean()
    assert record.period_label == "no period given"


def test_a_figure_cannot_end_before_it_starts():
    record = SavingsRecord(
        partnership=PartnershipFactory(),
        start_year=2019,
        end_year=2017,
        amount=Decimal("1.00"),
        kind=SavingsKind.ACHIEVED,
    )
    with pytest.raises(ValidationError, match="cannot be before"):
        record.full_clean()


def test_totals_are_derived_from_the_records():
    partnership = PartnershipFactory()
    SavingsRecordFactory(partnership=partnership, start_year=2016, end_year=2017, amount=300)
    SavingsRecordFactory(partnership=partnership, start_year=2018, end_year=2018, amount=150)
    SavingsRecordFactory(
        partnership=partnership, start_year=2019, end_year=2019, amount=99, kind="expected"
    )
    partnership = Partnership.objects.prefetch_related("savings_records", "savings_years").get(
        pk=partnership.pk
    )
    assert partnership.achieved_savings_total == Decimal("450.00")
    assert partnership.expected_savings_total == Decimal("99.00")
    assert partnership.latest_achieved_record.period_label == "2018/19"
    assert partnership.latest_achieved_record.amount == Decimal("150.00")


def test_a_partnership_without_figures_has_no_totals():
    partnership = PartnershipFactory()
    assert partnership.achieved_savings_total is None
    assert partnership.expected_savings_total is None
    assert partnership.latest_achieved_record is None


def test_a_partnership_needs_at_least_two_members():
    with pytest.raises(ValidationError, match="at least two members"):
        partnership_create(name="Alone", slug="alone", councils=[council("Adur")])
    with pytest.raises(ValidationError, match="at least two members"):
        partnership_create(name="Twice", slug="twice", councils=[council("Adur"), council("Adur")])
    assert not Partnership.objects.filter(slug__in=["alone", "twice"]).exists()


def test_a_council_and_a_public_body_make_a_partnership_whose_sectors_follow_from_members():
    fire = PublicBody.objects.get(name="West Sussex", kind="fire_rescue_authority")
    partnership = partnership_create(
        name="Adur fire and council hub",
        slug="adur-fire-hub",
        councils=[council("Adur")],
        public_bodies=[fire],
        lead=council("Adur"),
    )
    assert partnership.partner_sectors == ["Fire and rescue"]
    assert partnership.council_memberships.get().is_lead


def test_other_reason_for_missing_savings_needs_words():
    partnership = PartnershipFactory.build(no_savings_reason=NoSavingsReason.OTHER)
    with pytest.raises(ValidationError) as error:
        partnership.full_clean()
    assert "no_savings_reason_other" in error.value.message_dict


def test_partnership_end_year_cannot_precede_start_year():
    partnership = PartnershipFactory.build(start_year=2015, end_year=2012)
    with pytest.raises(ValidationError) as error:
        partnership.full_clean()
    assert "end_year" in error.value.message_dict
