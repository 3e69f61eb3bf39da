"""In a real browser: a council officer asks for a match and confirms it by the emailed
link; a member of the LGA's staff logs in, opens the request, sees a suggested partner and
introduces the two councils."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.outbox.models import OutboundEmail
from matchmaking.models import MatchRequest
from partnerships.models import Council
from submissions.models import CouncilContact

pytestmark = pytest.mark.browser

ADUR = "E07000223"
WORTHING = "E07000229"


def test_an_officer_asks_for_a_match_and_staff_introduce_a_suggested_partner(
    page, live_server, django_user_model
):
    adur = Council.objects.get(gss_code=ADUR)
    worthing = Council.objects.get(gss_code=WORTHING)
    CouncilContact.objects.create(
        council=worthing, name="Wyn Worthing", email="wyn@worthing.gov.uk"
    )
    django_user_model.objects.create_superuser(
        username="broker", email="broker@local.gov.uk", password="correct horse battery"
    )
    mail.outbox.clear()

    # The officer finds the service from the site's navigation and asks for a match.
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Match-making").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Find councils to share services with"
    )
    page.get_by_role("link", name="Ask for a match").click()

    page.get_by_label("Your council").select_option(label=adur.official_name)
    page.get_by_label("Your name").fill("Jo Requester")
    page.get_by_label("Your role").fill("Head of Building Control")
    # A slip first: the form says what is wrong and keeps what was typed.
    page.get_by_label("Your work email").fill("jo.adur-worthing.gov.uk")
    page.get_by_label("Building control").check()
    page.get_by_label("Neighbours and councils in the same region").check()
    page.get_by_label("What do you hope to achieve?").fill("Our team is too small to cover leave.")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("alert")).to_contain_text("Enter an email address like")
    expect(page.get_by_label("Your name")).to_have_value("Jo Requester")
    expect(page.get_by_label("Building control")).to_be_checked()
    page.get_by_role("link", name=re.compile("Enter an email address like")).click()
    expect(page.get_by_label("Your work email")).to_be_focused()
    page.get_by_label("Your work email").fill("jo@adur-worthing.gov.uk")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # The confirmation link comes by email.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/matchmaking/requests/[^/\s]+/", mail.outbox[0].body).group(0)
    assert mail.outbox[0].to == ["jo@adur-worthing.gov.uk"]
    page.goto(link)
    page.get_by_role("button", name="Confirm my request").click()
    expect(page.locator(".mm-status")).to_have_text("Email confirmed")
    request = MatchRequest.objects.get()
    assert request.status == MatchRequest.Status.EMAIL_CONFIRMED

    # A member of staff logs in and opens the request.
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("broker")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Match requests").click()
    page.get_by_role("link", name=request.reference).click()

    # Worthing, Adur's neighbour, is suggested, with its reasons and their weights.
    row = page.locator("tr.mm-candidate", has_text="Worthing")
    expect(row).to_contain_text("Neighbouring council (shares a boundary) +45")
    row.get_by_role("button", name="Shortlist Worthing").click()
    expect(page.locator(".messagelist")).to_contain_text("Worthing is on the shortlist")

    page.get_by_role("link", name="Introduce…").click()
    expect(page.locator("#content-main")).to_contain_text("wyn@worthing.gov.uk")
    page.get_by_role("button", name="Send both introductions").click()
    expect(page.locator(".messagelist")).to_contain_text("Introduced Adur and Worthing")
    expect(page.locator("#broker")).to_contain_text("Status: Introduced")

    introductions = OutboundEmail.objects.filter(kind="matchmaking-introduction")
    assert {e.to for e in introductions} == {"jo@adur-worthing.gov.uk", "wyn@worthing.gov.uk"}
    assert all(e.status == OutboundEmail.Status.SENT for e in introductions)
    sent = [m for m in mail.outbox if "Introduction:" in m.subject]
    assert len(sent) == 2
    assert all("Our team is too small to cover leave." in m.body for m in sent)
    # Why Worthing, in plain words: the weights are for staff only.
    assert all("A neighbouring council" in m.body and "(+" not in m.body for m in sent)

    # Staff show Worthing to the requester and keep a note; the requester sees it.
    page.locator('input[name="suggestions-0-shared_with_requester"]').check()
    page.locator('textarea[name="notes-0-text"]').fill("Spoke to Wyn: keen, budget agreed.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#notes-group")).to_contain_text("Spoke to Wyn: keen, budget agreed.")
    page.goto(link)
    suggestions = page.locator("#suggestions + ul")
    expect(suggestions).to_contain_text("Worthing Borough Council")
    expect(suggestions).to_contain_text("A neighbouring council in the same county")
    expect(suggestions).not_to_contain_text("(+")
    expect(page.locator("main")).not_to_contain_text("wyn@worthing.gov.uk")


def test_the_forms_error_states_and_private_pages_have_no_wcag_violations(page, live_server):
    from decimal import Decimal

    from matchmaking.models import ExpertApplication, MatchSuggestion
    from tests.axe import assert_no_violations
    from tests.matchmaking.factories import ExpertApplicationFactory, MatchRequestFactory

    # The request form and the application form, each sent empty.
    for path, button in (
        ("/matchmaking/request/", "Send request"),
        ("/matchmaking/expert-programme/apply/", "Send application"),
    ):
        page.goto(live_server.url + path)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert")).to_contain_text("There is a problem")
        assert_no_violations(page)

    # A request's own page, unconfirmed, then with suggestions shared.
    request = MatchRequestFactory(token="a11y-request", status=MatchRequest.Status.NEW)
    page.goto(live_server.url + "/matchmaking/requests/a11y-request/")
    assert_no_violations(page)
    request.status = MatchRequest.Status.IN_DISCUSSION
    request.save()
    MatchSuggestion.objects.create(
        match_request=request,
        council=Council.objects.get(gss_code=WORTHING),
        shared_with_requester=True,
        reasons="Your neighbour.",
    )
    page.reload()
    expect(page.locator("#suggestions + ul")).to_contain_text("Worthing")
    assert_no_violations(page)

    # An application whose work is complete: the outcomes form, sent with a slip.
    ExpertApplicationFactory(
        token="a11y-application",
        status=ExpertApplication.Status.WORK_COMPLETE,
        expert_name="E. Xpert",
        amount_awarded=Decimal("1000"),
    )
    page.goto(live_server.url + "/matchmaking/expert-programme/applications/a11y-application/")
    page.get_by_label("Savings in pounds (if any)").fill("5000")
    page.get_by_role("button", name="Send outcomes").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the financial year")
    expect(page.get_by_label("Savings in pounds (if any)")).to_have_value("5000")
    assert_no_violations(page)
