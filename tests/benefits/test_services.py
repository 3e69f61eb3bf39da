"""Submitting a tracker's achieved savings to the review queue, and what staff then see."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from benefits import services
from benefits.models import Tracker, TrackerStatus
from partnerships.models import SavingsRecord
from submissions.models import ProposedChange
from submissions.services import change_accept, change_reject
from tests.benefits.factories import figures_enter, planned_tracker, tracker_for

pytestmark = pytest.mark.usefixtures("real_data")

ADUR_WORTHING = "adur-worthing"


def test_submitting_proposes_one_savings_figure_per_achieved_year():
    tracker, _token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    proposals = services.tracker_submit(tracker=tracker)
    # 2024/25: gross 130,000 - running 30,000 = 100,000; 2025/26: 160,000 - 30,000 = 130,000.
    assert [(p.year, p.amount) for p in proposals] == [
        (2024, Decimal("100000.00")),
        (2025, Decimal("130000.00")),
    ]
    changes = list(ProposedChange.objects.filter(kind="savings_record").order_by("pk"))
    assert len(changes) == 2
    first = changes[0]
    assert first.status == "pending"
    assert first.partnership.slug == ADUR_WORTHING
    assert first.proposed["start_year"] == 2024 and first.proposed["end_year"] == 2024
    assert first.proposed["amount"] == "100000.00"
    assert first.proposed["kind"] == "achieved"
    assert "set-up costs that year £200,000.00 are not deducted" in first.proposed["note"]
    assert first.submitted_by_email == "jo.bloggs@adur-worthing.gov.uk"
    assert first.source == f"Benefits tracker {tracker.pk} (2024/25)"
    tracker.refresh_from_db()
    assert tracker.status == TrackerStatus.SUBMITTED and tracker.submitted_at
    # Nothing is published before staff accept it.
    assert not SavingsRecord.objects.filter(partnership=tracker.partnership, start_year=2024)


def test_submitting_again_sends_only_what_changed_and_staff_decisions_show():
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    services.tracker_submit(tracker=tracker)
    assert services.tracker_submit(tracker=tracker) == []
    staff = User.objects.create_user("reviewer", is_staff=True)
    first, second = ProposedChange.objects.filter(kind="savings_record").order_by("pk")
    change_accept(change=first, reviewer=staff)
    change_reject(change=second, reviewer=staff, reason="Please give the audited figure.")
    record = SavingsRecord.objects.get(partnership=tracker.partnership, start_year=2024)
    assert record.amount == Decimal("100000.00")
    # A rejected year can be sent again.
    again = services.tracker_submit(tracker=tracker)
    assert [p.year for p in again] == [2025]


def test_the_results_page_shows_each_figures_review_status(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    response = client.post(reverse("benefits:tracker-submit", args=[token]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Sent to the LGA&#x27;s staff for review: achieved savings for 2024/25, 2025/26" in page
    assert "Waiting for review" in page


def test_only_achieved_years_of_a_published_partnership_can_be_submitted():
    tracker, _ = tracker_for(ADUR_WORTHING)
    figures_enter(
        tracker,
        years=[services.YearFigures(year=2024, staff=Decimal("5000"), achieved=False)],
    )
    with pytest.raises(ValidationError, match="no achieved figures"):
        services.tracker_submit(tracker=tracker)
    planned, _ = planned_tracker("E07000223", "E07000229")
    with pytest.raises(ValidationError, match="published partnership"):
        services.tracker_submit(tracker=planned)
    assert not ProposedChange.objects.exists()


def test_figures_update_replaces_all_or_nothing():
    tracker, _ = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    with pytest.raises(ValidationError):
        figures_enter(
            tracker,
            years=[
                services.YearFigures(year=2024, staff=Decimal("1")),
                services.YearFigures(year=2024, staff=Decimal("2")),
            ],
        )
    tracker = Tracker.objects.get(pk=tracker.pk)
    assert [y.year for y in tracker.years.all()] == [2024, 2025]


def test_staff_see_the_creator_and_can_revoke_or_reissue_the_link_in_the_admin(
    client, django_capture_on_commit_callbacks
):
    from django.core import mail

    tracker, token = tracker_for(ADUR_WORTHING)
    admin = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    listing = client.get(reverse("admin:benefits_tracker_changelist"))
    assert "jo.bloggs@adur-worthing.gov.uk" in listing.content.decode()
    assert (
        client.get(reverse("admin:benefits_tracker_change", args=[tracker.pk])).status_code == 200
    )
    client.post(
        reverse("admin:benefits_tracker_changelist"),
        {"action": "revoke_link", "_selected_action": [tracker.pk]},
    )
    assert client.get(reverse("benefits:tracker-results", args=[token])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:benefits_tracker_changelist"),
            {"action": "reissue_link", "_selected_action": [tracker.pk]},
        )
    body = mail.outbox[-1].body
    new_link = next(line for line in body.splitlines() if "/benefits/t/" in line).strip()
    client.logout()
    assert client.get(new_link).status_code == 200


def test_an_accepted_tracker_figure_says_it_came_from_the_tracker():
    from partnerships.models import SavingsOrigin

    tracker, _token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    services.tracker_submit(tracker=tracker)
    staff = User.objects.create_user("origin-reviewer", is_staff=True)
    first = ProposedChange.objects.filter(kind="savings_record").order_by("pk").first()
    change_accept(change=first, reviewer=staff)
    record = SavingsRecord.objects.get(partnership=tracker.partnership, start_year=2024)
    assert record.origin == SavingsOrigin.TRACKER
    assert tracker.partnership.name in record.origin_detail
