"""Open data downloads: the current view as CSV and XLSX, licensed and free of personal data,
and opening cleanly in a spreadsheet: a CSV starts with the byte order mark and its header,
with its licence in the About text beside it; an XLSX has numbers as numbers, a filter on
each table's header and an About sheet."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from partnerships.filters import PartnershipFilter
from partnerships.models import Council, Partnership, SavingsRecord, ServiceCategory
from tests.partnerships.factories import SavingsRecordFactory, grow_data, partnership_with_members

pytestmark = pytest.mark.django_db


def read_csv(response) -> tuple[list[str], list[dict]]:
    """The About text's lines (from the address the CSV's Link header gives) and the rows.
    The file itself is the byte order mark, then the header, then the rows."""
    assert response.content.startswith(BOM + b"Name,") or response.content.startswith(
        BOM + b"Partnership,"
    ), response.content[:40]
    text = response.content.decode("utf-8-sig")
    link = re.fullmatch(r'<([^>]+)>; rel="describedby"', response["Link"])
    about = Client().get(link[1])
    assert about.status_code == 200 and about["Content-Type"].startswith("text/plain")
    return about.content.decode().splitlines(), list(csv.DictReader(io.StringIO(text)))


BOM = "\ufeff".encode()


ACHIEVED = "Achieved savings counted in this view (£)"


def test_the_csv_of_a_filtered_view_has_exactly_its_partnerships(client):
    response = client.get("/partnerships/download.csv?category=legal&sort=name")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "shared-services-partnerships-legal.csv" in response["Content-Disposition"]
    about, rows = read_csv(response)
    expected = [p.name for p in PartnershipFilter({"category": "legal"}).qs]
    assert [row["Name"] for row in rows] == expected
    assert any("Open Government Licence v3.0" in line for line in about)
    assert any("Contains OS data © Crown copyright" in line for line in about)
    assert any("Service category: Legal" in line for line in about)


def test_csv_rows_carry_members_savings_and_sources(client):
    _about, rows = read_csv(client.get("/partnerships/download.csv?q=Orbis"))
    (orbis,) = rows
    assert orbis[ACHIEVED] == "16000000.00"
    assert "Surrey County Council" in orbis["Member councils (everyone that has belonged)"]
    assert "E10000030" in orbis["Member council GSS codes"]
    assert orbis["Page"].endswith("/partnerships/orbis/")


def test_no_personal_data_is_ever_exported(client):
    Partnership.objects.filter(name="Orbis").update(
        contact_name="Pat Private", contact_email="pat.private@example.org", contact_phone="0123"
    )
    for url in (
        "/partnerships/download.csv",
        "/savings/download.csv",
        "/partnerships/download.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200
        if url.endswith("xlsx"):
            workbook = load_workbook(io.BytesIO(response.content))
            content = " ".join(
                str(cell)
                for sheet in workbook
                for row in sheet.iter_rows(values_only=True)
                for cell in row
            )
        else:
            content = response.content.decode()
        assert "Pat Private" not in content
        assert "pat.private@example.org" not in content


def test_the_xlsx_has_partnerships_savings_and_the_licence(client):
    response = client.get("/partnerships/download.xlsx?region=south-east")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Partnerships", "Savings", "About"]
    names = [row[0] for row in workbook["Partnerships"].iter_rows(min_row=2, values_only=True)]
    assert names == [p.name for p in PartnershipFilter({"region": "south-east"}).qs]
    about = {label: value for label, value in workbook["About"].iter_rows(values_only=True)}
    assert about["Licence"].startswith("Open Government Licence v3.0, https://")
    assert "Contains OS data © Crown copyright" in about["Attribution"]
    assert about["File"] == "Shared Services Map: published partnerships where Region: South East"
    assert about["Period"].startswith("now: ")
    assert about["Source"].startswith("Shared Services Map, Local Government Association, http")
    assert about["Downloaded"].date() == date.today()
    orbis = next(
        row
        for row in workbook["Partnerships"].iter_rows(min_row=2, values_only=True)
        if row[0] == "Orbis"
    )
    assert 16000000.0 in orbis


def test_the_savings_csv_lists_each_record(client):
    _about, rows = read_csv(client.get("/savings/download.csv"))
    now = PartnershipFilter({}).qs
    assert len(rows) == SavingsRecord.objects.filter(partnership__in=now).count() > 50
    sovw = next(r for r in rows if r["Partnership"].startswith("South Oxfordshire"))
    assert sovw["Financial years"] == "2007/08 to 2011/12"
    assert sovw["Amount (£)"] == "5690000.00"
    assert sovw["Per year or in all"] == "in all over the period"
    assert sovw["Where the figure came from"] == "Published source (reference data): docslib.org"
    assert sovw["Source link"].startswith("http")
    # A figure without a period is listed, and says it counts in no year's total.
    undated = next(r for r in rows if r["Financial years"] == "no period given")
    assert undated["Financial years it counts in totals"] == "None"


def test_a_download_of_a_past_year_counts_that_years_councils(client):
    _about, rows = read_csv(client.get("/partnerships/download.csv?year=2012"))
    about = _about
    arp_now = next(r for r in read_csv(client.get("/partnerships/download.csv?q=Anglia"))[1])
    assert (
        "West Suffolk (through Forest Heath, former council)"
        in arp_now["Councils counted in this view"]
    )
    assert all(int(r["Start year"]) <= 2012 for r in rows)
    assert not [r for r in rows if r["End year"] and int(r["End year"]) < 2012]
    assert any("As at financial year: 2012/13" in line for line in about)


def test_a_bad_filter_is_explained_not_ignored(client):
    response = client.get("/partnerships/download.csv?savings=heaps")
    assert response.status_code == 400
    assert "Achieved savings" in response.content.decode()


def test_downloads_take_the_same_queries_at_ten_times_the_data(
    client, django_assert_max_num_queries
):
    urls = (
        "/partnerships/download.csv",
        "/partnerships/download.csv?year=2012&council_type=district",
        "/savings/download.csv?year=2019",
        "/partnerships/download.xlsx?region=london",
    )

    def each_within(most: int) -> None:
        for url in urls:
            with django_assert_max_num_queries(most):
                assert client.get(url).status_code == 200

    each_within(12)
    grow_data(10)
    each_within(12)
    response = client.get("/partnerships/download.csv")
    assert len(read_csv(response)[1]) == PartnershipFilter({}).qs.count() > 1000


def test_downloads_are_read_only(client):
    for url in (
        "/partnerships/download.csv",
        "/savings/download.csv",
        "/partnerships/download.xlsx",
    ):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200


# Formulas typed as names -------------------------------------------------------------

FORMULA_NAMES = ('=HYPERLINK("http://evil.example","x")', "@SUM(1+1)")


@pytest.fixture
def formula_partnerships():
    """Two published partnerships whose names were typed as spreadsheet formulas, each with
    an achieved figure whose wording was typed as one too."""
    adur = Council.objects.get(gss_code="E07000223")
    partnerships = [
        partnership_with_members(adur, name=name, slug=f"formula-{n}", start_year=2019)
        for n, name in enumerate(FORMULA_NAMES)
    ]
    for partnership in partnerships:
        SavingsRecordFactory(
            partnership=partnership, amount=Decimal("1234.50"), wording="-£1,234.50 a year"
        )
    return partnerships


def test_a_name_typed_as_a_formula_is_quoted_text_in_the_csv(client, formula_partnerships):
    _about, rows = read_csv(client.get("/partnerships/download.csv"))
    by_name = {row["Name"]: row for row in rows}
    for name in FORMULA_NAMES:
        row = by_name["'" + name]
        # The figures beside it are still plain numbers.
        assert row[ACHIEVED] == "1234.50"
        assert row["Start year"] == "2019"
    assert not [name for name in by_name if name[:1] in "=+-@"]


def test_a_wording_typed_as_a_formula_is_quoted_text_in_the_savings_csv(
    client, formula_partnerships
):
    _about, rows = read_csv(client.get("/savings/download.csv"))
    mine = [row for row in rows if row["Partnership"].lstrip("'") in FORMULA_NAMES]
    assert {row["Partnership"] for row in mine} == {"'" + name for name in FORMULA_NAMES}
    assert {(row["Amount (£)"], row["As reported"]) for row in mine} == {
        ("1234.50", "'-£1,234.50 a year")
    }


def test_a_name_typed_as_a_formula_is_a_text_cell_in_the_xlsx(client, formula_partnerships):
    response = client.get("/partnerships/download.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    names = [row[0] for row in workbook["Partnerships"].iter_rows(min_row=2)]
    mine = [cell for cell in names if cell.value in FORMULA_NAMES]
    assert sorted(cell.value for cell in mine) == sorted(FORMULA_NAMES)
    assert all(cell.data_type == "s" for cell in names)
    header = [cell.value for cell in workbook["Savings"][1]]
    savings = list(workbook["Savings"].iter_rows(min_row=2))
    column = header.index("As reported")
    wording = [row[column] for row in savings if row[0].value in FORMULA_NAMES]
    assert [(c.data_type, c.value) for c in wording] == [("s", "-£1,234.50 a year")] * 2


def test_amounts_and_years_in_the_xlsx_are_numbers(client, formula_partnerships):
    workbook = load_workbook(io.BytesIO(client.get("/partnerships/download.xlsx").content))
    sheet = workbook["Partnerships"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == FORMULA_NAMES[1])
    achieved = row[header.index(ACHIEVED)]
    assert (achieved.value, achieved.number_format) == (1234.5, "£#,##0.00")
    start = row[header.index("Start year")]
    assert (start.value, start.number_format) == (2019, "0")


def test_a_search_typed_as_a_formula_stays_text_in_the_files_description(client):
    search = 'x,=HYPERLINK("http://evil.example","x")'
    about, _rows = read_csv(client.get("/partnerships/download.csv", {"q": search}))
    # The About text is plain text, not a spreadsheet: the search is there as typed.
    assert any(line.startswith("File: ") and search in line for line in about)
    workbook = load_workbook(
        io.BytesIO(client.get("/partnerships/download.xlsx", {"q": search}).content)
    )
    (label, title) = next(workbook["About"].iter_rows(max_row=1))
    assert label.value == "File"
    assert title.data_type == "s" and search in title.value


def test_a_category_typed_as_a_formula_is_quoted_text_in_a_figures_table(client):
    category = ServiceCategory.objects.create(name=FORMULA_NAMES[0], slug="formula")
    partnership = partnership_with_members(
        Council.objects.get(gss_code="E07000223"), categories=[category], slug="formula-category"
    )
    SavingsRecordFactory(partnership=partnership, amount=Decimal("250.00"))
    response = client.get("/figures/by-category.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    (row,) = [row for row in rows if "HYPERLINK" in row["Service category"]]
    assert row["Service category"] == "'" + FORMULA_NAMES[0]
    assert (row["Partnerships"], row["Achieved savings (£)"]) == ("1", "250.00")


# Opening the files in a spreadsheet -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("/partnerships/download.csv?region=south-east", "Name,Page,Service categories,"),
        ("/savings/download.csv", "Partnership,Financial years,"),
        ("/figures/by-region.csv", "Region,Partnerships,"),
    ],
)
def test_a_csv_is_the_byte_order_mark_then_its_header(client, url, header):
    content = client.get(url).content
    # Excel reads a CSV as UTF-8 only after the mark; without it "£" shows as "Â£".
    assert content[:3] == b"\xef\xbb\xbf"
    first_line = content[3:].decode().splitlines()[0]
    assert first_line.startswith(header)
    assert "£" in first_line or "savings" not in url
    assert b"\n#" not in content and not content[3:].startswith(b"#")


def test_a_csvs_about_text_says_what_it_holds_its_period_source_and_licence(client):
    response = client.get("/partnerships/download.csv?category=legal&year=2012")
    assert response["Link"] == (
        '</partnerships/download-about.txt?category=legal&year=2012>; rel="describedby"'
    )
    about = client.get("/partnerships/download-about.txt?category=legal&year=2012")
    assert about.status_code == 200
    assert about["Content-Type"] == "text/plain; charset=utf-8"
    assert about["Content-Disposition"] == (
        'attachment; filename="shared-services-partnerships-legal-201213-about.txt"'
    )
    lines = dict(line.split(": ", 1) for line in about.content.decode().splitlines())
    assert "Service category: Legal" in lines["File"]
    assert lines["Period"].startswith("as at 2012/13: the councils that were members then")
    assert lines["Licence"] == (
        "Open Government Licence v3.0, "
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )
    assert "Contains OS data © Crown copyright" in lines["Attribution"]
    assert lines["Source"].startswith("Shared Services Map, Local Government Association, http")
    assert lines["Every download and the API"] == "http://testserver/data/"
    assert lines["Downloaded"] == f"{date.today():%d %B %Y}"
    # A bad filter is refused for the About text as for the file.
    assert client.get("/partnerships/download-about.txt?savings=heaps").status_code == 400


def test_the_savings_and_figures_csvs_have_their_about_text_too(client):
    savings = client.get("/savings/download-about.txt?region=london").content.decode()
    assert "File: Shared Services Map: savings records of published partnerships" in savings
    assert "Region: London" in savings
    figures = client.get("/figures/by-category-about.txt?year=2015").content.decode()
    assert "by service category" in figures and "as at 2015/16" in figures
    assert "Licence: Open Government Licence v3.0" in figures
    assert client.get("/figures/everything-about.txt").status_code == 404


def test_the_xlsx_tables_have_a_filter_on_their_header_and_numbers_as_numbers(client):
    orbis = Partnership.objects.get(slug="orbis")
    SavingsRecordFactory(partnership=orbis, reported_on=date(2024, 6, 30), wording="Reported")
    workbook = load_workbook(io.BytesIO(client.get("/partnerships/download.xlsx").content))
    for name in ("Partnerships", "Savings"):
        sheet = workbook[name]
        # The filter covers the header and every row under it, the header stays in view.
        last_column = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A1:{last_column}{sheet.max_row}"
        assert sheet.freeze_panes == "A2"
    savings = workbook["Savings"]
    header = [cell.value for cell in savings[1]]
    rows = list(savings.iter_rows(min_row=2))
    years = [row[header.index("First financial year (start)")].value for row in rows]
    assert all(isinstance(year, int) for year in years if year is not None)
    assert any(isinstance(year, int) for year in years)
    amounts = [row[header.index("Amount (£)")] for row in rows]
    assert all(isinstance(c.value, int | float) for c in amounts if c.value is not None)
    reported = [
        row[header.index("Reported on")] for row in rows if row[header.index("Reported on")].value
    ]
    assert reported and all(cell.is_date for cell in reported)
    assert date(2024, 6, 30) in {cell.value.date() for cell in reported}
    partnerships = workbook["Partnerships"]
    header = [cell.value for cell in partnerships[1]]
    starts = [row[header.index("Start year")].value for row in partnerships.iter_rows(min_row=2)]
    assert all(isinstance(year, int) for year in starts if year is not None)
