"""Writes for the annual refresh and the review queue.

Other apps use `change_propose` to put a change to published data in front of staff
(email goes through the outbox, core.outbox).
"""

from submissions.services.cycle import (
    cycle_close,
    cycle_open,
    link_issue,
    link_revoke,
    questionnaire_create,
    questionnaire_for_token,
    questionnaire_partnership_add,
)
from submissions.services.review import (
    change_accept,
    change_propose,
    change_reject,
)

__all__ = [
    "cycle_close",
    "cycle_open",
    "link_issue",
    "link_revoke",
    "questionnaire_create",
    "questionnaire_for_token",
    "questionnaire_partnership_add",
    "change_accept",
    "change_propose",
    "change_reject",
]
