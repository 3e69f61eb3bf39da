"""Reminders run from Celery beat, and the emails of staff's decisions and of a resend,
reach each council contact exactly once: when the run is repeated, and when the worker is
killed in the middle of a batch and started again.

With REDIS_URL (CI's PostgreSQL and Redis run) a real `celery -A sharedmap worker` is
started against Redis and the test database, writing what it sends to files, and is
killed with SIGKILL mid-batch. Without it (the SQLite run) the same runs go through
the same tasks in this process, and a lost batch is a batch whose send tasks never ran.
"""

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.outbox import tasks as outbox_tasks
from core.outbox.models import OutboundEmail
from core.outbox.services import MAX_ATTEMPTS, email_message_id, email_resend
from partnerships.models import Council
from sharedmap.celery import app
from submissions import tasks
from submissions.models import CouncilContact, ProposedChange, Questionnaire, RefreshCycle
from submissions.services import change_propose, cycle_open
from submissions.services.email import emails_of_cycle
from submissions.services.notify import KIND_DECISIONS, decision_announce, invitations_send
from submissions.services.staff import changes_decide
from tests.secrets_at_rest import tables_holding, tokens_in_text

BASE_DIR = Path(__file__).resolve().parent.parent.parent
COUNCILS = 8
CONTACTS_PER_COUNCIL = 2
DUE = COUNCILS * CONTACTS_PER_COUNCIL
WAIT_SECONDS = 90

pytestmark = [pytest.mark.usefixtures("live_real_data"), pytest.mark.real_worker]


def _open_cycle_with_a_reminder_due_today() -> RefreshCycle:
    """A cycle opened ten days ago whose 7-day reminder falls today, for eight councils
    with two contacts each (and one more council that has submitted)."""
    today = timezone.localdate()
    cycle = RefreshCycle.objects.create(
        financial_year=2025,
        opens_on=today - datetime.timedelta(days=10),
        deadline=today + datetime.timedelta(days=7),
        reminder_days="21,7,1",
    )
    councils = list(Council.objects.filter(current=True).order_by("gss_code")[: COUNCILS + 1])
    for council in councils:
        for n in range(CONTACTS_PER_COUNCIL):
            CouncilContact.objects.create(
                council=council, name=f"Officer {n}", email=f"officer{n}@{council.gss_code}.gov.uk"
            )
    cycle_open(cycle=cycle)
    cycle.questionnaires.filter(council=councils[-1]).update(status="submitted")
    RefreshCycle.objects.filter(pk=cycle.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=10)
    )
    # The contacts were there when it opened (a contact added since hears nothing before
    # its own invitation).
    CouncilContact.objects.update(created_at=timezone.now() - datetime.timedelta(days=11))
    return cycle


def _due_keys(cycle) -> set[str]:
    keys = set(emails_of_cycle(cycle).values_list("key", flat=True))
    assert len(keys) == DUE, keys
    assert all(key.endswith(":reminder:7") for key in keys)
    return keys


def test_a_reminder_run_twice_sends_each_due_email_once(tmp_path, queue):
    if settings.REDIS_URL:
        with RealWorker(tmp_path, queue=queue) as worker:
            cycle = _open_cycle_with_a_reminder_due_today()
            first = worker.run(tasks.reminders_send_due)
            second = worker.run(tasks.reminders_send_due)
            assert (first, second) == (DUE, 0), worker.log()
            worker.wait_until_sent(DUE)
            keys = _due_keys(cycle)
            time.sleep(2)  # room for a duplicate to arrive, were one on its way
            assert worker.sent_message_ids() == _once_each(keys), worker.log()
            # The reminders carried working links, rebuilt by the worker: none of their
            # tokens is in any table or in the worker's log.
            tokens = tokens_in_text(*(p.read_text() for p in worker.emails.iterdir()))
            assert len(tokens) == COUNCILS, tokens
            assert tables_holding(tokens) == []
            assert not any(token in worker.log_path.read_text() for token in tokens)
    else:
        with _eager():
            cycle = _open_cycle_with_a_reminder_due_today()
            assert tasks.reminders_send_due.delay().get() == DUE
            assert tasks.reminders_send_due.delay().get() == 0
        keys = _due_keys(cycle)
        assert _outbox_ids() == _once_each(keys)
        tokens = tokens_in_text(*(m.body for m in mail.outbox))
        assert len(tokens) == COUNCILS, tokens
        assert tables_holding(tokens) == []
    assert OutboundEmail.objects.filter(status="sent").count() == DUE


