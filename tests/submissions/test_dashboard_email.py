"""Staff see on the cycle's dashboard how each contact's email went, are warned of the
ones that failed, send a failed one again to its one contact, and send one contact a new
link without cutting off their colleagues. A system check warns when submissions would
notify nobody."""

import re
from html import unescape
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from core.outbox.models import OutboundEmail
from submissions.checks import NOBODY_TOLD, staff_hear_of_submissions
from submissions.models import CouncilContact, Questionnaire
from submissions.services import cycle_open, questionnaire_for_token
from submissions.services.notify import cycle_invitations_send
from tests.submissions.refresh_fixtures import (  # noqa: F401 - celery_eager is a fixture
    ADUR,
    WORTHING,
    contact,
    cycle_make,
    superuser_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data", "celery_eager")]

SITE = "https://map.example.org"
Status = OutboundEmail.Status


def text(html: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.decode()))).strip()


def _token_in(body: str) -> str:
    return re.search(r"https?://[^/\s]+/refresh/q/([^/\s]+)/", body).group(1)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def cycle(django_capture_on_commit_callbacks):
    """Adur's Ann and Worthing's Wes and Wyn are invited; Wyn's mail server refuses."""
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    contact(WORTHING, "wes@worthing.gov.uk", "Wes")
    contact(WORTHING, "wyn@worthing.gov.uk", "Wyn")
    cycle_open(cycle=cycle)
    real_send = EmailBackend.send_messages

    def send(backend, messages):
        if any("wyn@worthing.gov.uk" in m.to for m in messages):
            raise ConnectionRefusedError("550 mailbox unavailable")
        return real_send(backend, messages)

    with mock.patch.object(EmailBackend, "send_messages", send):
        with django_capture_on_commit_callbacks(execute=True):
            cycle_invitations_send(cycle=cycle, site_url=SITE)
    return cycle


@pytest.fixture
def staff(client):
    client.force_login(superuser_make())
    return client


def _dashboard(client, cycle):
    return client.get(reverse("admin:submissions_refreshcycle_dashboard", args=[cycle.pk]))


def _wyn_invitation() -> OutboundEmail:
    return OutboundEmail.objects.get(to="wyn@worthing.gov.uk", kind="refresh-invitation")


def test_the_dashboard_shows_each_contacts_delivery_and_warns_of_the_failed_one(staff, cycle):
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@adur.gov.uk", "wes@worthing.gov.uk"]
    page = text(_dashboard(staff, cycle).content)
    assert "1 email of this cycle could not be delivered" in page
    failed = page.split("Emails that could not be delivered (1)")[1].split("Email to each contact")[
        0
    ]
    assert "wyn@worthing.gov.uk" in failed and "550 mailbox unavailable" in failed
    rows = page.split("Delivery by contact")[1]
    assert "Ann <ann@adur.gov.uk> refresh-invitation" in rows
    assert re.search(r"Ann <ann@adur.gov.uk> refresh-invitation, [^:]+\d\d:\d\d Sent", rows)
    wyn = rows.split("Wyn <wyn@worthing.gov.uk>")[1][:200]
    failed_row = r" refresh-invitation, [^:]+\d\d:\d\d Failed : ConnectionRefusedError: 550"
    assert re.match(failed_row, wyn), wyn


def test_staff_resend_the_failed_invitation_to_its_one_contact_once(
    staff, cycle, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    failed = _wyn_invitation()
    url = reverse("admin:submissions_refreshcycle_email_resend", args=[cycle.pk, failed.pk])
    assert staff.get(url).status_code == 403  # only the button's POST sends
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url)
        staff.post(url)  # pressed twice
    assert response.status_code == 302 and response["Location"].endswith("#deliveries")
    assert [m.to for m in mail.outbox] == [["wyn@worthing.gov.uk"]]
    # The resent invitation carries the council's working link.
    token = _token_in(mail.outbox[0].body)
    assert questionnaire_for_token(token=token).council.gss_code == WORTHING
    page = text(_dashboard(staff, cycle).content)
    assert "could not be delivered" not in page
    assert re.search(r"Wyn <wyn@worthing.gov.uk> refresh-invitation, [^:]+\d\d:\d\d Sent", page)


def test_a_sent_email_is_not_resent(staff, cycle, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    sent = OutboundEmail.objects.get(to="ann@adur.gov.uk")
    url = reverse("admin:submissions_refreshcycle_email_resend", args=[cycle.pk, sent.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, follow=True)
    assert "Only a failed email can be sent again; this one is sent." in text(response.content)
    assert mail.outbox == []


def test_staff_send_one_contact_a_new_link_and_colleagues_links_keep_working(
    staff, cycle, django_capture_on_commit_callbacks
):
    wes_token = _token_in(
        mail.outbox[[m.to for m in mail.outbox].index(["wes@worthing.gov.uk"])].body
    )
    mail.outbox.clear()
    worthing = Questionnaire.objects.get(cycle=cycle, council__gss_code=WORTHING)
    wyn = CouncilContact.objects.get(email="wyn@worthing.gov.uk")
    url = reverse(
        "admin:submissions_refreshcycle_contact_link", args=[cycle.pk, worthing.pk, wyn.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, follow=True)
    assert "the links other contacts have keep working" in text(response.content)
    assert [m.to for m in mail.outbox] == [["wyn@worthing.gov.uk"]]
    assert "Links your colleagues already have keep working" in mail.outbox[0].body
    wyn_token = _token_in(mail.outbox[0].body)
    assert wyn_token != wes_token
    assert questionnaire_for_token(token=wyn_token) == worthing
    assert questionnaire_for_token(token=wes_token) == worthing


def test_a_contact_of_another_council_gets_no_link(staff, cycle):
    worthing = Questionnaire.objects.get(cycle=cycle, council__gss_code=WORTHING)
    ann = CouncilContact.objects.get(email="ann@adur.gov.uk")
    url = reverse(
        "admin:submissions_refreshcycle_contact_link", args=[cycle.pk, worthing.pk, ann.pk]
    )
    assert staff.post(url).status_code == 404


def test_staff_who_may_not_change_cycles_cannot_resend(client, cycle):
    viewer = User.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    url = reverse(
        "admin:submissions_refreshcycle_email_resend", args=[cycle.pk, _wyn_invitation().pk]
    )
    assert client.post(url).status_code == 403
    assert _wyn_invitation().status == Status.FAILED


def test_the_dashboard_and_a_system_check_warn_when_submissions_would_notify_nobody(
    staff, cycle, settings
):
    settings.REFRESH_STAFF_EMAILS = []
    User.objects.update(email="")
    assert [w.id for w in staff_hear_of_submissions(databases=["default"])] == [NOBODY_TOLD]
    assert staff_hear_of_submissions() == []  # run only when a database is named
    assert "No member of staff will hear of submissions" in text(_dashboard(staff, cycle).content)

    settings.REFRESH_STAFF_EMAILS = ["refresh@local.gov.uk"]
    assert staff_hear_of_submissions(databases=["default"]) == []
    assert "No member of staff will hear" not in text(_dashboard(staff, cycle).content)
    settings.REFRESH_STAFF_EMAILS = []
    User.objects.filter(username="lga").update(email="lga@local.gov.uk")
    assert staff_hear_of_submissions(databases=["default"]) == []
