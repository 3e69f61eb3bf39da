"""Whatever is typed or put in an address, the public pages answer with the page, a
message beside the field or a 400 that says what was wrong: never a server error, and
nothing written when the send is refused.

Property-based (hypothesis): arbitrary text, other scripts' digits, NUL, huge numbers,
very long strings and negative row counts go into every public form's fields and every
filter of the HTML pages. Few examples each, derandomized, so the run is repeatable and
quick; run it on PostgreSQL too (DATABASE_URL), where a NUL would break a query.
"""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benefits.models import BenefitRating, SetupCost, Tracker, TrackerYear
from core.ratelimit import rate_key
from matchmaking.models import ExpertApplication, MatchRequest
from partnerships.filters import PartnershipFilter
from partnerships.models import Council, Partnership, PublicBody, ServiceCategory
from submissions.models import ProposedChange, QuestionnaireItem
from tests.benefits.factories import tracker_for
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

ADUR, WORTHING = "E07000223", "E07000229"
HUGE = "9" * 5000  # past int()'s 4,300-digit limit
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".uk"  # 312 characters, valid form
NASTY = [
    "²",
    "٣",
    "١٩٩٠",
    "²⁰²⁴",
    "１２",
    "\x00",
    "2019\x00",
    "a\x00b",
    HUGE,
    "9" * 50,
    "-1",
    "-999999999",
    "999999999",
    "1e300",
    "1E5",
    "sNaN",
    "-sNaN",
    "NaN",
    "Infinity",
    "1_000",
    " 12 ",
    "x" * 5000,
    LONG_EMAIL,
    "\x1b[31mred",
    "\u202egnp.exe",
    "0x10",
    "🙂",
]
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=6),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
# A field's value, or several (a multiple choice).
hostile_value = st.one_of(hostile, st.lists(hostile, min_size=2, max_size=3))

FEW = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ALLOWANCE_SCOPES = (
    "proposal",
    "matchmaking-request",
    "matchmaking-application",
    "matchmaking-outcomes",
    "benefits-start",
)


def fresh_allowances() -> None:
    """The forms' hourly allowances start again, so refusals are about the input, not
    429s (only the test client's keys: a shared Redis keeps everyone else's)."""
    for scope in ALLOWANCE_SCOPES:
        cache.delete(rate_key(scope, "127.0.0.1"))


def text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(html))


def counts(*models) -> list[int]:
    return [model.objects.count() for model in models]


def post_hostile(client, url, valid: dict, field: str, value, *tables):
    """POST the valid form with one field replaced; never a 500, and when refused
    (anything but a redirect onwards) no new row in `tables`."""
    fresh_allowances()
    before = counts(*tables)
    response = client.post(url, {**valid, field: value})
    assert response.status_code < 500
    if response.status_code != 302:
        # 409: a questionnaire answer saved from an older copy of the page.
        assert response.status_code in (200, 400, 409, 429), response.status_code
        assert counts(*tables) == before
    return response


# --- Filters on the HTML pages --------------------------------------------------------

FILTER_PAGES = ["/", "/partnerships/", "/councils/", "/figures/"]
OTHER_FILTERED = [
    f"/councils/{ADUR}/panel/",
    "/partnerships/download.csv",
    "/partnerships/download.xlsx",
    "/savings/download.csv",
    "/figures/by-region.csv",
    "/map/councils.geojson",
]
FILTERS = list(PartnershipFilter.base_filters)
MAP_PARAMETERS = ["selected", "partnership", "layer", "detail", "bbox"]
# The council list's own: its order and which councils it lists.
COUNCIL_LIST_PARAMETERS = ["order", "show"]


@FEW
@given(
    path=st.sampled_from(FILTER_PAGES + OTHER_FILTERED),
    params=st.dictionaries(
        st.sampled_from(FILTERS + MAP_PARAMETERS + COUNCIL_LIST_PARAMETERS),
        hostile_value,
        min_size=1,
        max_size=3,
    ),
)
def test_no_filter_value_gives_a_server_error(client, path, params):
    response = client.get(path, params)
    allowed = {200, 400}
    if path == "/map/councils.geojson" and "partnership" in params:
        allowed.add(404)  # the layer of a partnership that is not published
    assert response.status_code in allowed, (path, params, response.status_code)
    if response.status_code == 400:
        assert "could not" in text(response).lower() or "must be" in text(response)


