"""Two colleagues on every partnership on one page, in a real headless Chromium: one
Save all keeps every text typed, a colleague's earlier copy of the page is told of the
save without losing its own text, and leaving with unsaved changes asks first."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Council
from submissions.models import QuestionnaireItem
from submissions.services import questionnaire_partnership_add
from tests.axe import assert_no_violations
from tests.partnerships.factories import partnership_with_members
from tests.submissions.browser_steps import adur_invitation

pytestmark = pytest.mark.browser

CHANGED = "Something has changed (details, partners or savings)"


@pytest.fixture
def invitation(live_real_data):
    """Adur's questionnaire in an open cycle, and the link from its invitation."""
    return adur_invitation()


def test_two_colleagues_on_the_all_on_one_page_view_keep_every_typed_text(
    page, live_server, invitation
):
    questionnaire, token = invitation
    items = sorted(questionnaire.items.all(), key=lambda i: i.name.lower())
    first, second = items[0], items[1]
    # A third that nobody touches, with text over several lines (as a browser sends it
    # back, with CRLF): it is left alone by both saves.
    worthing = Council.objects.get(gss_code="E07000229")
    third = questionnaire_partnership_add(
        questionnaire=questionnaire,
        partnership=partnership_with_members(questionnaire.council, worthing, name="Zeta team"),
    )
    QuestionnaireItem.objects.filter(pk=third.pk).update(
        description="  Line one\nLine two\r\n\r\nLine four  "
    )
    link = f"{live_server.url}/refresh/q/{token}/"
    # Sam opens every partnership on one page from the same link, before Jo does anything.
    other = page.context.browser.new_context()
    sam = other.new_page()
    sam.goto(link)
    sam.get_by_role("link", name="See every partnership on one page").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Every partnership on one page")

    # Jo answers two partnerships on the same page and saves them both at once.
    page.goto(link)
    page.get_by_role("link", name="See every partnership on one page").click()
    jo_first, jo_second = page.locator(f"#item-{first.pk}"), page.locator(f"#item-{second.pk}")
    page.get_by_label("Your name").fill("Jo Bloggs")
    jo_first.get_by_label(CHANGED).check()
    jo_first.get_by_label("Description").fill("Jo's description of the first.")
    jo_first.get_by_label("Savings are not measured").check()
    jo_second.get_by_label("Nothing has changed").check()
    jo_second.get_by_label("Anything else the LGA should know (optional)").fill("Jo's note.")
    page.get_by_role("button", name="Save all", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Saved 2 partnerships: “{first}”, “{second}”."
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.description == "Jo's description of the first." and first.updated_by == "Jo Bloggs"
    assert second.answer == "unchanged" and second.comment == "Jo's note."
    expect(jo_first.get_by_label("Description")).to_have_value("Jo's description of the first.")

    # Sam, whose page shows the first as it was, edits it and saves: Sam is told, keeps
    # the text typed, and Jo's answer stands.
    sam_first = sam.locator(f"#item-{first.pk}")
    sam.get_by_label("Your name").fill("Sam Smith")
    sam_first.get_by_label(CHANGED).check()
    sam_first.get_by_label("Description").fill("Sam's description of the first.")
    sam_first.get_by_label("Savings are not measured").check()
    sam.get_by_role("button", name="Save all", exact=True).click()
    conflict = sam.locator(f"#conflict-{first.pk}")
    expect(conflict).to_contain_text("A colleague saved this partnership while you were working")
    expect(conflict).to_contain_text("Jo Bloggs saved it")
    row = conflict.get_by_role("row", name="Description")
    expect(row).to_contain_text("Jo's description of the first.")
    expect(row).to_contain_text("Sam's description of the first.")
    expect(sam_first.get_by_label("Description")).to_have_value("Sam's description of the first.")
    expect(sam.locator("#error-summary")).to_contain_text(
        f"{first}: a colleague saved it while you were working on it"
    )
    assert_no_violations(sam)
    first.refresh_from_db()
    assert first.description == "Jo's description of the first."
    third.refresh_from_db()
    assert third.answer == "unanswered" and third.version == 1 and not third.updated_by
    # Sam's unsaved text is guarded: leaving asks first, and staying keeps it.
    dialogs = []
    sam.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    sam.get_by_role("link", name="Check and submit").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Every partnership on one page")
    assert dialogs == ["beforeunload"]
    expect(sam_first.get_by_label("Description")).to_have_value("Sam's description of the first.")
    other.close()


def test_leaving_a_questionnaire_page_with_unsaved_changes_asks_first(
    page, live_server, invitation
):
    questionnaire, token = invitation
    item = questionnaire.items.order_by("pk").first()
    dialogs, leave = [], {"now": False}

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept() if leave["now"] else dialog.dismiss()

    page.on("dialog", answer)
    link = f"{live_server.url}/refresh/q/{token}/"
    pages = [
        (f"{link}items/{item.pk}/", "Description", "Save and continue", "There is a problem"),
        (
            f"{link}new/",
            "Name of the collaboration",
            "Add this collaboration",
            "There is a problem",
        ),
        (f"{link}all/", "Your name", "Save all", "Nothing had changed"),
    ]
    for url, label, button, outcome in pages:
        leave["now"] = True  # the page the last round left with its text unsaved
        page.goto(url)
        dialogs.clear()
        leave["now"] = False
        # Nothing typed: leaving asks nothing.
        page.get_by_role("link", name="Back to all partnerships").or_(
            page.get_by_role("link", name="Check and submit")
        ).first.click()
        expect(page).not_to_have_url(url)
        assert dialogs == []
        page.goto(url)
        page.get_by_label(label, exact=True).first.fill("Typed, not yet saved")
        page.get_by_role("link", name="Back to all partnerships").or_(
            page.get_by_role("link", name="Check and submit")
        ).first.click()
        expect(page.get_by_label(label, exact=True).first).to_have_value("Typed, not yet saved")
        expect(page).to_have_url(url)
        assert dialogs == ["beforeunload"], url
        # Sending the form clears it: the page that answers is reached without asking.
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("main")).to_contain_text(outcome)
        assert dialogs == ["beforeunload"], url
