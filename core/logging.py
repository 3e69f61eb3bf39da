"""A log filter that masks the token of every secret link (core.secret_links) in a log
line: Django's request log (404s, 405s, CSRF failures, 500s), runserver's request lines,
and gunicorn's access and error logs (gunicorn.conf.py), including a Referer header a
format prints.

It matches the addresses the secret links live at, so a new kind of secret link needs
its path added to SECRET_PATH (tests/core/test_secret_links.py checks every URL pattern
that takes a token is covered).
"""

import logging
import re

SECRET_PATH = re.compile(
    r"(/(?:refresh/q|benefits/t|matchmaking/requests|matchmaking/expert-programme/applications)/)"
    r"[^/?#\s\"']+"
)
MASK = r"\1[secret]"


def secret_paths_mask(text: str) -> str:
    """`text` with the token of every secret address in it replaced by "[secret]"."""
    return SECRET_PATH.sub(MASK, text)


class SecretPathFilter(logging.Filter):
    """Rewrites each record's message with its secret tokens masked (the record then
    carries its formatted message and no arguments). Put on handlers, so that records
    propagated from any logger pass through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as it is
            return True
        masked = secret_paths_mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = secret_paths_mask(record.exc_text)
        return True
