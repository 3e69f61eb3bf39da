"""Celery tasks of the refresh: each takes ids, calls one service and owns its retries."""

from celery import shared_task

from submissions.models import CouncilContact, RefreshCycle
from submissions.retention import refresh_personal_data_remove
from submissions.services.notify import contact_invite as contact_invite_service
from submissions.services.notify import cycle_invitations_send
from submissions.services.notify import cycles_open_due as cycles_open_due_service
from submissions.services.notify import decisions_announce_missed as decisions_missed_service
from submissions.services.notify import reminders_send_due as reminders_send_due_service

# Sending an email and picking up lost ones are the outbox's tasks (core.outbox.tasks).


@shared_task
def cycles_open_due() -> int:
    """Open every cycle whose "Opens on" date has come and invite its contacts (Celery
    beat, daily); returns how many opened. Running it again the same day does nothing."""
    return len(cycles_open_due_service())


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


@shared_task
def contact_invite(contact_id: int, site_url: str = "") -> int:
    """Invite a contact saved while a cycle is open, at once (queued after the save
    commits); returns how many invitations were queued."""
    contact = CouncilContact.objects.filter(pk=contact_id).first()
    if contact is None:  # deleted before the task ran
        return 0
    return len(contact_invite_service(contact=contact, site_url=site_url))


@shared_task
def decisions_announce_missed() -> int:
    """Announce the decisions whose own announcement was lost (Celery beat, every 15
    minutes); returns how many emails were queued. Nothing is told twice."""
    return decisions_missed_service()


@shared_task
def personal_data_remove() -> dict[str, int]:
    """Blank or delete the refresh's personal data past its period (Celery beat, nightly);
    returns the counts of rows changed. Running it again changes nothing."""
    return refresh_personal_data_remove()
