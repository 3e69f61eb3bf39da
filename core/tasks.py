"""The kernel's Celery tasks (the outbox's own are in core.outbox.tasks)."""

from celery import shared_task

from core.retention import kernel_personal_data_remove


@shared_task
def personal_data_remove() -> dict[str, int]:
    """Blank old emails' recipients and contents, delete old sign-in records and expired
    sessions (Celery beat, nightly); returns the counts. Running it again changes nothing."""
    return kernel_personal_data_remove()
