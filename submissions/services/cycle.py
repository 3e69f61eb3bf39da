"""Opening a refresh cycle: one pre-filled questionnaire per council with a contact, and
the secure links that open them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.activity.workflow import transition_check
from core.secret_links import link_issue as secret_link_issue
from core.secret_links import token_digest
from partnerships.models import Council, MapSnapshot, Partnership, PartnershipCouncil
from partnerships.published import facts_prefetch, published_facts
from partnerships.services.snapshots import map_snapshot_publish
from partnerships.timeline import FIRST_YEAR, current_financial_year
from submissions.models import (
    CouncilContact,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireLink,
    RefreshCycle,
)
from submissions.workflow import CYCLE_TRANSITIONS, cycle_move


def _published_partnerships_of(council_ids) -> dict[int, list[Partnership]]:
    """Published partnerships per council id, each with what the pre-fill reads. A fixed
    number of queries whatever the number of councils."""
    memberships = (
        PartnershipCouncil.objects.filter(council_id__in=council_ids, partnership__published=True)
        .select_related("partnership")
        .prefetch_related(*facts_prefetch("partnership__"))
        .order_by("partnership__name")
    )
    by_council: dict[int, list[Partnership]] = {}
    for membership in memberships:
        by_council.setdefault(membership.council_id, []).append(membership.partnership)
    return by_council


def _item_create(questionnaire: Questionnaire, partnership: Partnership) -> QuestionnaireItem:
    # The questionnaire starts from what the public map shows of the partnership now.
    facts = published_facts(partnership)
    prefilled = facts.values()
    item = QuestionnaireItem.objects.create(
        questionnaire=questionnaire,
        partnership=partnership,
        prefilled=prefilled,
        name=facts.name,
        description=facts.description,
        status=facts.status,
        start_year=facts.start_year,
        end_year=facts.end_year,
        no_savings_reason=facts.no_savings_reason,
        no_savings_reason_other=facts.no_savings_reason_other,
    )
    item.categories.set(prefilled["categories"])
    item.councils.set(prefilled["councils"])
    item.public_bodies.set(prefilled["public_bodies"])
    return item


@transaction.atomic
def questionnaire_create(*, cycle: RefreshCycle, council: Council) -> Questionnaire:
    """The council's questionnaire in the cycle, pre-filled with every published
    partnership it is in (made once: a second call adds partnerships it lacks)."""
    questionnaire, _ = Questionnaire.objects.get_or_create(cycle=cycle, council=council)
    have = set(questionnaire.items.values_list("partnership_id", flat=True))
    for partnership in _published_partnerships_of([council.pk]).get(council.pk, []):
        if partnership.pk not in have:
            _item_create(questionnaire, partnership)
    return questionnaire


@transaction.atomic
def questionnaire_partnership_add(
    *, questionnaire: Questionnaire, partnership: Partnership
) -> QuestionnaireItem:
    """Add a partnership published after the cycle opened to a questionnaire."""
    existing = questionnaire.items.filter(partnership=partnership).first()
    if existing:
        return existing
    partnership = (
        Partnership.objects.prefetch_related(*facts_prefetch()).filter(pk=partnership.pk).get()
    )
    return _item_create(questionnaire, partnership)


@transaction.atomic
def cycle_open(
    *, cycle: RefreshCycle, early: bool = False, today: datetime.date | None = None
) -> list[Questionnaire]:
    """Open the cycle: a questionnaire for each council with at least one active contact
    (councils added later get theirs from `questionnaire_create`). Returns the
    questionnaires made now. A cycle opens on its "Opens on" date (beat opens it then);
    before it only when staff choose to (`early`)."""
    cycle = RefreshCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != RefreshCycle.Status.OPEN:  # opening an open one again catches up
        transition_check(
            cycle,
            RefreshCycle.Status.OPEN,
            table=CYCLE_TRANSITIONS,
            refusal="A closed cycle cannot be opened again.",
        )
        if not early and cycle.opens_on > (today or timezone.localdate()):
            raise ValidationError(
                f"It opens on {cycle.opens_on:%-d %B %Y}, and will open then by itself. "
                'To open it now, choose "Open now, before its date".'
            )
    if RefreshCycle.objects.filter(status=RefreshCycle.Status.OPEN).exclude(pk=cycle.pk).exists():
        raise ValidationError("Another cycle is open: close it first.")
    council_ids = set(
        CouncilContact.objects.filter(active=True).values_list("council_id", flat=True)
    )
    council_ids -= set(cycle.questionnaires.values_list("council_id", flat=True))
    partnerships = _published_partnerships_of(council_ids)
    made = []
    for council in Council.objects.filter(pk__in=council_ids).order_by("short_name"):
        questionnaire = Questionnaire.objects.create(cycle=cycle, council=council)
        for partnership in partnerships.get(council.pk, []):
            _item_create(questionnaire, partnership)
        made.append(questionnaire)
    if cycle.status != RefreshCycle.Status.OPEN:
        cycle.opened_at = timezone.now()
        cycle_move(cycle, RefreshCycle.Status.OPEN, update_fields=["opened_at"])
    return made


@transaction.atomic
def cycle_close(*, cycle: RefreshCycle, user=None) -> RefreshCycle:
    """Close the cycle: its links stop working, and the map of its financial year is
    published (frozen as it stands), unless that year's map was published already. A
    closed cycle is refused."""
    cycle = RefreshCycle.objects.select_for_update().get(pk=cycle.pk)
    cycle.closed_at = timezone.now()
    cycle_move(cycle, RefreshCycle.Status.CLOSED, user=user, update_fields=["closed_at"])
    year = cycle.financial_year
    if (
        FIRST_YEAR <= year <= current_financial_year()
        and not MapSnapshot.objects.filter(year=year).exists()
    ):
        map_snapshot_publish(year=year, user=user, note=f"{cycle} closed")
    return cycle


def link_create(*, questionnaire: Questionnaire) -> tuple[QuestionnaireLink, str]:
    """A new secure link to the questionnaire, and its token. Only the token's digest and
    salt are kept (core.secret_links): emails rebuild the token from the row."""
    issued = secret_link_issue(purpose=QuestionnaireLink.SECRET_LINK_PURPOSE)
    link = QuestionnaireLink.objects.create(
        questionnaire=questionnaire, token_digest=issued.digest, token_salt=issued.salt
    )
    return link, issued.token


def link_issue(*, questionnaire: Questionnaire) -> str:
    """A new secure link to the questionnaire; returns its token."""
    return link_create(questionnaire=questionnaire)[1]


def link_revoke(*, link: QuestionnaireLink, user=None) -> QuestionnaireLink:
    """Stop a link working (staff then issue a new one)."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def questionnaire_for_token(*, token: str) -> Questionnaire | None:
    """The questionnaire a token opens, or None if the token is unknown, revoked, or its
    cycle is not open. The lookup is by digest, so timing reveals nothing of the token."""
    if not token or len(token) > 100:
        return None
    link = (
        QuestionnaireLink.objects.select_related("questionnaire__cycle", "questionnaire__council")
        .filter(token_digest=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    if link is None or link.questionnaire.cycle.status != RefreshCycle.Status.OPEN:
        return None
    return link.questionnaire