def test_a_worker_killed_mid_batch_and_started_again_sends_every_email_once(tmp_path, queue):
    if settings.REDIS_URL:
        with RealWorker(tmp_path, queue=queue, send_seconds=0.4) as worker:
            cycle = _open_cycle_with_a_reminder_due_today()
            assert worker.run(tasks.reminders_send_due) == DUE, worker.log()
            # Stop it while it is inside the fourth send, before that message is written.
            worker.wait_for_sends_started(4)
            worker.kill()
        sent_before_restart = OutboundEmail.objects.filter(status="sent").count()
        assert 0 < sent_before_restart < DUE, "the worker was stopped mid-batch"
        with RealWorker(tmp_path, queue=queue) as worker:
            # Beat's next run finds every message already recorded: nothing new.
            assert worker.run(tasks.reminders_send_due) == 0
            # The message that was being sent was lost with its worker; emails_send_stale
            # (every 15 minutes from beat) queues it again.
            deadline = time.monotonic() + WAIT_SECONDS
            while OutboundEmail.objects.filter(status="sent").count() < DUE:
                assert time.monotonic() < deadline, worker.log()
                worker.run(outbox_tasks.emails_send_stale)
                time.sleep(2)
            keys = _due_keys(cycle)
            time.sleep(2)
            assert worker.sent_message_ids() == _once_each(keys), worker.log()
    else:
        with _eager():
            cycle = _open_cycle_with_a_reminder_due_today()
            # The worker dies before any of the batch's send tasks runs.
            with mock.patch.object(outbox_tasks.email_send, "delay"):
                assert tasks.reminders_send_due.delay().get() == DUE
            assert mail.outbox == []
            assert tasks.reminders_send_due.delay().get() == 0
            with mock.patch.object(settings, "OUTBOX_STALE_SECONDS", 0, create=True):
                assert outbox_tasks.emails_send_stale.delay().get() == DUE
                assert outbox_tasks.emails_send_stale.delay().get() == 0
        keys = _due_keys(cycle)
        assert _outbox_ids() == _once_each(keys)
    assert OutboundEmail.objects.filter(status="sent").count() == DUE


DECIDED_COUNCILS = 5


def _decisions_and_a_failed_invitation_waiting() -> tuple[list, OutboundEmail]:
    """Five councils (two contacts each) sent two savings figures each, waiting for
    review; one contact's invitation failed after every attempt."""
    today = timezone.localdate()
    cycle = RefreshCycle.objects.create(
        financial_year=2025,
        opens_on=today - datetime.timedelta(days=5),
        deadline=today + datetime.timedelta(days=20),
    )
    for council in Council.objects.filter(current=True).order_by("gss_code")[:20]:
        for n in range(CONTACTS_PER_COUNCIL):
            CouncilContact.objects.create(
                council=council, name=f"Officer {n}", email=f"officer{n}@{council.gss_code}.gov.uk"
            )
    cycle_open(cycle=cycle)
    batches = []
    for questionnaire in cycle.questionnaires.select_related("council", "cycle").order_by("pk"):
        items = list(questionnaire.items.filter(partnership__isnull=False).order_by("pk")[:2])
        if len(items) < 2:
            continue
        accepted, rejected = (
            change_propose(
                kind="savings_record",
                partnership=item.partnership,
                proposed={"start_year": 2025, "amount": amount, "kind": "achieved"},
                source=f"Refresh {cycle}: {questionnaire.council.short_name}",
                questionnaire=questionnaire,
                item=item,
            )
            for item, amount in zip(items, ["125000", "4000"], strict=True)
        )
        batches.append([(accepted, "accept", ""), (rejected, "reject", "No evidence given.")])
        if len(batches) == DECIDED_COUNCILS:
            break
    assert len(batches) == DECIDED_COUNCILS
    Questionnaire.objects.filter(cycle=cycle).update(status="submitted")
    # The first council's invitations went out before; one mailbox refused every attempt.
    first = batches[0][0][0].questionnaire
    with mock.patch.object(outbox_tasks.email_send, "delay"):
        delivered, failed = invitations_send(questionnaire=first)
    OutboundEmail.objects.filter(pk=delivered.pk).update(status="sent", sent_at=timezone.now())
    OutboundEmail.objects.filter(pk=failed.pk).update(
        status="failed", attempts=MAX_ATTEMPTS, error="ConnectionRefusedError: 550"
    )
    failed.refresh_from_db()
    return batches, failed


