"""The outbox's Celery tasks: each takes ids, calls one service and owns its retries."""

from celery import Task, shared_task
from celery.exceptions import Retry

from core.outbox.services import MAX_ATTEMPTS, EmailNotSent, email_deliver, emails_stale


class RetriedInProcess(Task):
    """A task whose retries also run when it runs in-process (eagerly: no broker, the
    zero-setup default and the tests). There Celery raises its Retry into the caller
    instead of running the retry when task_eager_propagates is on
    (https://github.com/celery/celery/issues/2164): run it, at once, as a worker would
    after the back-off. Every other exception propagates as configured."""

    def apply(self, args=None, kwargs=None, *, retries=None, **options):
        try:
            return super().apply(args, kwargs, retries=retries, **options)
        except Retry:
            return self.apply(args, kwargs, retries=(retries or 0) + 1, **options)


# Retries are Celery's own (https://docs.celeryq.dev/en/stable/userguide/tasks.html#automatic-retry-for-known-exceptions):
# exponential back-off from 30 s with full jitter (a random wait of up to 30 s, 1, 2 and
# 4 min), capped at 5 min, which stays under the outbox's stale-row age (10 min) so a
# waiting retry is never taken for a lost one.
@shared_task(
    bind=True,
    base=RetriedInProcess,
    autoretry_for=(EmailNotSent,),
    retry_backoff=30,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def email_send(self, email_id: int) -> None:
    """Send one recorded email; on the last retry a failure marks it failed."""
    email_deliver(email_id=email_id, last_attempt=self.request.retries >= self.max_retries)


@shared_task
def emails_send_stale() -> int:
    """Send again the emails whose task or worker was lost (Celery beat, every 15 min)."""
    ids = emails_stale()
    for email_id in ids:
        email_send.delay(email_id)
    return len(ids)
