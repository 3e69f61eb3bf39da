"""The settings as an operator meets them: safe local defaults with nothing set,
PostgreSQL and Redis when their URLs are given, and production settings that refuse to
start half-configured and pass Django's deployment checks.

Settings are read once per process, so each case runs Django in a fresh subprocess with
exactly the environment it describes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = "sharedmap.settings.production"
# A key that passes check --deploy (long, varied, not "django-insecure-…").
DEPLOY_SECRET_KEY = "t3st-Only-9fK2xQ7mZp4LrV8wYc1NbH6sJd0GtE5uAaWq3Ro2Ik7Ul9Ye4Ts8Pn"
DEPLOY_SITE_URL = "https://sharedservices.example.org"

# Every variable the settings read, so the machine's own environment (a CI run with
# DATABASE_URL and REDIS_URL, say) cannot leak into a case.
SETTINGS_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "DEBUG",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_TIMEOUT",
    "MAP_TILE_URL",
    "MAP_TILE_ATTRIBUTION",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SHAREDMAP_DATA_DIR",
)

READ_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "EMAIL_TIMEOUT": settings.EMAIL_TIMEOUT,
    "SITE_URL": settings.SITE_URL,
    "MAP_TILE_URL": settings.MAP_TILE_URL,
    "STATICFILES_BACKEND": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run `python <args>` in the project folder with only the given settings variables."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    clean.setdefault("DJANGO_SETTINGS_MODULE", "sharedmap.settings")
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )


def read_settings(**env: str) -> dict:
    result = run_django(["-c", READ_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_nothing_set_the_site_runs_on_sqlite_with_eager_tasks_and_console_email():
    values = read_settings()

    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(BASE_DIR / "db.sqlite3")
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["CELERY_BROKER_URL"] == "memory://"
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["MAP_TILE_URL"] == ""  # no tiles, so the map needs no network
    assert values["SITE_URL"] == "http://127.0.0.1:8000"  # links in emails, locally
    assert values["EMAIL_TIMEOUT"] == 20  # a hung mail server never holds a worker


def test_database_url_switches_the_database_to_postgresql():
    values = read_settings(DATABASE_URL="postgres://someone@db.example:5432/sharedmap")

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "sharedmap"


def test_redis_url_sends_tasks_to_the_redis_broker_instead_of_running_them_eagerly():
    values = read_settings(REDIS_URL="redis://cache.example:6379/3")

    assert values["CELERY_BROKER_URL"] == "redis://cache.example:6379/3"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        ALLOWED_HOSTS="example.org",
        SITE_URL=DEPLOY_SITE_URL,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment for production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=DEPLOY_SECRET_KEY,
        SITE_URL=DEPLOY_SITE_URL,
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in the environment for production" in result.stderr


def test_production_refuses_allowed_hosts_that_name_no_host():
    result = run_django(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=DEPLOY_SECRET_KEY,
        ALLOWED_HOSTS=" , ",
        SITE_URL=DEPLOY_SITE_URL,
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in the environment for production" in result.stderr


def test_production_refuses_to_start_without_the_site_url():
    # Links in emails a worker sends (no request to build them from) start with it.
    result = run_django(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=DEPLOY_SECRET_KEY,
        ALLOWED_HOSTS="sharedservices.example.org",
    )

    assert result.returncode != 0
    assert "SITE_URL must be set in the environment for production" in result.stderr


def test_production_refuses_a_site_url_that_is_not_an_absolute_address():
    result = run_django(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=DEPLOY_SECRET_KEY,
        ALLOWED_HOSTS="sharedservices.example.org",
        SITE_URL="sharedservices.example.org",
    )

    assert result.returncode != 0
    assert "SITE_URL must be an absolute address" in result.stderr


def test_production_passes_the_deployment_checklist(tmp_path):
    # Against a database set up as a deployment sets it up (docker-compose's `migrate`
    # service): the deploy checks generate the API schema, whose filter choices (regions,
    # categories) are read from the reference data.
    production = {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "SECRET_KEY": DEPLOY_SECRET_KEY,
        "ALLOWED_HOSTS": "sharedservices.example.org",
        "SITE_URL": DEPLOY_SITE_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deployed.sqlite3'}",
    }
    for setup in (["migrate", "--noinput"], ["load_reference_data"]):
        done = run_django(["manage.py", *setup], **production)
        assert done.returncode == 0, done.stdout + done.stderr

    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_never_debugs_serves_hashed_static_files_and_shows_openstreetmap_tiles():
    values = read_settings(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=DEPLOY_SECRET_KEY,
        ALLOWED_HOSTS="sharedservices.example.org",
        SITE_URL=DEPLOY_SITE_URL,
        DEBUG="true",
    )

    assert values["DEBUG"] is False
    assert values["STATICFILES_BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["MAP_TILE_URL"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert values["SITE_URL"] == DEPLOY_SITE_URL
