"""Every email the site sends: recorded first, then sent once by a Celery task.

A message is identified by its key. Queuing the same key again returns the row already
there, so a retried task or a repeated beat run never makes a second message.

Delivery takes three steps, so that no transaction or row lock is held while the mail
server is talked to (settings.EMAIL_TIMEOUT bounds that talk):

1. `email_claim`: one short transaction moves the row to "sending" and counts the
   attempt; a row another worker is sending is left alone.
2. the message is rendered and sent, outside any transaction;
3. another short transaction records "sent", or the error ("queued" again for the task's
   next retry, "failed" after the last).

A row left "queued" (its task was lost) or stuck in "sending" (its worker died mid-send)
is found by `emails_stale` and queued again by the beat task `emails_send_stale`.
"""

import datetime
import hashlib
import logging
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from core.outbox.models import OutboundEmail
from core.secret_links import LinkGone, context_with_links

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status

# After this many failed attempts a message is shown to staff as failed.
MAX_ATTEMPTS = 5
# A row still queued, or still sending, this long after its last attempt began lost its
# task or its worker. Longer than the longest retry back-off (core.outbox.tasks) and than
# any send can take (EMAIL_TIMEOUT), so a live attempt is never taken for a lost one.
STALE_AFTER = datetime.timedelta(minutes=10)


def stale_after() -> datetime.timedelta:
    """How long before a queued or sending row counts as lost (OUTBOX_STALE_SECONDS)."""
    seconds = getattr(settings, "OUTBOX_STALE_SECONDS", None)
    return STALE_AFTER if seconds is None else datetime.timedelta(seconds=seconds)


def email_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    kind: str,
    about: models.Model | None = None,
    group: str = "",
) -> OutboundEmail:
    """Record one email (idempotent on `key`) and send it through Celery after commit.

    `template` names three files: `<template>_subject.txt`, `<template>.txt` and
    `<template>.html`. `context` must be JSON-serialisable: it is stored on the row.
    `about` is the object the email concerns and `group` the batch it belongs to (both
    for finding it again: staff's filters, a caller's "sent already?").
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
        group=group,
        content_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=about.pk if about is not None else None,
    )
    email.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        # Another process recorded the same key first: theirs is the one that is sent.
        return OutboundEmail.objects.get(key=key)
    email_send_after_commit(email_id=email.pk)
    return email


def email_send_after_commit(*, email_id: int) -> None:
    """Hand the email to the worker once the transaction that recorded it commits."""
    from core.outbox.tasks import email_send

    transaction.on_commit(lambda: email_send.delay(email_id))


def emails_about(obj: models.Model):
    """The emails recorded about one object, newest first."""
    return OutboundEmail.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def email_message_id(key: str) -> str:
    """The Message-ID of the message `key` names, the same on every attempt, so that a
    receiving server can drop a duplicate should a worker die between the server
    accepting the message and the row being marked sent. The key hashed: its ":" and
    the addresses some keys hold are not allowed in a Message-ID (RFC 5322, 3.6.4)."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@sharedservices.local>"


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
        headers={"Message-ID": email_message_id(email.key)},
    )
    message.attach_alternative(html, "text/html")
    return message


class EmailNotSent(Exception):
    """The mail server refused or could not be reached; the task retries."""


def email_claim(*, email_id: int) -> OutboundEmail | None:
    """Take the row for one attempt: "sending", one more attempt, committed at once. None
    when there is nothing to send (sent, failed, or being sent by a live attempt)."""
    now = timezone.now()
    lost = now - stale_after()
    with transaction.atomic():
        # One conditional UPDATE is the claim: of two workers, only one changes the row.
        claimed = OutboundEmail.objects.filter(
            Q(status=Status.QUEUED) | Q(status=Status.SENDING, claimed_at__lt=lost),
            pk=email_id,
        ).update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return None
    return OutboundEmail.objects.get(pk=email_id)


def _record(email: OutboundEmail, **fields) -> None:
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(**fields)
    for name, value in fields.items():
        setattr(email, name, value)


def email_deliver(*, email_id: int, last_attempt: bool = False) -> OutboundEmail | None:
    """Send one recorded email unless it has been sent (or is being sent) already.

    Raises EmailNotSent on a failure worth retrying; on the `last_attempt`, or after
    MAX_ATTEMPTS, the email is marked failed instead. Call it with no transaction open:
    the mail server is talked to outside any transaction or lock.
    """
    email = email_claim(email_id=email_id)
    if email is None:
        return None
    try:
        message = email_render(email=email)
        message.send(fail_silently=False)
    except LinkGone as error:
        # Sending later would not bring the link back: a newer email carries the new one.
        _record(email, status=Status.FAILED, error=str(error))
        return email
    except Exception as error:  # noqa: BLE001 - any failure is recorded for staff
        logger.warning("Email %s not sent: %s", email.key, error)
        failed = last_attempt or email.attempts >= MAX_ATTEMPTS
        _record(
            email,
            status=Status.FAILED if failed else Status.QUEUED,
            error=f"{type(error).__name__}: {error}",
        )
        if failed:
            return email
        raise EmailNotSent(email.error) from error
    _record(
        email,
        status=Status.SENT,
        subject=message.subject[:300],
        sent_at=timezone.now(),
        error="",
    )
    return email


def emails_stale(*, older_than: datetime.timedelta | None = None) -> list[int]:
    """Ids of emails whose task or worker was lost: still queued, or still sending,
    `older_than` (default: stale_after()) after their last attempt began."""
    cutoff = timezone.now() - (stale_after() if older_than is None else older_than)
    never_tried = Q(status=Status.QUEUED, claimed_at__isnull=True, created_at__lt=cutoff)
    left = Q(status__in=[Status.QUEUED, Status.SENDING], claimed_at__lt=cutoff)
    return list(
        OutboundEmail.objects.filter(never_tried | left)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


# A resent email is a new row whose key is the original's with ":resend<n>", so that a
# resend pressed twice (or by two members of staff at once) makes one message, and every
# message the outbox holds is still sent at most once. The failed row is kept as it is:
# the record of what went wrong.
RESEND_SUFFIX = re.compile(r":resend(\d+)$")


class EmailNotResendable(Exception):
    """Only an email that failed, and that has not been resent already, can be resent."""


def email_resend_key(email: OutboundEmail) -> str:
    """The key of the next resend of `email`: "<original key>:resend<n+1>"."""
    match = RESEND_SUFFIX.search(email.key)
    if match is None:
        return f"{email.key}:resend1"
    return f"{email.key[: match.start()]}:resend{int(match.group(1)) + 1}"


def email_resend(*, email: OutboundEmail, user=None) -> OutboundEmail:
    """Send a failed email again: a new row (same recipient, template, context, subject
    of the message and batch) keyed after the failed one, sent after commit. Raises
    EmailNotResendable unless `email` failed; resending the same failed row again returns
    the resend already made."""
    email = OutboundEmail.objects.get(pk=email.pk)
    if email.status != Status.FAILED:
        status = email.get_status_display().lower()
        raise EmailNotResendable(f"Only a failed email can be sent again; this one is {status}.")
    resend = email_queue(
        key=email_resend_key(email),
        to=email.to,
        template=email.template,
        context=email.context,
        kind=email.kind,
        about=email.about,
        group=email.group,
    )
    logger.info(
        "Email %s resent as %s by %s", email.key, resend.key, getattr(user, "pk", None) or "-"
    )
    return resend
