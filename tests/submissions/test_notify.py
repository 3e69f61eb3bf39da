"""Councils are invited, reminded before the deadline and chased after it; staff hear of
each submission. Every message once, however often the actions and beat run."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from core.outbox.models import OutboundEmail
from submissions.models import Questionnaire, RefreshCycle
from submissions.services import cycle_open, link_revoke, questionnaire_for_token
from submissions.services.notify import (
    cycle_invitations_send,
    link_reissue,
    reminder_step_due,
    reminders_send,
    reminders_send_due,
    submission_received,
)
from tests.submissions.refresh_fixtures import (  # noqa: F401 - celery_eager is a fixture
    ADUR,
    WORTHING,
    contact,
    cycle_make,
    superuser_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

DEADLINE = datetime.date(2026, 4, 15)
SITE = "https://map.example.org"


def _days_before(n: int) -> datetime.date:
    return DEADLINE - datetime.timedelta(days=n)


def _token_in(body: str) -> str:
    start = body.index(f"{SITE}/refresh/q/") + len(f"{SITE}/refresh/q/")
    return body[start:].split("/")[0]


@pytest.fixture(autouse=True)
def site_url(settings):
    """Emails sent without a request (beat's reminders) build their links on SITE_URL."""
    settings.SITE_URL = SITE


@pytest.fixture
def cycle(real_data):
    return cycle_make()


@pytest.fixture
def staff_user():
    return superuser_make()


@pytest.fixture
def opened(cycle, django_capture_on_commit_callbacks):
    """The cycle opened on 1 March with Adur (two contacts, one inactive person too) and
    Worthing, every contact invited."""
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    contact(ADUR, "bob@adur.gov.uk", "Bob")
    contact(ADUR, "gone@adur.gov.uk", "Gone", active=False)
    contact(WORTHING, "wes@worthing.gov.uk", "Wes")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle)
        cycle_invitations_send(cycle=cycle, site_url=SITE)
    first_of_march = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    RefreshCycle.objects.filter(pk=cycle.pk).update(opened_at=first_of_march)
    # The invitations went that day (a contact's reminders count from its invitation).
    OutboundEmail.objects.filter(kind="refresh-invitation").update(
        created_at=first_of_march, sent_at=first_of_march
    )
    cycle.refresh_from_db()
    return cycle


def test_opening_invites_each_active_contact_once_with_a_link_to_their_council(
    opened, django_capture_on_commit_callbacks
):
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"ann@adur.gov.uk", "bob@adur.gov.uk", "wes@worthing.gov.uk"}
    ann = sent["ann@adur.gov.uk"]
    assert "Adur" in ann.subject and "15 April 2026" in ann.subject
    assert "Dear Ann" in ann.body and "15 April 2026" in ann.body
    html = ann.alternatives[0].content
    assert "Adur" in html and f"{SITE}/refresh/q/" in html
    # One link per council, shared by its contacts; it opens that council's questionnaire.
    token = _token_in(ann.body)
    assert _token_in(sent["bob@adur.gov.uk"].body) == token
    assert questionnaire_for_token(token=token).council.short_name == "Adur"
    worthing = questionnaire_for_token(token=_token_in(sent["wes@worthing.gov.uk"].body))
    assert worthing.council.short_name == "Worthing"

    # Pressing "open" again, or a new contact added: only the newcomer is invited.
    contact(WORTHING, "wyn@worthing.gov.uk", "Wyn")
    with django_capture_on_commit_callbacks(execute=True):
        assert cycle_invitations_send(cycle=opened, site_url=SITE) == 1
    assert [m.to for m in mail.outbox[3:]] == [["wyn@worthing.gov.uk"]]
    assert OutboundEmail.objects.filter(kind="refresh-invitation").count() == 4


@pytest.mark.parametrize(
    "today, expected",
    [
        (_days_before(22), None),
        (_days_before(21), ("reminder", 21)),
        (_days_before(19), ("reminder", 21)),  # missed by beat, caught up
        (_days_before(17), None),  # too old to send late, and 7 days is not due yet
        (_days_before(5), ("reminder", 7)),
        (_days_before(1), ("reminder", 1)),  # 7 was missed too: only the latest step
        (DEADLINE, ("reminder", 1)),
        (DEADLINE + datetime.timedelta(days=3), ("chaser", 3)),
        (DEADLINE + datetime.timedelta(days=10), None),
    ],
)
def test_only_the_most_recent_due_step_is_sent(opened, today, expected):
    assert reminder_step_due(cycle=opened, today=today) == expected


