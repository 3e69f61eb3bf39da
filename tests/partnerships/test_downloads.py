"""Open data downloads: the current view as CSV and XLSX, licensed and free of personal data."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from partnerships.filters import PartnershipFilter
from partnerships.models import Council, Partnership, SavingsRecord, ServiceCategory
from tests.partnerships.factories import SavingsRecordFactory, grow_data, partnership_with_members

pytestmark = pytest.mark.django_db


def read_csv(response) -> tuple[list[str], list[dict]]:
    text = response.content.decode()
    preamble = [line for line in text.splitlines() if line.startswith("# ")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("# "))
    return preamble, list(csv.DictReader(io.StringIO(body)))


ACHIEVED = "Achieved savings counted in this view (£)"


def test_the_csv_of_a_filtered_view_has_exactly_its_partnerships(client):
    response = client.get("/partnerships/download.csv?category=legal&sort=name")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "shared-services-partnerships-legal.csv" in response["Content-Disposition"]
    preamble, rows = read_csv(response)
    expected = [p.name for p in PartnershipFilter({"category": "legal"}).qs]
    assert [row["Name"] for row in rows] == expected
    assert any("Open Government Licence v3.0" in line for line in preamble)
    assert any("Contains OS data © Crown copyright" in line for line in preamble)
    assert any("Service category: Legal" in line for line in preamble)


def test_csv_rows_carry_members_savings_and_sources(client):
    _preamble, rows = read_csv(client.get("/partnerships/download.csv?q=Orbis"))
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
    assert workbook.sheetnames == ["Partnerships", "Savings", "Licence"]
    names = [row[0] for row in workbook["Partnerships"].iter_rows(min_row=2, values_only=True)]
    assert names == [p.name for p in PartnershipFilter({"region": "south-east"}).qs]
    licence = " ".join(row[0] for row in workbook["Licence"].iter_rows(values_only=True))
    assert "Open Government Licence v3.0" in licence
    orbis = next(
        row
        for row in workbook["Partnerships"].iter_rows(min_row=2, values_only=True)
        if row[0] == "Orbis"
    )
    assert 16000000.0 in orbis


def test_the_savings_csv_lists_each_record(client):
    _preamble, rows = read_csv(client.get("/savings/download.csv"))
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
    _preamble, rows = read_csv(client.get("/partnerships/download.csv?year=2012"))
    preamble = _preamble
    arp_now = next(r for r in read_csv(client.get("/partnerships/download.csv?q=Anglia"))[1])
    assert (
        "West Suffolk (through Forest Heath, former council)"
        in arp_now["Councils counted in this view"]
    )
    assert all(int(r["Start year"]) <= 2012 for r in rows)
    assert not [r for r in rows if r["End year"] and int(r["End year"]) < 2012]
    assert any("As at financial year: 2012/13" in line for line in preamble)


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
    _preamble, rows = read_csv(client.get("/partnerships/download.csv"))
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
    _preamble, rows = read_csv(client.get("/savings/download.csv"))
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
    text = client.get("/partnerships/download.csv", {"q": search}).content.decode()
    preamble = [line for line in text.splitlines() if line.startswith("# ")]
    assert any("HYPERLINK" in line for line in preamble)
    # A spreadsheet splits each line at its commas: no piece may begin a formula.
    for line in preamble:
        for cell in next(csv.reader([line])):
            assert cell.lstrip(" ")[:1] not in ("=", "+", "-", "@")
    workbook = load_workbook(
        io.BytesIO(client.get("/partnerships/download.xlsx", {"q": search}).content)
    )
    (title,) = next(workbook["Licence"].iter_rows(max_row=1))
    assert title.data_type == "s" and search in title.value


def test_a_category_typed_as_a_formula_is_quoted_text_in_a_figures_table(client):
    category = ServiceCategory.objects.create(name=FORMULA_NAMES[0], slug="formula")
    partnership = partnership_with_members(
        Council.objects.get(gss_code="E07000223"), categories=[category], slug="formula-category"
    )
    SavingsRecordFactory(partnership=partnership, amount=Decimal("250.00"))
    response = client.get("/figures/by-category.csv")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(x for x in lines if not x.startswith("# ")))))
    (row,) = [row for row in rows if "HYPERLINK" in row["Service category"]]
    assert row["Service category"] == "'" + FORMULA_NAMES[0]
    assert (row["Partnerships"], row["Achieved savings (£)"]) == ("1", "250.00")
