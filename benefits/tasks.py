"""Celery tasks of the benefits tracker: each calls one service."""

from celery import shared_task

from benefits.retention import benefits_personal_data_remove


@shared_task
def personal_data_remove() -> dict[str, int]:
    """Blank the trackers' personal data past its period (Celery beat, nightly); returns
    the counts of rows changed. Running it again changes nothing."""
    return benefits_personal_data_remove()
