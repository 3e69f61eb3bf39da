"""Removing personal data once its retention period has passed (the privacy notice's
periods, set in settings as RETENTION_*).

The kernel's own part: the email outbox's recipients and message contents, the admin's
sign-in records (django-axes keeps the address, username and browser of every sign-in
and failed attempt) and expired sessions. Each app removes what it holds in its own
`retention` module, using `years_before` and `activity_names_remove` from here. Each
function is idempotent: a second run changes nothing, and returns zero counts.
"""

import datetime
import hashlib

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.activity.models import ActivityEntry
from core.outbox.models import OutboundEmail

# What an outbox key that named its recipient becomes once the recipient is removed.
RETAINED_KEY_PREFIX = "retained:"


def years_before(now: datetime.datetime, years: int) -> datetime.datetime:
    """The moment `years` whole years before `now` (29 February becomes 28 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def activity_names_remove(rows: models.QuerySet, *, notes: bool = False) -> int:
    """Blank the names of people without an account ("by" in the activity log: a council
    officer's name and email, a requester) in the log of every row of `rows`, and with
    `notes` the free-text note kept beside each entry (a reason, the expert's name). Staff's
    accounts stay linked: they are the LGA's own records of its staff's decisions. Returns
    how many entries changed."""
    entries = ActivityEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(rows.model),
        object_id__in=rows.values("pk"),
    )
    named = set(entries.exclude(actor="").values_list("pk", flat=True))
    entries.filter(pk__in=named).update(actor="")
    if notes:
        for entry in entries.filter(detail__has_key="note").only("pk", "detail"):
            detail = {key: value for key, value in entry.detail.items() if key != "note"}
            ActivityEntry.objects.filter(pk=entry.pk).update(detail=detail or None)
            named.add(entry.pk)
    return len(named)


@transaction.atomic
def outbox_personal_data_remove(*, now: datetime.datetime | None = None) -> int:
    """Blank the recipient, the contents (the context the message was drawn from) and any
    error of every email sent (or failed, counted from when it was queued) more than
    RETENTION_DAYS_OUTBOX days ago. The row and its subject stay, so staff can still see
    that it went; a key naming the recipient (a decision summary's) becomes its SHA-256
    digest, still unique, so that the same message is never sent again."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.RETENTION_DAYS_OUTBOX)
    done = [OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED]
    old = OutboundEmail.objects.filter(status__in=done).filter(
        Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, created_at__lt=cutoff)
    )
    for pk, key in old.filter(key__contains="@").values_list("pk", "key"):
        digest = hashlib.sha256(key.encode()).hexdigest()
        OutboundEmail.objects.filter(pk=pk).update(key=f"{RETAINED_KEY_PREFIX}{digest}")
    return old.exclude(to="", context={}, error="").update(to="", context={}, error="")


@transaction.atomic
def sign_in_records_remove(*, now: datetime.datetime | None = None) -> int:
    """Delete django-axes' records of sign-ins and failed attempts to the admin (IP
    address, username, browser) older than RETENTION_DAYS_SIGN_IN_RECORDS."""
    days = settings.RETENTION_DAYS_SIGN_IN_RECORDS
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    removed = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
        removed += count
    return removed


def sessions_expired_remove(*, now: datetime.datetime | None = None) -> int:
    """Delete expired sessions (what `manage.py clearsessions` does): a session holds a
    name or email typed into a form for the next page, and the admin's sign-in."""
    count, _ = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return count


def kernel_personal_data_remove(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Everything the kernel holds past its period, as counts of rows changed or deleted."""
    now = now or timezone.now()
    return {
        "emails": outbox_personal_data_remove(now=now),
        "sign_in_records": sign_in_records_remove(now=now),
        "sessions": sessions_expired_remove(now=now),
    }
