"""Writes for the annual refresh, the review queue and outgoing email.

Other apps use `email_queue` to send email and `change_propose` to put a change to
published data in front of staff.
"""

from submissions.services.email import email_deliver, email_queue
from submissions.services.review import (
    change_accept,
    change_propose,
    change_reject,
    history_record,
)

__all__ = [
    "change_accept",
    "change_propose",
    "change_reject",
    "email_deliver",
    "email_queue",
    "history_record",
]
