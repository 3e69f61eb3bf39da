"""What the LGA's staff do to run a cycle from the admin: bring councils, contacts and
partnerships added since opening into the open cycle, and decide a batch of proposed
changes. (Staff's own edits of partnerships are in django-simple-history's history,
like every change to published data.)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerships.models import Council
from submissions.models import (
    CouncilContact,
    ProposedChange,
    Questionnaire,
    QuestionnaireItem,
    RefreshCycle,
)
from submissions.services.cycle import questionnaire_create
from submissions.services.resync import questionnaire_new_items_link
from submissions.services.review import AcceptChoice, change_accept, change_reject
from submissions.workflow import questionnaire_move

ACCEPT = "accept"
REJECT = "reject"


@transaction.atomic
def cycle_catch_up(*, cycle: RefreshCycle) -> tuple[int, int]:
    """Add to the open cycle a questionnaire for each council that has gained an active
    contact, and to every questionnaire the published partnerships it lacks. Returns
    (questionnaires made, partnerships added). Invitations follow separately.

    A partnership the council itself proposed and had accepted is already its item (the
    decision linked it, `resync.item_resync`); one accepted before decisions linked items
    is linked first, so it is never added a second time as "To do"."""
    cycle = RefreshCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != RefreshCycle.Status.OPEN:
        raise ValidationError("Only an open cycle can take new councils and partnerships.")
    have = set(cycle.questionnaires.values_list("council_id", flat=True))
    wanted = set(CouncilContact.objects.filter(active=True).values_list("council_id", flat=True))
    items = QuestionnaireItem.objects.filter(
        questionnaire__cycle=cycle, questionnaire__council__in=have
    )
    before = items.count()
    for council in Council.objects.filter(pk__in=wanted - have).order_by("short_name"):
        questionnaire_create(cycle=cycle, council=council)
    for questionnaire in cycle.questionnaires.filter(council__in=have).select_related("council"):
        questionnaire_new_items_link(questionnaire=questionnaire)
        questionnaire_create(cycle=cycle, council=questionnaire.council)
    return len(wanted - have), items.count() - before


def _questionnaires_mark_reviewed(questionnaire_ids: set[int], *, user) -> None:
    """A submitted questionnaire with nothing left to decide is reviewed."""
    done = (
        Questionnaire.objects.select_for_update()
        .filter(pk__in=questionnaire_ids, status=Questionnaire.Status.SUBMITTED)
        .exclude(proposed_changes__status=ProposedChange.Status.PENDING)
    )
    for questionnaire in done:
        questionnaire.reviewed_at = timezone.now()
        questionnaire_move(
            questionnaire, Questionnaire.Status.REVIEWED, user=user, update_fields=["reviewed_at"]
        )


@transaction.atomic
def changes_decide(
    *,
    decisions: list[tuple[ProposedChange, str, str]],
    reviewer,
    choices: dict[int, AcceptChoice] | None = None,
) -> dict:
    """Accept or reject each (change, "accept" | "reject", reason) in one transaction:
    if one cannot be applied, none is, and the ValidationError names it. `choices` (by
    change id) says how a new partnership is accepted: published now or kept
    unpublished, or merged into a published one. A submitted questionnaire left with
    nothing pending becomes reviewed. Returns counts."""
    choices = choices or {}
    counts = {ACCEPT: 0, REJECT: 0}
    questionnaires = set()
    for change, decision, reason in decisions:
        try:
            if decision == ACCEPT:
                chosen = choices.get(change.pk, AcceptChoice())
                change_accept(
                    change=change,
                    reviewer=reviewer,
                    reason=reason,
                    publish=chosen.publish,
                    merge_into=chosen.merge_into,
                )
            elif decision == REJECT:
                change_reject(change=change, reviewer=reviewer, reason=reason)
            else:
                continue
        except ValidationError as error:
            raise ValidationError(
                {str(change.pk): [f"{change}: {message}" for message in error.messages]}
            ) from error
        counts[decision] += 1
        if change.questionnaire_id:
            questionnaires.add(change.questionnaire_id)
    _questionnaires_mark_reviewed(questionnaires, user=reviewer)
    return counts
