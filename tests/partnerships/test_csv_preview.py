"""Staff upload a partnerships CSV and first see what it would do, row by row, with every
bad cell of every bad row named; nothing is saved until they confirm, choosing whether
the new partnerships are published."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.admin_forms import CSV_MAX_ROWS
from partnerships.models import Partnership, PublicBody, SavingsRecord
from partnerships.services.csv_rows import name_lookup_rows, partnerships_csv_preview
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.usefixtures("real_data")

UPLOAD = reverse("admin:partnerships_partnership_upload_csv")
HEADER = (
    "name,members,lead_member,category,partner_sectors,start_year,savings_text,"
    "savings_gbp_total,savings_period,status,description,source_url\n"
)
NEW = (
    "Adur and Surrey Preview Legal,Adur District Council; Surrey County Council,"
    "Surrey County Council,Legal,,2021,£50k a year,50000,2022/23,operational,"
    "A shared legal team made for a test.,https://example.org/legal\n"
)
NEW_NAME = "Adur and Surrey Preview Legal"
MALFORMED = (
    "Broken Shared Revenues,Adurr District Council; Worthing Borough Council,,"
    "Juggling,,twenty ten,,lots,2020/21,thriving,Not real.,\n"
)
HOOPLE = (
    "Hoople Ltd,Herefordshire Council; Wye Valley NHS Trust,Herefordshire Council,"
    "HR and payroll,Health,2011,,,,operational,A new description.,https://example.org\n"
)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def counts() -> tuple[int, int, int]:
    return Partnership.objects.count(), PublicBody.objects.count(), SavingsRecord.objects.count()


def preview(client, content: str, *, update_existing: bool = False):
    form = {"file": SimpleUploadedFile("p.csv", content.encode(), content_type="text/csv")}
    if update_existing:
        form["update_existing"] = "on"
    return client.post(UPLOAD, form)


def token_of(response) -> str:
    return response.context["form"]["token"].value()


def test_uploading_shows_what_each_row_would_do_and_saves_nothing(admin_client):
    before = counts()
    response = preview(admin_client, HEADER + NEW + MALFORMED)
    assert response.status_code == 200
    page = text(response.content.decode())
    assert "Nothing has been saved yet." in page
    assert "To create 1" in page and "To change 0" in page and "Refused (not loaded) 1" in page
    row = re.search(r'<tr id="preview-row-2">(.*?)</tr>', response.content.decode(), re.S)
    assert row is not None
    assert text(row.group(1)) == (
        f"2 {NEW_NAME} Create Adur; Surrey (lead) Legal £50,000 achieved, 2022/23"
    )
    assert counts() == before
    assert not Partnership.objects.filter(name=NEW_NAME).exists()


def test_a_malformed_row_names_every_bad_cell(admin_client):
    page = text(preview(admin_client, HEADER + MALFORMED).content.decode())
    for problem in [
        "Row 2, column members (Broken Shared Revenues): “Adurr District Council” is not a "
        "known council or public body",
        "Row 2, column category (Broken Shared Revenues): “Juggling” is an unknown service "
        "category",
        "Row 2, column start_year (Broken Shared Revenues): The start year must be a year "
        "such as 2014",
        "Row 2, column savings_gbp_total (Broken Shared Revenues): The savings total must be "
        "a number of pounds",
        "Row 2, column status (Broken Shared Revenues): Status must be operational, ended, "
        "proposed or blank (the cell says “thriving”)",
    ]:
        assert problem in page
    # The unknown member is the problem, not the count of members it leaves.
    assert "at least two members" not in page
    assert "there is nothing to confirm" in page


def test_a_row_with_more_cells_than_columns_is_refused_saying_so(admin_client):
    row = NEW.replace("A shared legal team made for a test.", "A team, shared, for a test.")
    page = text(preview(admin_client, HEADER + row).content.decode())
    assert f"Row 2 ({NEW_NAME}): This row has 2 more cells than the header has columns" in page


def test_the_preview_lists_what_an_update_would_change(admin_client):
    hoople = Partnership.objects.get(name="Hoople Ltd")
    response = preview(admin_client, HEADER + HOOPLE, update_existing=True)
    page = text(response.content.decode())
    assert "To change 1" in page
    assert "description: “" in page and "becomes “A new description.”" in page
    hoople.refresh_from_db()
    assert hoople.description != "A new description."


@pytest.mark.parametrize(("choice", "published"), [("publish", True), ("unpublished", False)])
def test_confirming_loads_the_rows_publishing_the_new_ones_as_chosen(
    admin_client, choice, published
):
    response = preview(admin_client, HEADER + NEW + MALFORMED)
    loaded = admin_client.post(UPLOAD, {"token": token_of(response), "publish": choice})
    assert loaded.status_code == 200
    new = Partnership.objects.get(name=NEW_NAME)
    assert new.published is published
    assert not Partnership.objects.filter(name="Broken Shared Revenues").exists()
    page = text(loaded.content.decode())
    assert "What the upload did" in page
    assert ("on the map now" in page) is published


def test_confirming_without_choosing_to_publish_is_refused_beside_the_choice(admin_client):
    response = preview(admin_client, HEADER + NEW)
    refused = admin_client.post(UPLOAD, {"token": token_of(response)})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="id_publish_error"' in html
    assert "Choose whether to publish the new partnerships now" in html
    assert not Partnership.objects.filter(name=NEW_NAME).exists()


def test_a_confirmation_loads_the_file_once_and_only_from_the_server(admin_client):
    response = preview(admin_client, HEADER + NEW)
    token = token_of(response)
    admin_client.post(UPLOAD, {"token": token, "publish": "publish"})
    again = admin_client.post(UPLOAD, {"token": token, "publish": "publish"})
    assert again.status_code == 400
    assert "This preview has expired, a later upload has replaced it, or its file" in text(
        again.content.decode()
    )
    assert Partnership.objects.filter(name=NEW_NAME).count() == 1

    made_up = admin_client.post(UPLOAD, {"token": "x" * 32, "publish": "publish"})
    assert made_up.status_code == 400
    not_a_token = admin_client.post(UPLOAD, {"token": "../../etc", "publish": "publish"})
    assert not_a_token.status_code == 400


def test_another_member_of_staff_cannot_confirm_someone_elses_upload(
    admin_client, client, django_user_model
):
    token = token_of(preview(admin_client, HEADER + NEW))
    other = django_user_model.objects.create_superuser("other", "other@example.org", "x")
    client.force_login(other)
    response = client.post(UPLOAD, {"token": token, "publish": "publish"})
    assert response.status_code == 400
    assert not Partnership.objects.filter(name=NEW_NAME).exists()


def test_a_preview_overtaken_by_a_change_is_shown_again_not_loaded(admin_client):
    token = token_of(preview(admin_client, HEADER + NEW))
    PartnershipFactory(name=NEW_NAME)  # made by a colleague meanwhile
    response = admin_client.post(UPLOAD, {"token": token, "publish": "publish"})
    page = text(response.content.decode())
    assert "changed after the file was checked, so it was not loaded" in page
    assert "Already here, left as they are 1" in page
    assert Partnership.objects.filter(name=NEW_NAME).count() == 1


def test_the_upload_is_bounded_and_says_so_beside_the_field(admin_client):
    page = admin_client.get(UPLOAD).content.decode()
    assert f"At most 2 MB and {CSV_MAX_ROWS:,} partnerships" in page
    too_many = HEADER + NEW * (CSV_MAX_ROWS + 1)
    response = preview(admin_client, too_many)
    html = response.content.decode()
    assert 'id="id_file_error"' in html
    assert f"This file has {CSV_MAX_ROWS + 1:,} rows of partnerships" in text(html)

    too_big = HEADER + "x" * (2 * 1024 * 1024)
    assert "a partnerships CSV is at most 2 MB" in text(
        preview(admin_client, too_big).content.decode()
    )
    assert not Partnership.objects.filter(name=NEW_NAME).exists()


def test_a_very_long_cell_is_refused_by_its_column():
    row = NEW.replace("A shared legal team made for a test.", "x" * 10_001)
    result = partnerships_csv_preview(
        text=HEADER + row, name_lookup_rows=name_lookup_rows(data_dir=settings.DATA_DIR)
    )
    [plan] = result.plans
    assert plan.action == "refused"
    assert [(p.column, p.message) for p in plan.problems] == [
        ("description", "is 10,001 characters long; this column takes at most 10,000")
    ]


def test_the_preview_of_a_new_public_body_creates_no_body():
    row = (
        "Adur housing preview,Adur District Council; Adur Preview Homes,,Housing,Housing,"
        ",,,,operational,,\n"
    )
    before = counts()
    result = partnerships_csv_preview(
        text=HEADER + row, name_lookup_rows=name_lookup_rows(data_dir=settings.DATA_DIR)
    )
    [plan] = result.plans
    assert plan.action == "create"
    assert plan.members == ["Adur", "Adur Preview Homes, a new public body (Housing)"]
    assert counts() == before


def test_a_file_that_only_changes_partnerships_asks_no_publishing_choice(admin_client):
    hoople = Partnership.objects.get(name="Hoople Ltd")
    response = preview(admin_client, HEADER + HOOPLE, update_existing=True)
    assert 'name="publish"' not in response.content.decode()
    loaded = admin_client.post(UPLOAD, {"token": token_of(response)})
    assert loaded.status_code == 200
    hoople.refresh_from_db()
    assert hoople.description == "A new description."
    assert hoople.published


def test_a_later_upload_replaces_the_preview_waiting_before_it(admin_client):
    first = token_of(preview(admin_client, HEADER + NEW))
    second = token_of(preview(admin_client, HEADER + NEW.replace("Preview Legal", "Second")))
    assert admin_client.post(UPLOAD, {"token": first, "publish": "publish"}).status_code == 400
    assert not Partnership.objects.filter(name=NEW_NAME).exists()
    admin_client.post(UPLOAD, {"token": second, "publish": "publish"})
    assert Partnership.objects.filter(name="Adur and Surrey Second").exists()
