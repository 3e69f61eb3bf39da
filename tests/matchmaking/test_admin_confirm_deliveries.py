"""Staff see, on a match-making request's page and an Expert Programme application's
page, every email about it and how it was delivered, and send a failed one again."""

import pytest
from django.core import mail
from django.urls import reverse

from core.outbox.models import OutboundEmail
from core.outbox.services import email_queue
from tests.matchmaking.factories import ExpertApplicationFactory, MatchRequestFactory

pytestmark = pytest.mark.usefixtures("real_data")

Status = OutboundEmail.Status


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def admin_url(obj, name: str, *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[obj.pk, *args])


def email_about(obj, *, key: str, to: str, failed: bool) -> OutboundEmail:
    email = email_queue(
        key=key,
        to=to,
        template="matchmaking/email/application_declined",
        context={"name": "Jo", "partnership": "A partnership", "reference": "X", "reason": ""},
        kind="expert-programme-declined",
        about=obj,
    )
    if failed:
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=Status.FAILED, attempts=5, error="Connection refused by mail.example"
        )
    else:
        OutboundEmail.objects.filter(pk=email.pk).update(status=Status.SENT, attempts=1)
    return email


@pytest.fixture(params=["request", "application"])
def owner(request):
    return MatchRequestFactory() if request.param == "request" else ExpertApplicationFactory()


def test_the_page_lists_each_email_with_its_delivery_and_warns_of_a_failure(staff_client, owner):
    sent = email_about(owner, key="t:sent", to="one@adur.gov.uk", failed=False)
    failed = email_about(owner, key="t:failed", to="two@adur.gov.uk", failed=True)
    email_about(MatchRequestFactory(), key="t:other", to="elsewhere@adur.gov.uk", failed=True)
    page = staff_client.get(admin_url(owner, "change")).content.decode()
    assert 'id="deliveries"' in page
    assert f'id="email-{sent.pk}"' in page and f'id="email-{failed.pk}"' in page
    assert "Connection refused by mail.example" in page
    assert "1 email about this" in page and "could not be delivered after every attempt" in page
    assert page.count(">Resend<") == 1
    assert "elsewhere@adur.gov.uk" not in page


def test_staff_resend_a_failed_email_once_to_its_one_address(
    staff_client, owner, django_capture_on_commit_callbacks
):
    failed = email_about(owner, key="t:failed", to="two@adur.gov.uk", failed=True)
    url = admin_url(owner, "email_resend", failed.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["two@adur.gov.uk"]]
    resend = OutboundEmail.objects.get(key="t:failed:resend1")
    assert resend.status == Status.SENT

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url)
    assert len(mail.outbox) == 1
    page = staff_client.get(admin_url(owner, "change")).content.decode()
    assert "Sent again" in page
    assert "could not be delivered after every attempt" not in page


def test_only_a_failed_email_about_this_page_can_be_resent(staff_client, owner):
    sent = email_about(owner, key="t:sent", to="one@adur.gov.uk", failed=False)
    staff_client.post(admin_url(owner, "email_resend", sent.pk))
    assert not OutboundEmail.objects.filter(key__endswith=":resend1").exists()

    other = email_about(MatchRequestFactory(), key="t:other", to="x@adur.gov.uk", failed=True)
    assert staff_client.post(admin_url(owner, "email_resend", other.pk)).status_code == 404
    assert staff_client.get(admin_url(owner, "email_resend", other.pk)).status_code == 302
    assert not OutboundEmail.objects.filter(key__endswith=":resend1").exists()


def test_anyone_not_staff_cannot_resend(client, owner):
    failed = email_about(owner, key="t:failed", to="two@adur.gov.uk", failed=True)
    response = client.post(admin_url(owner, "email_resend", failed.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not OutboundEmail.objects.filter(key="t:failed:resend1").exists()
