"""Writes for match-making and the Expert Programme.

Every change a person makes goes through one of these functions, which checks it is
allowed, records it in the activity log (`core.activity`: who, when, what) and queues
any email through `core.outbox.services.email_queue`, so that each message is recorded
and sent once.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import secret_links
from core.activity.services import activity_record
from core.activity.workflow import status_move, transition_check
from core.money import money_exact
from core.outbox.services import email_queue
from matchmaking.models import (
    ZERO,
    AssessmentCriterion,
    CriterionScore,
    ExpertApplication,
    FundingBudget,
    MatchRequest,
    MatchSuggestion,
    Note,
    OutcomeReport,
)
from matchmaking.ranking import candidates_rank
from matchmaking.selectors import budget_position, match_request_duplicates
from matchmaking.workflow import APPLICATION_TRANSITIONS, INTRODUCIBLE, REQUEST_TRANSITIONS
from partnerships.models import Council, Partnership, SavingsOrigin, ServiceCategory
from submissions.public import change_propose, council_contact

Status = MatchRequest.Status
AppStatus = ExpertApplication.Status


# --- Match-making requests -------------------------------------------------------


@transaction.atomic
def match_request_create(
    *,
    council: Council,
    requester_name: str,
    requester_role: str,
    requester_email: str,
    categories: Iterable[ServiceCategory],
    reach: str,
    council_types: list[str],
    description: str,
    funding_wanted: str,
    expert_days_requested: Decimal | None = None,
    mediation_requested: Decimal | None = None,
    link_for: Callable[[str], str],
) -> MatchRequest:
    """Record a council's request and email the requester a link to confirm it. The
    request reaches staff only once confirmed. `link_for(token)` makes the absolute
    address of the request's own page."""
    categories = list(categories)
    if not categories:
        raise ValidationError({"categories": "Choose at least one service to share."})
    if not council.current:
        raise ValidationError({"council": "Choose a current council."})
    issued = secret_links.link_issue(purpose=MatchRequest.SECRET_LINK_PURPOSE)
    match_request = MatchRequest(
        council=council,
        requester_name=requester_name.strip(),
        requester_role=requester_role.strip(),
        requester_email=requester_email.strip(),
        reach=reach,
        council_types=list(council_types),
        description=description.strip(),
        funding_wanted=funding_wanted,
        expert_days_requested=expert_days_requested,
        mediation_requested=mediation_requested,
        token_digest=issued.digest,
        token_salt=issued.salt,
    )
    match_request.full_clean()
    match_request.save()
    match_request.categories.set(categories)
    activity_record(
        match_request,
        "request_made",
        description="Request made",
        actor=f"Requester at {council.short_name}",
        note=", ".join(c.name for c in categories),
    )
    duplicates = [r.reference for r in match_request_duplicates(match_request=match_request)]
    if duplicates:
        # Kept, not refused: staff decide whether to merge (the requester may be new).
        activity_record(
            match_request,
            "possible_duplicate",
            description="Possible duplicate",
            actor="Shared Services Map",
            note="Same council and service as " + ", ".join(duplicates),
        )
    email_queue(
        key=f"matchmaking:request:{match_request.pk}:confirm",
        to=match_request.requester_email,
        template="matchmaking/email/request_confirm",
        context={
            "name": match_request.requester_name,
            "council": council.short_name,
            "reference": match_request.reference,
            "services": [c.name for c in categories],
            secret_links.REFERENCE_KEY: secret_links.link_reference(
                match_request, link_for=link_for
            ),
        },
        kind="matchmaking-confirm",
        about=match_request,
    )
    return match_request


@transaction.atomic
def match_request_details_save(*, match_request: MatchRequest, changed: list[str], user) -> None:
    """Staff correct a request's own details (not its status or funding, which have
    their own services); the fields changed are recorded."""
    match_request.full_clean()
    match_request.save()
    if changed:
        activity_record(
            match_request,
            "details_edited",
            description="Details edited",
            user=user,
            note=", ".join(changed),
        )