def _staff_decide_and_resend(batches, failed) -> None:
    """Staff decide each council's figures (one save per council, as on its review
    page) and resend the failed invitation: one batch of emails, queued after commit."""
    reviewer = get_user_model().objects.create_user("reviewer", is_staff=True)
    for decisions in batches:
        changes_decide(decisions=decisions, reviewer=reviewer)
    email_resend(email=failed, user=reviewer)


def _announce_again(batches, failed) -> None:
    """What a repeated announcement or a second press of Resend would do."""
    for decisions in batches:
        for change, _decision, _reason in decisions:
            decision_announce(change_id=change.pk)
    email_resend(email=failed)


def _decision_and_resend_keys(failed) -> set[str]:
    decisions = set(OutboundEmail.objects.filter(kind=KIND_DECISIONS).values_list("key", flat=True))
    assert len(decisions) == DECIDED_COUNCILS * CONTACTS_PER_COUNCIL, decisions
    assert not ProposedChange.objects.filter(status="pending").exists()
    resends = set(
        OutboundEmail.objects.filter(key__startswith=f"{failed.key}:").values_list("key", flat=True)
    )
    assert resends == {f"{failed.key}:resend1"}
    return decisions | resends


def test_decision_and_resend_emails_go_once_each_with_the_worker_killed_mid_batch(tmp_path, queue):
    batches, failed = _decisions_and_a_failed_invitation_waiting()
    due = DECIDED_COUNCILS * CONTACTS_PER_COUNCIL + 1
    if settings.REDIS_URL:
        with RealWorker(tmp_path, queue=queue, send_seconds=0.4) as worker:
            with worker.sends_from_here():
                _staff_decide_and_resend(batches, failed)
            # Stop it while it is inside the fourth send, before that message is written.
            worker.wait_for_sends_started(4)
            worker.kill()
        # Of the batch (the invitation sent before is not in it).
        sent = OutboundEmail.objects.filter(status="sent").exclude(key__endswith=":invitation")
        assert 0 < sent.count() < due, "the worker was stopped mid-batch"
        with RealWorker(tmp_path, queue=queue) as worker:
            with worker.sends_from_here():
                # Announcing again, and Resend pressed again, record nothing new.
                before = OutboundEmail.objects.count()
                _announce_again(batches, failed)
                assert OutboundEmail.objects.count() == before
            deadline = time.monotonic() + WAIT_SECONDS
            while sent.count() < due:
                assert time.monotonic() < deadline, worker.log()
                worker.run(outbox_tasks.emails_send_stale)
                time.sleep(2)
            keys = _decision_and_resend_keys(failed)
            time.sleep(2)  # room for a duplicate to arrive, were one on its way
            assert worker.sent_message_ids() == _once_each(keys), worker.log()
            bodies = worker.sent_messages()
    else:
        with _eager():
            # The worker dies before any of the batch's send tasks runs.
            with mock.patch.object(outbox_tasks.email_send, "delay"):
                _staff_decide_and_resend(batches, failed)
            assert mail.outbox == []
            before = OutboundEmail.objects.count()
            _announce_again(batches, failed)
            assert OutboundEmail.objects.count() == before
            with mock.patch.object(settings, "OUTBOX_STALE_SECONDS", 0, create=True):
                assert outbox_tasks.emails_send_stale.delay().get() == due
                assert outbox_tasks.emails_send_stale.delay().get() == 0
        keys = _decision_and_resend_keys(failed)
        assert _outbox_ids() == _once_each(keys)
        bodies = [m.message().as_string() for m in mail.outbox]
    # Each council's contacts heard of their own figures' decisions; the failed
    # contact got the invitation again; nobody else got anything.
    assert OutboundEmail.objects.filter(status="sent").count() == due + 1
    assert sum("No evidence given." in body for body in bodies) == due - 1
    to = f"to: {failed.to.lower()}"
    assert sum(to in body.lower() for body in bodies) == 2  # the invitation, the decisions


# --- Without Redis: the same tasks, in this process ---------------------------------------


