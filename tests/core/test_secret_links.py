"""Secret links are kept only as digests: no token in any table, session or log line, while
every email (a reminder weeks later included) still carries a working link, and every
page at a secret address sends the same protective headers."""

import datetime
import importlib
import io
import logging
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core import secret_links
from core.logging import secret_paths_mask
from core.outbox.models import OutboundEmail
from matchmaking import services as matchmaking_services
from partnerships.models import Partnership, ServiceCategory
from submissions.models import QuestionnaireLink, RefreshCycle
from submissions.services import cycle_open, link_revoke
from submissions.services.notify import cycle_invitations_send, link_reissue, reminders_send
from tests.secrets_at_rest import SECRET, tables_holding, tokens_in_text
from tests.submissions.refresh_fixtures import ADUR, WORTHING, contact, council, cycle_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data", "celery_eager")]

BASE_DIR = Path(__file__).resolve().parents[2]
SITE = "https://map.example.org"


def tokens_in(messages) -> set[str]:
    return tokens_in_text(
        *(body for m in messages for body in [m.body, *(c for c, _ in m.alternatives)])
    )


@pytest.fixture
def log_output():
    """What the site's configured log handler writes (settings.LOGGING), as text."""
    console = next(h for h in logging.getLogger().handlers if h.filters)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    logging.getLogger().addHandler(handler)
    yield buffer
    logging.getLogger().removeHandler(handler)


def test_a_token_is_rebuilt_from_its_salt_only_while_the_digest_matches():
    issued = secret_links.link_issue(purpose="questionnaire")
    assert len(issued.token) == 43 and issued.salt not in issued.token
    assert issued.digest == secret_links.token_digest(issued.token)
    assert (
        secret_links.token_rebuild(purpose="questionnaire", salt=issued.salt, digest=issued.digest)
        == issued.token
    )
    # Another purpose, a revoked link (no digest) or a reissued one (another digest): none.
    assert not secret_links.token_rebuild(purpose="tracker", salt=issued.salt, digest=issued.digest)
    assert not secret_links.token_rebuild(purpose="questionnaire", salt=issued.salt, digest=None)
    other = secret_links.link_issue(purpose="questionnaire")
    assert not secret_links.token_rebuild(
        purpose="questionnaire", salt=issued.salt, digest=other.digest
    )


def test_after_a_whole_refresh_and_every_other_secret_link_no_token_is_stored_anywhere(
    client, django_capture_on_commit_callbacks, log_output
):
    cache.clear()
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    contact(WORTHING, "wes@worthing.gov.uk", "Wes")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle)
        cycle_invitations_send(cycle=cycle, site_url=SITE)
    first_of_march = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    RefreshCycle.objects.filter(pk=cycle.pk).update(opened_at=first_of_march)
    # The invitations went that day (a contact's reminders count from its invitation).
    OutboundEmail.objects.filter(kind="refresh-invitation").update(
        created_at=first_of_march, sent_at=first_of_march
    )
    cycle.refresh_from_db()
    invitations = tokens_in(mail.outbox)
    assert len(invitations) == 2
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(cycle=cycle, today=datetime.date(2026, 3, 25))  # 21 days before
    # The reminder carries the invitation's link, rebuilt, not stored.
    assert tokens_in(mail.outbox[2:]) == invitations
    adur = cycle.questionnaires.get(council__gss_code=ADUR)
    with django_capture_on_commit_callbacks(execute=True):
        reissued = link_reissue(questionnaire=adur, site_url=SITE)
    # The council opens its link, and a HEAD (a mail scanner) and a forged POST are logged.
    assert client.get(f"/refresh/q/{reissued}/").status_code == 200
    assert client.head(f"/refresh/q/{reissued}/all/").status_code in (200, 405)
    assert Client(enforce_csrf_checks=True).post(f"/refresh/q/{reissued}/new/").status_code == 403

    # A benefits tracker from its public form (its link shown once, from the session).
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("benefits:start"),
            {
                "for_what": "published",
                "partnership": Partnership.objects.filter(published=True).order_by("pk")[0].pk,
                "first_year": "2024",
                "first_year_months": "12",
                "creator_name": "Jo Bloggs",
                "creator_email": "jo@adur-worthing.gov.uk",
            },
        )
    assert started.status_code == 302
    shown = client.get(started["Location"]).content.decode()
    tracker_token = SECRET.search(shown).group(1)
    # A match-making request and an Expert Programme application, with its work complete.
    with django_capture_on_commit_callbacks(execute=True):
        requested = client.post(
            reverse("matchmaking:request-new"),
            {
                "council": str(council("E07000223").pk),
                "requester_name": "Jo Requester",
                "requester_role": "Head of Building Control",
                "requester_email": "jo@adur-worthing.gov.uk",
                "categories": [str(ServiceCategory.objects.get(slug="building-control").pk)],
                "reach": "county",
                "council_types": ["district"],
                "description": "Our team is too small to cover leave.",
                "funding_wanted": "expert",
                "expert_days_requested": "12.5",
                "mediation_requested": "",
                "website": "",
            },
        )
        assert requested.status_code == 302
        partnership = Partnership.objects.filter(published=True).order_by("pk")[0]
        application = matchmaking_services.application_create(
            partnership=partnership,
            council=partnership.council_memberships.order_by("pk")[0].council,
            applicant_name="Sam Applicant",
            applicant_role="Director",
            applicant_email="sam@example.gov.uk",
            improvement="One team",
            expertise_needed="Procurement",
            funding_requested=Decimal("5000"),
            outcomes_expected="Savings",
            link_for=lambda t: f"{SITE}/matchmaking/expert-programme/applications/{t}/",
        )
    tokens = tokens_in(mail.outbox)
    assert {reissued, tracker_token} <= tokens
    assert len(tokens) == 6, "two invitations, the new link, a tracker, a request, an application"
    # Every link works, and none of them is in any table, session or log line.
    assert client.get(f"/benefits/t/{tracker_token}/").status_code == 200
    assert application.token_digest == secret_links.token_digest(
        SECRET.search(mail.outbox[-1].body).group(1)
    )
    assert tables_holding(tokens) == []
    for session in Session.objects.all():
        assert not any(token in str(session.get_decoded()) for token in tokens)
    written = log_output.getvalue()
    assert "Method Not Allowed" in written or "Forbidden" in written
    assert "/refresh/q/[secret]/" in written
    assert not any(token in written for token in tokens)


