"""Every email is recorded, sent once, retried on failure and then shown as failed."""

from unittest import mock

import pytest
from django.core import mail

from submissions.models import OutboundEmail
from submissions.services import email_queue


def _queue(key="test:1", to="officer@adur.gov.uk"):
    return email_queue(
        key=key,
        to=to,
        template="submissions/email/test_message",
        context={"council": "Adur", "link": "https://example.org/q/abc"},
        kind="test",
    )


@pytest.mark.django_db
def test_a_queued_email_is_sent_after_commit_with_text_and_html(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@adur.gov.uk"]
    assert "Adur" in message.subject
    assert "https://example.org/q/abc" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert "https://example.org/q/abc" in message.alternatives[0].content
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


@pytest.mark.django_db
def test_queuing_the_same_key_twice_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        second = _queue()
    with django_capture_on_commit_callbacks(execute=True):
        third = _queue()
    assert first.pk == second.pk == third.pk
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_sending_an_already_sent_email_again_does_nothing(django_capture_on_commit_callbacks):
    from submissions.tasks import email_send

    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    email_send.delay(email.pk)
    email_send.delay(email.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_then_the_email_is_shown_as_failed(
    django_capture_on_commit_callbacks,
):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail server down"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            email = _queue()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 5
    assert "mail server down" in email.error
    assert mail.outbox == []
