"""A council officer tracks a real partnership's benefits in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.axe import assert_no_violations

pytestmark = pytest.mark.browser


def test_an_officer_tracks_a_partnership_sees_payback_and_downloads_the_csv(
    page, live_server, tmp_path
):
    page.goto(live_server.url + "/partnerships/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Benefits tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits tracker")
    assert_no_violations(page)

    # Start: a mistake first (no partnership chosen), then put right.
    page.get_by_label("A partnership on the map").check()
    # With JavaScript, only the questions for that kind of tracker show.
    expect(page.get_by_label("Name of the planned partnership")).to_be_hidden()
    page.get_by_label("First financial year of the shared service").select_option("2024")
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_label("Your work email address").fill("jo.bloggs@adur-worthing.gov.uk")
    page.get_by_role("button", name="Start the tracker").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose the partnership the tracker is for.")
    assert_no_violations(page)
    expect(page.get_by_label("Your name")).to_have_value("Jo Bloggs")
    page.get_by_label("Which partnership").select_option(
        label="Adur and Worthing Councils partnership"
    )
    page.get_by_role("button", name="Start the tracker").click()

    # The link, once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tracker is ready")
    link = page.get_by_label("Private link to the tracker").input_value()
    assert "/benefits/t/" in link
    assert_no_violations(page)
    page.get_by_role("link", name="Enter the figures").click()

    # Baseline.
    page.get_by_label("Annual cost before sharing (£), Adur District Council").fill("600,000")
    page.get_by_label("Annual cost before sharing (£), Worthing Borough Council").fill("400000")
    page.get_by_label("Staff before sharing (FTE), Adur District Council").fill("14.5")
    # Set-up costs.
    page.get_by_label("Kind of set-up cost, set-up cost 1").select_option("redundancy")
    page.get_by_label("Financial year, set-up cost 1").select_option("2024")
    page.get_by_label("Amount (£), set-up cost 1").fill("£150,000")
    page.get_by_role("button", name="Add another set-up cost").click()
    expect(page.get_by_label("Kind of set-up cost, set-up cost 2")).to_be_focused()
    page.get_by_label("Kind of set-up cost, set-up cost 2").select_option("it")
    page.get_by_label("Financial year, set-up cost 2").select_option("2024")
    page.get_by_label("Amount (£), set-up cost 2").fill("50000")
    # Two years of savings: the second row comes from "Add another year".
    page.get_by_label("Financial year, year row 1").select_option("2024")
    page.get_by_label("Staff savings (£), year row 1").fill("100000")
    page.get_by_label("IT savings (£), year row 1").fill("20000")
    page.get_by_label("Procurement savings (£), year row 1").fill("10000")
    page.get_by_label("New running costs (£), year row 1").fill("30000")
    page.get_by_role("button", name="Add another year").click()
    expect(page.get_by_label("Financial year, year row 2")).to_be_focused()
    expect(page.get_by_label("Financial year, year row 2")).to_have_value("2025")
    # Nothing typed before the new row was lost.
    expect(page.get_by_label("Amount (£), set-up cost 1")).to_have_value("£150,000")
    page.get_by_label("Staff savings (£), year row 2").fill("120000")
    page.get_by_label("IT savings (£), year row 2").fill("20000")
    page.get_by_label("Procurement savings (£), year row 2").fill("15000")
    page.get_by_label("Process savings (£), year row 2").fill("five thousand")
    page.get_by_label("New running costs (£), year row 2").fill("30000")
    page.get_by_role("button", name="Save and see the results").click()

    # Text in an amount: told where, and nothing lost.
    expect(page.get_by_role("alert")).to_contain_text("Process savings (£): Enter an amount")
    assert_no_violations(page)
    page.get_by_role("alert").get_by_role("link").first.click()
    expect(page.get_by_label("Process savings (£), year row 2")).to_be_focused()
    expect(page.get_by_label("Staff savings (£), year row 2")).to_have_value("120000")
    page.get_by_label("Process savings (£), year row 2").fill("5000")
    page.get_by_role("button", name="Save and see the results").click()

    # Results: payback year and the table.
    expect(page.locator("#payback")).to_have_text(
        "The costs are paid back in 2025/26, year 2 of 2."
    )
    table = page.get_by_role("table", name="Savings, costs and net savings by financial year")
    expect(table.get_by_role("row", name="2024/25")).to_contain_text("−£100,000.00")
    expect(table.get_by_role("row", name="2025/26 (payback)")).to_contain_text("£30,000.00")
    expect(page.locator("svg[role=img]")).to_have_count(3)
    expect(page.locator("#comparison")).to_contain_text("Drawn from 13 published partnerships")
    assert_no_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    path = tmp_path / "tracker.csv"
    download_info.value.save_as(path)
    text = path.read_text()
    assert "The costs are paid back in 2025/26, year 2 of 2" in text
    assert "2025/26,12,Expected,120000.00,20000.00,0.00,15000.00,5000.00" in text
    assert "Jo Bloggs" not in text

    # The link brings the officer back.
    page.goto(link)
    expect(page.locator("#payback")).to_contain_text("2025/26")
