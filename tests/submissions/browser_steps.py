"""What the refresh's browser tests all start from: Adur's questionnaire in an open cycle
with the link from its invitation, and a member of staff logged in to the admin."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import Council
from submissions.models import CouncilContact, Questionnaire, RefreshCycle
from submissions.services import cycle_open, link_issue

ADUR = "E07000223"
STAFF_PASSWORD = "correct horse"


def adur_invitation() -> tuple[Questionnaire, str]:
    """Adur's questionnaire in a cycle opened three days ago (Jo Bloggs its one contact),
    and the token of the link from its invitation."""
    today = timezone.localdate()
    cycle = RefreshCycle.objects.create(
        financial_year=2025,
        opens_on=today - datetime.timedelta(days=3),
        deadline=today + datetime.timedelta(days=20),
    )
    adur = Council.objects.get(gss_code=ADUR)
    CouncilContact.objects.create(council=adur, name="Jo Bloggs", email="jo@adur.gov.uk")
    cycle_open(cycle=cycle)
    questionnaire = Questionnaire.objects.get(cycle=cycle, council=adur)
    return questionnaire, link_issue(questionnaire=questionnaire)


def staff_log_in(page, site: str) -> None:
    """A superuser, "lga", logs in to the admin at `site` through its login page."""
    get_user_model().objects.create_superuser("lga", "lga@local.gov.uk", STAFF_PASSWORD)
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("lga")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
