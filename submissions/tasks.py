"""Celery tasks of the refresh: each takes ids, calls one service and owns its retries."""

from celery import shared_task

from submissions.models import RefreshCycle
from submissions.services.notify import cycle_invitations_send
from submissions.services.notify import reminders_send_due as reminders_send_due_service

# Sending an email and picking up lost ones are the outbox's tasks (core.outbox.tasks).


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