def test_no_reminder_falls_on_or_before_the_day_the_cycle_opened(opened):
    opened.opened_at = timezone.make_aware(datetime.datetime(2026, 3, 26, 9, 0))
    # The 21-day step is 25 March, before it opened; the invitation is the first word.
    assert reminder_step_due(cycle=opened, today=datetime.date(2026, 3, 26)) is None
    assert reminder_step_due(cycle=opened, today=_days_before(7)) == ("reminder", 7)


def test_reminders_go_once_to_councils_that_have_not_submitted(
    opened, django_capture_on_commit_callbacks
):
    Questionnaire.objects.filter(council__gss_code=WORTHING).update(
        status=Questionnaire.Status.SUBMITTED
    )
    invitation_token = _token_in(mail.outbox[0].body)
    mail.outbox.clear()
    for _ in range(3):  # beat runs repeat; the same day's reminder is sent once
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send_due(today=_days_before(7))
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@adur.gov.uk", "bob@adur.gov.uk"]
    reminder = mail.outbox[0]
    assert "Reminder" in reminder.subject and "Adur" in reminder.subject
    assert "due in 7 days, by 15 April 2026" in reminder.body
    assert _token_in(reminder.body) == invitation_token
    assert "15 April 2026" in reminder.alternatives[0].content

    # The next step goes on its own day; a chaser after the deadline says so.
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(today=_days_before(1))
        reminders_send_due(today=DEADLINE + datetime.timedelta(days=3))
        reminders_send_due(today=DEADLINE + datetime.timedelta(days=3))
    kinds = [e.kind for e in OutboundEmail.objects.filter(to="ann@adur.gov.uk").order_by("pk")]
    assert kinds == ["refresh-invitation", "refresh-reminder", "refresh-reminder", "refresh-chaser"]
    assert "was due on 15 April 2026, 3 days ago" in mail.outbox[-1].body


def test_reminders_sent_by_beat_link_to_the_site_url_not_to_an_earlier_email(
    opened, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://sharedservices.example.org"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(today=_days_before(7))
    assert mail.outbox
    for message in mail.outbox:
        assert "https://sharedservices.example.org/refresh/q/" in message.body
        assert SITE not in message.body


def test_a_closed_cycle_sends_no_reminders(opened, django_capture_on_commit_callbacks):
    opened.status = RefreshCycle.Status.CLOSED
    opened.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(cycle=opened, today=_days_before(7)) == 0
    assert mail.outbox == []


def test_after_staff_revoke_the_link_reminders_carry_a_new_working_one(
    opened, django_capture_on_commit_callbacks
):
    adur = Questionnaire.objects.get(council__gss_code=ADUR)
    old = _token_in(mail.outbox[0].body)
    for link in adur.links.all():
        link_revoke(link=link)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(cycle=opened, today=_days_before(21))
    adur_reminders = [m for m in mail.outbox if m.to[0].endswith("adur.gov.uk")]
    new = _token_in(adur_reminders[0].body)
    assert new != old
    assert questionnaire_for_token(token=old) is None
    assert questionnaire_for_token(token=new) == adur
    assert _token_in(adur_reminders[1].body) == new


def test_issuing_a_new_link_revokes_the_old_one_and_emails_the_new(
    opened, django_capture_on_commit_callbacks, staff_user
):
    adur = Questionnaire.objects.get(council__gss_code=ADUR)
    old = _token_in(mail.outbox[0].body)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = link_reissue(questionnaire=adur, user=staff_user, site_url=SITE)
    assert questionnaire_for_token(token=old) is None
    assert questionnaire_for_token(token=new) == adur
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@adur.gov.uk", "bob@adur.gov.uk"]
    assert all(_token_in(m.body) == new for m in mail.outbox)
    assert "Earlier links no longer work" in mail.outbox[0].body


def test_staff_hear_once_of_each_submission(
    opened, django_capture_on_commit_callbacks, settings, staff_user
):
    settings.REFRESH_STAFF_EMAILS = ["refresh@local.gov.uk"]
    get_user_model().objects.create_user("no-email", is_staff=True)
    get_user_model().objects.create_user("public", "public@example.org")  # not staff
    adur = Questionnaire.objects.get(council__gss_code=ADUR)
    adur.status = Questionnaire.Status.SUBMITTED
    adur.submitted_at = timezone.now()
    adur.submitted_by_name = "Ann Officer"
    adur.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_received(questionnaire=adur)
        submission_received(questionnaire=adur)
    assert sorted(m.to[0] for m in mail.outbox) == ["lga@local.gov.uk", "refresh@local.gov.uk"]
    note = mail.outbox[0]
    assert "Adur submitted" in note.subject
    assert "by Ann Officer" in note.body
    assert f"{SITE}/admin/submissions/questionnaire/{adur.pk}/review/" in note.body
