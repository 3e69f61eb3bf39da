"""A resubmission after review, in a real headless Chromium: a council adds a new
collaboration and submits, staff accept it, the council changes one other answer and
submits again; the collaboration is published once and the questionnaire shows what
was accepted."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from partnerships.models import Partnership
from submissions.models import ProposedChange
from submissions.services.staff import changes_decide
from tests.submissions.browser_steps import adur_invitation

pytestmark = pytest.mark.browser

NEW_NAME = "Adur and Worthing shared CCTV"


@pytest.fixture
def invitation(live_real_data):
    """Adur's questionnaire in an open cycle, and the link from its invitation."""
    return adur_invitation()


def _accept_pending(questionnaire) -> list[str]:
    """Staff accept everything waiting (the review page's own journey is tested apart)."""
    reviewer = get_user_model().objects.get_or_create(username="lga", is_staff=True)[0]
    pending = list(ProposedChange.objects.filter(questionnaire=questionnaire, status="pending"))
    changes_decide(decisions=[(c, "accept", "") for c in pending], reviewer=reviewer)
    return sorted(c.kind for c in pending)


def _submit(page):
    page.get_by_role("link", name="Check and submit").click()
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_label("Your email address").fill("jo@adur.gov.uk")
    page.get_by_role("button", name="Submit Adur's answers").click()
    expect(page.get_by_role("status")).to_contain_text("your answers have been sent to the LGA")


def test_a_resubmission_after_review_publishes_no_duplicate(page, live_server, invitation):
    questionnaire, token = invitation
    items = sorted(questionnaire.items.all(), key=lambda i: i.name.lower())
    first = items[0]
    link = f"{live_server.url}/refresh/q/{token}/"

    # The officer confirms every partnership on the map as unchanged.
    page.goto(link)
    page.get_by_role("link", name=f"Answer for {first.name}").click()
    for item in items:
        expect(page.get_by_role("heading", level=1)).to_have_text(item.name)
        page.get_by_label("Nothing has changed").check()
        page.get_by_label("Your name").fill("Jo Bloggs")
        page.get_by_role("button", name="Save and continue").click()
    page.goto(link)

    # Adds a new collaboration with Worthing, with the savings it achieved.
    page.get_by_role("link", name="Add a new collaboration").first.click()
    page.get_by_label("Name of the collaboration").fill(NEW_NAME)
    page.get_by_label("Description").fill("Cameras in both towns watched from one room.")
    page.get_by_label("Status", exact=True).select_option("operational")
    page.get_by_label("Year it started").fill("2024")
    page.get_by_role("checkbox", name="Emergency planning", exact=True).check()
    page.get_by_label("Worthing", exact=True).check()
    page.get_by_label("Savings in 2025/26 (£)").fill("5,000")
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_role("button", name="Add this collaboration").click()
    expect(page.get_by_role("status")).to_contain_text(f"Added “{NEW_NAME}”")
    page.goto(link)
    _submit(page)

    # Staff accept it: it is published.
    assert _accept_pending(questionnaire) == ["partnership_new"]
    partnership = Partnership.objects.get(name=NEW_NAME)
    assert partnership.published

    # The officer comes back: the collaboration is now one of Adur's partnerships on the
    # map, already answered, showing the accepted figure.
    page.goto(link)
    card = page.locator(".item-card").filter(
        has=page.get_by_role("heading", name=NEW_NAME, exact=True)
    )
    expect(card).to_have_count(1)
    expect(card).to_contain_text("£5,000 achieved, 2025/26")
    expect(
        page.get_by_text(f"{len(items) + 1} of {len(items) + 1} partnerships done")
    ).to_be_visible()
    expect(page.get_by_text("None added yet.")).to_be_visible()

    # Changes one other answer: a savings figure for the first partnership.
    page.get_by_role("link", name=f"Change your answer for {first.name}").click()
    page.get_by_label("Something has changed (details, partners or savings)").check()
    page.get_by_label("Savings in 2025/26 (£)").fill("125,000")
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_role("button", name="Save and continue").click()
    page.goto(link)
    _submit(page)

    # Only that figure waits for review; staff accept everything pending.
    pending = ProposedChange.objects.filter(questionnaire=questionnaire, status="pending")
    assert [(c.kind, c.item_id) for c in pending] == [("savings_record", first.pk)]
    _accept_pending(questionnaire)
    assert Partnership.objects.filter(name__startswith=NEW_NAME).count() == 1
    assert questionnaire.items.filter(partnership=partnership).count() == 1

    # The questionnaire shows the accepted values, the collaboration once.
    page.goto(link)
    first_card = page.locator(f"#item-{first.pk}")
    expect(first_card).to_contain_text("£125,000 achieved, 2025/26")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("£5,000 achieved, 2025/26")
    expect(page.locator("dl.summary-list").first).to_contain_text("Reviewed")
