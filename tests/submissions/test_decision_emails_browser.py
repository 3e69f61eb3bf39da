"""Being told, in a real headless Chromium: a council officer sends a new collaboration
and a savings figure through the questionnaire's pages, a member of staff accepts one and
rejects the other with a reason on the admin's review page, and the council's contact
gets one email of both decisions and sees them on the questionnaire. A member of the
public sends a proposal through the public form; staff accept it; the proposer gets one
email whose link opens the partnership's public page."""

import re
from html import unescape

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.outbox.models import OutboundEmail
from partnerships.models import Partnership, ServiceCategory
from submissions.models import ProposedChange
from tests.submissions.browser_steps import adur_invitation, staff_log_in

pytestmark = pytest.mark.browser

NEW_NAME = "Adur and West Sussex home safety visits"
REASON = "The figure covers 2023/24, not 2025/26: send this year's figure."


@pytest.fixture
def site(settings, live_server):
    """Links in emails point at the live server, as SITE_URL does in production."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def invitation(live_real_data):
    """Adur's questionnaire in an open cycle, and the link from its invitation."""
    return adur_invitation()


def _decide(page, change: ProposedChange, decision: str, reason: str = "") -> None:
    """Choose "Accept" or "Reject" (with a reason) in the change's own section."""
    section = page.locator(f"#change-{change.pk}")
    section.get_by_label(decision, exact=True).check()
    if reason:
        section.get_by_label("Reason").fill(reason)


def _decision_emails(to: str) -> list:
    return [m for m in mail.outbox if m.to == [to] and m.subject.startswith(("Decisions", "Acc"))]


def _officer_sends_a_figure_and_a_new_collaboration(page, link: str, questionnaire) -> None:
    adur = questionnaire.council
    fire = adur.fire_rescue_authority
    items = sorted(questionnaire.items.all(), key=lambda i: i.name.lower())
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Adur: shared services questionnaire 2025/26"
    )
    # A savings figure for the first partnership; the rest are unchanged.
    page.get_by_role("link", name=f"Answer for {items[0].name}").click()
    page.get_by_label("Something has changed (details, partners or savings)").check()
    page.get_by_label("Savings in 2025/26 (£)").fill("125,000")
    page.get_by_label("Achieved", exact=True).check()
    page.locator("fieldset", has_text="Are they cashable?").get_by_label("Yes").check()
    page.get_by_label("Recurring", exact=True).check()
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_role("button", name="Save and continue").click()
    for item in items[1:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(item.name)
        page.get_by_label("Nothing has changed").check()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(f"{len(items)} of {len(items)} partnerships done")).to_be_visible()

    # A new collaboration with the fire and rescue authority.
    page.get_by_role("link", name="Add a new collaboration").first.click()
    page.get_by_label("Name of the collaboration").fill(NEW_NAME)
    page.get_by_label("Description").fill("Joint home fire safety visits for older residents.")
    page.get_by_label("Status", exact=True).select_option("operational")
    page.get_by_label("Year it started").fill("2024")
    page.get_by_role("checkbox", name="Emergency planning", exact=True).check()
    page.get_by_label("Find by name in partner public bodies").fill(fire.name)
    page.get_by_label(f"{fire.name} (Fire and rescue authority)").check()
    page.get_by_label("Not yet known").check()
    page.get_by_role("button", name="Add this collaboration").click()
    expect(page.get_by_role("status")).to_contain_text(f"Added “{NEW_NAME}”")

    page.get_by_role("link", name="Check and submit").click()
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_label("Your email address").fill("jo@adur.gov.uk")
    page.get_by_role("button", name="Submit Adur's answers").click()
    expect(page.get_by_role("status")).to_contain_text("your answers have been sent to the LGA")