@transaction.atomic
def match_request_confirm(*, match_request: MatchRequest) -> MatchRequest:
    """The requester confirms their email through the link: the request reaches staff.
    Confirming twice changes nothing."""
    return _email_confirm(
        match_request,
        _request_move,
        Status.EMAIL_CONFIRMED,
        description="Email confirmed",
        actor="Requester",
    )


def _email_confirm(obj, move, status: str, *, description: str, actor: str):
    """A new request or application (`obj`, locked and read again) confirmed by its
    sender: stamped and moved to `status` by `move`, kept in its log as by the `actor` at
    its council. One already confirmed is returned as it is."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.status != type(obj).Status.NEW:
        return obj
    obj.confirmed_at = timezone.now()
    move(
        obj,
        status,
        verb="email_confirmed",
        description=description,
        actor=f"{actor} at {obj.council.short_name}",
        update_fields=["confirmed_at"],
    )
    return obj


def _request_move(match_request: MatchRequest, status: str, **move) -> None:
    """The one way a request changes status: checked against REQUEST_TRANSITIONS, saved
    and kept in its activity log (`status_move`)."""
    status_move(match_request, status, table=REQUEST_TRANSITIONS, noun="A request", **move)


@transaction.atomic
def match_request_transition(
    *, match_request: MatchRequest, status: str, user, reason: str = ""
) -> MatchRequest:
    """Move a request to another status, if that move is allowed; closing needs a reason
    and forming a partnership needs the partnership (see `match_request_partnership_link`)."""
    match_request = MatchRequest.objects.select_for_update().get(pk=match_request.pk)
    transition_check(match_request, status, table=REQUEST_TRANSITIONS, noun="A request")
    if status == Status.CLOSED:
        if not reason.strip():
            raise ValidationError({"closed_reason": "Say why the request is closed."})
        match_request.closed_reason = reason.strip()
    if status == Status.PARTNERSHIP_FORMED and match_request.partnership_id is None:
        raise ValidationError(
            {"partnership": "Choose the partnership that was formed before marking it formed."}
        )
    if status == Status.EMAIL_CONFIRMED and match_request.confirmed_at is None:
        match_request.confirmed_at = timezone.now()
    _request_move(match_request, status, user=user, note=reason.strip(), update_fields=None)
    return match_request


@transaction.atomic
def match_request_partnership_link(
    *, match_request: MatchRequest, partnership: Partnership, user
) -> MatchRequest:
    """Record the partnership a request led to, and mark the request formed."""
    match_request = MatchRequest.objects.select_for_update().get(pk=match_request.pk)
    if Status.PARTNERSHIP_FORMED not in REQUEST_TRANSITIONS[match_request.status]:
        raise ValidationError(
            "Only a request whose councils have been introduced can form a partnership."
        )
    match_request.partnership = partnership
    match_request.save(update_fields=["partnership", "updated_at"])
    activity_record(
        match_request,
        "partnership_linked",
        description="Partnership linked",
        user=user,
        note=partnership.name,
    )
    return match_request_transition(
        match_request=match_request, status=Status.PARTNERSHIP_FORMED, user=user
    )


def _contact_for(*, council: Council, match_request: MatchRequest) -> tuple[str, str]:
    """Who at the suggested council an introduction goes to: the author of its own
    request for the same service if there is one, else its refresh contact."""
    mutual = (
        MatchRequest.objects.filter(
            council=council,
            status__in=INTRODUCIBLE,
            categories__in=match_request.categories.all(),
        )
        .order_by("-created_at")
        .first()
    )
    if mutual is not None:
        return mutual.requester_name, mutual.requester_email
    return council_contact(council) or ("", "")


@transaction.atomic
def suggestion_add(
    *,
    match_request: MatchRequest,
    council: Council,
    user,
    reasons: str = "",
    ranking_reasons: list[dict] | None = None,
    score: int = 0,
    added_by_hand: bool = False,
) -> MatchSuggestion:
    """Shortlist a council for a request (from the ranking or by hand), with the contact
    an introduction would go to filled in where the app knows one. `reasons` are the
    plain words councils read, `ranking_reasons` the ranking's reasons as data, which
    staff see with their weights. Adding it again returns the one already there."""
    existing = MatchSuggestion.objects.filter(match_request=match_request, council=council).first()
    if existing is not None:
        return existing
    name, email = _contact_for(council=council, match_request=match_request)
    suggestion = MatchSuggestion(
        match_request=match_request,
        council=council,
        reasons=reasons or ("Added by staff" if added_by_hand else ""),
        ranking_reasons=ranking_reasons or [],
        score=score,
        added_by_hand=added_by_hand,
        contact_name=name,
        contact_email=email,
    )
    suggestion.full_clean()
    suggestion.save()
    activity_record(
        match_request,
        "council_shortlisted",
        description="Council shortlisted" + (" by hand" if added_by_hand else ""),
        user=user,
        note=council.short_name,
    )
    return suggestion


def match_request_moves(*, match_request: MatchRequest) -> dict:
    """What staff may do next with a request: the plain status moves (closing, forming a
    partnership and introducing have pages of their own) and whether those are open."""
    allowed = REQUEST_TRANSITIONS[match_request.status]
    own_pages = (Status.CLOSED, Status.PARTNERSHIP_FORMED, Status.INTRODUCED)
    return {
        "transitions": [(v, Status(v).label) for v in allowed if v not in own_pages],
        "can_close": Status.CLOSED in allowed,
        "can_form": Status.PARTNERSHIP_FORMED in allowed,
        "can_introduce": match_request.status in INTRODUCIBLE,
    }


def suggestion_shortlist(*, match_request: MatchRequest, council_id, user) -> MatchSuggestion:
    """Shortlist one of the councils the ranking suggests for a request, with the
    ranking's reasons (as data, and in plain words for the councils) and score. A
    council the ranking does not suggest (nor one the requester already shares the
    services with) is refused."""
    candidate = next(
        (
            c
            for c in candidates_rank(match_request=match_request, limit=None)
            if str(c.council.pk) == str(council_id)
        ),
        None,
    )
    if candidate is None:
        raise ValidationError("That council is not among the suggestions.")
    return suggestion_add(
        match_request=match_request,
        council=candidate.council,
        user=user,
        reasons=candidate.plain_text,
        ranking_reasons=candidate.reasons_data,
        score=candidate.score,
    )


@transaction.atomic
def suggestion_add_by_hand(
    *,
    match_request: MatchRequest,
    council: Council,
    user,
    reasons: str = "",
    shared_with_requester: bool = False,
    contact_name: str = "",
    contact_email: str = "",
) -> MatchSuggestion:
    """Shortlist a council staff chose themselves, with what they typed. A contact the
    app found for the council stays unless staff typed another."""
    suggestion = suggestion_add(
        match_request=match_request,
        council=council,
        user=user,
        reasons=reasons,
        added_by_hand=True,
    )
    return suggestion_update(
        suggestion=suggestion,
        user=user,
        shared_with_requester=shared_with_requester,
        contact_name=contact_name or suggestion.contact_name,
        contact_email=contact_email or suggestion.contact_email,
        reasons=reasons,
    )


@transaction.atomic
def suggestion_update(
    *,
    suggestion: MatchSuggestion,
    user,
    shared_with_requester: bool,
    contact_name: str,
    contact_email: str,
    reasons: str = "",
) -> MatchSuggestion:
    """Staff change a shortlisted council: whether the requester sees it, whom to
    introduce them to, and why it is suggested (blank keeps the reasons there)."""
    reasons = reasons or suggestion.reasons
    changes = []
    if suggestion.shared_with_requester != shared_with_requester:
        changes.append("shown to requester" if shared_with_requester else "hidden from requester")
    if (suggestion.contact_name, suggestion.contact_email) != (contact_name, contact_email):
        changes.append("contact changed")
    if suggestion.reasons != reasons:
        changes.append("reasons edited")
    suggestion.shared_with_requester = shared_with_requester
    suggestion.contact_name = contact_name.strip()
    suggestion.contact_email = contact_email.strip()
    suggestion.reasons = reasons
    suggestion.full_clean()
    suggestion.save()
    if changes:
        activity_record(
            suggestion.match_request,
            "suggestion_changed",
            description=f"Suggestion {suggestion.council.short_name}: {', '.join(changes)}",
            user=user,
        )
    return suggestion


@transaction.atomic
def suggestion_remove(*, suggestion: MatchSuggestion, user) -> None:
    """Take a council off a request's shortlist (not once introduced)."""
    if suggestion.introduced_at:
        raise ValidationError("An introduced council stays on the shortlist.")
    activity_record(
        suggestion.match_request,
        "council_removed",
        description="Council removed from shortlist",
        user=user,
        note=suggestion.council.short_name,
    )
    suggestion.delete()