# Every value in NASTY is wrong for these: none is a year, a choice or a sort.
CHECKED_FILTERS = [name for name in FILTERS if name not in ("q", "council")]


@pytest.mark.parametrize("path", FILTER_PAGES)
@pytest.mark.parametrize("name", CHECKED_FILTERS)
def test_a_wrong_filter_is_explained_never_silently_dropped(client, path, name):
    for value in ("²", "٣", HUGE, "1e300", "sNaN", "-1", "1_000", "\x1b"):
        response = client.get(path, {name: value})
        assert response.status_code == 200, (name, value)
        assert "There is a problem with the filters" in text(response), (path, name, value)


@pytest.mark.parametrize("name", COUNCIL_LIST_PARAMETERS)
def test_a_wrong_order_or_choice_of_councils_is_explained_beside_its_field(client, name):
    for value in ("²", HUGE, "-", "--name", "name ", "\x1b"):
        response = client.get("/councils/", {name: value})
        assert response.status_code == 200, (name, value)
        assert "There is a problem with the filters" in text(response), (name, value)


@pytest.mark.parametrize("path", FILTER_PAGES)
@pytest.mark.parametrize("name", ["q", "council"])
def test_search_text_with_control_characters_or_too_long_is_explained(client, path, name):
    for value in ("a\x1bb", "x" * 5000):
        page = text(client.get(path, {name: value}))
        assert "There is a problem with the filters" in page, (path, name, value)
    assert "control character" in text(client.get(path, {name: "a\x1bb"}))


@pytest.mark.parametrize("value", ["²⁰¹⁹", "2019.5", HUGE, "1e3"])
def test_a_download_with_a_wrong_year_is_a_400_that_names_the_filter(client, value):
    for path in ("/partnerships/download.csv", "/partnerships/download.xlsx"):
        response = client.get(path, {"year": value})
        assert response.status_code == 400
        assert "As at financial year" in response.content.decode()


def test_a_wrong_map_choice_or_panel_filter_is_a_400_page_saying_what(client):
    response = client.get("/", {"partnership": "<script>"})
    assert response.status_code == 400
    assert "“partnership” in the address" in text(response)
    response = client.get(f"/councils/{ADUR}/panel/", {"year": "²"})
    assert response.status_code == 400
    assert "As at financial year" in text(response)
    layer = client.get("/map/councils.geojson", {"bbox": "nan,1e999,٣,0"})
    assert layer.status_code == 400
    assert "bbox must be" in layer.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/?q=a%00b",
        "/partnerships/?council=%00",
        "/figures/?year=2019%00",
        "/partnerships/download.csv?region=%00",
        f"/councils/{ADUR}%00/",
        "/partnerships/orbis%00/",
        "/refresh/q/abc%00def/",
        "/benefits/t/%00/figures/",
        "/matchmaking/requests/%00/",
    ],
)
def test_a_nul_in_the_address_is_a_400_page_before_any_query(client, address):
    path, _, query = address.partition("?")
    with _no_queries():
        response = client.get(path.replace("%00", "\x00"), QUERY_STRING=query)
    assert response.status_code == 400
    assert "NUL character" in text(response)
    assert "Shared Services Map" in text(response)  # the site's own page, not a bare 400


class _no_queries:
    """No database query runs inside the block (the NUL is refused before any)."""

    def __enter__(self):
        from django.db import connection

        self._connection = connection
        self._before = len(connection.queries_log)
        self._force = connection.force_debug_cursor
        connection.force_debug_cursor = True
        return self

    def __exit__(self, *exc):
        self._connection.force_debug_cursor = self._force
        if exc[0] is None:
            ran = list(self._connection.queries_log)[self._before :]
            assert not ran, ran
        return False


# --- Public forms ---------------------------------------------------------------------


