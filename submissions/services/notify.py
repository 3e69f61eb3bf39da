"""The refresh's email to councils and staff: invitations, reminders before the deadline,
chasers after it, and a note to staff when a questionnaire is submitted.

Every message goes through the outbox (core.outbox, by `refresh_email_queue`) with a key
that names the cycle, the questionnaire, the contact and the step, so an admin action
pressed twice or a beat run that repeats never sends a message twice.

No token is stored (core.secret_links): an email's context names the link, whose token is
rebuilt from the link's row when the email is sent. Reminders reuse the newest link while
it still works and issue a new one when staff have revoked it.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.money import money_exact
from core.outbox.models import OutboundEmail
from core.outbox.services import email_queue
from core.secret_links import REFERENCE_KEY, link_reference, token_rebuild
from partnerships.models import financial_year_label
from submissions.models import (
    CouncilContact,
    ProposedChange,
    Questionnaire,
    QuestionnaireLink,
    RefreshCycle,
)
from submissions.services.cycle import cycle_open, link_create, questionnaire_create
from submissions.services.email import emails_of_questionnaire, refresh_email_queue
from submissions.workflow import AWAITING_REPLY

logger = logging.getLogger(__name__)

# A reminder step missed (beat was down) is still sent this many days late; older steps
# are dropped, and only the most recent due step is ever sent.
REMINDER_CATCH_UP_DAYS = 3

KIND_INVITATION = "refresh-invitation"
KIND_NEW_LINK = "refresh-new-link"
KIND_REMINDER = "refresh-reminder"
KIND_CHASER = "refresh-chaser"
KIND_STAFF_NOTE = "refresh-submitted-staff"


def questionnaire_path(token: str) -> str:
    """The site-relative address a token opens."""
    try:
        return reverse("submissions:questionnaire", kwargs={"token": token})
    except NoReverseMatch:
        return f"/refresh/q/{token}/"


def _site_url(site_url: str = "") -> str:
    """The address links start with: the request's when there is one, else SITE_URL."""
    return (site_url or settings.SITE_URL).rstrip("/")


def _base_context(questionnaire: Questionnaire, *, link: QuestionnaireLink, site_url: str) -> dict:
    cycle = questionnaire.cycle
    return {
        "council": questionnaire.council.short_name,
        "year": cycle.year_label,
        "deadline": f"{cycle.deadline:%-d %B %Y}",
        # Which link to put in when the email is sent (core.secret_links), never the token.
        REFERENCE_KEY: link_reference(
            link, link_for=lambda token: f"{site_url}{questionnaire_path(token)}"
        ),
        "site_url": site_url,
    }


def _working_link(questionnaire: Questionnaire) -> QuestionnaireLink:
    """The newest link to the questionnaire that still works and can be rebuilt, so that
    every email of a cycle carries the same link; a new one when there is none (a link
    issued before tokens were derived keeps working, but cannot be put in a new email)."""
    for link in (
        QuestionnaireLink.objects.filter(questionnaire=questionnaire, revoked_at__isnull=True)
        .exclude(token_salt="")
        .order_by("-created_at", "-id")[:5]
    ):
        if token_rebuild(
            purpose=link.SECRET_LINK_PURPOSE, salt=link.token_salt, digest=link.token_digest
        ):
            return link
    return link_create(questionnaire=questionnaire)[0]


def _contacts(questionnaire: Questionnaire) -> list[CouncilContact]:
    return list(
        CouncilContact.objects.filter(council=questionnaire.council_id, active=True).order_by("pk")
    )


def _contact_context(contact: CouncilContact, context: dict) -> dict:
    return {**context, "name": contact.name}


def _contacts_waiting(questionnaire: Questionnaire, step: str) -> dict[str, CouncilContact]:
    """The active contacts not yet sent this step's email, by the email's key (which
    makes sending the step again a no-op)."""
    keys = {
        f"cycle{questionnaire.cycle_id}:q{questionnaire.pk}:contact{c.pk}:{step}": c
        for c in _contacts(questionnaire)
    }
    sent = set(OutboundEmail.objects.filter(key__in=keys).values_list("key", flat=True))
    return {key: contact for key, contact in keys.items() if key not in sent}