def test_the_council_hears_once_of_what_staff_accepted_and_rejected_and_why(page, site, invitation):
    questionnaire, token = invitation
    link = f"{site}/refresh/q/{token}/"
    _officer_sends_a_figure_and_a_new_collaboration(page, link, questionnaire)
    changes = ProposedChange.objects.filter(questionnaire=questionnaire, status="pending")
    new = changes.get(kind="partnership_new")
    figure = changes.get(kind="savings_record")
    assert _decision_emails("jo@adur.gov.uk") == []

    # A member of staff accepts the collaboration and rejects the figure, saying why.
    staff_log_in(page, site)
    page.goto(f"{site}/admin/submissions/questionnaire/{questionnaire.pk}/review/")
    _decide(page, new, "Accept")
    _decide(page, figure, "Reject", REASON)
    page.get_by_role("button", name="Save the decisions").click()
    expect(page.get_by_text("1 change(s) accepted and published, 1 rejected")).to_be_visible()

    # Jo gets one email of both decisions: what was accepted, what not, and why.
    [message] = _decision_emails("jo@adur.gov.uk")
    assert message.subject == "Decisions on Adur's 2025/26 Shared Services Map answers"
    accepted, rejected = message.body.split("Not accepted:")
    assert "Accepted:" in accepted and NEW_NAME in accepted
    assert figure.partnership.name in rejected and "£125,000 achieved, 2025/26" in rejected
    assert f"Why: {REASON}" in rejected
    assert REASON in unescape(message.alternatives[0].content)
    assert OutboundEmail.objects.get(kind="refresh-decisions").status == "sent"
    # Nobody else heard of Adur's decisions.
    assert [m.to for m in mail.outbox if m.subject.startswith("Decisions")] == [["jo@adur.gov.uk"]]

    # Jo opens the questionnaire's link again: the decisions are there, with the reason.
    page.goto(link)
    decisions = page.locator("section.decisions")
    expect(decisions.get_by_role("heading", name="Decisions on what you sent")).to_be_visible()
    expect(decisions.locator("li", has_text=NEW_NAME)).to_contain_text("Accepted")
    rejected_item = decisions.locator("li", has_text=figure.partnership.name)
    expect(rejected_item).to_contain_text("Rejected")
    expect(rejected_item).to_contain_text(f"Why: {REASON}")

    # Deciding nothing more sends nothing more.
    page.goto(f"{site}/admin/submissions/questionnaire/{questionnaire.pk}/review/")
    expect(page.get_by_text("No change is waiting for a decision.")).to_be_visible()
    assert len(_decision_emails("jo@adur.gov.uk")) == 1


def test_a_proposer_hears_once_that_staff_accepted_and_follows_the_link_to_its_page(
    page, site, live_real_data
):
    name = "Coastal fire and councils estates"
    page.goto(f"{site}/refresh/propose/")
    page.get_by_label("Your name").fill("Pat Officer")
    page.get_by_label("Your council").select_option(label="Adur")
    page.get_by_label("Your work email address").fill("pat@adur.gov.uk")
    page.get_by_label("Name of the shared service or partnership").fill(name)
    page.get_by_label("What is shared, and how").fill("One estates team for all our buildings.")
    page.get_by_label("Find by name").first.fill("Worthing")
    page.get_by_role("checkbox", name="Worthing", exact=True).check()
    page.get_by_label(ServiceCategory.objects.order_by("position", "name").first().name).check()
    page.get_by_role("button", name="Send the proposal").click()
    page.wait_for_url("**/refresh/propose/thanks/")
    change = ProposedChange.objects.get(questionnaire=None, status="pending")
    assert _decision_emails("pat@adur.gov.uk") == []

    staff_log_in(page, site)
    page.goto(f"{site}/admin/submissions/proposedchange/{change.pk}/review/")
    _decide(page, change, "Accept")
    page.get_by_role("button", name="Save the decisions").click()
    expect(page.get_by_text("1 change(s) accepted and published, 0 rejected")).to_be_visible()

    partnership = Partnership.objects.get(name=name)
    [message] = _decision_emails("pat@adur.gov.uk")
    assert message.subject == f"Accepted: {name}"
    url = f"{site}{partnership.get_absolute_url()}"
    assert url in re.findall(r"https?://\S+", message.body)
    assert f'href="{url}"' in message.alternatives[0].content

    # The link opens the partnership's public page, which shows no personal data.
    page.context.clear_cookies()
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("main")).not_to_contain_text("pat@adur.gov.uk")
    expect(page.locator("main")).not_to_contain_text("Pat Officer")
    assert len(_decision_emails("pat@adur.gov.uk")) == 1
