"""Downloading a filtered view in a real headless Chromium: a visitor filters the list of
partnerships (or the figures) with the form, clicks the CSV link and gets exactly the
rows they saw, opening on the byte order mark and the header, with the licence and
attribution in the About text beside it, and no one's contact details."""

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
    content = Path(download.path()).read_bytes()
    # Excel opens it as UTF-8 on the byte order mark, and the header is the first line.
    assert content.startswith(b"\xef\xbb\xbfName,Page,")
    text = content.decode("utf-8-sig")
    names = [row["Name"] for row in csv.DictReader(io.StringIO(text))]
    assert names == shown == expected

    # The About text beside it, for the same view, says what it is and its licence.
    about = page.request.get(
        live_server.url
        + "/partnerships/download-about.txt?category=finance-and-audit&region=south-east"
    )
    assert about.ok
    lines = about.text().splitlines()
    assert any(line.startswith("Licence: Open Government Licence v3.0") for line in lines)
    assert any(
        line.startswith("Attribution:") and "Contains OS data © Crown copyright" in line
        for line in lines
    )
    assert any("Service category: Finance and audit" in line for line in lines)
    assert "Pat Private" not in text
    assert not EMAIL.search(text)


def test_a_figures_table_downloads_with_exactly_the_rows_on_the_page(page, live_server):
    page.goto(live_server.url + "/figures/")
    # The figures' filters are folded, at every width, above the figures.
    page.locator("#filters-disclosure summary").click()
    page.get_by_label("Region", exact=True).select_option(label="South East")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(r"/figures/\?.*region=south-east"))
    expect(page.locator(".applied-filters")).to_contain_text("Region: South East")

    table = page.locator("#by-category-table")
    expect(table.locator("caption")).to_have_text(
        "Partnerships, achieved and expected savings by service category"
    )
    shown = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]
    assert shown
    # Charts are drawn on the server: there, with a text alternative, before any script.
    expect(page.locator("#by-category ~ div svg[role=img]").first).to_have_attribute(
        "aria-label", re.compile(r"^Number of partnerships by service category\.")
    )

    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=re.compile(r"^Download this table \(CSV\).*by service")
        ).click()
    download = download_info.value
    assert download.suggested_filename == "shared-services-figures-by-category-south-east.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith("\ufeffService category,Partnerships,".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [[row["Service category"], row["Partnerships"]] for row in rows] == [
        cells[:2] for cells in shown
    ]
    for row, cells in zip(rows, shown, strict=True):
        amount = row["Achieved savings (£)"]
        assert cells[2] == (f"£{float(amount):,.0f}" if amount else "No figure")
