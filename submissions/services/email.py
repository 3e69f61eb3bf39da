"""Every email the app sends: recorded first, then sent once by a Celery task.

A message is identified by its key. Queuing the same key again returns the row already
there, so a retried task or a repeated beat run never makes a second message. Sending
locks the row, so two workers never send the same message; a message left queued (a
worker killed before it sent it) is picked up by `emails_send_stale`, so none is skipped.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.secret_links import LinkGone, context_with_links
from submissions.models import OutboundEmail

logger = logging.getLogger(__name__)

# After this many failed attempts a message is shown to staff as failed.
MAX_ATTEMPTS = 5


def email_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    kind: str,
    cycle=None,
    questionnaire=None,
) -> OutboundEmail:
    """Record one email (idempotent on `key`) and send it through Celery after commit.

    `template` names three files: `<template>_subject.txt`, `<template>.txt` and
    `<template>.html`. `context` must be JSON-serialisable: it is stored on the row.
    """
    email = OutboundEmail.objects.filter(key=key).first()
    if email is not None:
        return email
    email = OutboundEmail(
        key=key,
        to=to,
        template=template,
        context=context,
        kind=kind,
        cycle=cycle,
        questionnaire=questionnaire,
    )
    email.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        # Another process recorded the same key first: theirs is the one that is sent.
        return OutboundEmail.objects.get(key=key)
    _send_after_commit(email.pk)
    return email


def _send_after_commit(email_id: int) -> None:
    from submissions.tasks import email_send

    transaction.on_commit(lambda: email_send.delay(email_id))


def email_render(*, email: OutboundEmail) -> EmailMultiAlternatives:
    """The message a row describes, as Django would send it, with its secret link (if any)
    rebuilt now from the link's row (core.secret_links). Raises LinkGone when that link
    has been revoked or replaced since the email was queued."""
    context = context_with_links(email.context)
    subject = render_to_string(f"{email.template}_subject.txt", context)
    subject = " ".join(subject.split())
    text = render_to_string(f"{email.template}.txt", context)
    html = render_to_string(f"{email.template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        # The key as Message-ID lets a receiving server drop a duplicate, should a worker
        # die between the server accepting the message and the row being marked sent.
        headers={"Message-ID": f"<{email.key.replace(' ', '-')}@sharedservices.local>"},
    )
    message.attach_alternative(html, "text/html")
    return message


class EmailNotSent(Exception):
    """The mail server refused or could not be reached; the task retries."""


def email_deliver(*, email_id: int) -> OutboundEmail:
    """Send one recorded email unless it has been sent already. Raises EmailNotSent on a
    failure that is worth retrying."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status == OutboundEmail.Status.SENT:
            return email
        email.attempts += 1
        try:
            message = email_render(email=email)
            message.send(fail_silently=False)
        except LinkGone as error:
            # Sending later would not bring the link back: a newer email carries the new one.
            email.error = str(error)
            email.status = OutboundEmail.Status.FAILED
            email.save(update_fields=["attempts", "error", "status"])
            return email
        except Exception as error:  # noqa: BLE001 - any failure is recorded for staff
            logger.warning("Email %s not sent: %s", email.key, error)
            email.error = f"{type(error).__name__}: {error}"
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
            email.save(update_fields=["attempts", "error", "status"])
            failed = email.status != OutboundEmail.Status.FAILED
        else:
            email.subject = message.subject[:300]
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.error = ""
            email.save(update_fields=["attempts", "error", "status", "subject", "sent_at"])
            failed = False
    if failed:
        raise EmailNotSent(email.error)
    return email


def emails_stale(*, older_than: datetime.timedelta) -> list[int]:
    """Ids of emails still queued after `older_than`: their task was lost."""
    cutoff = timezone.now() - older_than
    return list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
