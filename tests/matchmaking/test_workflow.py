"""Each match-making workflow has one table of allowed status moves: a move it allows
is kept in the activity log with who made it and both statuses, a move it does not is
refused with a message and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.activity.selectors import activity_for
from matchmaking import services
from matchmaking.models import ExpertApplication, MatchRequest
from matchmaking.workflow import APPLICATION_TRANSITIONS, INTRODUCIBLE, REQUEST_TRANSITIONS
from tests.matchmaking.factories import ExpertApplicationFactory, MatchRequestFactory

pytestmark = pytest.mark.usefixtures("real_data")

A = ExpertApplication.Status


def test_every_status_of_each_workflow_has_a_row_in_its_table():
    assert set(REQUEST_TRANSITIONS) == set(MatchRequest.Status.values)
    assert set(APPLICATION_TRANSITIONS) == set(A.values)
    for table, statuses in (
        (REQUEST_TRANSITIONS, MatchRequest.Status.values),
        (APPLICATION_TRANSITIONS, A.values),
    ):
        assert all(set(moves) <= set(statuses) for moves in table.values())
    assert set(INTRODUCIBLE) <= set(REQUEST_TRANSITIONS)


def test_a_status_move_is_kept_with_who_and_both_statuses(staff):
    request = MatchRequestFactory(status=MatchRequest.Status.EMAIL_CONFIRMED)
    services.match_request_transition(
        match_request=request, status=MatchRequest.Status.IN_DISCUSSION, user=staff
    )
    entry = activity_for(request).get(verb="status_changed")
    assert entry.description == "Status: Email confirmed → In discussion"
    assert entry.detail == {"from": "email_confirmed", "to": "in_discussion"}
    assert entry.user == staff


def test_a_declined_application_cannot_be_awarded_or_declined_again(staff):
    application = ExpertApplicationFactory(status=A.DECLINED, decision_reason="Out of scope")
    with pytest.raises(ValidationError) as refused:
        services.application_decline(application=application, user=staff, reason="Again")
    assert refused.value.messages == [
        "An application that is “Declined” cannot move to “Declined”."
    ]
    application.refresh_from_db()
    assert application.decision_reason == "Out of scope"
    assert not activity_for(application).filter(verb="declined").exists()


def test_declining_moves_the_application_and_keeps_the_reason(staff):
    application = ExpertApplicationFactory(status=A.SUBMITTED)
    services.application_decline(application=application, user=staff, reason="Out of scope")
    application.refresh_from_db()
    assert application.status == A.DECLINED
    entry = activity_for(application).get(verb="declined")
    assert (entry.description, entry.note, entry.user) == ("Declined", "Out of scope", staff)
    assert entry.detail["from"] == "submitted" and entry.detail["to"] == "declined"


def test_only_an_awarded_applications_work_is_completed(staff):
    application = ExpertApplicationFactory(status=A.SUBMITTED)
    with pytest.raises(ValidationError, match="cannot move to “Work complete, outcomes due”"):
        services.application_work_complete(
            application=application, user=staff, link_for=lambda token: f"/x/{token}/"
        )
    application.refresh_from_db()
    assert application.status == A.SUBMITTED


def test_staff_see_each_move_on_the_requests_page_and_in_the_activity_list(staff, client):
    request = MatchRequestFactory(status=MatchRequest.Status.EMAIL_CONFIRMED)
    services.match_request_transition(
        match_request=request,
        status=MatchRequest.Status.CLOSED,
        user=staff,
        reason="The council found a partner itself.",
    )
    client.force_login(staff)
    page = client.get(reverse("admin:matchmaking_matchrequest_change", args=[request.pk]))
    html = page.content.decode()
    assert "Activity (every action, newest first)" in html
    assert "Status: Email confirmed → Closed" in html
    assert "The council found a partner itself." in html and "broker" in html
    listing = client.get(reverse("admin:activity_activityentry_changelist")).content.decode()
    assert "Status: Email confirmed → Closed" in listing and request.reference in listing