@transaction.atomic
def introduction_make(*, suggestion: MatchSuggestion, user) -> MatchSuggestion:
    """Introduce the requesting council to a shortlisted one: one email to each contact,
    with the request's context, and the request marked introduced."""
    suggestion = MatchSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    match_request = suggestion.match_request
    if suggestion.introduced_at:
        raise ValidationError(f"{suggestion.council.short_name} has already been introduced.")
    if match_request.status not in INTRODUCIBLE:
        raise ValidationError(
            f"A request that is “{match_request.get_status_display()}” cannot be introduced."
        )
    if not suggestion.contact_email:
        raise ValidationError(
            {"contact_email": f"Add the email of a contact at {suggestion.council.short_name}."}
        )
    home = match_request.council
    partner = suggestion.council
    context = {
        "reference": match_request.reference,
        "services": [c.name for c in match_request.categories.all()],
        "description": match_request.description,
        "funding": match_request.get_funding_wanted_display(),
        "requester_council": home.official_name,
        "requester_name": match_request.requester_name,
        "requester_role": match_request.requester_role,
        "requester_email": match_request.requester_email,
        "partner_council": partner.official_name,
        "partner_name": suggestion.contact_name,
        "partner_email": suggestion.contact_email,
        "reasons": suggestion.reasons,
    }
    for side, to, name in (
        ("requester", match_request.requester_email, match_request.requester_name),
        ("partner", suggestion.contact_email, suggestion.contact_name),
    ):
        email_queue(
            key=f"matchmaking:introduction:{suggestion.pk}:{side}",
            to=to,
            template="matchmaking/email/introduction",
            context={**context, "side": side, "recipient_name": name},
            kind="matchmaking-introduction",
            about=match_request,
        )
    suggestion.introduced_at = timezone.now()
    suggestion.introduced_by = user
    suggestion.save(update_fields=["introduced_at", "introduced_by"])
    activity_record(
        match_request,
        "introduced",
        description="Introduced",
        user=user,
        note=f"{home.short_name} and {partner.short_name}",
    )
    if match_request.status != Status.INTRODUCED:
        match_request_transition(match_request=match_request, status=Status.INTRODUCED, user=user)
    return suggestion


