"""After review a council's questionnaire shows what is published, a resubmission
proposes only what changed since staff decided, and the catch-up never adds back what
the council itself proposed and had accepted."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from partnerships.models import Partnership
from submissions.models import ProposedChange, QuestionnaireItem
from submissions.services.questionnaire import item_add, item_save, questionnaire_submit
from submissions.services.resync import item_resync
from submissions.services.staff import changes_decide, cycle_catch_up
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db
Kind = ProposedChange.Kind
NAME = "Adur and Worthing shared CCTV"


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_user("reviewer", is_staff=True)


def _values(item, **changes) -> dict:
    item.refresh_from_db()
    data = {
        "description": item.description,
        "status": item.status,
        "end_year": item.end_year,
        "categories": [c.pk for c in item.categories.all()],
        "councils": [c.pk for c in item.councils.all()],
        "public_bodies": [b.pk for b in item.public_bodies.all()],
        "other_partners": item.other_partners,
        "savings_amount": item.savings_amount,
        "savings_kind": item.savings_kind,
        "savings_cashable": item.savings_cashable,
        "savings_recurrence": item.savings_recurrence,
        "no_savings_reason": item.no_savings_reason,
        "no_savings_reason_other": item.no_savings_reason_other,
        "comment": item.comment,
    }
    data.update(changes)
    return data


def _answer(item, answer: str, **changes) -> QuestionnaireItem:
    data = _values(item, **changes)
    return item_save(
        item=item, answer=answer, data=data, by_name="Jo", expected_version=item.version
    )


def _submit(questionnaire):
    questionnaire_submit(questionnaire=questionnaire, name="Jo", email="jo@adur.gov.uk")
    return ProposedChange.objects.filter(questionnaire=questionnaire, status="pending")


def _accept_all(questionnaire, reviewer):
    pending = ProposedChange.objects.filter(questionnaire=questionnaire, status="pending")
    changes_decide(decisions=[(c, "accept", "") for c in pending], reviewer=reviewer)


def _prefilled(adur):
    return list(adur.items.filter(partnership__isnull=False).order_by("pk"))


def _add_new(adur, worthing, **changes) -> QuestionnaireItem:
    data = {
        "name": NAME,
        "description": "Cameras watched from one room.",
        "status": "operational",
        "categories": [1],
        "councils": [adur.council_id, worthing.council_id],
        "start_year": 2024,
        "savings_amount": Decimal("5000"),
        "savings_kind": "achieved",
        "savings_cashable": True,
        **changes,
    }
    return item_add(questionnaire=adur, data=data, by_name="Jo")


@pytest.fixture
def answered(adur):
    """Adur answered every pre-filled partnership as unchanged."""
    for item in _prefilled(adur):
        _answer(item, "unchanged")
    return adur


def test_an_accepted_new_collaboration_becomes_a_prefilled_item_of_its_partnership(
    answered, worthing, reviewer
):
    adur = answered
    item = _add_new(adur, worthing)
    _submit(adur)
    _accept_all(adur, reviewer)
    item.refresh_from_db()
    partnership = Partnership.objects.get(name=NAME)
    assert item.partnership == partnership
    assert item.answer == "unchanged" and item.done, "not 'To do'"
    assert item.prefilled["name"] == NAME
    assert item.prefilled["latest_savings"]["amount"] == "5000.00"
    assert sorted(item.prefilled["councils"]) == sorted([adur.council_id, worthing.council_id])
    assert adur.items.filter(partnership=partnership).count() == 1


def test_an_accepted_figure_shows_as_the_latest_savings(answered, reviewer):
    adur = answered
    item = _prefilled(adur)[0]
    assert item.prefilled["latest_savings"] is None or (
        item.prefilled["latest_savings"]["amount"] != "125000.00"
    )
    _answer(item, "unchanged", savings_amount=Decimal("125000"), savings_kind="achieved")
    _submit(adur)
    version = item.version
    _accept_all(adur, reviewer)
    item.refresh_from_db()
    assert item.prefilled["latest_savings"]["amount"] == "125000.00"
    assert item.prefilled["latest_savings"]["start_year"] == 2025
    assert item.version > version, "a colleague's open form is told it changed"


def test_an_accepted_update_is_mirrored_and_staff_edits_meanwhile_are_kept(answered, reviewer):
    adur = answered
    item = _prefilled(adur)[0]
    _answer(
        item,
        "updated",
        description="Now also shares legal services.",
        no_savings_reason="other",
        no_savings_reason_other="Not measured this year",
    )
    _submit(adur)
    # Meanwhile staff correct the partnership's status themselves.
    Partnership.objects.filter(pk=item.partnership_id).update(status="proposed")
    _accept_all(adur, reviewer)
    item.refresh_from_db()
    assert item.prefilled["description"] == "Now also shares legal services."
    assert item.prefilled["status"] == "proposed"
    assert item.status == "proposed", "the field the council left alone follows the map"
    assert item.description == "Now also shares legal services."
    # Resubmitting after changing another partnership does not undo staff's status.
    other = _prefilled(adur)[1]
    _answer(other, "unchanged", no_savings_reason="not_measured")
    pending = _submit(adur)
    assert [(c.kind, c.item_id) for c in pending] == [(Kind.PARTNERSHIP_UPDATE, other.pk)]


def test_a_resubmission_proposes_only_what_changed_since_the_accepted_answers(
    answered, worthing, reviewer
):
    adur = answered
    first, second = _prefilled(adur)
    _add_new(adur, worthing)
    _answer(first, "unchanged", savings_amount=Decimal("70000"), savings_kind="achieved")
    assert sorted(c.kind for c in _submit(adur)) == [Kind.PARTNERSHIP_NEW, Kind.SAVINGS_RECORD]
    _accept_all(adur, reviewer)
    # The council changes one other answer and sends it again.
    _answer(second, "unchanged", savings_amount=Decimal("1000"), savings_kind="expected")
    pending = list(_submit(adur))
    assert [(c.kind, c.item_id) for c in pending] == [(Kind.SAVINGS_RECORD, second.pk)]
    _accept_all(adur, reviewer)
    assert Partnership.objects.filter(name=NAME).count() == 1
    assert adur.items.count() == 3


def test_an_accepted_ending_is_not_proposed_again(answered, reviewer):
    adur = answered
    item = _prefilled(adur)[0]
    _answer(item, "ended", end_year=2025)
    assert _submit(adur).get().kind == Kind.PARTNERSHIP_END
    _accept_all(adur, reviewer)
    item.refresh_from_db()
    assert item.prefilled["status"] == "ended" and item.prefilled["end_year"] == 2025
    assert item.answer == "ended"
    assert not _submit(adur).exists()


def test_a_rejected_proposal_is_not_proposed_again_until_the_council_changes_it(answered, reviewer):
    adur = answered
    item = _prefilled(adur)[0]
    _answer(item, "unchanged", savings_amount=Decimal("900000"), savings_kind="achieved")
    change = _submit(adur).get()
    changes_decide(decisions=[(change, "reject", "That is the whole budget.")], reviewer=reviewer)
    assert not _submit(adur).exists(), "staff said no to exactly this"
    item.refresh_from_db()
    _answer(item, "unchanged", savings_amount=Decimal("90000"), savings_kind="achieved")
    pending = _submit(adur).get()
    assert pending.kind == Kind.SAVINGS_RECORD and pending.proposed["amount"] == "90000.00"


def test_a_rejected_new_collaboration_stays_the_councils_and_is_not_sent_again_unchanged(
    answered, worthing, reviewer
):
    adur = answered
    item = _add_new(adur, worthing)
    change = _submit(adur).get()
    changes_decide(decisions=[(change, "reject", "Already on the map.")], reviewer=reviewer)
    item.refresh_from_db()
    assert item.partnership is None and item.answer == "new"
    assert not _submit(adur).exists()
    item_save(
        item=item,
        answer="new",
        data={**_values(item), "name": NAME, "start_year": 2024, "description": "Other words"},
        by_name="Jo",
        expected_version=item.version,
    )
    assert _submit(adur).get().kind == Kind.PARTNERSHIP_NEW


def test_the_catch_up_never_adds_back_what_the_council_proposed_and_had_accepted(
    answered, worthing, reviewer, open_cycle
):
    adur = answered
    _add_new(adur, worthing)
    _submit(adur)
    _accept_all(adur, reviewer)
    partnership = Partnership.objects.get(name=NAME)
    made, added = cycle_catch_up(cycle=open_cycle)
    items = adur.items.filter(partnership=partnership)
    assert items.count() == 1 and items.get().answer == "unchanged"
    assert not adur.items.filter(partnership__isnull=True).exists()
    # Worthing did not propose it: it gets the partnership to confirm.
    assert worthing.items.get(partnership=partnership).answer == "unanswered"
    assert added == 1


def test_the_catch_up_links_a_new_collaboration_accepted_before_items_followed_decisions(
    answered, worthing, reviewer, open_cycle
):
    adur = answered
    item = _add_new(adur, worthing)
    _submit(adur)
    _accept_all(adur, reviewer)
    # As an item accepted before decisions resynced it was left.
    QuestionnaireItem.objects.filter(pk=item.pk).update(partnership=None, answer="new")
    cycle_catch_up(cycle=open_cycle)
    partnership = Partnership.objects.get(name=NAME)
    assert list(adur.items.filter(partnership=partnership)) == [item]
    item.refresh_from_db()
    assert item.answer == "unchanged"


def test_a_new_collaboration_merged_into_a_partnership_already_in_the_questionnaire_is_one_item(
    adur, worthing, reviewer
):
    existing = _prefilled(adur)[0]
    new = _add_new(adur, worthing)
    for item in _prefilled(adur):
        _answer(item, "unchanged")
    change = _submit(adur).get(kind=Kind.PARTNERSHIP_NEW)
    # Staff merge it into the published partnership instead of publishing a copy.
    ProposedChange.objects.filter(pk=change.pk).update(
        status="accepted", partnership=existing.partnership
    )
    change.refresh_from_db()
    kept = item_resync(change)
    assert kept == existing
    assert not QuestionnaireItem.objects.filter(pk=new.pk).exists()
    assert adur.items.filter(partnership=existing.partnership).count() == 1
    change.refresh_from_db()
    assert change.item == existing
    existing.refresh_from_db()
    assert existing.savings_amount == Decimal("5000"), "its figure is kept on the one item"


def test_a_pending_or_rejected_change_leaves_the_item_alone(answered, reviewer):
    adur = answered
    item = _prefilled(adur)[0]
    _answer(item, "unchanged", savings_amount=Decimal("10"), savings_kind="achieved")
    change = _submit(adur).get()
    item.refresh_from_db()
    before = (item.prefilled, item.version)
    assert item_resync(change) is None
    changes_decide(decisions=[(change, "reject", "Too small to count.")], reviewer=reviewer)
    item.refresh_from_db()
    assert (item.prefilled, item.version) == before