def test_an_email_whose_link_was_revoked_before_sending_fails_saying_so(
    django_capture_on_commit_callbacks,
):
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle)
    mail.outbox.clear()
    OutboundEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cycle_invitations_send(cycle=cycle, site_url=SITE)
    for link in QuestionnaireLink.objects.all():
        link_revoke(link=link)
    for callback in callbacks:
        callback()
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.FAILED
    assert "revoked or replaced" in email.error
    assert mail.outbox == []


def _token_routes(resolver=None, prefix="/"):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _token_routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and "<str:token>" in str(pattern.pattern):
            yield prefix + str(pattern.pattern)


def test_every_address_that_takes_a_token_is_masked_in_logs():
    routes = list(_token_routes())
    assert len(routes) >= 10
    token = secret_links.link_issue(purpose="questionnaire").token
    for route in routes:
        path = re.sub(r"<int:\w+>", "7", route.replace("<str:token>", token))
        line = f'127.0.0.1 "GET {path}?x=1 HTTP/1.1" 200 "{SITE}{path}"'
        assert token not in secret_paths_mask(line), route
        assert "[secret]" in secret_paths_mask(line)


def test_the_logging_settings_mask_every_handler():
    from django.conf import settings

    for name, handler in settings.LOGGING["handlers"].items():
        assert "secret_paths" in handler.get("filters", []), name
    assert logging.getLogger("django").handlers == []
    # (pytest adds capture handlers of its own beside the site's.)
    site_handlers = [
        h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler
    ]
    assert site_handlers and all(h.filters for h in site_handlers)


class _AppsWithEmailsInSubmissions:
    """The models as that migration met them: emails were rows of submissions then, with
    the columns it reads (context, status, error) that the outbox's rows have now."""

    def get_model(self, app_label, model_name):
        if (app_label, model_name) == ("submissions", "OutboundEmail"):
            return OutboundEmail
        return apps.get_model(app_label, model_name)


def test_stored_tokens_are_cleared_and_a_waiting_email_gets_a_link_that_can_be_rebuilt():
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    cycle_open(cycle=cycle)
    questionnaire = cycle.questionnaires.get(council__gss_code=ADUR)
    QuestionnaireLink.objects.all().delete()
    OutboundEmail.objects.all().delete()
    old_token = "an-old-random-token-from-before-0123456789ab"
    QuestionnaireLink.objects.create(
        questionnaire=questionnaire, token_digest=secret_links.token_digest(old_token)
    )
    old_link = f"{SITE}/refresh/q/{old_token}/"
    sent = OutboundEmail.objects.create(
        key="old-sent",
        to="ann@adur.gov.uk",
        template="submissions/email/invitation",
        kind="refresh-invitation",
        status=OutboundEmail.Status.SENT,
        context={"link": old_link, "token": old_token, "council": "Adur"},
    )
    waiting = OutboundEmail.objects.create(
        key="old-waiting",
        to="bob@adur.gov.uk",
        template="submissions/email/invitation",
        kind="refresh-invitation",
        about=questionnaire,
        context={"link": old_link, "token": old_token, "council": "Adur", "name": "Bob"},
    )
    staff_note = OutboundEmail.objects.create(
        key="staff-note",
        to="lga@local.gov.uk",
        template="submissions/email/staff_note",
        kind="refresh-submitted-staff",
        context={"link": f"{SITE}/admin/submissions/review/"},
    )
    migration = importlib.import_module("submissions.migrations.0005_no_tokens_in_emails")
    migration.forwards(_AppsWithEmailsInSubmissions(), None)

    assert tables_holding({old_token}) == []
    sent.refresh_from_db()
    assert "link" not in sent.context and sent.status == OutboundEmail.Status.SENT
    staff_note.refresh_from_db()
    assert staff_note.context["link"] == f"{SITE}/admin/submissions/review/"
    waiting.refresh_from_db()
    link = secret_links.context_with_links(waiting.context)["link"]
    new_token = SECRET.search(link).group(1)
    assert link.startswith(f"{SITE}/refresh/q/") and new_token != old_token
    # Both the link already sent and the one about to be sent open the questionnaire.
    from submissions.services import questionnaire_for_token

    cycle.status = RefreshCycle.Status.OPEN
    assert questionnaire_for_token(token=old_token) == questionnaire
    assert questionnaire_for_token(token=new_token) == questionnaire


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorns_access_log_masks_secret_addresses(tmp_path):
    port = _free_port()
    token = secret_links.link_issue(purpose="benefits-tracker").token
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "sharedmap.wsgi", "--config", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "sharedmap.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/benefits/t/{token}/",
                    headers={"Referer": f"http://127.0.0.1:{port}/refresh/q/{token}/"},
                )
                urllib.request.urlopen(request, timeout=5)
            except urllib.error.HTTPError:
                break  # any reply: the request was served and logged
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
                continue
            break
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "GET /benefits/t/[secret]/" in output, output
    assert "/refresh/q/[secret]/" in output
    assert token not in output