def proposal_data() -> dict:
    return {
        "council": str(Council.objects.get(gss_code=ADUR).pk),
        "name": "Pat Officer",
        "email": "pat@adur.gov.uk",
        "partnership_name": "Shared estates team",
        "description": "One estates team for the councils' buildings.",
        "councils": [str(Council.objects.get(gss_code=WORTHING).pk)],
        "public_bodies": [str(PublicBody.objects.order_by("name").first().pk)],
        "other_partners": "Sussex Community Land Trust",
        "categories": [str(ServiceCategory.objects.order_by("pk").first().pk)],
        "start_year": "2023",
        "website": "",
    }


PROPOSAL_FIELDS = [
    "council",
    "name",
    "email",
    "partnership_name",
    "description",
    "councils",
    "public_bodies",
    "other_partners",
    "categories",
    "start_year",
]


@FEW
@given(field=st.sampled_from(PROPOSAL_FIELDS), value=hostile_value)
def test_the_proposal_form_never_fails_and_writes_nothing_when_refused(client, field, value):
    valid = proposal_data()
    post_hostile(client, reverse("submissions:proposal-new"), valid, field, value, ProposedChange)


def match_request_data() -> dict:
    return {
        "council": str(Council.objects.get(gss_code=ADUR).pk),
        "requester_name": "Jo Requester",
        "requester_role": "Head of Building Control",
        "requester_email": "jo@adur-worthing.gov.uk",
        "categories": [str(ServiceCategory.objects.get(slug="building-control").pk)],
        "reach": "county",
        "council_types": ["district"],
        "description": "Our team is too small to cover leave.",
        "funding_wanted": "both",
        "expert_days_requested": "12.5",
        "mediation_requested": "5000",
        "website": "",
    }


MATCH_FIELDS = [
    "council",
    "requester_name",
    "requester_role",
    "requester_email",
    "categories",
    "reach",
    "council_types",
    "description",
    "funding_wanted",
    "expert_days_requested",
    "mediation_requested",
]


@FEW
@given(field=st.sampled_from(MATCH_FIELDS), value=hostile_value)
def test_the_match_making_form_never_fails_and_writes_nothing_when_refused(client, field, value):
    post_hostile(
        client,
        reverse("matchmaking:request-new"),
        match_request_data(),
        field,
        value,
        MatchRequest,
    )


def application_data() -> dict:
    partnership = Partnership.objects.get(slug="adur-worthing")
    return {
        "partnership": str(partnership.pk),
        "council": str(partnership.council_memberships.first().council_id),
        "applicant_name": "Sam",
        "applicant_role": "Manager",
        "applicant_email": "sam@council.gov.uk",
        "improvement": "One system",
        "expertise_needed": "Systems",
        "funding_requested": "15000",
        "outcomes_expected": "Savings",
        "website": "",
    }


APPLICATION_FIELDS = [
    "partnership",
    "council",
    "applicant_name",
    "applicant_role",
    "applicant_email",
    "improvement",
    "expertise_needed",
    "funding_requested",
    "outcomes_expected",
]


@FEW
@given(field=st.sampled_from(APPLICATION_FIELDS), value=hostile_value)
def test_the_expert_programme_form_never_fails_and_writes_nothing_when_refused(
    client, field, value
):
    post_hostile(
        client,
        reverse("matchmaking:application-new"),
        application_data(),
        field,
        value,
        ExpertApplication,
    )


@FEW
@given(
    field=st.sampled_from(["partnership", "first_year", "first_year_months", "creator_name"])
    | st.sampled_from(["creator_email", "for_what", "name", "category", "councils"]),
    value=hostile_value,
)
def test_the_tracker_start_form_never_fails_and_writes_nothing_when_refused(client, field, value):
    partnership = Partnership.objects.get(slug="adur-worthing")
    valid = {
        "for_what": "published",
        "partnership": str(partnership.pk),
        "first_year": "2024",
        "first_year_months": "12",
        "creator_name": "Jo Bloggs",
        "creator_email": "jo.bloggs@adur-worthing.gov.uk",
        "website": "",
    }
    post_hostile(client, reverse("benefits:start"), valid, field, value, Tracker)


