"""Staff send a failed email again: a new message keyed after the failed one, sent once
however often the button is pressed, and only for an email that failed."""

from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from core.outbox.models import OutboundEmail
from core.outbox.services import (
    EmailNotResendable,
    email_queue,
    email_resend,
    email_resend_key,
)
from partnerships.models import Council

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

Status = OutboundEmail.Status


def _failed(capture, key="test:resend", **extra) -> OutboundEmail:
    refused = ConnectionRefusedError("down")
    with mock.patch.object(EmailBackend, "send_messages", side_effect=refused):
        with capture(execute=True):
            email = email_queue(
                key=key,
                to="officer@adur.gov.uk",
                template="outbox/email/test_message",
                context={"council": "Adur", "link": "https://example.org/q/abc"},
                kind="test",
                **extra,
            )
    email.refresh_from_db()
    assert email.status == Status.FAILED
    return email


def test_a_failed_email_is_resent_once_as_a_new_message_linked_to_it(
    real_data, django_capture_on_commit_callbacks
):
    adur = Council.objects.get(gss_code="E07000223")
    failed = _failed(django_capture_on_commit_callbacks, about=adur, group="batch:1")
    with django_capture_on_commit_callbacks(execute=True):
        resend = email_resend(email=failed)
        again = email_resend(email=failed)  # pressed twice, or by two people
    assert resend.pk == again.pk != failed.pk
    assert resend.key == "test:resend:resend1"
    assert (resend.to, resend.template, resend.kind, resend.group) == (
        failed.to,
        failed.template,
        failed.kind,
        "batch:1",
    )
    assert resend.about == adur
    assert [m.to for m in mail.outbox] == [["officer@adur.gov.uk"]]
    assert "https://example.org/q/abc" in mail.outbox[0].body
    resend.refresh_from_db()
    failed.refresh_from_db()
    assert resend.status == Status.SENT
    # The failed row is kept as the record of what went wrong.
    assert failed.status == Status.FAILED and "down" in failed.error


def test_a_resend_that_fails_too_can_be_resent_under_the_next_key(
    django_capture_on_commit_callbacks,
):
    failed = _failed(django_capture_on_commit_callbacks)
    with mock.patch.object(EmailBackend, "send_messages", side_effect=ConnectionRefusedError("x")):
        with django_capture_on_commit_callbacks(execute=True):
            first = email_resend(email=failed)
    first.refresh_from_db()
    assert first.status == Status.FAILED
    assert email_resend_key(first) == "test:resend:resend2"
    with django_capture_on_commit_callbacks(execute=True):
        second = email_resend(email=first)
    assert second.key == "test:resend:resend2"
    assert len(mail.outbox) == 1


def test_only_a_failed_email_can_be_resent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = email_queue(
            key="test:sent",
            to="officer@adur.gov.uk",
            template="outbox/email/test_message",
            context={"council": "Adur", "link": "https://example.org/q/abc"},
            kind="test",
        )
    with pytest.raises(EmailNotResendable, match="this one is sent"):
        email_resend(email=sent)
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1
