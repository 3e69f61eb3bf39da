"""Settings for the real Celery worker that tests/submissions/test_worker.py starts: the
project's settings, with the worker's messages written to files (so the test can count
what was really sent), its tasks on the test's own queue, and lost emails picked up
after seconds rather than minutes."""

import os

from sharedmap.settings import *  # noqa: F401,F403

EMAIL_BACKEND = "tests.submissions.worker_email.SlowFileEmailBackend"
EMAIL_FILE_PATH = os.environ["WORKER_TEST_EMAIL_DIR"]
# Tasks the worker queues itself (each email's send) stay on the test's queue, where no
# other worker on the same Redis can take them.
CELERY_TASK_DEFAULT_QUEUE = os.environ["WORKER_TEST_QUEUE"]
OUTBOX_STALE_SECONDS = 1
