"""The load balancer's health endpoint, /health/, as the load balancer and an operator meet
it: 200 while the database, the cache and the broker answer, 503 when one does not, and
nothing in the reply a member of the public should not read. And what stands behind it:
gunicorn.conf.py, whose workers, threads and timeouts come from the environment.
"""

import datetime
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
# A Redis that is not there: nothing listens on port 1, so a connection is refused at once.
NO_REDIS = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


def applicable_checks(settings) -> dict[str, str]:
    """What this run's configuration has: a broker only when REDIS_URL names one (the
    PG/Redis CI run); the zero-setup default runs tasks eagerly, with no broker."""
    checks = {"database": "ok", "cache": "ok"}
    if settings.REDIS_URL:
        checks["broker"] = "ok"
    return checks


def test_a_healthy_site_answers_200_with_a_plain_status_per_check(client, settings):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": applicable_checks(settings)}
    assert reverse("health") == "/health/"


def test_with_redis_url_set_the_broker_is_really_asked(client, settings):
    # On the PG/Redis run the broker is Redis and is pinged; on the zero-setup default
    # there is no broker to report, so the reply does not pretend to have checked one.
    body = client.get("/health/").json()

    assert body["checks"].get("broker") == ("ok" if settings.REDIS_URL else None)
    assert settings.CELERY_BROKER_URL.startswith("redis://") == bool(settings.REDIS_URL)


def test_the_zero_setup_default_checks_the_database_and_the_cache_only(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_the_database_down_answers_503_without_its_error_text(client):
    refused = OperationalError('connection to server at "db-primary.internal" failed')
    # On the class: the check may run on another thread, with its own connection.
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=refused):
        response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unavailable"
    assert body["checks"]["cache"] == "ok"
    assert b"db-primary" not in response.content
    assert b"connection" not in response.content


def test_a_database_that_hangs_answers_503_at_the_timeout_not_when_it_gives_up(client):
    released = threading.Event()
    real_cursor = BaseDatabaseWrapper.cursor

    def hanging(self, *args, **kwargs):
        released.wait(30)  # as a connection to a host that never answers
        return real_cursor(self, *args, **kwargs)

    started = time.monotonic()
    with (
        mock.patch("sharedmap.health.CHECK_TIMEOUT", datetime.timedelta(seconds=0.5)),
        mock.patch.object(BaseDatabaseWrapper, "cursor", hanging),
    ):
        response = client.get("/health/")
        released.set()
    took = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    # The check's half second, the library's one second of grace, and some slack.
    assert took < 5


def test_the_cache_down_answers_503(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NO_REDIS}
    }

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unavailable"
    assert response.json()["checks"]["database"] == "ok"
    assert b"127.0.0.1" not in response.content


def test_the_broker_down_answers_503_naming_no_host(client, settings):
    settings.CELERY_BROKER_URL = NO_REDIS

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {**applicable_checks(settings), "broker": "unavailable"},
    }
    assert b"127.0.0.1" not in response.content
    assert b"6379" not in response.content


def test_the_reply_holds_no_personal_or_internal_data(client, settings, django_user_model):
    officer = django_user_model.objects.create_user("officer", "officer@adur.gov.uk")
    client.force_login(officer)

    response = client.get("/health/")

    # Exactly a status and the checks' names: no versions, hosts, timings or errors.
    assert response.json() == {"status": "ok", "checks": applicable_checks(settings)}
    for header in ("Server", "X-Powered-By", "Set-Cookie"):
        assert header not in response.headers
    assert b"officer" not in response.content
    assert b"adur" not in response.content


def test_it_answers_without_a_session_or_csrf_token_and_is_never_cached(client):
    response = client.get("/health/")

    assert response.cookies == {}
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    # Only a read: a POST is refused, so there is nothing for a CSRF token to guard.
    refused = client.post("/health/")
    assert refused.status_code == 405
    assert "GET" in refused["Allow"]
    assert client.head("/health/").status_code == 200


def test_it_carries_the_site_csp_and_security_headers(client):
    response = client.get("/health/")

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_load_balancer_may_ask_with_its_own_internal_address(client):
    # A target group's probe names the container's IP as the Host, which is not (and
    # should not be) in ALLOWED_HOSTS: the pages refuse it, the health reply does not.
    internal = {"HTTP_HOST": "10.0.3.7:8000"}

    assert client.get("/about/data/", **internal).status_code == 400
    assert client.get("/health/", **internal).status_code == 200


def test_a_probe_asks_the_database_only_select_1_whatever_the_data(client):
    statements: list[str] = []
    real_execute = CursorWrapper.execute

    def recording(self, sql, params=None):
        statements.append(sql)
        return real_execute(self, sql, params)

    with mock.patch.object(CursorWrapper, "execute", recording):
        assert client.get("/health/").status_code == 200

    assert statements == ["SELECT 1"]