class _eager:
    def __enter__(self):
        self.before = app.conf.task_always_eager
        app.conf.task_always_eager = True

    def __exit__(self, *exc):
        app.conf.task_always_eager = self.before


def _once_each(keys) -> dict[str, int]:
    """What was sent when each message of `keys` went exactly once, by Message-ID."""
    return {email_message_id(key): 1 for key in keys}


def _outbox_ids() -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in mail.outbox:
        message_id = message.extra_headers["Message-ID"]
        counts[message_id] = counts.get(message_id, 0) + 1
    return counts


# --- With Redis: a real worker ---------------------------------------------------------------


class RealWorker:
    """`celery -A sharedmap worker` in a subprocess, on a queue of its own, against the
    test database, writing each message it sends to a file."""

    def __init__(self, tmp_path: Path, *, queue: str, send_seconds: float = 0):
        assert connection.vendor != "sqlite", (
            "The real-worker test needs a database the worker can reach: set DATABASE_URL "
            "(PostgreSQL) with REDIS_URL, as CI does."
        )
        self.emails = tmp_path / "emails"
        self.markers = tmp_path / "markers"
        self.emails.mkdir(exist_ok=True)
        self.markers.mkdir(exist_ok=True)
        self.queue = queue
        self.log_path = tmp_path / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.send_seconds = send_seconds
        self.process = None

    def _env(self) -> dict:
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        return {
            **os.environ,
            "DATABASE_URL": url,  # the test database, not the one it was made from
            "DJANGO_SETTINGS_MODULE": "tests.submissions.worker_settings",
            "WORKER_TEST_EMAIL_DIR": str(self.emails),
            "WORKER_TEST_MARKER_DIR": str(self.markers),
            "WORKER_TEST_QUEUE": self.queue,
            "WORKER_TEST_SEND_SECONDS": str(self.send_seconds),
        }

    def __enter__(self):
        celery = Path(sys.executable).with_name("celery")
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "sharedmap",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=self._env(),
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        return self

    @contextmanager
    def sends_from_here(self):
        """Emails queued in the test's own process (staff's decisions, a resend) go to
        this worker's queue, as the site's go to its workers'."""

        def delay(*args):
            return outbox_tasks.email_send.apply_async(args=args, queue=self.queue)

        with mock.patch.object(outbox_tasks.email_send, "delay", side_effect=delay):
            yield

    def run(self, task, *args):
        """Queue the task on this worker's queue and wait for its result."""
        result = task.apply_async(args=args, queue=self.queue)
        try:
            return result.get(timeout=WAIT_SECONDS)
        finally:
            result.forget()

    def wait_for_sends_started(self, n: int) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while len(list(self.markers.iterdir())) < n:
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.05)

    def wait_until_sent(self, n: int) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while OutboundEmail.objects.filter(status="sent").count() < n:
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.2)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def sent_message_ids(self) -> dict[str, int]:
        """How many times each message was really sent (written by the worker), by
        Message-ID (a header folded onto a second line counts too)."""
        counts: dict[str, int] = {}
        for path in self.emails.iterdir():
            for message_id in re.findall(r"^Message-ID:\s+(<[^>\s]+>)", path.read_text(), re.M):
                counts[message_id] = counts.get(message_id, 0) + 1
        return counts

    def sent_messages(self) -> list[str]:
        """Each message the worker wrote, as text (the file backend writes the messages
        of one connection to one file, each followed by a line of 79 hyphens)."""
        return [
            message
            for path in self.emails.iterdir()
            for message in path.read_text().split("-" * 79)
            if message.strip()
        ]

    def log(self) -> str:
        self.log_file.flush()
        return self.log_path.read_text()[-5000:]

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


@pytest.fixture
def queue():
    """A queue of the test's own, so that no other worker on this Redis takes its tasks;
    deleted afterwards (as tests/test_celery.py does)."""
    name = f"test-refresh-{uuid.uuid4().hex}"
    yield name
    if settings.REDIS_URL:
        with app.connection_for_write() as broker:
            bound = app.amqp.queues[name].bind(broker.default_channel)
            bound.declare()
            bound.delete()
        _unacked_delete(queue=name)


def _unacked_delete(*, queue: str) -> None:
    """Drop what a killed worker left unacknowledged on the queue: Redis would otherwise
    hand it back to the (deleted) queue an hour later (the visibility timeout)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    for tag, payload in client.hgetall("unacked").items():
        if json.loads(payload)[2] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