@transaction.atomic
def match_request_funding_award(
    *,
    match_request: MatchRequest,
    budget: FundingBudget,
    expert_days: Decimal,
    mediation_amount: Decimal,
    user,
) -> MatchRequest:
    """Award expert days and mediation to a request from a year's budget. Refused if the
    award would take the budget below nothing; a new award replaces the request's last."""
    budget = FundingBudget.objects.select_for_update().get(pk=budget.pk)
    match_request = MatchRequest.objects.select_for_update().get(pk=match_request.pk)
    expert_days = Decimal(expert_days)
    mediation_amount = Decimal(mediation_amount)
    if expert_days < ZERO or mediation_amount < ZERO:
        raise ValidationError("An award cannot be negative.")
    if match_request.status in (Status.NEW, Status.CLOSED):
        raise ValidationError("Funding is awarded only to a confirmed, open request.")
    position = budget_position(budget=budget, exclude_request=match_request)
    errors = {}
    if expert_days > position["expert_days_left"]:
        errors["expert_days_awarded"] = (
            f"Only {position['expert_days_left']} expert days are left in {budget.label}."
        )
    if mediation_amount > position["mediation_left"]:
        errors["mediation_awarded"] = (
            f"Only {money_exact(position['mediation_left'])} of mediation is left in "
            f"{budget.label}."
        )
    if errors:
        raise ValidationError(errors)
    match_request.funding_budget = budget
    match_request.expert_days_awarded = expert_days
    match_request.mediation_awarded = mediation_amount
    match_request.full_clean()
    match_request.save()
    activity_record(
        match_request,
        "funding_awarded",
        description="Funding awarded",
        user=user,
        note=f"{expert_days} expert days and {money_exact(mediation_amount)} mediation "
        f"from {budget.label}",
    )
    return match_request


