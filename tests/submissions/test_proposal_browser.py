"""Choosing the other members of a proposed shared service in a real headless Chromium:
by typing part of their names (with JavaScript), and by opening a group and ticking
(without it). No Ctrl-click in a list of 300."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Council, PublicBody, ServiceCategory
from submissions.models import ProposedChange
from tests.axe import assert_no_violations

pytestmark = pytest.mark.browser

ADUR, WORTHING, CRAWLEY = "E07000223", "E07000229", "E07000226"


def fire_authority() -> PublicBody:
    return PublicBody.objects.get(name="East Sussex", kind="fire_rescue_authority")


def fill_in_about(page) -> None:
    page.get_by_label("Your council").select_option(label="Adur")
    page.get_by_label("Your name").fill("Pat Officer")
    page.get_by_label("Your work email address").fill("pat@adur.gov.uk")
    page.get_by_label("Name of the shared service or partnership").fill("Sussex estates")
    page.get_by_label("What is shared, and how").fill("One estates team for all our buildings.")
    page.get_by_label(ServiceCategory.objects.order_by("position", "name").first().name).check()


def assert_proposed(councils: list[str]) -> None:
    change = ProposedChange.objects.get()
    pks = list(Council.objects.filter(gss_code__in=councils).values_list("pk", flat=True))
    assert sorted(change.proposed["councils"]) == sorted(pks)
    assert change.proposed["public_bodies"] == [fire_authority().pk]


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_an_officer_picks_two_councils_and_a_fire_authority_by_typing_their_names(
    page, live_server, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/refresh/propose/")
    fill_in_about(page)
    councils = page.get_by_role("group", name="Other councils in it")
    find = page.get_by_label("Find by name in other councils in it")
    find.fill("worthi")
    # Only the matching councils show, in their open region.
    expect(councils.get_by_role("checkbox", name="Worthing", exact=True)).to_be_visible()
    expect(councils.get_by_role("checkbox", name="Crawley")).to_be_hidden()
    expect(councils.locator(".field__hint[aria-live]")).to_have_text("1 found")
    councils.get_by_role("checkbox", name="Worthing", exact=True).check()
    # Enter in the box does not send the form.
    find.press("Enter")
    assert page.url.endswith("/refresh/propose/")
    find.fill("CRAWL")
    councils.get_by_role("checkbox", name="Crawley").check()
    find.fill("")
    # With the box empty, the ticked ones are still ticked, and every region is back.
    expect(councils.get_by_role("checkbox", name="Worthing", exact=True)).to_be_checked()
    expect(councils.locator("details.partner-group:not([hidden])")).to_have_count(
        councils.locator("details.partner-group").count()
    )

    page.get_by_label("Find by name in public bodies in it").fill("east sus")
    page.get_by_role("checkbox", name="East Sussex (Fire and rescue authority)").check()
    assert_no_violations(page)
    page.get_by_role("button", name="Send the proposal").click()
    page.wait_for_url("**/refresh/propose/thanks/")
    assert_proposed([ADUR, WORTHING, CRAWLEY])


def test_without_javascript_an_officer_opens_the_regions_and_ticks(
    browser, live_server, live_real_data
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/refresh/propose/")
        fill_in_about(page)
        # No box to type in: the groups open by their summaries.
        expect(page.get_by_label("Find by name in other councils in it")).to_have_count(0)
        councils = page.get_by_role("group", name="Other councils in it")
        south_east = councils.locator("summary", has_text="South East")
        south_east.click()
        councils.get_by_role("checkbox", name="Worthing", exact=True).check()
        councils.get_by_role("checkbox", name="Crawley").check()
        bodies = page.get_by_role("group", name="Public bodies in it")
        bodies.locator("summary", has_text="Fire and rescue").click()
        bodies.get_by_role("checkbox", name="East Sussex (Fire and rescue authority)").check()
        # (axe needs scripts to run: the JavaScript test above checks the same markup.)
        page.get_by_role("button", name="Send the proposal").click()
        page.wait_for_url("**/refresh/propose/thanks/")
        assert_proposed([ADUR, WORTHING, CRAWLEY])
    finally:
        context.close()
