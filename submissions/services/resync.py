"""After a decision: the council's questionnaire shows what is published now.

When staff accept a change that came from a questionnaire item, `item_resync` (called by
the review queue inside the decision's transaction, and after a merge into an existing
partnership) brings the item up to the published partnership:

- an accepted new collaboration becomes a pre-filled item of the partnership it
  created (or was merged into), answered "Confirmed unchanged": not "To do", never
  proposed again, and not added a second time by the cycle's catch-up;
- every accepted change refreshes the item's `prefilled` from the published
  partnership with the snapshot that made the questionnaire (`published_facts`), so
  "Latest savings" and the rest show the accepted figures, and a resubmission measures
  its changes from them. The item's own fields follow wherever the council left them as
  they were or as it proposed them; a field it has changed since is kept, to be proposed.

The item's version rises, so a colleague with its form open is told it changed; its
`updated_at` (the council's last edit) is left alone.
"""

from django.db import transaction
from django.db.models import F

from partnerships.models import Partnership
from partnerships.published import facts_prefetch, published_facts
from submissions.models import ProposedChange, Questionnaire, QuestionnaireItem
from submissions.services.questionnaire import (
    MEMBER_FIELDS,
    SAVINGS_FIELDS,
    _normalised,
    _other_partners,
    item_values,
)

Answer = QuestionnaireItem.Answer

# The item's fields that mirror a published partnership's, refreshed after a decision.
_MIRRORED = (
    "description",
    "status",
    "end_year",
    "no_savings_reason",
    "no_savings_reason_other",
    *MEMBER_FIELDS,
)
# Fields of a pre-filled item that are staff's to change: always the published ones.
_STAFFS = ("name", "start_year")


def _fold(item: QuestionnaireItem, *, into: QuestionnaireItem) -> QuestionnaireItem:
    """The questionnaire already has an item for the partnership the new collaboration
    became: that item takes the new one's decisions (and its savings figure if it had
    none), and the new one goes, so the questionnaire lists the partnership once."""
    item.proposed_changes.update(item=into)
    if into.answer == Answer.UNANSWERED:
        into.answer = Answer.UNCHANGED
    if into.savings_amount is None and item.savings_amount is not None:
        for name in SAVINGS_FIELDS:
            setattr(into, name, getattr(item, name))
    item.delete()
    return into


def _mirror(item: QuestionnaireItem, facts: dict, *, proposed: dict, linked: bool) -> None:
    """Set the item's fields to the published `facts` where the council has not changed
    them since (all of them for a new collaboration just linked)."""
    before = item.prefilled or {}
    current = item_values(item)
    for name in _MIRRORED:
        left_alone = _normalised(name, current.get(name)) == _normalised(name, before.get(name, ""))
        as_proposed = name in proposed and _normalised(name, current.get(name)) == _normalised(
            name, proposed[name]
        )
        if not (linked or left_alone or as_proposed):
            continue
        if name in MEMBER_FIELDS:
            getattr(item, name).set(facts[name])
        else:
            value = facts[name]
            setattr(item, name, "" if value is None and name != "end_year" else value)
    typed = _other_partners(item)
    if linked or (typed and typed == list(proposed.get("other_partners") or [])):
        item.other_partners = ""  # accepted: they are public bodies of the partnership now
    for name in _STAFFS:
        setattr(item, name, facts[name])
    item.prefilled = facts


@transaction.atomic
def item_resync(change: ProposedChange) -> QuestionnaireItem | None:
    """Make the questionnaire item an accepted `change` came from show the published
    partnership (see the module's docstring). Does nothing for a change that is not
    accepted, has no item or no partnership. Returns the item, which may be another one
    than `change.item` when the questionnaire already had one for the partnership."""
    if change.status != ProposedChange.Status.ACCEPTED or not change.item_id:
        return None
    # Ordered by id alone: the default ordering's outer join to the partnership cannot
    # be locked (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join).
    item = (
        QuestionnaireItem.objects.select_for_update()
        .filter(pk=change.item_id)
        .order_by("pk")
        .first()
    )
    if item is None or not change.partnership_id:
        return item
    if item.partnership_id not in (None, change.partnership_id):
        return item  # a change about another partnership than the item's: not its truth
    partnership = (
        Partnership.objects.prefetch_related(*facts_prefetch())
        .filter(pk=change.partnership_id)
        .get()
    )
    linked = item.partnership_id is None
    if linked:
        other = (
            QuestionnaireItem.objects.select_for_update()
            .filter(questionnaire_id=item.questionnaire_id, partnership=partnership)
            .order_by("pk")
            .first()
        )
        if other is not None:
            item = _fold(item, into=other)
            change.item = item
            linked = False
        else:
            item.partnership = partnership
            item.answer = Answer.UNCHANGED
    _mirror(item, published_facts(partnership).values(), proposed=change.proposed, linked=linked)
    item.version += 1
    # Not `updated_at`: that is when the council last saved it.
    fields = {f.name for f in item._meta.concrete_fields} - {"id", "updated_at", "questionnaire"}
    # No full_clean: the values are the published partnership's, valid where they were
    # saved; a rule of the item's form must never stand in the way of a decision.
    item.save(update_fields=sorted(fields))
    Questionnaire.objects.filter(pk=item.questionnaire_id).update(version=F("version") + 1)
    return item


def questionnaire_new_items_link(*, questionnaire: Questionnaire) -> int:
    """Link each new collaboration of the questionnaire that staff accepted to the
    partnership it became (for changes accepted before decisions resynced items), so the
    catch-up does not add it again. Returns how many were linked."""
    accepted = ProposedChange.objects.filter(
        questionnaire=questionnaire,
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        status=ProposedChange.Status.ACCEPTED,
        partnership__isnull=False,
        item__partnership__isnull=True,
    ).order_by("reviewed_at", "pk")
    linked = 0
    for change in accepted:
        if item_resync(change) is not None:
            linked += 1
    return linked