@transaction.atomic
def match_request_merge(*, duplicate: MatchRequest, into: MatchRequest, user) -> MatchRequest:
    """Merge a duplicate request (same council, same service) into another: its services
    and shortlist join the other, and it is closed, pointing at the one kept."""
    if duplicate.pk == into.pk:
        raise ValidationError("A request cannot be merged into itself.")
    if duplicate.council_id != into.council_id:
        raise ValidationError("Only requests from the same council can be merged.")
    if into.status == Status.CLOSED:
        raise ValidationError("Merge into an open request, not a closed one.")
    transition_check(duplicate, Status.CLOSED, table=REQUEST_TRANSITIONS, noun="A request")
    into.categories.add(*duplicate.categories.all())
    taken = set(into.suggestions.values_list("council_id", flat=True))
    duplicate.suggestions.exclude(council_id__in=taken).update(match_request=into)
    Note.objects.create(
        match_request=into,
        author=user,
        text=f"Merged {duplicate.reference} ({duplicate.requester_name}, "
        f"{duplicate.requester_email}): {duplicate.description}",
    )
    duplicate.merged_into = into
    duplicate.closed_reason = f"Merged into {into.reference}"
    _request_move(
        duplicate,
        Status.CLOSED,
        user=user,
        note=f"Merged into {into.reference}",
        update_fields=["merged_into", "closed_reason"],
    )
    activity_record(
        into,
        "duplicate_merged",
        description="Duplicate merged in",
        user=user,
        note=duplicate.reference,
    )
    return into


@transaction.atomic
def note_add(*, text: str, user, match_request=None, application=None) -> Note:
    """A member of staff's note on a request or an application."""
    note = Note(match_request=match_request, application=application, text=text, author=user)
    note.full_clean()
    note.save()
    activity_record(match_request or application, "note_added", description="Note added", user=user)
    return note


# --- Expert Programme ------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    partnership: Partnership,
    council: Council,
    applicant_name: str,
    applicant_role: str,
    applicant_email: str,
    improvement: str,
    expertise_needed: str,
    funding_requested: Decimal,
    outcomes_expected: str,
    link_for: Callable[[str], str],
) -> ExpertApplication:
    """Record an application from a member council of a published partnership and email
    the applicant a link to confirm it and to follow it."""
    if not partnership.published:
        raise ValidationError({"partnership": "Choose a partnership from the map."})
    if not partnership.council_memberships.filter(council=council).exists():
        raise ValidationError(
            {"council": f"{council.short_name} is not a member of {partnership.name}."}
        )
    issued = secret_links.link_issue(purpose=ExpertApplication.SECRET_LINK_PURPOSE)
    application = ExpertApplication(
        partnership=partnership,
        council=council,
        applicant_name=applicant_name.strip(),
        applicant_role=applicant_role.strip(),
        applicant_email=applicant_email.strip(),
        improvement=improvement.strip(),
        expertise_needed=expertise_needed.strip(),
        funding_requested=funding_requested,
        outcomes_expected=outcomes_expected.strip(),
        token_digest=issued.digest,
        token_salt=issued.salt,
    )
    application.full_clean()
    application.save()
    activity_record(
        application,
        "application_made",
        description="Application made",
        actor=f"Applicant at {council.short_name}",
    )
    email_queue(
        key=f"matchmaking:application:{application.pk}:confirm",
        to=application.applicant_email,
        template="matchmaking/email/application_confirm",
        context={
            "name": application.applicant_name,
            "partnership": partnership.name,
            "reference": application.reference,
            secret_links.REFERENCE_KEY: secret_links.link_reference(application, link_for=link_for),
        },
        kind="expert-programme-confirm",
        about=application,
    )
    return application