def test_an_email_of_255_to_320_characters_is_refused_beside_the_field(client):
    fresh_allowances()
    response = client.post(
        reverse("submissions:proposal-new"), {**proposal_data(), "email": LONG_EMAIL}
    )
    assert response.status_code in (200, 400)
    assert "at most 254 characters" in text(response)
    assert not ProposedChange.objects.exists()


def figures_data(tracker: Tracker) -> dict:
    partners = list(tracker.partners.all())
    data = {
        "action": "save",
        "first_year": "2024",
        "first_year_months": "12",
        "share_method": "baseline",
        "partners-TOTAL_FORMS": str(len(partners)),
        "partners-INITIAL_FORMS": str(len(partners)),
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-0-kind": "redundancy",
        "costs-0-year": "2024",
        "costs-0-amount": "£150,000",
        "years-TOTAL_FORMS": "1",
        "years-INITIAL_FORMS": "0",
        "years-0-year": "2024",
        "years-0-staff": "100,000",
        "years-0-achieved": "achieved",
        "ratings-TOTAL_FORMS": "4",
        "ratings-INITIAL_FORMS": "4",
    }
    for i, partner in enumerate(partners):
        data[f"partners-{i}-partner_id"] = str(partner.pk)
        data[f"partners-{i}-baseline_cost"] = "500000"
        data[f"partners-{i}-baseline_fte"] = "12.5"
        data[f"partners-{i}-agreed_share"] = ""
    for i, aspect in enumerate(["resilience", "performance", "staff", "other"]):
        data[f"ratings-{i}-aspect"] = aspect
        data[f"ratings-{i}-rating"] = "4"
        data[f"ratings-{i}-notes"] = ""
    return data


FIGURES_FIELDS = [
    "action",
    "first_year",
    "first_year_months",
    "share_method",
    "partners-TOTAL_FORMS",
    "partners-INITIAL_FORMS",
    "partners-0-partner_id",
    "partners-0-baseline_cost",
    "partners-1-baseline_fte",
    "partners-0-agreed_share",
    "costs-TOTAL_FORMS",
    "costs-0-kind",
    "costs-0-year",
    "costs-0-amount",
    "costs-0-description",
    "years-TOTAL_FORMS",
    "years-INITIAL_FORMS",
    "years-0-year",
    "years-0-staff",
    "years-0-running_costs",
    "ratings-TOTAL_FORMS",
    "ratings-0-rating",
    "ratings-0-aspect",
    "ratings-0-notes",
]
ROW_COUNTS = st.sampled_from(["-1", "-999", "999999999", HUGE, "²", "٣", "1e3", ""])


@pytest.fixture
def tracker_link():
    tracker, token = tracker_for("adur-worthing")
    return tracker, reverse("benefits:tracker-figures", args=[token])


@FEW
@given(
    field=st.sampled_from(FIGURES_FIELDS),
    value=hostile_value,
    action=st.sampled_from(["save", "add-year", "add-cost"]),
)
def test_the_figures_form_never_fails_and_saves_nothing_when_refused(
    client, tracker_link, field, value, action
):
    tracker, url = tracker_link
    valid = {**figures_data(tracker), "action": action}
    post_hostile(client, url, valid, field, value, TrackerYear, SetupCost, BenefitRating)


@FEW
@given(
    prefix=st.sampled_from(["years", "costs", "partners", "ratings"]),
    count=ROW_COUNTS,
    action=st.sampled_from(["save", "add-year", "add-cost"]),
)
def test_a_row_count_out_of_bounds_is_refused_at_once_with_a_message(
    client, tracker_link, prefix, count, action
):
    tracker, url = tracker_link
    valid = {**figures_data(tracker), "action": action}
    response = post_hostile(
        client, url, valid, f"{prefix}-TOTAL_FORMS", count, TrackerYear, SetupCost
    )
    assert response.status_code in (200, 400)
    # Never thousands of rows drawn: only the rows the tracker has, and a new one.
    assert response.content.decode().count('name="years-') < 12 * 3
    refused = response.status_code != 302
    about_this_part = action == "save" or action == {"years": "add-year", "costs": "add-cost"}.get(
        prefix
    )
    if refused and about_this_part and count not in ("1e3",):
        assert "row" in text(response).lower(), text(response)[:2000]


