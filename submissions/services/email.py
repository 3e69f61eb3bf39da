"""The refresh's emails in the outbox (core.outbox): each names the questionnaire it
concerns and belongs to its cycle's group, so staff filter them by cycle and the refresh
finds a cycle's or a questionnaire's emails again."""

from core.outbox.models import OutboundEmail
from core.outbox.services import email_queue, emails_about
from submissions.models import Questionnaire


def cycle_email_group(cycle_id: int) -> str:
    """The outbox group of a refresh cycle's emails."""
    return f"refresh-cycle:{cycle_id}"


def refresh_email_queue(
    *, questionnaire: Questionnaire, key: str, to: str, template: str, context: dict, kind: str
) -> OutboundEmail:
    """Queue one email about a questionnaire, in its cycle's group (core.outbox)."""
    return email_queue(
        key=key,
        to=to,
        template=template,
        context=context,
        kind=kind,
        about=questionnaire,
        group=cycle_email_group(questionnaire.cycle_id),
    )


def emails_of_cycle(cycle):
    """Every email of a refresh cycle, newest first."""
    return OutboundEmail.objects.filter(group=cycle_email_group(cycle.pk))


def emails_of_questionnaire(questionnaire: Questionnaire):
    """Every email about one questionnaire, newest first."""
    return emails_about(questionnaire)