@transaction.atomic
def invitations_send(*, questionnaire: Questionnaire, site_url: str = "") -> list[OutboundEmail]:
    """Invite each active contact of the questionnaire's council who has not been
    invited yet. One link serves the council's contacts (it may be forwarded)."""
    questionnaire = Questionnaire.objects.select_related("cycle", "council").get(
        pk=questionnaire.pk
    )
    if questionnaire.cycle.status != RefreshCycle.Status.OPEN:
        return []
    waiting = _contacts_waiting(questionnaire, "invitation")
    if not waiting:
        return []
    site_url = _site_url(site_url)
    context = _base_context(questionnaire, link=_working_link(questionnaire), site_url=site_url)
    return [
        refresh_email_queue(
            key=key,
            to=contact.email,
            template="submissions/email/invitation",
            context=_contact_context(contact, context),
            kind=KIND_INVITATION,
            questionnaire=questionnaire,
        )
        for key, contact in waiting.items()
    ]


def cycle_invitations_send(*, cycle: RefreshCycle, site_url: str = "") -> int:
    """Invite every active contact of every questionnaire in the cycle who has not been
    invited yet; returns how many invitations were queued."""
    questionnaires = cycle.questionnaires.select_related("cycle", "council").order_by("pk")
    return sum(len(invitations_send(questionnaire=q, site_url=site_url)) for q in questionnaires)


@transaction.atomic
def link_reissue(*, questionnaire: Questionnaire, user=None, site_url: str = "") -> str:
    """Revoke the questionnaire's links, issue a new one and email it to the council's
    active contacts. Returns the new token."""
    questionnaire = Questionnaire.objects.select_related("cycle", "council").get(
        pk=questionnaire.pk
    )
    now = timezone.now()
    questionnaire.links.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_by=user)
    link, token = link_create(questionnaire=questionnaire)
    site_url = _site_url(site_url)
    context = _base_context(questionnaire, link=link, site_url=site_url)
    for contact in _contacts(questionnaire):
        refresh_email_queue(
            key=f"cycle{questionnaire.cycle_id}:q{questionnaire.pk}:contact{contact.pk}:link{link.pk}",
            to=contact.email,
            template="submissions/email/new_link",
            context=_contact_context(contact, context),
            kind=KIND_NEW_LINK,
            questionnaire=questionnaire,
        )
    return token


def step_date(cycle: RefreshCycle, kind: str, days: int) -> datetime.date:
    """The day a reminder ("reminder", days before the deadline) or a chaser ("chaser",
    days after it) falls on."""
    delta = datetime.timedelta(days=days)
    return cycle.deadline - delta if kind == "reminder" else cycle.deadline + delta


def _contacts_invited_before(
    questionnaire: Questionnaire, waiting: dict[str, CouncilContact], date: datetime.date
) -> dict[str, CouncilContact]:
    """Those of `waiting` a step falling on `date` may go to: those whose own invitation
    was sent before that day. So a contact added after the cycle opened hears nothing
    before its invitation, and its reminders count from it. A contact there when the
    cycle opened and with no invitation on record counts from the opening."""
    prefix = f"cycle{questionnaire.cycle_id}:q{questionnaire.pk}:contact"
    invitations = {
        email.key: email
        for email in OutboundEmail.objects.filter(
            key__in=[f"{prefix}{contact.pk}:invitation" for contact in waiting.values()]
        )
    }
    opened_at = questionnaire.cycle.opened_at
    allowed = {}
    for key, contact in waiting.items():
        invitation = invitations.get(f"{prefix}{contact.pk}:invitation")
        if invitation is not None:
            if invitation.status != OutboundEmail.Status.SENT or invitation.sent_at is None:
                continue  # its invitation has not gone yet: nothing may overtake it
            invited_on = timezone.localdate(invitation.sent_at)
        elif opened_at is not None and contact.created_at <= opened_at:
            invited_on = timezone.localdate(opened_at)
        else:
            continue  # added since the cycle opened and never invited
        if invited_on < date:
            allowed[key] = contact
    return allowed


