"""Every staff action page of match-making, the Expert Programme and the partnerships
CSV upload, and the change pages whose inlines are tables, point their inputs only at
hints and messages that are on the page: each id an `aria-describedby` names is an
element's id, before and after a refused POST."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchmaking.models import ExpertApplication, MatchSuggestion
from tests.matchmaking.factories import (
    ExpertApplicationFactory,
    FundingBudgetFactory,
    MatchRequestFactory,
    council,
)

pytestmark = pytest.mark.usefixtures("real_data")

UPLOAD = reverse("admin:partnerships_partnership_upload_csv")
HEADER = (
    "name,members,lead_member,category,partner_sectors,start_year,savings_text,"
    "savings_gbp_total,savings_period,status,description,source_url\n"
)
ROW = "Adur Hints Legal,Adur District Council; Worthing Borough Council,,Legal,,,,,,,,\n"


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for target in (attrs.get("aria-describedby") or "").split():
            self.described.append((attrs.get("name") or tag, target))


def dangling(response) -> list[tuple[str, str]]:
    """(input, id) for each aria-describedby naming an id not on the page."""
    parser = Ids()
    parser.feed(response.content.decode())
    return [(name, target) for name, target in parser.described if target not in parser.ids]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _request_pages():
    request = MatchRequestFactory(council=council("E07000223"))
    FundingBudgetFactory()
    MatchRequestFactory(council=request.council)  # a possible duplicate to merge into
    suggestion = MatchSuggestion.objects.create(
        match_request=request, council=council("E07000229"), score=10
    )

    def url(name):
        return reverse(f"admin:matchmaking_matchrequest_{name}", args=[request.pk])

    return [
        (url("close"), {"reason": ""}),
        (url("award"), {"expert_days": "1_000", "mediation_amount": "ten"}),
        (url("partnership"), {"partnership": "999999"}),
        (url("merge"), {"into": "999999"}),
        (reverse("admin:matchmaking_matchrequest_introduce", args=[suggestion.pk]), {}),
        (url("change"), None),
    ]


def _application_pages():
    application = ExpertApplicationFactory()
    awarded = ExpertApplicationFactory(
        status=ExpertApplication.Status.AWARDED, funding_budget=FundingBudgetFactory()
    )

    def url(obj, name):
        return reverse(f"admin:matchmaking_expertapplication_{name}", args=[obj.pk])

    return [
        (url(application, "award"), {"expert_name": "", "amount": "1e3", "reason": ""}),
        (url(application, "decline"), {"reason": ""}),
        (url(awarded, "complete"), {}),
        (url(application, "change"), None),
    ]


@pytest.mark.parametrize("pages", [_request_pages, _application_pages], ids=["request", "app"])
def test_each_match_making_action_page_describes_its_inputs_by_ids_on_the_page(staff_client, pages):
    for url, refused in pages():
        page = staff_client.get(url)
        assert page.status_code == 200, url
        assert dangling(page) == [], url
        if refused is not None:
            response = staff_client.post(url, refused)
            assert response.status_code in (200, 400), url
            assert dangling(response) == [], url


def test_the_csv_upload_pages_describe_their_inputs_by_ids_on_the_page(admin_client):
    page = admin_client.get(UPLOAD)
    assert 'aria-describedby="id_file_helptext"' in page.content.decode()
    assert dangling(page) == []

    refused = admin_client.post(
        UPLOAD, {"file": SimpleUploadedFile("p.csv", b"", content_type="text/csv")}
    )
    assert "id_file_error" in refused.content.decode()
    assert dangling(refused) == []

    preview = admin_client.post(
        UPLOAD,
        {"file": SimpleUploadedFile("p.csv", (HEADER + ROW).encode(), content_type="text/csv")},
    )
    assert dangling(preview) == []
    token = preview.context["form"]["token"].value()
    unchosen = admin_client.post(UPLOAD, {"token": token})
    assert "id_publish_error" in unchosen.content.decode()
    assert dangling(unchosen) == []


def test_the_change_pages_with_tabular_rows_describe_each_row_by_ids_on_the_page(admin_client):
    from partnerships.models import Partnership
    from tests.benefits.factories import figures_enter, tracker_for

    tracker, _token = tracker_for("adur-worthing")
    figures_enter(tracker)
    partnership = Partnership.objects.filter(
        snapshot__isnull=True, savings_records__isnull=False
    ).first()
    for url in [
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        reverse("admin:benefits_tracker_change", args=[tracker.pk]),
    ]:
        page = admin_client.get(url)
        assert page.status_code == 200
        assert dangling(page) == [], url
