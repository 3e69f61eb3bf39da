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


def cycle_deliveries(*, cycle, questionnaire: Questionnaire | None = None) -> dict:
    """How the cycle's email reached each active contact, for its dashboard (or, given
    `questionnaire`, for that questionnaire's page alone), in a fixed number of queries:
    `contacts` (one row per questionnaire and active contact, with the newest email to
    them about it, or None) and `failed` (the emails that failed and have not been
    resent since, newest first)."""
    from core.outbox.services import email_resend_key
    from submissions.models import CouncilContact

    emails = emails_of_cycle(cycle)
    if questionnaire is not None:
        emails = emails.filter(object_id=questionnaire.pk)
    emails = list(emails.defer("context").order_by("-created_at", "-pk"))
    keys = {email.key for email in emails}
    newest = {}
    for email in emails:
        newest.setdefault((email.object_id, email.to.lower()), email)
    questionnaires = cycle.questionnaires.select_related("council")
    if questionnaire is not None:
        questionnaires = questionnaires.filter(pk=questionnaire.pk)
    questionnaires = list(questionnaires.order_by("council__short_name"))
    contacts = {}
    for contact in CouncilContact.objects.filter(
        active=True, council__in=[q.council_id for q in questionnaires]
    ).order_by("name", "pk"):
        contacts.setdefault(contact.council_id, []).append(contact)
    rows = [
        {
            "questionnaire": questionnaire,
            "contact": contact,
            "email": newest.get((questionnaire.pk, contact.email.lower())),
        }
        for questionnaire in questionnaires
        for contact in contacts.get(questionnaire.council_id, [])
    ]
    by_pk = {q.pk: q for q in questionnaires}
    failed = [
        {"email": email, "questionnaire": by_pk.get(email.object_id)}
        for email in emails
        if email.status == OutboundEmail.Status.FAILED and email_resend_key(email) not in keys
    ]
    return {"contacts": rows, "failed": failed}
