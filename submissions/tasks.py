"""Celery tasks of the refresh: each takes ids, calls one service and owns its retries."""

import datetime

from celery import shared_task

from submissions.services.email import MAX_ATTEMPTS, EmailNotSent, email_deliver, emails_stale


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
    ids = emails_stale(older_than=datetime.timedelta(minutes=10))
    for email_id in ids:
        email_send.delay(email_id)
    return len(ids)
