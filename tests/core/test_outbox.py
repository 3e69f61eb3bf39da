"""The outbox: every email is recorded, sent once with no transaction open, retried by
Celery when the mail server fails and then shown to staff as failed; emails whose task or
worker was lost are found and sent."""

import datetime
import re
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from core.outbox import tasks
from core.outbox.models import OutboundEmail
from core.outbox.services import (
    email_claim,
    email_message_id,
    email_queue,
    emails_about,
    emails_stale,
)
from partnerships.models import Council

Status = OutboundEmail.Status


def _queue(key="test:1", to="officer@adur.gov.uk", **extra):
    return email_queue(
        key=key,
        to=to,
        template="outbox/email/test_message",
        context={"council": "Adur", "link": "https://example.org/q/abc"},
        kind="test",
        **extra,
    )


@pytest.mark.django_db
def test_a_queued_email_is_sent_after_commit_with_text_and_html(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
        assert mail.outbox == []  # not before the transaction that recorded it commits
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@adur.gov.uk"]
    assert "Adur" in message.subject
    assert "https://example.org/q/abc" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert "https://example.org/q/abc" in message.alternatives[0].content
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.subject == "A test message for Adur"


@pytest.mark.django_db
def test_queuing_the_same_key_twice_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        second = _queue()
    with django_capture_on_commit_callbacks(execute=True):
        third = _queue(to="someone-else@adur.gov.uk")
    assert first.pk == second.pk == third.pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer@adur.gov.uk"]
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_sending_an_already_sent_email_again_does_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    tasks.email_send.delay(email.pk)
    tasks.email_send.delay(email.pk)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


@pytest.mark.django_db
def test_an_email_names_the_object_it_concerns_and_its_group(django_capture_on_commit_callbacks):
    adur = Council.objects.get(short_name="Adur")
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(about=adur, group="test-batch:1")
    assert email.about == adur
    assert list(emails_about(adur)) == [email]
    assert list(OutboundEmail.objects.filter(group="test-batch:1")) == [email]


class _Observed:
    """What the mail backend saw while it sent: whether a transaction was open, and
    the row's delivery status as another connection would read it."""

    seen: list[tuple[bool, str, int]] = []


class TransactionWatchingBackend(EmailBackend):
    def send_messages(self, messages):
        email = OutboundEmail.objects.get()
        _Observed.seen.append((connection.in_atomic_block, email.status, email.attempts))
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_the_mail_server_is_talked_to_with_no_transaction_open_and_the_row_claimed(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.TransactionWatchingBackend"
    _Observed.seen = []
    email = _queue()

    # The claim ("sending", one attempt) was committed before the send began.
    assert _Observed.seen == [(False, Status.SENDING, 1)]
    email.refresh_from_db()
    assert email.status == Status.SENT and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_then_the_email_is_shown_as_failed(
    django_capture_on_commit_callbacks,
):
    with mock.patch.object(
        EmailBackend, "send_messages", side_effect=ConnectionRefusedError("mail server down")
    ) as send:
        with django_capture_on_commit_callbacks(execute=True):
            email = _queue()
    assert send.call_count == 5  # the first attempt and Celery's four retries
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 5
    assert "mail server down" in email.error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_attempt_goes_back_to_the_queue_for_a_retry_after_a_jittered_back_off(
    django_capture_on_commit_callbacks,
):
    with mock.patch.object(tasks.email_send, "delay"):
        with django_capture_on_commit_callbacks(execute=True):
            email = _queue()
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=TimeoutError("timed out")),
        mock.patch.object(tasks.email_send, "retry", side_effect=Retry) as retry,
        pytest.raises(Retry),
    ):
        tasks.email_send(email.pk)  # as a worker runs it, not eagerly
    countdown = retry.call_args.kwargs["countdown"]
    assert 0 <= countdown <= 30
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.QUEUED, 1)
    assert email.error == "TimeoutError: timed out"


@pytest.mark.django_db
def test_an_email_being_sent_is_not_claimed_a_second_time(django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.email_send, "delay"):
        with django_capture_on_commit_callbacks(execute=True):
            email = _queue()
    assert email_claim(email_id=email.pk) is not None
    assert email_claim(email_id=email.pk) is None
    tasks.email_send.delay(email.pk)
    assert mail.outbox == []  # the first claim's worker is the one that sends it


@pytest.mark.django_db
def test_emails_left_queued_or_stuck_sending_are_found_and_sent_once(
    django_capture_on_commit_callbacks,
):
    with mock.patch.object(tasks.email_send, "delay"):
        with django_capture_on_commit_callbacks(execute=True):
            lost, stuck, live, waiting, fresh, sent = (_queue(key=f"k{n}") for n in range(6))
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    just_now = timezone.now() - datetime.timedelta(seconds=5)
    OutboundEmail.objects.filter(pk=lost.pk).update(created_at=long_ago)
    OutboundEmail.objects.filter(pk=stuck.pk).update(
        created_at=long_ago, status=Status.SENDING, claimed_at=long_ago, attempts=1
    )
    OutboundEmail.objects.filter(pk=live.pk).update(
        created_at=long_ago, status=Status.SENDING, claimed_at=just_now, attempts=1
    )
    # A retry waiting out its back-off after a recent attempt is not lost.
    OutboundEmail.objects.filter(pk=waiting.pk).update(
        created_at=long_ago, claimed_at=just_now, attempts=1
    )
    OutboundEmail.objects.filter(pk=sent.pk).update(created_at=long_ago, status=Status.SENT)

    assert emails_stale() == [lost.pk, stuck.pk]
    assert tasks.emails_send_stale.delay().get() == 2
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        [email_message_id("k0"), email_message_id("k1")]
    )
    assert tasks.emails_send_stale.delay().get() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_each_message_has_one_well_formed_message_id_whatever_its_key_holds(
    django_capture_on_commit_callbacks,
):
    key = "cycle1:q11:decisions:294a6563fe771c47:officer0@e06000002.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        _queue(key=key)
        _queue(key=f"{key}:resend1")
    first, resent = (m.extra_headers["Message-ID"] for m in mail.outbox)
    # One id-left "@" id-right, of characters a Message-ID may hold (RFC 5322, 3.6.4).
    assert re.fullmatch(r"<[0-9a-f]{40}@sharedservices\.local>", first)
    assert first == email_message_id(key) and resent == email_message_id(f"{key}:resend1")
    assert first != resent
    # On one line of the message as sent, not folded.
    assert f"\nMessage-ID: {first}\n" in mail.outbox[0].message().as_string()
