"""The admin, as the LGA's staff use it: finding and editing councils and partnerships,
publishing them in bulk, and loading partnerships from a CSV file."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import (
    Council,
    DataLoad,
    Partnership,
    PartnershipCouncil,
    PublicBody,
    Region,
    SavingsRecord,
    ServiceCategory,
)
from tests.partnerships.admin_posts import partnership_post, rows
from tests.partnerships.factories import SavingsRecordFactory, grow_data, partnership_with_members

pytestmark = pytest.mark.usefixtures("real_data")

ADUR, WORTHING, SURREY = "E07000223", "E07000229", "E10000030"
MODELS = [Region, PublicBody, Council, ServiceCategory, Partnership, SavingsRecord, DataLoad]
UPLOAD = reverse("admin:partnerships_partnership_upload_csv")
PARTNERSHIPS = reverse("admin:partnerships_partnership_changelist")
ADD_PARTNERSHIP = reverse("admin:partnerships_partnership_add")
CSV_HEADER = (
    "name,members,lead_member,category,partner_sectors,start_year,savings_text,"
    "savings_gbp_total,savings_period,status,description,source_url\n"
)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:partnerships_{model._meta.model_name}_{view}", args=args)


def text(html: str) -> str:
    """The page as a reader sees it: tags gone, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def council(gss_code: str) -> Council:
    return Council.objects.get(gss_code=gss_code)


def public_count(client) -> int:
    """How many partnerships the public list shows."""
    html = client.get(reverse("partnerships:partnership-list")).content.decode()
    return int(re.search(r'<h2 id="results-heading">(\d+) partnership', html).group(1))


