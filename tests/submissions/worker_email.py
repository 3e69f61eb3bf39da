"""The email backend of the test worker: Django's file backend, but before each message
it leaves a marker and can pause, so that a test knows a send has begun and can stop
the worker in the middle of it (before the message is written)."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        markers = Path(os.environ["WORKER_TEST_MARKER_DIR"])
        for message in email_messages:
            (markers / uuid.uuid4().hex).write_text(message.extra_headers.get("Message-ID", ""))
            time.sleep(float(os.environ.get("WORKER_TEST_SEND_SECONDS", "0")))
        return super().send_messages(email_messages)
