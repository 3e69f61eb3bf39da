"""The public pages: asking for a match, following it through its secret link, applying
to the Expert Programme and reporting outcomes."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from matchmaking import services
from matchmaking.models import ExpertApplication, MatchRequest, MatchSuggestion
from matchmaking.views import RATE_LIMIT
from partnerships.models import ServiceCategory
from submissions.models import ProposedChange
from tests.matchmaking.factories import ExpertApplicationFactory, MatchRequestFactory, council
from tests.partnerships.factories import grow_data

pytestmark = pytest.mark.usefixtures("real_data")

START = reverse("matchmaking:start")
NEW = reverse("matchmaking:request-new")
APPLY = reverse("matchmaking:application-new")
PROGRAMME = reverse("matchmaking:programme")


def request_page(token: str) -> str:
    return reverse("matchmaking:request-page", args=[token])


def application_page(token: str) -> str:
    return reverse("matchmaking:application-page", args=[token])


def valid_request(**changes) -> dict:
    data = {
        "council": str(council("E07000223").pk),
        "requester_name": "Jo Requester",
        "requester_role": "Head of Building Control",
        "requester_email": "jo@adur-worthing.gov.uk",
        "categories": [str(ServiceCategory.objects.get(slug="building-control").pk)],
        "reach": "county",
        "council_types": ["district"],
        "description": "Our team is too small to cover leave.",
        "funding_wanted": "expert",
        "expert_days_requested": "12.5",
        "mediation_requested": "",
        "website": "",
    }
    data.update(changes)
    return data


def link_in(message) -> str:
    return re.search(r"https?://\S+/matchmaking/requests/[^/\s]+/", message.body).group(0)


def test_the_start_page_explains_the_service_and_links_to_the_form(client):
    response = client.get(START)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Find councils to share services with" in text
    assert NEW in text and PROGRAMME in text
    assert 'aria-current="page">Match-making</a>' in text


def test_a_council_officer_asks_for_a_match_and_confirms_it_by_the_emailed_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, valid_request())
    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("Check your email")
    request = MatchRequest.objects.get()
    assert request.status == MatchRequest.Status.NEW
    assert request.expert_days_requested == Decimal("12.5")
    assert request.council_types == ["district"]
    url = link_in(mail.outbox[0])

    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm my request" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    # Only the origin is ever sent on: the token never reaches a Referer header.
    assert page["Referrer-Policy"] == "strict-origin"
    client.post(url)
    request.refresh_from_db()
    assert request.status == MatchRequest.Status.EMAIL_CONFIRMED
    text = client.get(url).content.decode()
    assert "Email confirmed" in text and "Confirm my request" not in text


def test_a_bad_request_keeps_what_was_typed_and_says_what_is_wrong_beside_each_field(client):
    data = valid_request(
        requester_email="not-an-email",
        categories=[],
        funding_wanted="both",
        expert_days_requested="",
        mediation_requested="lots",
    )
    response = client.post(NEW, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    for message in (
        "Enter an email address like name@council.gov.uk.",
        "Choose at least one service to share.",
        "Say roughly how many days of an expert you need.",
        "Enter an amount in pounds, like 5000.",
    ):
        assert text.count(message) == 2  # in the summary, and beside the field
    # Everything typed is still there.
    assert 'value="not-an-email"' in text
    assert "Our team is too small to cover leave." in text
    assert 'value="lots"' in text
    assert re.search(r'value="district"[^>]*checked', text)
    # The input is described by its hint and its message (the one id convention,
    # Django's own: <id>_error).
    assert re.search(r'aria-describedby="[^"]*\bid_requester_email_error\b', text)
    assert 'id="id_requester_email_error"' in text
    assert not MatchRequest.objects.exists()


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_made(client):
    response = client.post(NEW, valid_request(website="http://spam.example"))
    assert response.status_code == 302
    assert not MatchRequest.objects.exists()
    assert not mail.outbox


def test_too_many_submissions_from_one_address_are_refused(client):
    # Forms sent back with errors do not count against a person correcting slips.
    for _ in range(RATE_LIMIT + 2):
        assert client.post(NEW, valid_request(requester_name="")).status_code == 400
    for n in range(RATE_LIMIT):
        email = f"officer{n}@adur-worthing.gov.uk"
        assert client.post(NEW, valid_request(requester_email=email)).status_code == 302
    response = client.post(NEW, valid_request())
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many forms sent" in text
    # The refusal is the form again, in the one error summary, with everything typed.
    assert 'id="error-summary"' in text
    assert 'value="Jo Requester"' in text
    assert "Our team is too small to cover leave." in text
    assert MatchRequest.objects.count() == RATE_LIMIT
    # Another address is not held up.
    assert client.post(NEW, valid_request(), REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.parametrize("token", ["wrong-token", "x" * 43, " "])
def test_a_wrong_token_is_not_found(client, token):
    MatchRequestFactory(token="the-right-token")
    assert client.get(request_page(token)).status_code == 404
    assert client.post(request_page(token)).status_code == 404
    assert client.get(application_page(token)).status_code == 404


def test_no_token_is_not_found(client):
    assert client.get("/matchmaking/requests/").status_code == 404
    assert client.get("/matchmaking/expert-programme/applications/").status_code == 404


def test_the_requester_sees_only_the_suggestions_staff_chose_to_share(client):
    request = MatchRequestFactory(token="secret-1", status=MatchRequest.Status.IN_DISCUSSION)
    MatchSuggestion.objects.create(
        match_request=request,
        council=council("E07000229"),
        shared_with_requester=True,
        reasons="Your neighbour, and also short of surveyors.",
        contact_name="Wyn Worthing",
        contact_email="wyn@worthing.gov.uk",
    )
    MatchSuggestion.objects.create(
        match_request=request, council=council("E07000224"), shared_with_requester=False
    )
    text = client.get(request_page("secret-1")).content.decode()
    assert "Worthing Borough Council" in text
    assert "Your neighbour, and also short of surveyors." in text
    assert "Arun" not in text
    # Nobody's personal details: not the partner's contact, not even the requester's own.
    for private in (
        "Wyn Worthing",
        "wyn@worthing.gov.uk",
        request.requester_name,
        request.requester_email,
    ):
        assert private not in text


def test_public_pages_show_no_personal_data(client):
    request = MatchRequestFactory(token="secret-2", requester_name="Priya Private")
    application = ExpertApplicationFactory(applicant_name="Pat Private")
    pages = [START, NEW, PROGRAMME, APPLY, request_page("secret-2")]
    pages += [request.council.get_absolute_url(), application.partnership.get_absolute_url()]
    for url in pages:
        text = client.get(url).content.decode()
        for private in (
            "Priya Private",
            request.requester_email,
            "Pat Private",
            application.applicant_email,
        ):
            assert private not in text, url


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (START, 0),
        (NEW, 2),  # the councils and the services to choose from
        (APPLY, 2),  # the partnerships and their member councils
        (request_page("secret-3"), 3),  # the request, its services, its shared suggestions
    ],
)
def test_public_pages_cost_the_same_queries_with_ten_times_the_data(
    client, django_assert_max_num_queries, url, queries
):
    from partnerships.models import Council

    request = MatchRequestFactory(token="secret-3")
    for code in ("E07000229", "E07000224"):
        MatchSuggestion.objects.create(
            match_request=request, council=council(code), shared_with_requester=True
        )
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200

    grow_data(10)
    others = Council.objects.filter(current=True, council_type="district").exclude(
        gss_code__in=("E07000229", "E07000224")
    )
    for other in others[:30]:
        MatchSuggestion.objects.create(
            match_request=request, council=other, shared_with_requester=True
        )
        MatchRequestFactory(council=other)
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


def test_an_application_from_a_council_outside_the_partnership_is_refused_beside_the_field(
    client,
):
    application = ExpertApplicationFactory.build()
    data = {
        "partnership": str(application.partnership.pk),
        "council": str(council("E07000223").pk),
        "applicant_name": "Sam",
        "applicant_role": "Manager",
        "applicant_email": "sam@council.gov.uk",
        "improvement": "One system",
        "expertise_needed": "Systems",
        "funding_requested": "15000",
        "outcomes_expected": "Savings",
    }
    response = client.post(APPLY, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "is not a member of" in text
    assert 'id="id_council_error"' in text
    assert not ExpertApplication.objects.exists()


def test_a_member_council_applies_and_confirms(client, django_capture_on_commit_callbacks):
    partnership = ExpertApplicationFactory.build().partnership
    member = partnership.council_memberships.first().council
    data = {
        "partnership": str(partnership.pk),
        "council": str(member.pk),
        "applicant_name": "Sam",
        "applicant_role": "Manager",
        "applicant_email": "sam@council.gov.uk",
        "improvement": "One system",
        "expertise_needed": "Systems",
        "funding_requested": "15000",
        "outcomes_expected": "Savings",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(APPLY, data).status_code == 302
    application = ExpertApplication.objects.get()
    url = re.search(r"https?://\S+/applications/[^/\s]+/", mail.outbox[0].body).group(0)
    client.post(url, {"action": "confirm"})
    application.refresh_from_db()
    assert application.status == ExpertApplication.Status.SUBMITTED
    assert "Submitted for assessment" in client.get(url).content.decode()


def test_the_council_reports_outcomes_through_its_link_into_the_review_queue(client):
    application = ExpertApplicationFactory(
        token="outcomes-token", status=ExpertApplication.Status.WORK_COMPLETE
    )
    url = application_page("outcomes-token")
    bad = client.post(
        url, {"action": "outcomes", "service_improvements": "Faster", "savings_amount": "5000"}
    )
    assert bad.status_code == 400
    assert "Choose the financial year of the savings." in bad.content.decode()
    assert 'value="5000"' in bad.content.decode()

    response = client.post(
        url,
        {
            "action": "outcomes",
            "service_improvements": "Faster decisions",
            "savings_amount": "5000",
            "savings_year": "2025",
            "savings_kind": "achieved",
            "savings_cashable": "yes",
            "savings_recurrence": "recurring",
        },
    )
    assert response.status_code == 302
    change = ProposedChange.objects.get(partnership=application.partnership)
    assert change.proposed["amount"] == "5000.00" and change.proposed["cashable"] is True
    text = client.get(url).content.decode()
    assert "Outcomes reported" in text and "waiting for review" in text


def test_the_requester_reads_why_a_council_is_suggested_in_plain_words(client, staff):
    request = MatchRequestFactory(
        council=council("E07000223"), token="secret-2", status=MatchRequest.Status.IN_DISCUSSION
    )
    worthing = council("E07000229")
    suggestion = services.suggestion_shortlist(
        match_request=request, council_id=worthing.pk, user=staff
    )
    suggestion.shared_with_requester = True
    suggestion.save()

    text = client.get(request_page("secret-2")).content.decode()

    assert "A neighbouring council in the same county (West Sussex)" in text
    for score_text in ("(+", "+45", "Neighbouring council (shares a boundary)"):
        assert score_text not in text
    if worthing.population:
        assert f"{worthing.population:,}" not in text
