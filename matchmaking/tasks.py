"""Celery tasks of match-making and the Expert Programme: each calls one service."""

from celery import shared_task

from matchmaking.retention import matchmaking_personal_data_remove


@shared_task
def personal_data_remove() -> dict[str, int]:
    """Blank requesters' and applicants' personal data past its period (Celery beat,
    nightly); returns the counts of rows changed. Running it again changes nothing."""
    return matchmaking_personal_data_remove()
