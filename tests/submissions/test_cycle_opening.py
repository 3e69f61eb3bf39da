"""A cycle opens on its "Opens on" date, by itself (beat), and its contacts are invited
then; staff may open it before the date only as an explicit choice, confirmed first."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from submissions import tasks
from submissions.models import RefreshCycle
from submissions.services import cycle_open
from submissions.services.notify import cycles_open_due
from tests.submissions.refresh_fixtures import (  # noqa: F401 - celery_eager is a fixture
    ADUR,
    WORTHING,
    contact,
    superuser_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data", "celery_eager")]

CYCLES = reverse("admin:submissions_refreshcycle_changelist")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def coming(today):
    """Next year's cycle, opening in a week, with Adur's and Worthing's contacts."""
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    contact(WORTHING, "wes@worthing.gov.uk", "Wes")
    return RefreshCycle.objects.create(
        financial_year=2026,
        opens_on=today + datetime.timedelta(days=7),
        deadline=today + datetime.timedelta(days=60),
    )


@pytest.fixture
def staff(client):
    client.force_login(superuser_make())
    return client


def test_a_cycle_is_not_opened_before_its_date_on_the_ordinary_path(coming, today):
    with pytest.raises(ValidationError, match="will open then by itself"):
        cycle_open(cycle=coming)
    coming.refresh_from_db()
    assert coming.status == RefreshCycle.Status.DRAFT and not coming.questionnaires.exists()


def test_on_its_date_beat_opens_the_cycle_and_invites_every_contact_once(
    coming, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles_open_due(today=today + datetime.timedelta(days=6)) == []
    assert mail.outbox == []

    on_the_day = today + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles_open_due(today=on_the_day) == [coming]
    coming.refresh_from_db()
    assert coming.status == RefreshCycle.Status.OPEN and coming.opened_at
    assert coming.questionnaires.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@adur.gov.uk", "wes@worthing.gov.uk"]
    # Beat running again the same day (or the next) opens and sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles_open_due(today=on_the_day) == []
        assert cycles_open_due(today=on_the_day + datetime.timedelta(days=1)) == []
    assert len(mail.outbox) == 2


def test_the_beat_task_opens_the_cycles_due_today(
    coming, today, django_capture_on_commit_callbacks
):
    RefreshCycle.objects.filter(pk=coming.pk).update(opens_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.cycles_open_due.delay().get() == 1
        assert tasks.cycles_open_due.delay().get() == 0
    coming.refresh_from_db()
    assert coming.status == RefreshCycle.Status.OPEN
    assert len(mail.outbox) == 2


def test_beat_leaves_a_cycle_waiting_while_another_is_open(
    coming, today, django_capture_on_commit_callbacks
):
    current = RefreshCycle.objects.create(financial_year=2025, opens_on=today)
    cycle_open(cycle=current)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles_open_due(today=coming.opens_on) == []
    coming.refresh_from_db()
    assert coming.status == RefreshCycle.Status.DRAFT and mail.outbox == []


def test_the_ordinary_action_refuses_a_cycle_before_its_date(
    staff, coming, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            CYCLES, {"action": "open_cycle", "_selected_action": [coming.pk]}, follow=True
        )
    page = response.content.decode()
    assert "will open then by itself" in page and "Open now, before its date" in page
    coming.refresh_from_db()
    assert coming.status == RefreshCycle.Status.DRAFT and mail.outbox == []


def test_staff_open_a_cycle_early_only_after_confirming(
    staff, coming, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        confirm = staff.post(CYCLES, {"action": "open_early", "_selected_action": [coming.pk]})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Open now, before its date" in page
    assert f"{coming.opens_on:%-d %B %Y}" in page
    assert 'name="confirmed" value="yes"' in page
    coming.refresh_from_db()
    assert coming.status == RefreshCycle.Status.DRAFT and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            CYCLES,
            {"action": "open_early", "_selected_action": [coming.pk], "confirmed": "yes"},
            follow=True,
        )
    assert "is open: 2 questionnaires made" in response.content.decode()
    coming.refresh_from_db()
    assert coming.status == RefreshCycle.Status.OPEN
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@adur.gov.uk", "wes@worthing.gov.uk"]
    # Its date then comes: beat finds it open already and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles_open_due(today=coming.opens_on) == []
    assert len(mail.outbox) == 2
