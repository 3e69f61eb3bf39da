"""The refresh's workflows each have one table of allowed status moves: a cycle is
opened and closed once, a questionnaire is opened, submitted and reviewed, a proposed
change is decided once. A move is kept in the object's activity log with who made it;
a move the table does not allow is refused with a message and changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from benefits.models import TrackerStatus
from benefits.workflow import TRACKER_TRANSITIONS
from core.activity.selectors import activity_for
from submissions.models import ProposedChange, Questionnaire, RefreshCycle
from submissions.services import change_accept, change_propose, change_reject, cycle_close
from submissions.workflow import (
    AWAITING_REPLY,
    CHANGE_TRANSITIONS,
    CYCLE_TRANSITIONS,
    QUESTIONNAIRE_TRANSITIONS,
    questionnaire_move,
)
from tests.partnerships.factories import partnership_with_members
from tests.submissions.refresh_fixtures import ADUR, WORTHING, council

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_user("reviewer", is_staff=True)


@pytest.mark.parametrize(
    "table, statuses",
    [
        (CYCLE_TRANSITIONS, RefreshCycle.Status.values),
        (QUESTIONNAIRE_TRANSITIONS, Questionnaire.Status.values),
        (CHANGE_TRANSITIONS, ProposedChange.Status.values),
        (TRACKER_TRANSITIONS, TrackerStatus.values),
    ],
)
def test_each_workflow_has_one_row_per_status_and_moves_only_to_its_statuses(table, statuses):
    assert set(table) == set(statuses)
    assert all(set(moves) <= set(statuses) for moves in table.values())


def test_the_councils_not_replied_are_those_not_yet_submitted():
    assert set(AWAITING_REPLY) == {"not_opened", "in_progress"}


def _change(partnership):
    return change_propose(
        kind="savings_record",
        partnership=partnership,
        proposed={"start_year": 2024, "amount": "1000", "kind": "achieved"},
        source="Benefits tracker 1",
    )


def test_a_decision_is_kept_in_the_changes_activity_and_not_made_twice(real_data, reviewer):
    partnership = partnership_with_members(council(ADUR), council(WORTHING))
    change = _change(partnership)
    change_reject(change=change, reviewer=reviewer, reason="Not evidenced")
    entry = activity_for(change).get()
    assert entry.description == "Status: Waiting for review → Rejected"
    assert (entry.user, entry.note) == (reviewer, "Not evidenced")
    with pytest.raises(ValidationError) as refused:
        change_accept(change=change, reviewer=reviewer)
    assert refused.value.messages == ["This change has already been reviewed."]
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.REJECTED
    assert activity_for(change).count() == 1


def test_a_closed_cycle_is_not_closed_again(real_data, reviewer):
    cycle = RefreshCycle.objects.create(financial_year=2030)
    cycle_close(cycle=cycle, user=reviewer)
    cycle.refresh_from_db()
    first_closed = cycle.closed_at
    entry = activity_for(cycle).get()
    assert entry.description == "Status: Draft → Closed" and entry.user == reviewer
    with pytest.raises(ValidationError, match="A cycle that is “Closed” cannot move to “Closed”"):
        cycle_close(cycle=cycle, user=reviewer)
    cycle.refresh_from_db()
    assert cycle.closed_at == first_closed


def test_a_questionnaire_not_submitted_cannot_be_reviewed(real_data):
    cycle = RefreshCycle.objects.create(financial_year=2030)
    questionnaire = Questionnaire.objects.create(cycle=cycle, council=council(ADUR))
    with pytest.raises(ValidationError, match="“Not opened” cannot move to “Reviewed”"):
        questionnaire_move(questionnaire, Questionnaire.Status.REVIEWED)
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.NOT_OPENED
    assert not activity_for(questionnaire).exists()


def test_staff_see_who_did_what_on_the_questionnaires_page(real_data, client):
    from submissions.services.questionnaire import questionnaire_open
    from tests.submissions.refresh_fixtures import superuser_make

    cycle = RefreshCycle.objects.create(financial_year=2030, status=RefreshCycle.Status.OPEN)
    questionnaire = Questionnaire.objects.create(cycle=cycle, council=council(ADUR))
    questionnaire_open(questionnaire=questionnaire)
    client.force_login(superuser_make())
    page = client.get(reverse("admin:submissions_questionnaire_change", args=[questionnaire.pk]))
    html = page.content.decode()
    assert "Who did what" in html and "Opened" in html
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.IN_PROGRESS
    assert activity_for(questionnaire).get().detail == {"from": "not_opened", "to": "in_progress"}