@pytest.fixture
def staff_client(client):
    """A member of staff who may log in to the admin but has no permissions."""
    user = User.objects.create_user("staff", "staff@example.org", "x", is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def grant(user: User, *codenames: str) -> None:
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


# --- Who may use the admin -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        PARTNERSHIPS,
        ADD_PARTNERSHIP,
        UPLOAD,
        reverse("admin:partnerships_council_changelist"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.post(UPLOAD, {}).status_code == 302


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_without_permissions_are_refused_every_list(staff_client, model):
    assert staff_client.get(admin_url(model, "changelist")).status_code == 403


def test_staff_without_permissions_cannot_upload_or_publish(staff_client):
    partnership = Partnership.objects.first()
    assert staff_client.get(UPLOAD).status_code == 403
    csv_file = SimpleUploadedFile("p.csv", CSV_HEADER.encode())
    assert staff_client.post(UPLOAD, {"file": csv_file}).status_code == 403
    response = staff_client.post(
        PARTNERSHIPS, {"action": "unpublish", "_selected_action": [partnership.pk]}
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.published


def test_staff_who_may_only_view_partnerships_see_no_upload(staff_client):
    grant(staff_client.user, "view_partnership")
    page = staff_client.get(PARTNERSHIPS)
    assert page.status_code == 200
    assert UPLOAD not in page.content.decode()
    assert staff_client.get(UPLOAD).status_code == 403


def test_staff_who_may_add_partnerships_can_upload(staff_client):
    grant(staff_client.user, "view_partnership", "add_partnership")
    assert UPLOAD in staff_client.get(PARTNERSHIPS).content.decode()
    assert staff_client.get(UPLOAD).status_code == 200


def test_staff_who_may_edit_partnerships_also_edit_their_members(staff_client):
    grant(staff_client.user, "view_partnership", "change_partnership")
    partnership = Partnership.objects.get(name="Hoople Ltd")
    page = staff_client.get(admin_url(Partnership, "change", partnership.pk)).content.decode()
    assert 'name="council_memberships-TOTAL_FORMS"' in page
    assert 'name="body_memberships-TOTAL_FORMS"' in page
    assert 'name="savings_records-TOTAL_FORMS"' in page


# --- Every page loads ----------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_list_and_change_page_loads_for_a_superuser(admin_client, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"no real {model.__name__} to open"
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert str(obj).split(" (")[0] in unescape(response.content.decode())


@pytest.mark.parametrize("model", [m for m in MODELS if m is not DataLoad], ids=str)
def test_every_add_page_loads(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


def test_data_loads_are_read_only(admin_client):
    load = DataLoad.objects.first()
    assert admin_client.get(admin_url(DataLoad, "add")).status_code == 403
    page = admin_client.get(admin_url(DataLoad, "change", load.pk)).content.decode()
    assert 'type="submit" value="Save"' not in page
    assert (
        admin_client.post(admin_url(DataLoad, "delete", load.pk), {"post": "yes"}).status_code
        == 403
    )
    assert DataLoad.objects.filter(pk=load.pk).exists()


def test_list_filters_work(admin_client):
    counties = admin_client.get(
        admin_url(Council, "changelist"),
        {"council_type__exact": "county", "current__exact": "1"},
    )
    assert (
        counties.context["cl"].result_count
        == Council.objects.filter(council_type="county", current=True).count()
    )
    london = Region.objects.get(name="London")
    in_london = admin_client.get(admin_url(Council, "changelist"), {"region__id__exact": london.pk})
    assert {c.region_id for c in in_london.context["cl"].result_list} == {london.pk}
    unpublished = admin_client.get(PARTNERSHIPS, {"published__exact": "0"})
    assert unpublished.context["cl"].result_count == 0
    for model in MODELS:
        response = admin_client.get(admin_url(model, "changelist"))
        assert response.context["cl"].has_filters, model


# --- Search --------------------------------------------------------------------------


def test_staff_find_a_partnership_by_its_name_or_a_member(admin_client):
    by_name = admin_client.get(PARTNERSHIPS, {"q": "Hoople"})
    assert [p.name for p in by_name.context["cl"].result_list] == ["Hoople Ltd"]
    by_member = admin_client.get(PARTNERSHIPS, {"q": "Wye Valley"})
    assert "Hoople Ltd" in [p.name for p in by_member.context["cl"].result_list]
    worthing = admin_client.get(PARTNERSHIPS, {"q": "Worthing"})
    names = [p.name for p in worthing.context["cl"].result_list]
    assert "Adur and Worthing Councils partnership" in names
    assert len(names) == len(set(names)), "a partnership is listed once however many matches"


def test_staff_find_councils_bodies_and_regions(admin_client):
    found = admin_client.get(admin_url(Council, "changelist"), {"q": "Worthing"})
    assert council(WORTHING) in found.context["cl"].result_list
    assert "Adur" not in [c.short_name for c in found.context["cl"].result_list]
    by_code = admin_client.get(admin_url(Council, "changelist"), {"q": ADUR})
    assert list(by_code.context["cl"].result_list) == [council(ADUR)]
    regions = admin_client.get(admin_url(Region, "changelist"), {"q": "London"})
    assert [r.name for r in regions.context["cl"].result_list] == ["London"]
    bodies = admin_client.get(admin_url(PublicBody, "changelist"), {"q": "Surrey"})
    assert bodies.context["cl"].result_count >= 1
    assert all("Surrey" in b.name for b in bodies.context["cl"].result_list)


def test_council_autocomplete_serves_the_member_inline(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Worthing",
            "app_label": "partnerships",
            "model_name": "partnershipcouncil",
            "field_name": "council",
        },
    )
    assert response.status_code == 200
    assert str(council(WORTHING).pk) in [r["id"] for r in response.json()["results"]]


# --- Query counts --------------------------------------------------------------------


@pytest.mark.parametrize(
    # Session, user, filter choices, two counts, the rows and their prefetches.
    "model, queries",
    [(Partnership, 8), (Council, 6), (SavingsRecord, 6), (PublicBody, 5)],
    ids=lambda m: getattr(m, "__name__", ""),
)
def test_list_pages_cost_the_same_queries_with_ten_times_the_data(
    admin_client, django_assert_max_num_queries, model, queries
):
    url = admin_url(model, "changelist")
    with django_assert_max_num_queries(queries):
        assert admin_client.get(url).status_code == 200
    grow_data(10)
    with django_assert_max_num_queries(queries):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) > 50


# --- Publishing ----------------------------------------------------------------------


def publish_action(client, action: str, partnerships):
    return client.post(
        PARTNERSHIPS,
        {"action": action, "_selected_action": [p.pk for p in partnerships]},
        follow=True,
    )


def messages_text(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_unpublishing_takes_partnerships_off_the_public_site(admin_client, client):
    chosen = list(Partnership.objects.filter(status="operational").order_by("pk")[:3])
    before = public_count(client)
    response = publish_action(admin_client, "unpublish", chosen)
    assert "3 partnerships unpublished." in messages_text(response)
    assert not Partnership.objects.filter(pk__in=[p.pk for p in chosen], published=True).exists()
    assert public_count(client) == before - 3
    detail = reverse("partnerships:partnership-detail", args=[chosen[0].slug])
    assert client.get(detail).status_code == 404


def test_publishing_puts_them_back_and_counts_only_changes(admin_client, client):
    chosen = list(Partnership.objects.filter(status="operational").order_by("pk")[:3])
    before = public_count(client)
    publish_action(admin_client, "unpublish", chosen[:2])
    response = publish_action(admin_client, "publish", chosen)
    assert "2 partnerships published. 1 was already published." in messages_text(response)
    assert Partnership.objects.filter(pk__in=[p.pk for p in chosen], published=True).count() == 3
    assert public_count(client) == before


def test_bulk_publish_leaves_a_history_entry_that_names_the_partnership(admin_client):
    chosen = Partnership.objects.filter(status="operational").order_by("pk").first()
    publish_action(admin_client, "unpublish", [chosen])
    publish_action(admin_client, "publish", [chosen])
    latest, unpublished = list(chosen.history.all()[:2])
    assert (latest.published, unpublished.published) == (True, False)
    assert latest.history_user.username == "admin"
    assert latest.history_change_reason == "Published"
    page = admin_client.get(admin_url(Partnership, "history", chosen.pk))
    assert chosen.name in text(page.content.decode())
    assert "Published" in text(page.content.decode())


# --- The CSV upload ------------------------------------------------------------------


def upload(
    client,
    content: str | bytes,
    *,
    update_existing: bool = False,
    name="new.csv",
    publish: str | None = "publish",
):
    """Upload a file and, when its preview has something to load, confirm it (unless
    `publish` is None): the page staff then see."""
    data = content.encode() if isinstance(content, str) else content
    form = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if update_existing:
        form["update_existing"] = "on"
    preview = client.post(UPLOAD, form)
    if (
        publish is None
        or not preview.context.get("preview")
        or not preview.context["preview"].writes
    ):
        return preview
    token = preview.context["form"]["token"].value()
    return client.post(UPLOAD, {"token": token, "publish": publish})


GOOD_ROW = (
    "Adur and Surrey Test Legal Service,Adur District Council; Surrey County Council,"
    "Surrey County Council,Legal,,2021,£50k a year,50000,2022/23,operational,"
    "A shared legal team made for a test.,https://example.org/legal\n"
)
BAD_ROW = (
    "Nowhere Shared Revenues,Adur District Council; Nowhere Borough Council,,"
    "Revenues and benefits,,2020,,,,operational,Not real.,\n"
)


def test_uploading_a_csv_creates_new_partnerships_and_reports_bad_rows(admin_client):
    response = upload(admin_client, CSV_HEADER + GOOD_ROW + BAD_ROW)
    assert response.status_code == 200
    new = Partnership.objects.get(name="Adur and Surrey Test Legal Service")
    assert set(new.councils.all()) == {council(ADUR), council(SURREY)}
    assert new.council_memberships.get(is_lead=True).council == council(SURREY)
    assert new.achieved_savings_total == 50000
    assert not Partnership.objects.filter(name="Nowhere Shared Revenues").exists()

    page = text(response.content.decode())
    assert "Partnerships 1 0 0" in page  # created, updated, unchanged
    assert "1 problem kept rows from being loaded; those rows were not saved" in page
    assert (
        "3 members Nowhere Borough Council “Nowhere Borough Council” is not a known council "
        "or public body" in page
    )


def test_a_csv_upload_leaves_history_for_the_partnership_its_members_and_savings(
    admin_client,
):
    upload(admin_client, CSV_HEADER + GOOD_ROW)
    new = Partnership.objects.get(name="Adur and Surrey Test Legal Service")
    assert new.history.filter(history_type="+").exists()
    assert PartnershipCouncil.history.filter(partnership_id=new.pk).count() >= 2
    assert SavingsRecord.history.filter(partnership_id=new.pk, history_type="+").exists()


def test_an_upload_leaves_existing_partnerships_alone_unless_asked(admin_client):
    hoople = Partnership.objects.get(name="Hoople Ltd")
    row = (
        "Hoople Ltd,Herefordshire Council; Wye Valley NHS Trust,Herefordshire Council,"
        "HR and payroll,Health,2011,,,,operational,A new description.,https://example.org\n"
    )
    left_alone = upload(admin_client, CSV_HEADER + row)
    assert "Already here, left as they are 1" in text(left_alone.content.decode())
    assert "there is nothing to confirm" in text(left_alone.content.decode())
    hoople.refresh_from_db()
    assert hoople.description != "A new description."

    updated = upload(admin_client, CSV_HEADER + row, update_existing=True)
    assert "Partnerships 0 1 0" in text(updated.content.decode())
    hoople.refresh_from_db()
    assert hoople.description == "A new description."


@pytest.mark.parametrize(
    "content, message",
    [
        ("\ufeffname,members\nA,B\n".encode("utf-16"), "not UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\x85", "not UTF-8"),
        (b"", "empty"),
        ("name,members\nA,B; C\n", "These are missing: lead_member, category"),
        ('{"name": "not a csv"}\n', "These are missing: name, members"),
        (CSV_HEADER, "no partnerships"),
    ],
    ids=["utf-16", "xlsx", "empty", "missing-columns", "json", "header-only"],
)
def test_a_file_that_is_not_a_partnerships_csv_is_refused_clearly(admin_client, content, message):
    before = Partnership.objects.count()
    response = upload(admin_client, content)
    assert response.status_code == 200
    assert message in text(response.content.decode())
    assert "What the upload did" not in response.content.decode()
    assert Partnership.objects.count() == before


def test_the_partnership_list_links_to_the_upload(admin_client):
    assert f'href="{UPLOAD}"' in admin_client.get(PARTNERSHIPS).content.decode()


# --- Editing a partnership -----------------------------------------------------------


TOO_FEW = "A partnership needs at least two members"


def test_a_partnership_is_added_with_its_members_and_savings(admin_client):
    body = PublicBody.objects.filter(kind="fire_rescue_authority").first()
    data = partnership_post(
        councils=[council(ADUR), council(WORTHING)],
        bodies=[body],
        savings=[
            {"start_year": "2021", "end_year": "2021", "amount": "1000"},
            {"start_year": "2022", "end_year": "2023", "amount": "2500.50"},
        ],
    )
    data["council_memberships-1-is_lead"] = "on"
    response = admin_client.post(ADD_PARTNERSHIP, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    new = Partnership.objects.get(slug="test-shared-legal-team")
    assert set(new.councils.all()) == {council(ADUR), council(WORTHING)}
    assert list(new.public_bodies.all()) == [body]
    assert new.council_memberships.get(is_lead=True).council == council(WORTHING)
    assert new.achieved_savings_total == 3500.50


def test_a_partnership_with_one_member_is_refused_and_nothing_saved(admin_client):
    before = Partnership.objects.count(), PartnershipCouncil.objects.count()
    response = admin_client.post(ADD_PARTNERSHIP, partnership_post(councils=[council(ADUR)]))
    assert response.status_code == 200
    assert TOO_FEW in text(response.content.decode())
    assert (Partnership.objects.count(), PartnershipCouncil.objects.count()) == before
    assert not Partnership.objects.filter(slug="test-shared-legal-team").exists()


def test_one_council_and_one_public_body_are_enough(admin_client):
    body = PublicBody.objects.filter(kind="police_force_area").first()
    response = admin_client.post(
        ADD_PARTNERSHIP, partnership_post(councils=[council(ADUR)], bodies=[body])
    )
    assert response.status_code == 302
    assert Partnership.objects.filter(slug="test-shared-legal-team").exists()


def test_removing_a_member_below_two_is_refused(admin_client):
    partnership = partnership_with_members(council(ADUR), council(WORTHING))
    memberships = list(partnership.council_memberships.order_by("pk"))
    data = partnership_post(name=partnership.name, slug=partnership.slug)
    data |= rows(
        "council_memberships",
        [{"id": m.pk, "partnership": partnership.pk, "council": m.council_id} for m in memberships],
        initial=2,
    )
    data["council_memberships-1-DELETE"] = "on"
    response = admin_client.post(admin_url(Partnership, "change", partnership.pk), data)
    assert response.status_code == 200
    assert TOO_FEW in text(response.content.decode())
    assert partnership.council_memberships.count() == 2


def test_a_negative_savings_amount_is_refused(admin_client):
    data = partnership_post(
        councils=[council(ADUR), council(WORTHING)],
        savings=[{"start_year": "2021", "end_year": "2021", "amount": "-500"}],
    )
    response = admin_client.post(ADD_PARTNERSHIP, data)
    assert response.status_code == 200
    assert "greater than or equal to 0" in text(response.content.decode())
    assert not Partnership.objects.filter(slug="test-shared-legal-team").exists()
    assert not SavingsRecord.objects.filter(amount__lt=0).exists()


def test_two_figures_of_one_kind_for_the_same_year_are_refused(admin_client):
    data = partnership_post(
        councils=[council(ADUR), council(WORTHING)],
        savings=[
            {"start_year": "2019", "end_year": "2021", "amount": "1000"},
            {"start_year": "2021", "end_year": "2021", "amount": "2000"},
        ],
    )
    response = admin_client.post(ADD_PARTNERSHIP, data)
    assert response.status_code == 200
    assert "Two achieved savings figures from the same source both cover 2021/22" in text(
        response.content.decode()
    )
    assert not Partnership.objects.filter(slug="test-shared-legal-team").exists()

    # An expected figure for the same year is a different kind, and allowed.
    data["savings_records-1-kind"] = "expected"
    assert admin_client.post(ADD_PARTNERSHIP, data).status_code == 302


def test_a_new_figure_overlapping_a_saved_one_is_refused(admin_client):
    partnership = partnership_with_members(council(ADUR), council(WORTHING))
    saved = SavingsRecordFactory(partnership=partnership, start_year=2018, end_year=2019)
    data = partnership_post(name=partnership.name, slug=partnership.slug)
    data |= rows(
        "council_memberships",
        [
            {"id": m.pk, "partnership": partnership.pk, "council": m.council_id}
            for m in partnership.council_memberships.all()
        ],
        initial=2,
    )
    data |= rows(
        "savings_records",
        [
            {
                "id": saved.pk,
                "partnership": partnership.pk,
                "kind": "achieved",
                "start_year": "2018",
                "end_year": "2019",
                "amount": "100000",
                "recurrence": "unknown",
                "cashable": "unknown",
                "origin": "staff",
                "evidence": "as_reported",
            },
            {
                "kind": "achieved",
                "start_year": "2019",
                "end_year": "2019",
                "amount": "5",
                "recurrence": "unknown",
                "cashable": "unknown",
                "origin": "staff",
                "evidence": "as_reported",
            },
        ],
        initial=1,
    )
    response = admin_client.post(admin_url(Partnership, "change", partnership.pk), data)
    assert response.status_code == 200
    assert "one source gives one figure of a kind for a year" in text(response.content.decode())
    assert partnership.savings_records.count() == 1

    # The same year's figure from another source stands beside it.
    data["savings_records-1-origin"] = "expert_programme"
    data["savings_records-1-origin_detail"] = "SSEP-2026-001"
    response = admin_client.post(admin_url(Partnership, "change", partnership.pk), data)
    assert response.status_code == 302
    assert partnership.savings_records.count() == 2


def test_the_partnership_page_shows_totals_and_marks_the_contact_private(admin_client):
    partnership = partnership_with_members(
        council(ADUR), council(WORTHING), contact_name="Jo Private"
    )
    SavingsRecordFactory(partnership=partnership, start_year=2018, end_year=2018, amount=1000)
    SavingsRecordFactory(partnership=partnership, start_year=2019, end_year=2019, amount=2500)
    SavingsRecordFactory(
        partnership=partnership, start_year=2020, end_year=2020, amount=9000, kind="expected"
    )
    page = text(admin_client.get(admin_url(Partnership, "change", partnership.pk)).content.decode())
    assert "achieved savings, all years: £3,500" in page.lower()
    assert "£2,500 in 2019/20" in page
    assert "expected savings, all years: £9,000" in page.lower()
    assert "Private contact (LGA staff only)" in page
    assert "Never shown on the public site" in page


# --- Councils ------------------------------------------------------------------------


def test_the_council_page_draws_its_boundary_and_lists_its_partnerships(admin_client, settings):
    adur = council(ADUR)
    partnership = Partnership.objects.get(name="Adur and Worthing Councils partnership")
    response = admin_client.get(admin_url(Council, "change", adur.pk))
    html = response.content.decode()

    geometry = re.search(
        r'<script id="council-boundary-geometry" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert geometry, "the boundary is on the page as JSON"
    assert json.loads(geometry[1]) == json.loads(adur.boundary)
    assert "leaflet/leaflet" in html and "leaflet.extras.js" in html
    assert 'id="council-boundary-map"' in html
    config = re.search(r'id="council-boundary-map" data-leaflet-config="([^"]*)"', html)
    assert config, "the map's settings are on the page as data, not as a script"
    assert json.loads(unescape(config[1])).get("TILES") == [], "no tiles without MAP_TILE_URL"

    change = admin_url(Partnership, "change", partnership.pk)
    assert f"<a href='{change}'>{partnership.name}</a>" in html


def test_a_council_without_a_boundary_has_no_map(admin_client):
    adur = council(ADUR)
    Council.objects.filter(pk=adur.pk).update(boundary="")
    html = admin_client.get(admin_url(Council, "change", adur.pk)).content.decode()
    assert "council-boundary-map" not in html
    assert "No boundary" in html
