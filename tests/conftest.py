"""Shared fixtures.

The real reference data (every English council with its boundary, the public bodies
and the publicly reported partnerships) is loaded once into the test database, and
each test runs inside a transaction that is rolled back. Tests that need a real
server (browser tests) flush the database when they finish, so they run last and
reload the data when they find it gone.
"""

import os

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from playwright.sync_api import sync_playwright

from partnerships.map_layers import map_data_changed, map_data_load_recheck_put_off
from partnerships.models import Council
from partnerships.services.loading import reference_data_load
from sharedmap.celery import app as celery_app

# The loaded reference data, kept in memory after the first load of the session: every
# row of the partnerships app's tables (many-to-many and history tables included). After
# a flush (every test on a transactional database ends with one) the rows go back with
# one bulk insert per table, in well under a second, instead of loading the files again.
_snapshot: dict | None = None


def _reference_models():
    return list(apps.get_app_config("partnerships").get_models(include_auto_created=True))


def _ensure_reference_data() -> None:
    global _snapshot
    if Council.objects.exists():
        return
    if _snapshot is None:
        reference_data_load(data_dir=settings.DATA_DIR, force=True)
        _snapshot = {
            model: list(model._base_manager.order_by("pk")) for model in _reference_models()
        }
        return
    with transaction.atomic(), connection.constraint_checks_disabled():
        for model, rows in _snapshot.items():
            model._base_manager.bulk_create(rows, batch_size=500)
        # Rows came back with their ids: move the sequences past them (PostgreSQL).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), _reference_models()):
                cursor.execute(sql)
    # What was cached from the flushed rows is dropped with the data version.
    map_data_changed()


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in the test's own process, even on CI's Redis run, so a test sees the
    email it caused in `mail.outbox`. Tests marked `real_worker` (tests/test_celery.py,
    tests/submissions/test_worker.py) send theirs through Redis to a real worker."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def map_data_version_per_test():
    """A new data version after each test: its rows are rolled back, which sends no
    signal, so what it cached under its version must not serve the next test."""
    yield
    map_data_changed()


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    """pytest-django's, with the once-a-minute look for a reference-data load made in
    another process (`map_data_version`) put off for the next minute as each measured
    block starts: a bound counts what the page itself reads, never a look that happens
    to fall due during it."""

    def measured(*args, **kwargs):
        map_data_load_recheck_put_off()
        return django_assert_max_num_queries(*args, **kwargs)

    return measured


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_reference_data()


@pytest.fixture
def real_data(db):
    """The real councils, boundaries, bodies and partnerships (already loaded)."""
    _ensure_reference_data()


@pytest.fixture
def empty_cache():
    """Nothing cached at the start and end of the test: cached layers and the API's
    throttle counts live in the cache, and rolled-back rows send no signals to drop them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def live_real_data(transactional_db):
    """The real data in a database a live server can see; flushed after the test."""
    _ensure_reference_data()


def pytest_collection_modifyitems(config, items):
    # Tests on a transactional database flush it afterwards; run them last so that
    # the reference data loaded once at the start serves every other test.
    def flushes(item) -> bool:
        names = getattr(item, "fixturenames", ())
        return any(n in names for n in ("transactional_db", "live_server", "live_real_data"))

    items.sort(key=flushes)
    # Every test that drives the browser is marked so, whether or not its module says it,
    # so that `-m "not browser"` (CI's second run) leaves out exactly the browser tests.
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; each test gets a fresh context."""
    # A missing browser is a failure, never a skip: these tests are the only check of
    # what a person sees.
    assert os.access(CHROMIUM, os.X_OK), f"Chromium is needed at {CHROMIUM}"
    # Playwright's sync API runs an event loop in this thread, which Django's ORM would
    # otherwise refuse to share (pytest-django's advice for live_server tests). Browser
    # tests run last (they flush), so no other test runs beside this loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, live_real_data):
    """A page in a fresh context of the session's headless Chromium (its own cookies and
    storage), against a live server holding the real data. The test fails if the page
    raised a JavaScript error."""
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert not errors, errors
