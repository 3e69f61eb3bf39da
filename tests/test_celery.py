"""Queued tasks reach something that runs them.

Without REDIS_URL (the local default) tasks run eagerly in the calling process. With
REDIS_URL (as CI's second run sets it) a real worker is started in a subprocess and the
`ping` health task goes through Redis to it and back.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import EagerResult
from django.conf import settings

from partnerships.tasks import ping
from sharedmap.celery import app

pytestmark = pytest.mark.real_worker

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_START_AND_REPLY_SECONDS = 90


def test_a_queued_ping_comes_back_as_pong(tmp_path):
    if settings.REDIS_URL:
        _ping_through_redis_and_a_real_worker(log_path=tmp_path / "worker.log")
    else:
        _ping_runs_eagerly_in_process()


def _ping_runs_eagerly_in_process():
    assert app.conf.task_always_eager is True

    result = ping.delay()

    assert isinstance(result, EagerResult)
    assert result.get(timeout=5) == "pong"


def _ping_through_redis_and_a_real_worker(*, log_path: Path):
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url == settings.REDIS_URL

    # A queue of its own, so that no other worker on this Redis can take the task.
    queue = f"test-ping-{uuid.uuid4().hex}"
    celery = Path(sys.executable).with_name("celery")
    log_file = log_path.open("w")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "sharedmap",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=BASE_DIR,
        env=os.environ.copy(),  # REDIS_URL, DATABASE_URL and the settings module
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    reply = None
    try:
        result = ping.apply_async(queue=queue)
        assert not isinstance(result, EagerResult)
        try:
            reply = result.get(timeout=WORKER_START_AND_REPLY_SECONDS)
        except CeleryTimeoutError:
            pass  # reported below, with the worker's log
        finally:
            result.forget()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log_file.close()
        # Leave nothing of the queue behind in Redis (a channel deletes only the
        # bindings it knows, hence the declare).
        with app.connection_for_write() as connection:
            test_queue = app.amqp.queues[queue].bind(connection.default_channel)
            test_queue.declare()
            test_queue.delete()

    log = log_path.read_text()
    assert reply == "pong", log
    # The worker's own log shows it, not this process, ran the task.
    assert f"partnerships.tasks.ping[{result.id}] succeeded" in log, log