def reminder_step_due(*, cycle: RefreshCycle, today: datetime.date) -> tuple[str, int] | None:
    """The one reminder step to send today, as ("reminder" | "chaser", days), or None.

    Steps fall on `deadline - days` (reminders) and `deadline + days` (chasers). The
    most recent step on or before today is due if it is at most REMINDER_CATCH_UP_DAYS
    old and after the day the cycle opened (the invitation covers that day). Older steps
    are never sent late, so a beat that was down for a week sends one message, not
    several.
    """
    steps = [(step_date(cycle, "reminder", d), "reminder", d) for d in cycle.reminder_offsets]
    steps += [(step_date(cycle, "chaser", d), "chaser", d) for d in cycle.chaser_offsets]
    past = [step for step in steps if step[0] <= today]
    if not past:
        return None
    date, kind, days = max(past, key=lambda step: (step[0], step[1] == "chaser"))
    opened = timezone.localdate(cycle.opened_at) if cycle.opened_at else cycle.opens_on
    if date <= opened or (today - date).days > REMINDER_CATCH_UP_DAYS:
        return None
    return kind, days


@transaction.atomic
def reminders_send(*, cycle: RefreshCycle, today: datetime.date | None = None) -> int:
    """Send today's reminder (or chaser) to the contacts of every questionnaire in the
    cycle not yet submitted, each contact only once its invitation was sent on an
    earlier day; returns how many messages were queued now. Safe to run any number of
    times a day."""
    today = today or timezone.localdate()
    if cycle.status != RefreshCycle.Status.OPEN:
        return 0
    step = reminder_step_due(cycle=cycle, today=today)
    if step is None:
        return 0
    kind, days = step
    questionnaires = (
        cycle.questionnaires.filter(status__in=AWAITING_REPLY)
        .select_related("cycle", "council")
        .order_by("pk")
    )
    site_url = _site_url()
    queued = 0
    for questionnaire in questionnaires:
        waiting = _contacts_invited_before(
            questionnaire,
            _contacts_waiting(questionnaire, f"{kind}:{days}"),
            step_date(cycle, kind, days),
        )
        if not waiting:
            continue
        context = {
            **_base_context(questionnaire, link=_working_link(questionnaire), site_url=site_url),
            "days": days,
            "status": questionnaire.get_status_display(),
        }
        for key, contact in waiting.items():
            refresh_email_queue(
                key=key,
                to=contact.email,
                template=f"submissions/email/{kind}",
                context=_contact_context(contact, context),
                kind=KIND_REMINDER if kind == "reminder" else KIND_CHASER,
                questionnaire=questionnaire,
            )
            queued += 1
    return queued


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Today's reminders and chasers for every open cycle (run daily by beat)."""
    return sum(
        reminders_send(cycle=cycle, today=today)
        for cycle in RefreshCycle.objects.filter(status=RefreshCycle.Status.OPEN)
    )


def contact_invite(*, contact: CouncilContact, site_url: str = "") -> list[OutboundEmail]:
    """Invite a contact added (or made active) while a cycle is open, at once: its
    council gets a questionnaire if it has none, and the contact its invitation (once).
    Nothing while no cycle is open or when the contact is inactive."""
    contact = CouncilContact.objects.select_related("council").get(pk=contact.pk)
    cycle = RefreshCycle.objects.filter(status=RefreshCycle.Status.OPEN).first()
    if cycle is None or not contact.active:
        return []
    questionnaire = cycle.questionnaires.filter(council=contact.council).first()
    if questionnaire is None:
        questionnaire = questionnaire_create(cycle=cycle, council=contact.council)
    return invitations_send(questionnaire=questionnaire, site_url=site_url)