@transaction.atomic
def application_details_save(*, application: ExpertApplication, changed: list[str], user) -> None:
    """Staff correct an application's own details; the fields changed are recorded."""
    application.full_clean()
    application.save()
    if changed:
        activity_record(
            application,
            "details_edited",
            description="Details edited",
            user=user,
            note=", ".join(changed),
        )


@transaction.atomic
def application_confirm(*, application: ExpertApplication) -> ExpertApplication:
    """The applicant confirms their email: the application goes to staff for assessment."""
    return _email_confirm(
        application,
        _application_move,
        AppStatus.SUBMITTED,
        description="Email confirmed; submitted for assessment",
        actor="Applicant",
    )


def _application_move(application: ExpertApplication, status: str, **move) -> None:
    """The one way an application changes status: checked against
    APPLICATION_TRANSITIONS, saved and kept in its activity log (`status_move`)."""
    status_move(application, status, table=APPLICATION_TRANSITIONS, noun="An application", **move)


@transaction.atomic
def criterion_score_record(
    *,
    application: ExpertApplication,
    criterion: AssessmentCriterion,
    score: int,
    comment: str = "",
    user,
) -> CriterionScore:
    """Score an application against one criterion (again replaces the last score)."""
    if application.status != AppStatus.SUBMITTED:
        raise ValidationError("Only an application waiting for assessment can be scored.")
    row = CriterionScore.objects.filter(application=application, criterion=criterion).first()
    row = row or CriterionScore(application=application, criterion=criterion)
    row.score = score
    row.comment = comment
    row.scored_by = user
    row.full_clean()
    row.save()
    activity_record(
        application,
        "scored",
        description="Scored",
        user=user,
        note=f"{criterion.title}: {score} of {criterion.max_score}",
    )
    return row


def _decision_email(application: ExpertApplication, decision: str, extra: dict) -> None:
    email_queue(
        key=f"matchmaking:application:{application.pk}:{decision}",
        to=application.applicant_email,
        template=f"matchmaking/email/application_{decision}",
        context={
            "name": application.applicant_name,
            "partnership": application.partnership.name,
            "reference": application.reference,
            "reason": application.decision_reason,
            **extra,
        },
        kind=f"expert-programme-{decision.replace('_', '-')}",
        about=application,
    )


@transaction.atomic
def application_award(
    *,
    application: ExpertApplication,
    user,
    expert_name: str,
    amount: Decimal,
    budget: FundingBudget,
    reason: str,
) -> ExpertApplication:
    """Award an assessed application: the expert, the amount from a year's budget, and
    the reasons, which the applicant is emailed."""
    budget = FundingBudget.objects.select_for_update().get(pk=budget.pk)
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    transition_check(
        application, AppStatus.AWARDED, table=APPLICATION_TRANSITIONS, noun="An application"
    )
    errors = {}
    active = AssessmentCriterion.objects.filter(active=True)
    scored = set(application.scores.values_list("criterion_id", flat=True))
    missing = [c.title for c in active if c.pk not in scored]
    if missing:
        errors["scores"] = "Score every criterion first: " + ", ".join(missing) + "."
    if not expert_name.strip():
        errors["expert_name"] = "Name the expert assigned."
    amount = Decimal(amount)
    if amount <= ZERO:
        errors["amount_awarded"] = "Enter the amount awarded, in £."
    left = budget_position(budget=budget)["programme_left"]
    if amount > left:
        errors["amount_awarded"] = (
            f"Only {money_exact(left)} is left in the {budget.label} programme."
        )
    if not reason.strip():
        errors["decision_reason"] = "Give the reasons for the award."
    if errors:
        raise ValidationError(errors)
    application.expert_name = expert_name.strip()
    application.amount_awarded = amount
    application.funding_budget = budget
    application.decision_reason = reason.strip()
    application.decided_at = timezone.now()
    application.decided_by = user
    _application_move(
        application,
        AppStatus.AWARDED,
        verb="awarded",
        description="Awarded",
        user=user,
        note=f"{money_exact(amount)} from {budget.label}; expert {application.expert_name}",
        update_fields=None,
    )
    _decision_email(
        application,
        "awarded",
        {"expert": application.expert_name, "amount": money_exact(amount)},
    )
    return application


