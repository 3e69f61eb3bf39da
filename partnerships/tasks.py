"""Celery tasks for this app."""

from celery import shared_task


@shared_task
def ping() -> str:
    """Answer "pong" from whichever worker runs it: a check that the broker and a worker
    are up, used by the tests and by operators (see the README)."""
    return "pong"
