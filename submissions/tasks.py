"""Celery tasks of the refresh: each takes ids, calls one service and owns its retries."""

import datetime

from celery import shared_task
from django.conf import settings

from submissions.models import RefreshCycle
from submissions.services.email import MAX_ATTEMPTS, EmailNotSent, email_deliver, emails_stale
from submissions.services.notify import cycle_invitations_send
from submissions.services.notify import reminders_send_due as reminders_send_due_service

# An email still queued after this long lost its task (its worker was stopped) and is
# queued again; sending is idempotent, so a slow task queued twice still sends once.
# The worker test sets REFRESH_EMAIL_STALE_SECONDS low to see the pick-up happen.
STALE_AFTER_SECONDS = 600


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1)
def email_send(self, email_id: int) -> None:
    """Send one recorded email; retried with back-off when the mail server fails."""
    try:
        email_deliver(email_id=email_id)
    except EmailNotSent as error:
        if self.request.is_eager:
            # Run in-process (the zero-setup default) there is no worker to come back
            # later: try again now until sent or marked failed, never raising into a page.
            while True:
                try:
                    email_deliver(email_id=email_id)
                    return
                except EmailNotSent:
                    continue
        # 30 s, 1 min, 2 min, 4 min: then the email is shown to staff as failed.
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task
def emails_send_stale() -> int:
    """Send emails whose task was lost (a worker stopped mid-batch)."""
    seconds = getattr(settings, "REFRESH_EMAIL_STALE_SECONDS", STALE_AFTER_SECONDS)
    ids = emails_stale(older_than=datetime.timedelta(seconds=seconds))
    for email_id in ids:
        email_send.delay(email_id)
    return len(ids)


@shared_task
def reminders_send_due() -> int:
    """Today's reminders and chasers for every open cycle (Celery beat, daily). Running
    it again the same day sends nothing new."""
    return reminders_send_due_service()


@shared_task
def invitations_send(cycle_id: int, site_url: str = "") -> int:
    """Invite every contact of the cycle not yet invited (after the cycle opens, or
    after councils or contacts are added to it)."""
    cycle = RefreshCycle.objects.get(pk=cycle_id)
    return cycle_invitations_send(cycle=cycle, site_url=site_url)
