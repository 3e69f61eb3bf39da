"""Downloading a filtered view in a real headless Chromium: a visitor filters the list of
partnerships with the form, clicks the CSV link and gets exactly the rows they saw,
with the licence and attribution, and no one's contact details."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership

pytestmark = pytest.mark.browser

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def test_the_csv_of_a_filtered_list_holds_exactly_the_partnerships_shown(page, live_server):
    expected = [
        p.name
        for p in PartnershipFilter({"category": "finance-and-audit", "region": "south-east"}).qs
    ]
    assert len(expected) >= 2
    # Contact details are held for staff; the public file must never carry them.
    Partnership.objects.filter(name=expected[0]).update(
        contact_name="Pat Private", contact_email="pat.private@example.org"
    )

    page.goto(live_server.url + "/partnerships/")
    page.get_by_label("Service category").select_option(label="Finance and audit")
    page.get_by_label("Region", exact=True).select_option(label="South East")
    page.get_by_role("button", name="Show partnerships").click()

    expect(page).to_have_url(re.compile(r"category=finance-and-audit.*region=south-east"))
    rows = page.locator("table.partnership-table tbody th[scope=row]")
    expect(rows).to_have_count(len(expected))
    shown = [name.strip() for name in rows.all_inner_texts()]
    expect(page.locator("#results-heading")).to_have_text(f"{len(shown)} partnerships")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download partnerships (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == (
        "shared-services-partnerships-finance-and-audit-south-east.csv"
    )
    text = Path(download.path()).read_text(encoding="utf-8")

    preamble = [line for line in text.splitlines() if line.startswith("# ")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("# "))
    names = [row["Name"] for row in csv.DictReader(io.StringIO(body))]
    assert names == shown == expected
    assert any("Licence: Open Government Licence v3.0" in line for line in preamble)
    assert any(
        line.startswith("# Attribution:") and "Contains OS data © Crown copyright" in line
        for line in preamble
    )
    assert any("Service category: Finance and audit" in line for line in preamble)
    assert "Pat Private" not in text
    assert not EMAIL.search(text)