def test_a_huge_year_count_is_answered_quickly_with_a_message(client, tracker_link):
    tracker, url = tracker_link
    data = {**figures_data(tracker), "years-TOTAL_FORMS": "999999999"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "takes at most" in text(response)
    assert response.content.decode().count('name="years-') < 100 * 12
    assert not TrackerYear.objects.filter(tracker=tracker).exists()
    negative = client.post(url, {**figures_data(tracker), "years-TOTAL_FORMS": "-1"})
    assert negative.status_code == 200
    assert "negative number of rows" in text(negative)
    assert not TrackerYear.objects.filter(tracker=tracker).exists()
    added = client.post(url, {**data, "action": "add-year"})
    assert added.status_code == 400
    assert "No year row was added" in text(added)


# --- The questionnaire (reached through its secret link) --------------------------------


def item_data(item) -> dict:
    prefix = f"item{item.pk}-"
    data = {
        "answer": "updated",
        "description": item.description or "What is shared.",
        "status": item.status,
        "categories": [str(c.pk) for c in item.categories.all()],
        "councils": [str(c.pk) for c in item.councils.all()],
        "public_bodies": [str(b.pk) for b in item.public_bodies.all()],
        "other_partners": "",
        "savings_amount": "125000",
        "savings_kind": "achieved",
        "savings_cashable": "yes",
        "savings_recurrence": "unknown",
        "no_savings_reason": "",
        "no_savings_reason_other": "",
        "comment": "",
        "end_year": "",
        "your_name": "Jo Bloggs",
        "version": str(item.version),
    }
    return {prefix + name: value for name, value in data.items()}


@FEW
@given(
    field=st.sampled_from(
        [
            "answer",
            "description",
            "status",
            "categories",
            "councils",
            "public_bodies",
            "other_partners",
            "savings_amount",
            "savings_kind",
            "savings_cashable",
            "savings_recurrence",
            "no_savings_reason",
            "no_savings_reason_other",
            "comment",
            "end_year",
            "your_name",
            "version",
        ]
    ),
    value=hostile_value,
)
def test_a_questionnaire_answer_never_fails_and_changes_nothing_when_refused(
    client, adur, adur_token, field, value
):
    item = adur.items.exclude(partnership=None).order_by("pk").first()
    url = f"/refresh/q/{adur_token}/items/{item.pk}/"
    item.refresh_from_db()
    version = item.version
    response = post_hostile(
        client, url, item_data(item), f"item{item.pk}-{field}", value, QuestionnaireItem
    )
    if response.status_code != 302:
        item.refresh_from_db()
        assert item.version == version


@FEW
@given(
    field=st.sampled_from(
        ["name", "description", "status", "start_year", "categories", "councils"]
        + ["public_bodies", "other_partners", "savings_amount", "your_name"]
    ),
    value=hostile_value,
)
def test_a_new_collaboration_never_fails_and_adds_nothing_when_refused(
    client, adur, adur_token, field, value
):
    valid = {
        "new-name": "Joint community safety team",
        "new-description": "Home fire safety visits.",
        "new-status": "operational",
        "new-start_year": "2024",
        "new-categories": [str(ServiceCategory.objects.get(slug="legal").pk)],
        "new-councils": [str(adur.council_id)],
        "new-public_bodies": [],
        "new-other_partners": "Shoreham Port Authority",
        "new-savings_amount": "",
        "new-savings_recurrence": "unknown",
        "new-no_savings_reason": "not_yet_known",
        "new-your_name": "Jo Bloggs",
    }
    post_hostile(
        client, f"/refresh/q/{adur_token}/new/", valid, f"new-{field}", value, QuestionnaireItem
    )


@FEW
@given(field=st.sampled_from(["name", "email", "version"]), value=hostile_value)
def test_the_submit_form_never_fails(client, adur, adur_token, field, value):
    valid = {"name": "Jo", "email": "jo@adur.gov.uk", "version": "1"}
    post_hostile(client, f"/refresh/q/{adur_token}/submit/", valid, field, value)