def cycles_open_due(*, today: datetime.date | None = None) -> list[RefreshCycle]:
    """Open every draft cycle whose "Opens on" date has come (and whose deadline has
    not passed) and invite its contacts (run daily by beat). A cycle refused (another
    is still open) is left for the next run; a second run the same day does nothing."""
    today = today or timezone.localdate()
    due = RefreshCycle.objects.filter(
        status=RefreshCycle.Status.DRAFT, opens_on__lte=today, deadline__gte=today
    ).order_by("opens_on", "pk")
    opened = []
    for cycle in due:
        try:
            with transaction.atomic():
                cycle_open(cycle=cycle, today=today)
                cycle_invitations_send(cycle=cycle)
        except ValidationError as error:
            logger.warning("%s was not opened on its date: %s", cycle, " ".join(error.messages))
            continue
        opened.append(cycle)
    return opened


def staff_addresses() -> list[str]:
    """Who hears of a submission: active staff with an email address, and any address
    in settings.REFRESH_STAFF_EMAILS."""
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    addresses = list(users.order_by("email").values_list("email", flat=True))
    addresses += list(settings.REFRESH_STAFF_EMAILS)
    return list(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))


def submission_received(*, questionnaire: Questionnaire, site_url: str = "") -> int:
    """Tell staff a questionnaire was submitted (once per submission); returns how many
    notes were queued. Call it after the submission is saved."""
    questionnaire = Questionnaire.objects.select_related("cycle", "council").get(
        pk=questionnaire.pk
    )
    submitted = questionnaire.submitted_at or timezone.now()
    site_url = _site_url(site_url)
    review = reverse("admin:submissions_questionnaire_review", args=[questionnaire.pk])
    context = {
        "council": questionnaire.council.short_name,
        "year": questionnaire.cycle.year_label,
        "deadline": f"{questionnaire.cycle.deadline:%-d %B %Y}",
        "submitted_by": questionnaire.submitted_by_name,
        "submitted_at": f"{timezone.localtime(submitted):%-d %B %Y at %H:%M}",
        "method": questionnaire.get_method_display(),
        "link": f"{site_url}{review}",
    }
    addresses = staff_addresses()
    for address in addresses:
        refresh_email_queue(
            key=f"cycle{questionnaire.cycle_id}:q{questionnaire.pk}:submitted:"
            f"{submitted:%Y%m%dT%H%M%S.%f}:staff:{address}",
            to=address,
            template="submissions/email/staff_submitted",
            context=context,
            kind=KIND_STAFF_NOTE,
            questionnaire=questionnaire,
        )
    return len(addresses)


# Decisions: the council hears of staff's decisions on what it sent, the proposer of a
# change from outside the refresh of the decision on it. Called after the decisions
# commit (`submissions.services.review`), so a decision rolled back is never announced.

KIND_DECISIONS = "refresh-decisions"
KIND_PROPOSAL_DECISION = "proposal-decision"
ACCEPTED, REJECTED = ProposedChange.Status.ACCEPTED, ProposedChange.Status.REJECTED
DECIDED_STATUSES = (ACCEPTED, REJECTED)


def change_words(change: ProposedChange) -> str:
    """What a change asked for, in the words a council or proposer reads."""
    proposed = change.proposed or {}
    if change.kind == ProposedChange.Kind.SAVINGS_RECORD and proposed.get("amount"):
        years = financial_years_label(proposed.get("start_year"), proposed.get("end_year"))
        return (
            f"{change}: {money_exact(proposed['amount'], pence='if-any')} "
            f"{(proposed.get('kind') or '').replace('_', ' ')}, {years}"
        ).replace(" ,", ",")
    return str(change)


def financial_years_label(start, end) -> str:
    """ "2025/26", or "2023/24 to 2025/26", for stored start years."""
    if start in (None, ""):
        return "no year given"
    start, end = int(start), int(end or start)
    first = financial_year_label(start)
    return first if end == start else f"{first} to {financial_year_label(end)}"


def _decisions_told(questionnaire: Questionnaire) -> dict[str, set[int]]:
    """The changes of a questionnaire whose decision an email already carries, by the
    address it went to (so an address missed by an interrupted run is told later)."""
    told: dict[str, set[int]] = {}
    for to, context in (
        emails_of_questionnaire(questionnaire)
        .filter(kind=KIND_DECISIONS)
        .values_list("to", "context")
    ):
        told.setdefault(to.lower(), set()).update(context.get("change_ids") or [])
    return told


