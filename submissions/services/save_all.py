"""Saving every partnership of the all-on-one-page view at once: each changed answer is
saved on its own (`item_save`, one transaction each), so a refused or conflicting one
never stops the others and never leaves one half-written."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from submissions.models import Questionnaire, QuestionnaireItem
from submissions.services.questionnaire import (
    ItemConflict,
    QuestionnaireLocked,
    item_save,
    questionnaire_locked_reason,
)


@dataclass
class ItemAnswer:
    """One partnership's answer as typed on the page, based on the item's `version`."""

    item: QuestionnaireItem
    answer: str
    data: dict
    version: int | None


@dataclass
class SaveAllResult:
    """What happened to each answer, by item id."""

    saved: dict[int, QuestionnaireItem] = field(default_factory=dict)
    conflicts: dict[int, ItemConflict] = field(default_factory=dict)
    refused: dict[int, ValidationError] = field(default_factory=dict)


def questionnaire_items_save(
    *, questionnaire: Questionnaire, answers: list[ItemAnswer], by_name: str
) -> SaveAllResult:
    """Save each answer with `item_save`. A colleague's save since the answer's version
    (`ItemConflict`) or a refusal of the rules (`ValidationError`) is kept in the result
    and the rest are saved. Raises QuestionnaireLocked before saving anything when the
    questionnaire can no longer be changed."""
    reason = questionnaire_locked_reason(questionnaire)
    if reason:
        raise QuestionnaireLocked(reason)
    result = SaveAllResult()
    for answer in answers:
        try:
            result.saved[answer.item.pk] = item_save(
                item=answer.item,
                answer=answer.answer,
                data=answer.data,
                by_name=by_name,
                expected_version=answer.version,
            )
        except ItemConflict as conflict:
            result.conflicts[answer.item.pk] = conflict
        except ValidationError as error:
            result.refused[answer.item.pk] = error
    return result
