"""The refresh from end to end in a real headless Chromium: a council officer answers
the questionnaire from the invitation link, leaves and comes back, submits; a member of
staff accepts the changes in the admin; the new collaboration is on the public map."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership, SavingsRecord
from submissions.models import ProposedChange
from tests.axe import assert_no_violations
from tests.submissions.browser_steps import ADUR, adur_invitation, staff_log_in

pytestmark = pytest.mark.browser

NEW_NAME = "Adur and West Sussex home safety visits"


@pytest.fixture
def invitation(live_real_data):
    """Adur's questionnaire in an open cycle, and the link from its invitation."""
    return adur_invitation()


def test_an_officer_answers_and_staff_publish_the_new_collaboration(page, live_server, invitation):
    questionnaire, token = invitation
    adur = questionnaire.council
    fire = adur.fire_rescue_authority
    assert fire is not None and fire.kind == "fire_rescue_authority"
    items = sorted(questionnaire.items.all(), key=lambda i: i.name.lower())
    first = items[0]
    link = f"{live_server.url}/refresh/q/{token}/"

    # The officer opens the link from the invitation.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Adur: shared services questionnaire 2025/26"
    )
    expect(page.get_by_text(f"0 of {len(items)} partnerships done")).to_be_visible()
    assert_no_violations(page)

    # Updates one partnership's savings; a wrong figure is explained and kept first.
    page.get_by_role("link", name=f"Answer for {first.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.name)
    page.get_by_label("Something has changed (details, partners or savings)").check()
    page.get_by_label("Savings in 2025/26 (£)").fill("about 125k")
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Give the savings as a number of pounds, like 125000.")
    expect(page.get_by_label("Savings in 2025/26 (£)")).to_have_value("about 125k")
    assert_no_violations(page)
    summary.get_by_role("link", name="Savings in 2025/26 (£): Give the savings").click()
    expect(page.get_by_label("Savings in 2025/26 (£)")).to_be_focused()
    page.get_by_label("Savings in 2025/26 (£)").fill("125,000")
    page.get_by_label("Achieved", exact=True).check()
    page.locator("fieldset", has_text="Are they cashable?").get_by_label("Yes").check()
    page.get_by_label("Recurring", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    # The rest are confirmed unchanged, one at a time (the form moves on by itself).
    for item in items[1:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(item.name)
        page.get_by_label("Nothing has changed").check()
        expect(page.get_by_label("Your name")).to_have_value("Jo Bloggs")
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(f"{len(items)} of {len(items)} partnerships done")).to_be_visible()

    # Adds a new collaboration with the fire and rescue authority, found by name.
    page.get_by_role("link", name="Add a new collaboration").first.click()
    page.get_by_label("Name of the collaboration").fill(NEW_NAME)
    page.get_by_label("Description").fill("Joint home fire safety visits for older residents.")
    page.get_by_label("Status", exact=True).select_option("operational")
    page.get_by_label("Year it started").fill("2024")
    page.get_by_role("checkbox", name="Emergency planning", exact=True).check()
    expect(page.get_by_label("Adur", exact=True)).to_be_checked()
    page.get_by_label("Find by name in partner public bodies").fill(fire.name)
    page.get_by_label(f"{fire.name} (Fire and rescue authority)").check()
    page.get_by_label("Not yet known").check()
    assert_no_violations(page)
    page.get_by_role("button", name="Add this collaboration").click()
    expect(page.get_by_role("status")).to_contain_text(f"Added “{NEW_NAME}”")

    # Leaves, and comes back with the same link: the work is kept.
    page.goto(live_server.url + "/partnerships/")
    page.goto(link)
    expect(page.get_by_text(f"{len(items)} of {len(items)} partnerships done")).to_be_visible()
    expect(page.get_by_role("link", name=NEW_NAME)).to_be_visible()
    page.get_by_role("link", name=first.name, exact=True).click()
    expect(page.get_by_label("Savings in 2025/26 (£)")).to_have_value("125000.00")
    page.get_by_role("link", name="Back to all partnerships").click()

    # Submits with a name and email.
    page.get_by_role("link", name="Check and submit").click()
    answers = page.locator("section.answer-summary").filter(
        has=page.get_by_role("heading", name=first.name)
    )
    expect(answers.locator("dd", has_text="Savings figure")).to_be_visible()
    expect(answers.locator("dd", has_text="£125,000")).to_be_visible()
    assert_no_violations(page)
    # Every answer can be changed from here, at its own field.
    answers.get_by_role("link", name=f"Change savings in 2025/26: {first.name}").click()
    expect(page.get_by_label("Savings in 2025/26 (£)")).to_have_value("125000.00")
    page.go_back()
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_label("Your email address").fill("jo@adur.gov.uk")
    page.get_by_role("button", name="Submit Adur's answers").click()
    expect(page.get_by_role("status")).to_contain_text("your answers have been sent to the LGA")
    questionnaire.refresh_from_db()
    assert questionnaire.status == "submitted"
    pending = ProposedChange.objects.filter(questionnaire=questionnaire, status="pending")
    assert set(pending.values_list("kind", flat=True)) == {"savings_record", "partnership_new"}

    # Nothing is public before staff accept it.
    page.goto(live_server.url + "/partnerships/")
    expect(page.get_by_role("link", name=NEW_NAME)).to_have_count(0)

    # A member of staff logs in to the admin and accepts the changes.
    staff_log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/submissions/questionnaire/{questionnaire.pk}/review/")
    expect(page.get_by_text(NEW_NAME).first).to_be_visible()
    accepts = page.locator('input[type="radio"][value="accept"]')
    expect(accepts).to_have_count(2)
    for radio in accepts.all():
        radio.check()
    page.get_by_role("button", name="Save the decisions").click()
    expect(page.get_by_text("2 change(s) accepted and published")).to_be_visible()

    partnership = Partnership.objects.get(name=NEW_NAME)
    assert partnership.published
    assert SavingsRecord.objects.filter(
        partnership=first.partnership, start_year=2025, amount=125000
    ).exists()

    # The new collaboration is on the public list, its page and the map's council panel.
    page.goto(live_server.url + "/partnerships/")
    page.get_by_role("link", name=NEW_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_NAME)
    expect(page.get_by_text(fire.name).first).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.locator("#council-map path.map-council").first).to_be_attached()
    page.locator(f'path[data-gss="{ADUR}"]').click()
    expect(page.locator("#council-panel").get_by_role("link", name=NEW_NAME)).to_be_visible()


def test_a_dead_link_explains_itself_and_passes_axe(page, live_server, invitation):
    page.goto(f"{live_server.url}/refresh/q/no-such-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This questionnaire link does not work"
    )
    assert_no_violations(page)


def test_two_colleagues_with_the_same_link_never_overwrite_each_other(
    page, live_server, invitation
):
    questionnaire, token = invitation
    item = questionnaire.items.order_by("pk").first()
    url = f"{live_server.url}/refresh/q/{token}/items/{item.pk}/"
    # Sam, on another computer, opens the same partnership at the same time as Jo.
    other = page.context.browser.new_context()
    sam = other.new_page()
    page.goto(url)
    sam.goto(url)

    sam.get_by_label("Something has changed (details, partners or savings)").check()
    sam.get_by_label("Description").fill("Sam's description of the partnership.")
    sam.get_by_label("Not yet known").check()
    sam.get_by_label("Your name").fill("Sam Smith")
    sam.get_by_role("button", name="Save and continue").click()
    expect(sam.get_by_role("status")).to_contain_text("Saved")
    other.close()

    page.get_by_label("Something has changed (details, partners or savings)").check()
    page.get_by_label("Description").fill("Jo's description of the partnership.")
    page.get_by_label("Savings are not measured").check()
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_role("button", name="Save and continue").click()

    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("A colleague saved this partnership while you were working")
    expect(conflict).to_contain_text("Sam Smith saved it")
    row = conflict.get_by_role("row", name="Description")
    expect(row).to_contain_text("Sam's description of the partnership.")
    expect(row).to_contain_text("Jo's description of the partnership.")
    expect(page.get_by_label("Description")).to_have_value("Jo's description of the partnership.")
    assert_no_violations(page)
    item.refresh_from_db()
    assert item.description == "Sam's description of the partnership."

    # Jo decides to keep theirs and saves again.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    item.refresh_from_db()
    assert item.description == "Jo's description of the partnership."
    assert item.updated_by == "Jo Bloggs"