def _decision_recipients(questionnaire: Questionnaire) -> dict[str, str]:
    """Who hears of the decisions, address -> name: the council's active contacts and
    whoever submitted the questionnaire (the link may have been forwarded to them)."""
    recipients = {c.email.strip().lower(): c.name for c in _contacts(questionnaire)}
    submitter = questionnaire.submitted_by_email.strip().lower()
    if submitter and submitter not in recipients:
        recipients[submitter] = questionnaire.submitted_by_name
    return recipients


def questionnaire_decisions_send(*, questionnaire: Questionnaire) -> list[OutboundEmail]:
    """Email each of the council's contacts one summary of the decisions on what it sent
    that no earlier summary to them carried (accepted; rejected with the reason), of the
    decisions within the outbox's retention period (older ones were told then). The key
    names the decided changes, so running it again, or from two workers at once, sends
    nothing twice."""
    questionnaire = Questionnaire.objects.select_related("cycle", "council").get(
        pk=questionnaire.pk
    )
    # A decision older than the outbox keeps who was told (RETENTION_DAYS_OUTBOX) was
    # told then: its email's recipient and contents are blanked, not forgotten.
    kept_since = timezone.now() - datetime.timedelta(days=settings.RETENTION_DAYS_OUTBOX)
    decided = list(
        questionnaire.proposed_changes.filter(status__in=DECIDED_STATUSES)
        .filter(Q(reviewed_at__gte=kept_since) | Q(reviewed_at__isnull=True))
        .select_related("partnership")
        .order_by("reviewed_at", "pk")
    )
    if not decided:
        return []
    told = _decisions_told(questionnaire)
    pending = questionnaire.proposed_changes.filter(status=ProposedChange.Status.PENDING).count()
    queued = []
    for address, name in _decision_recipients(questionnaire).items():
        changes = [c for c in decided if c.pk not in told.get(address, set())]
        if not changes:
            continue
        ids = sorted(change.pk for change in changes)
        batch = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
        context = {
            "name": name or "colleague",
            "council": questionnaire.council.short_name,
            "year": questionnaire.cycle.year_label,
            "accepted": [change_words(c) for c in changes if c.status == ACCEPTED],
            "rejected": [
                {"change": change_words(c), "reason": c.decision_reason}
                for c in changes
                if c.status == REJECTED
            ],
            "pending": pending,
            "change_ids": ids,
            "site_url": _site_url(),
        }
        queued.append(
            refresh_email_queue(
                key=f"cycle{questionnaire.cycle_id}:q{questionnaire.pk}:decisions:{batch}:"
                f"{address}",
                to=address,
                template="submissions/email/decision",
                context=context,
                kind=KIND_DECISIONS,
                questionnaire=questionnaire,
            )
        )
    return queued


def proposal_decision_send(*, change: ProposedChange) -> OutboundEmail | None:
    """Tell whoever proposed a change from outside the refresh (the public form, a
    benefits tracker, an Expert Programme application) what staff decided, with the
    partnership's public page when it was accepted and is on the map. Once per change."""
    change = ProposedChange.objects.select_related("partnership").get(pk=change.pk)
    if change.questionnaire_id or not change.submitted_by_email:
        return None
    if change.status not in DECIDED_STATUSES:
        return None
    accepted = change.status == ACCEPTED
    partnership = change.partnership
    link = ""
    if accepted and partnership is not None and partnership.published:
        link = f"{_site_url()}{partnership.get_absolute_url()}"
    return email_queue(
        key=f"proposal:{change.pk}:decision",
        to=change.submitted_by_email,
        template="submissions/email/decision_proposal",
        context={
            "name": change.submitted_by_name or "colleague",
            "change": change_words(change),
            "partnership": partnership.name if partnership else change.proposed.get("name", ""),
            "accepted": accepted,
            "reason": change.decision_reason,
            "link": link,
            "site_url": _site_url(),
        },
        kind=KIND_PROPOSAL_DECISION,
        about=change,
    )


