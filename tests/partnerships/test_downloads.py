"""Open data downloads: the current view as CSV and XLSX, licensed and free of personal data."""

import csv
import io

import pytest
from openpyxl import load_workbook

from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.django_db


def read_csv(response) -> tuple[list[str], list[dict]]:
    text = response.content.decode()
    preamble = [line for line in text.splitlines() if line.startswith("# ")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("# "))
    return preamble, list(csv.DictReader(io.StringIO(body)))


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
    assert orbis["Achieved savings to date (£)"] == "16000000.00"
    assert "Surrey County Council" in orbis["Member councils"]
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
    assert len(rows) == 15
    sovw = next(r for r in rows if r["Partnership"].startswith("South Oxfordshire"))
    assert sovw["Financial years"] == "2007/08 to 2011/12"
    assert sovw["Amount (£)"] == "5690000.00"


def test_a_bad_filter_is_explained_not_ignored(client):
    response = client.get("/partnerships/download.csv?savings=heaps")
    assert response.status_code == 400
    assert "Achieved savings" in response.content.decode()


def test_downloads_take_the_same_queries_at_ten_times_the_data(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/partnerships/download.csv")
    grow_data(10)
    with django_assert_max_num_queries(8):
        response = client.get("/partnerships/download.csv")
    assert len(read_csv(response)[1]) == 650


def test_downloads_are_read_only(client):
    for url in (
        "/partnerships/download.csv",
        "/savings/download.csv",
        "/partnerships/download.xlsx",
    ):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200
