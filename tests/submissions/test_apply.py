"""Staff accepting a council's answers: each change reaches the published partnership
whole, with its history, and the map hears of it."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from partnerships.map_layers import map_data_version
from partnerships.models import (
    Council,
    Partnership,
    PublicBody,
    PublicBodyKind,
    SavingsRecord,
    ServiceCategory,
)
from submissions.models import ProposedChange
from submissions.selectors import changes_history
from submissions.services import change_accept, change_propose
from submissions.services.review import review_reason
from tests.partnerships.factories import partnership_with_members

pytestmark = pytest.mark.django_db
Kind = ProposedChange.Kind


@pytest.fixture
def staff(real_data):
    return get_user_model().objects.create_user("reviewer", "r@lga.gov.uk", "x", is_staff=True)


@pytest.fixture
def adur_worthing(real_data):
    adur = Council.objects.get(gss_code="E07000223")
    worthing = Council.objects.get(gss_code="E07000229")
    return partnership_with_members(adur, worthing, name="Shared legal team", start_year=2015)


def _fire():
    return (
        PublicBody.objects.filter(kind=PublicBodyKind.FIRE_RESCUE_AUTHORITY)
        .order_by("name")
        .first()
    )


def test_accepting_an_update_changes_only_what_the_council_changed(adur_worthing, staff):
    fire = _fire()
    horsham = Council.objects.get(gss_code="E07000227")
    adur = Council.objects.get(gss_code="E07000223")
    worthing = Council.objects.get(gss_code="E07000229")
    change = change_propose(
        kind=Kind.PARTNERSHIP_UPDATE,
        partnership=adur_worthing,
        proposed={
            "description": "Now with Horsham and the fire service.",
            "councils": [adur.pk, worthing.pk, horsham.pk],
            "public_bodies": [fire.pk],
            "other_partners": ["Shoreham Port Authority"],
            "no_savings_reason": "not_measured",
            "no_savings_reason_other": "",
            "comment": "Horsham joined in May.",
        },
        source="Adur, refresh questionnaire 2025/26",
    )
    change_accept(change=change, reviewer=staff)
    adur_worthing.refresh_from_db()
    assert adur_worthing.description == "Now with Horsham and the fire service."
    assert adur_worthing.status == "operational", "status was not part of the change"
    assert adur_worthing.no_savings_reason == "not_measured"
    assert set(adur_worthing.councils.all()) == {adur, worthing, horsham}
    port = PublicBody.objects.get(name="Shoreham Port Authority")
    assert port.kind == PublicBodyKind.OTHER
    assert set(adur_worthing.public_bodies.all()) == {fire, port}
    # The history names the reviewer and the review on every record it left.
    records = adur_worthing.history.filter(history_change_reason=review_reason(change))
    assert records.exists() and {r.history_user for r in records} == {staff}
    change.refresh_from_db()
    changes_history(changes=[change])
    assert (
        "Description: A shared service made for a test. → Now with Horsham and the fire service."
        in change.history
    )
    assert f"Created: {horsham} in {adur_worthing}" in change.history
    assert f"Created: {fire} in {adur_worthing}" in change.history
    assert f"Created: {adur} in {adur_worthing}" not in change.history, "Adur stayed"


def test_an_update_that_would_leave_one_member_changes_nothing(adur_worthing, staff):
    adur = Council.objects.get(gss_code="E07000223")
    change = change_propose(
        kind=Kind.PARTNERSHIP_UPDATE,
        partnership=adur_worthing,
        proposed={"description": "Alone now", "councils": [adur.pk]},
        source="test",
    )
    with pytest.raises(ValidationError), transaction.atomic():
        change_accept(change=change, reviewer=staff)
    adur_worthing.refresh_from_db()
    assert adur_worthing.description != "Alone now"
    assert adur_worthing.councils.count() == 2
    change.refresh_from_db()
    assert change.status == "pending"


def test_accepting_an_ending_records_the_year(adur_worthing, staff):
    change = change_propose(
        kind=Kind.PARTNERSHIP_END,
        partnership=adur_worthing,
        proposed={"end_year": 2025, "comment": ""},
        source="test",
    )
    change_accept(change=change, reviewer=staff)
    adur_worthing.refresh_from_db()
    assert adur_worthing.status == "ended" and adur_worthing.end_year == 2025
    change.refresh_from_db()
    changes_history(changes=[change])
    assert "Status: Operational → Ended" in change.history


def test_an_ending_before_the_start_is_refused(adur_worthing, staff):
    change = change_propose(
        kind=Kind.PARTNERSHIP_END,
        partnership=adur_worthing,
        proposed={"end_year": 2010},
        source="t",
    )
    with pytest.raises(ValidationError):
        change_accept(change=change, reviewer=staff)


def test_accepting_a_new_collaboration_publishes_it_with_its_partners_and_savings(staff):
    adur = Council.objects.get(gss_code="E07000223")
    fire = _fire()
    legal = ServiceCategory.objects.get(slug="legal")
    partnership_with_members(
        adur,
        Council.objects.get(gss_code="E07000229"),
        name="Joint safety team",
        slug="joint-safety-team",
    )
    before_version = map_data_version()
    change = change_propose(
        kind=Kind.PARTNERSHIP_NEW,
        partnership=None,
        proposed={
            "name": "Joint safety team",
            "description": "Home fire safety visits.",
            "status": "operational",
            "start_year": 2024,
            "categories": [legal.pk],
            "councils": [adur.pk],
            "public_bodies": [fire.pk],
            "other_partners": [],
            "no_savings_reason": "",
            "no_savings_reason_other": "",
            "savings": {
                "start_year": 2025,
                "end_year": 2025,
                "amount": "5000.00",
                "kind": "expected",
                "cashable": None,
                "recurrence": "recurring",
                "note": "",
            },
            "comment": "",
        },
        source="Adur, refresh questionnaire 2025/26",
    )
    change_accept(change=change, reviewer=staff)
    change.refresh_from_db()
    partnership = change.partnership
    assert partnership.published and partnership.name == "Joint safety team"
    assert partnership.slug == "joint-safety-team-2", "the slug is unique"
    assert list(partnership.councils.all()) == [adur]
    assert list(partnership.public_bodies.all()) == [fire]
    assert list(partnership.categories.all()) == [legal]
    record = SavingsRecord.objects.get(partnership=partnership)
    assert record.amount == Decimal("5000.00") and record.kind == "expected"
    reason = review_reason(change)
    assert partnership.history.filter(history_change_reason=reason, history_type="+").exists()
    assert record.history.get(history_change_reason=reason).history_type == "+"
    changes_history(changes=[change])
    assert f"Created: {partnership}" in change.history and f"Created: {record}" in change.history
    assert map_data_version() != before_version
    assert Partnership.objects.filter(published=True, pk=partnership.pk).exists()
