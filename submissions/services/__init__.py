"""Writes for the annual refresh, the review queue and outgoing email.

Other apps use `email_queue` to send email and `change_propose` to put a change to
published data in front of staff.
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
from submissions.services.email import email_deliver, email_queue
from submissions.services.review import (
    change_accept,
    change_propose,
    change_reject,
    history_record,
)

# Registers the appliers for partnership updates, new partnerships and endings.
from submissions.services import apply  # noqa: E402,F401  isort: skip

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
    "email_deliver",
    "email_queue",
    "history_record",
]