def decision_announce(*, change_id: int) -> None:
    """After a decision commits: the council's summary (one email for every decision of
    the batch not yet told) or the proposer's email. The batch's other changes find
    nothing left to tell."""
    change = ProposedChange.objects.filter(pk=change_id).select_related("questionnaire").first()
    if change is None:
        return
    if change.questionnaire_id:
        questionnaire_decisions_send(questionnaire=change.questionnaire)
    else:
        proposal_decision_send(change=change)


KIND_CONTACT_LINK = "refresh-contact-link"


@transaction.atomic
def contact_link_send(
    *, questionnaire: Questionnaire, contact: CouncilContact, site_url: str = ""
) -> OutboundEmail:
    """Email one contact a new link of their own to the questionnaire, leaving every
    other link working (a lost or failed invitation, without cutting off colleagues).
    Links belong to the questionnaire, not to a contact, so nobody's link is revoked:
    to stop a link working, staff revoke the questionnaire's links (`link_reissue`)."""
    questionnaire = Questionnaire.objects.select_related("cycle", "council").get(
        pk=questionnaire.pk
    )
    if questionnaire.cycle.status != RefreshCycle.Status.OPEN:
        raise ValidationError("Links can be sent only while the cycle is open.")
    if contact.council_id != questionnaire.council_id or not contact.active:
        raise ValidationError("Send links only to the council's active contacts.")
    link, _token = link_create(questionnaire=questionnaire)
    context = _base_context(questionnaire, link=link, site_url=_site_url(site_url))
    return refresh_email_queue(
        key=f"cycle{questionnaire.cycle_id}:q{questionnaire.pk}:contact{contact.pk}:link{link.pk}",
        to=contact.email,
        template="submissions/email/contact_link",
        context=_contact_context(contact, context),
        kind=KIND_CONTACT_LINK,
        questionnaire=questionnaire,
    )


# A decision's announcement runs after its commit, in the process that made it; should
# that process die first, or the outbox not be reached, beat announces it later. Only
# decisions at least DECISION_GRACE old (their own announcement has had its chance, and
# is not raced) and at most DECISION_CATCH_UP old (an old decision is not news).
DECISION_GRACE = datetime.timedelta(minutes=10)
DECISION_CATCH_UP = datetime.timedelta(days=14)


def decisions_announce_missed(*, now: datetime.datetime | None = None) -> int:
    """Announce the decisions no email carries yet (Celery beat, every 15 minutes):
    a questionnaire's, when any decision on it was told to nobody, and a proposer's.
    Returns how many emails were queued; a second run queues none (the keys)."""
    now = now or timezone.now()
    decided = ProposedChange.objects.filter(
        status__in=DECIDED_STATUSES,
        reviewed_at__gte=now - DECISION_CATCH_UP,
        reviewed_at__lt=now - DECISION_GRACE,
    )
    queued = 0
    questionnaire_ids = set(
        decided.filter(questionnaire__isnull=False).values_list("questionnaire_id", flat=True)
    )
    # One whose latest decision is recent has its own announcement still under way.
    questionnaire_ids -= set(
        ProposedChange.objects.filter(
            questionnaire_id__in=questionnaire_ids, reviewed_at__gte=now - DECISION_GRACE
        ).values_list("questionnaire_id", flat=True)
    )
    for questionnaire in Questionnaire.objects.filter(pk__in=questionnaire_ids).order_by("pk"):
        told = set().union(*_decisions_told(questionnaire).values())
        ids = decided.filter(questionnaire=questionnaire).values_list("pk", flat=True)
        if set(ids) - told:
            queued += len(questionnaire_decisions_send(questionnaire=questionnaire))
    proposals = decided.filter(questionnaire__isnull=True).exclude(submitted_by_email="")
    keys = {f"proposal:{pk}:decision": pk for pk in proposals.values_list("pk", flat=True)}
    keys_sent = set(OutboundEmail.objects.filter(key__in=keys).values_list("key", flat=True))
    missed = [pk for key, pk in keys.items() if key not in keys_sent]
    for change in proposals.filter(pk__in=missed).order_by("pk"):
        if proposal_decision_send(change=change) is not None:
            queued += 1
    return queued
