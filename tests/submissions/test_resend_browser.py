"""Recovering from a failed email, in a real headless Chromium: Wyn's mail server refuses
the invitation; after every retry it is marked failed and the cycle's dashboard warns of
it beside Wyn; once the mailbox works again staff press Resend for that one email, and
it goes once, to Wyn only, and the dashboard shows it sent. Staff then send one contact
a new link of their own, and every link the others have keeps working."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from core.outbox.models import OutboundEmail
from core.outbox.services import MAX_ATTEMPTS
from partnerships.models import Council
from submissions.models import CouncilContact, Questionnaire, RefreshCycle
from submissions.services import cycle_open
from submissions.services.notify import cycle_invitations_send
from tests.axe import assert_no_violations
from tests.submissions.browser_steps import staff_log_in

pytestmark = pytest.mark.browser

ADUR, WORTHING = "E07000223", "E07000229"
WYN = "wyn@worthing.gov.uk"


def _link_in(message) -> str:
    return re.search(r"https?://[^\s]+/refresh/q/[^/\s]+/", message.body).group(0)


def _to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def invited(settings, live_server, live_real_data):
    """Adur's Ann and Worthing's Wes and Wyn are invited to an open cycle; Wyn's mail
    server refuses every attempt."""
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "tests.submissions.refusing_email.RefusingEmailBackend"
    settings.TEST_EMAIL_REFUSED = [WYN]
    today = timezone.localdate()
    cycle = RefreshCycle.objects.create(
        financial_year=2025,
        opens_on=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=20),
    )
    for gss, name, email in [
        (ADUR, "Ann", "ann@adur.gov.uk"),
        (WORTHING, "Wes", "wes@worthing.gov.uk"),
        (WORTHING, "Wyn", WYN),
    ]:
        CouncilContact.objects.create(
            council=Council.objects.get(gss_code=gss), name=name, email=email
        )
    cycle_open(cycle=cycle)
    cycle_invitations_send(cycle=cycle, site_url=live_server.url)
    return cycle


def _dashboard(page, live_server, cycle):
    staff_log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/submissions/refreshcycle/{cycle.pk}/dashboard/")
    expect(page.get_by_role("heading", name="Email to each contact")).to_be_visible()


def _row(page, email: str):
    return page.locator("table", has_text="Delivery by contact").locator("tr", has_text=email)


def test_staff_resend_one_failed_email_to_its_one_contact_once(
    page, live_server, settings, invited
):
    cycle = invited
    # Ann and Wes have their invitations; Wyn's failed after every attempt.
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@adur.gov.uk", "wes@worthing.gov.uk"]
    failed = OutboundEmail.objects.get(to=WYN)
    assert (failed.status, failed.attempts) == ("failed", MAX_ATTEMPTS)

    _dashboard(page, live_server, cycle)
    expect(page.locator(".messagelist .warning")).to_contain_text(
        "1 email of this cycle could not be delivered"
    )
    wyn = _row(page, WYN)
    expect(wyn).to_contain_text("Failed: ConnectionRefusedError: 550 5.1.1 mailbox unavailable")
    expect(wyn).to_contain_text(f"Warning: not delivered after {MAX_ATTEMPTS} attempts.")
    for other in ["ann@adur.gov.uk", "wes@worthing.gov.uk"]:
        expect(_row(page, other)).to_contain_text("Sent")
        expect(_row(page, other).get_by_role("button", name=re.compile("^Resend"))).to_have_count(0)
    assert_no_violations(page)

    # Wyn's mailbox works again; staff resend that one email.
    settings.TEST_EMAIL_REFUSED = []
    before = len(mail.outbox)
    wyn.get_by_role("button", name=f"Resend to {WYN}").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        f"The refresh invitation email to {WYN} is being sent again."
    )
    new = mail.outbox[before:]
    assert [m.to for m in new] == [[WYN]]
    # The same invitation Wes had.
    assert new[0].subject == _to("wes@worthing.gov.uk")[0].subject
    assert new[0].subject.startswith("Worthing: please update your shared services")
    # The dashboard now shows it delivered, and no warning is left.
    expect(_row(page, WYN)).to_contain_text("Sent")
    expect(_row(page, WYN)).not_to_contain_text("Failed")
    expect(page.get_by_text("could not be delivered")).to_have_count(0)
    expect(_row(page, WYN).get_by_role("button", name=re.compile("^Resend"))).to_have_count(0)
    # The resent invitation's link opens Worthing's questionnaire.
    page.goto(_link_in(new[0]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Worthing")
    # Nobody else heard anything new, and Wyn only once.
    assert len(mail.outbox) == before + 1
    assert OutboundEmail.objects.filter(to=WYN, status="sent").count() == 1


def test_staff_send_one_contact_a_new_link_and_the_others_links_keep_working(
    page, live_server, settings, invited
):
    cycle = invited
    settings.TEST_EMAIL_REFUSED = []
    links = {m.to[0]: _link_in(m) for m in mail.outbox}
    _dashboard(page, live_server, cycle)
    before = len(mail.outbox)
    wyn = _row(page, WYN)
    wyn.get_by_role("button", name=f"Reissue this contact's link ({WYN})").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "the links other contacts have keep working"
    )
    new = mail.outbox[before:]
    assert [m.to for m in new] == [[WYN]]
    wyn_link = _link_in(new[0])
    assert wyn_link not in links.values()
    expect(_row(page, WYN)).to_contain_text("refresh-contact-link")
    expect(_row(page, WYN)).to_contain_text("Sent")

    # Wyn's new link, Wes's and Ann's invitation links all open their questionnaires.
    worthing = Questionnaire.objects.get(cycle=cycle, council__gss_code=WORTHING)
    for link, council in [
        (wyn_link, worthing.council.short_name),
        (links["wes@worthing.gov.uk"], worthing.council.short_name),
        (links["ann@adur.gov.uk"], "Adur"),
    ]:
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"{council}: shared services questionnaire 2025/26"
        )