@transaction.atomic
def application_decline(*, application: ExpertApplication, user, reason: str) -> ExpertApplication:
    """Decline an application with the reason, which the applicant is emailed."""
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    transition_check(
        application, AppStatus.DECLINED, table=APPLICATION_TRANSITIONS, noun="An application"
    )
    if not reason.strip():
        raise ValidationError({"decision_reason": "Give the reason for declining."})
    application.decision_reason = reason.strip()
    application.decided_at = timezone.now()
    application.decided_by = user
    _application_move(
        application,
        AppStatus.DECLINED,
        verb="declined",
        description="Declined",
        user=user,
        note=reason,
        update_fields=["decision_reason", "decided_at", "decided_by"],
    )
    _decision_email(application, "declined", {})
    return application


@transaction.atomic
def application_work_complete(
    *, application: ExpertApplication, user, link_for: Callable[[str], str]
) -> ExpertApplication:
    """Staff record that the expert's work is done; the applicant is emailed a new secret
    link (the old one stops working) to report what it achieved."""
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    transition_check(
        application, AppStatus.WORK_COMPLETE, table=APPLICATION_TRANSITIONS, noun="An application"
    )
    issued = secret_links.link_issue(purpose=ExpertApplication.SECRET_LINK_PURPOSE)
    application.token_digest = issued.digest
    application.token_salt = issued.salt
    _application_move(
        application,
        AppStatus.WORK_COMPLETE,
        verb="work_complete",
        description="Work complete; outcomes asked for",
        user=user,
        update_fields=["token_digest", "token_salt"],
    )
    reference = secret_links.link_reference(application, link_for=link_for)
    _decision_email(application, "work_complete", {secret_links.REFERENCE_KEY: reference})
    return application


@transaction.atomic
def outcome_report(
    *,
    application: ExpertApplication,
    service_improvements: str,
    savings_amount: Decimal | None = None,
    savings_year: int | None = None,
    savings_kind: str = "",
    savings_cashable: bool | None = None,
    savings_recurrence: str = "unknown",
) -> OutcomeReport:
    """The council reports what the work achieved. A savings figure goes to the review
    queue, from which staff accept it into the partnership's savings records."""
    application = ExpertApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in (AppStatus.WORK_COMPLETE, AppStatus.OUTCOMES_REPORTED):
        raise ValidationError("Outcomes are reported once the expert's work is complete.")
    report = OutcomeReport(
        application=application,
        service_improvements=service_improvements.strip(),
        savings_amount=savings_amount,
        savings_year=savings_year,
        savings_kind=savings_kind,
        savings_cashable=savings_cashable,
        savings_recurrence=savings_recurrence or "unknown",
    )
    if savings_amount is not None and (savings_year is None or not savings_kind):
        raise ValidationError(
            {"savings_year": "Give the financial year and whether the saving is achieved."}
        )
    report.full_clean()
    if savings_amount is not None:
        report.proposed_change = change_propose(
            kind="savings_record",
            partnership=application.partnership,
            proposed={
                "start_year": savings_year,
                "end_year": savings_year,
                "amount": str(savings_amount),
                "kind": savings_kind,
                "cashable": savings_cashable,
                "recurrence": report.savings_recurrence,
                "note": f"Reported after Expert Programme work ({application.reference}).",
                # Where the figure came from: it stands beside the council's own refresh
                # figure for the same year, never replacing it.
                "origin": SavingsOrigin.EXPERT_PROGRAMME,
                "origin_detail": f"application {application.reference}",
            },
            source=f"Expert Programme {application.reference}",
            submitted_by_name=application.applicant_name,
            submitted_by_email=application.applicant_email,
        )
    report.save()
    reported = {
        "verb": "outcomes_reported",
        "description": "Outcomes reported",
        "actor": f"Applicant at {application.council.short_name}",
        "note": f"Savings {money_exact(savings_amount)}" if savings_amount is not None else "",
    }
    if application.status == AppStatus.OUTCOMES_REPORTED:  # a further report: no move
        activity_record(application, **reported)
    else:
        _application_move(application, AppStatus.OUTCOMES_REPORTED, **reported)
    return report
