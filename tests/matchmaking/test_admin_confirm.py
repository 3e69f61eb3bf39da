"""The Expert Programme's irreversible actions ask first: staff see what will happen and
who is emailed, and only the confirming POST acts."""

import pytest
from django.core import mail
from django.urls import reverse

from matchmaking.models import ExpertApplication
from tests.matchmaking.factories import ExpertApplicationFactory, FundingBudgetFactory

pytestmark = pytest.mark.usefixtures("real_data")

Status = ExpertApplication.Status


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def app_url(application, name: str) -> str:
    return reverse(f"admin:matchmaking_expertapplication_{name}", args=[application.pk])


def awarded(**fields) -> ExpertApplication:
    return ExpertApplicationFactory(
        status=Status.AWARDED, amount_awarded=5000, funding_budget=FundingBudgetFactory(), **fields
    )


def test_the_application_page_links_to_the_confirmation_rather_than_acting(staff_client):
    application = awarded()
    page = staff_client.get(app_url(application, "change")).content.decode()
    assert f'href="{app_url(application, "complete")}"' in page
    assert f'action="{app_url(application, "complete")}"' not in page


def test_completing_the_work_shows_what_will_happen_and_who_is_emailed(staff_client):
    application = awarded(applicant_name="Sam Jones", applicant_email="sam@adur.gov.uk")
    page = staff_client.get(app_url(application, "complete"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "This cannot be undone." in text
    assert "Sam Jones &lt;sam@adur.gov.uk&gt; is emailed a new link" in text
    assert 'name="confirmed" value="yes"' in text
    application.refresh_from_db()
    assert application.status == Status.AWARDED
    assert not mail.outbox


def test_a_post_without_the_confirmation_changes_nothing(staff_client):
    application = awarded()
    response = staff_client.post(app_url(application, "complete"))
    assert response.status_code == 200
    assert "This cannot be undone." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.AWARDED


def test_the_confirming_post_records_the_work_and_emails_the_applicant_once(
    staff_client, django_capture_on_commit_callbacks
):
    application = awarded()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(app_url(application, "complete"), {"confirmed": "yes"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.WORK_COMPLETE
    assert [m.to for m in mail.outbox] == [[application.applicant_email]]

    again = staff_client.post(app_url(application, "complete"), {"confirmed": "yes"})
    assert again.status_code == 200
    assert "errornote" in again.content.decode()
    assert len(mail.outbox) == 1


def test_an_application_not_awarded_cannot_be_completed(staff_client):
    application = ExpertApplicationFactory()
    page = staff_client.get(app_url(application, "complete")).content.decode()
    assert "Only an awarded application" in page
    staff_client.post(app_url(application, "complete"), {"confirmed": "yes"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["award", "decline"])
def test_award_and_decline_pages_say_they_cannot_be_undone_and_who_is_emailed(staff_client, name):
    application = ExpertApplicationFactory(applicant_email="jo@worthing.gov.uk")
    text = staff_client.get(app_url(application, name)).content.decode()
    assert "This cannot be undone." in text
    assert "jo@worthing.gov.uk&gt; is emailed" in text