# ---- gunicorn.conf.py, as the web container's gunicorn reads it.

WEB_ENV = ("WEB_CONCURRENCY", "WEB_THREADS", "WEB_TIMEOUT", "WEB_KEEPALIVE")


def gunicorn_config(**env: str) -> subprocess.CompletedProcess:
    """`gunicorn --print-config` in a fresh process with exactly these WEB_* variables."""
    clean = {k: v for k, v in os.environ.items() if k not in WEB_ENV}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "gunicorn.conf.py"]
        + ["sharedmap.wsgi"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def printed(result: subprocess.CompletedProcess) -> dict[str, str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))


def test_gunicorn_takes_its_workers_threads_and_timeouts_from_the_environment():
    config = printed(
        gunicorn_config(WEB_CONCURRENCY="3", WEB_THREADS="6", WEB_TIMEOUT="45", WEB_KEEPALIVE="7")
    )

    assert config["workers"] == "3"
    assert config["threads"] == "6"
    assert config["worker_class"] == "gthread"
    assert config["timeout"] == "45"
    assert config["graceful_timeout"] == "45"
    assert config["keepalive"] == "7"
    assert config["bind"] == "['0.0.0.0:8000']"


def test_gunicorn_defaults_to_twice_the_cpus_capped_with_threads_and_one_thread_is_sync():
    # WEB_THREADS set empty counts as unset. (WEB_CONCURRENCY cannot be set empty:
    # gunicorn itself reads it as a number before its config file is read.)
    defaults = printed(gunicorn_config(WEB_THREADS=""))
    cpus = len(os.sched_getaffinity(0))

    assert defaults["workers"] == str(min(2 * cpus, 8))
    assert defaults["threads"] == "4"
    assert defaults["worker_class"] == "gthread"
    assert defaults["timeout"] == "30"
    assert defaults["keepalive"] == "5"

    single = printed(gunicorn_config(WEB_THREADS="1"))
    assert single["worker_class"] == "sync"


def test_gunicorn_refuses_to_start_with_a_count_that_is_not_a_number_in_range():
    for name, bad in [
        ("WEB_THREADS", "four"),
        ("WEB_THREADS", "0"),
        ("WEB_THREADS", "1e3"),
        ("WEB_CONCURRENCY", "65"),
    ]:
        result = gunicorn_config(**{name: bad})

        assert result.returncode != 0
        assert f"{name} must be a whole number from 1 to 64, not {bad!r}" in result.stderr


# ---- docker-compose.yml and deploy/nginx.conf, read as Docker and nginx would read them
# (the tests need neither: CI has no Docker).


def nginx_bytes(block: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", block).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def test_nginx_takes_every_body_the_app_takes_and_serves_files_immutably(settings):
    conf = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    server_limit = re.search(r"^    client_max_body_size (\w+);", conf, re.MULTILINE)
    admin = re.search(r"location /admin/ \{(.*?)\}", conf, re.DOTALL).group(1)
    admin_limit = re.search(r"client_max_body_size (\w+);", admin)

    # Bodies the app would take are never refused by nginx first.
    assert nginx_bytes(server_limit.group(1)) >= settings.REQUEST_BODY_MAX_BYTES
    assert nginx_bytes(admin_limit.group(1)) >= settings.REQUEST_BODY_UPLOAD_MAX_BYTES
    assert settings.REQUEST_BODY_UPLOAD_PREFIXES == ["/admin/"]
    # Static files and layer files straight from disk, hashed and versioned names for a year.
    for prefix in ("/static/", "/layers/"):
        block = conf[conf.index(f"location ^~ {prefix}") :]
        assert "root /srv;" in block.split("location", 2)[1]
        assert "public, max-age=31536000, immutable" in block
    for header in ("X-Forwarded-Proto", "X-Forwarded-For", "X-Forwarded-Host"):
        assert f"proxy_set_header {header} " in conf
    assert "gzip_static on;" in conf
    assert "server_tokens off;" in conf


def test_compose_scales_web_behind_nginx_and_checks_health_on_the_endpoint():
    import yaml

    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]

    # No fixed host port on web, so `--scale web=3` can start three; nginx has the port.
    assert "ports" not in services["web"]
    assert services["proxy"]["ports"] == ["${HTTP_PORT:-8000}:80"]
    assert services["proxy"]["build"]["target"] == "proxy"
    for name in ("web", "proxy"):
        assert "/health/" in " ".join(services[name]["healthcheck"]["test"])
    # The layer files: written by web, the worker and the load, served by nginx.
    for name in ("web", "worker", "migrate"):
        assert "layers:/app/var/layers" in services[name]["volumes"]
        assert services[name]["environment"]["LAYER_FILES_ROOT"] == "/app/var/layers"
    assert "layers:/srv/layers:ro" in services["proxy"]["volumes"]
