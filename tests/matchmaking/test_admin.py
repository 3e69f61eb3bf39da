"""What the LGA's staff see and do in the admin: suggestions with their reasons and
weights, the shortlist, introductions, status moves, funding and the programme."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from core.activity.selectors import activity_for
from core.outbox.models import OutboundEmail
from matchmaking.models import ExpertApplication, MatchRequest, MatchSuggestion
from matchmaking.ranking import WEIGHTS
from submissions.models import CouncilContact
from tests.form_data import page_data
from tests.matchmaking.factories import (
    CriterionFactory,
    ExpertApplicationFactory,
    FundingBudgetFactory,
    MatchRequestFactory,
    council,
)

pytestmark = pytest.mark.usefixtures("real_data")

ADUR = "E07000223"
WORTHING = "E07000229"


def change_url(request: MatchRequest) -> str:
    return reverse("admin:matchmaking_matchrequest_change", args=[request.pk])


def action_url(request: MatchRequest, name: str) -> str:
    return reverse(f"admin:matchmaking_matchrequest_{name}", args=[request.pk])


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_see_ranked_suggestions_with_reasons_and_weights(staff_client):
    request = MatchRequestFactory(council=council(ADUR), reach="region")
    response = staff_client.get(change_url(request))
    assert response.status_code == 200
    text = response.content.decode()
    for neighbour in council(ADUR).neighbours.all():
        assert neighbour.short_name in text
    assert "Neighbouring council (shares a boundary) <strong>+45</strong>" in text
    assert "The weights" in text
    for weight in WEIGHTS.values():
        assert f"<td>{weight}</td>" in text
    # Its private details are for staff, here.
    assert request.requester_email in text


def test_the_request_page_costs_the_same_queries_with_more_requests(
    staff_client, django_assert_max_num_queries
):
    request = MatchRequestFactory(council=council(ADUR), reach="region")
    with django_assert_max_num_queries(45) as before:
        staff_client.get(change_url(request))
    for code in ("E07000229", "E07000224", "E07000227", "E07000228"):
        MatchRequestFactory(council=council(code))
    suggestion = MatchSuggestion.objects.create(match_request=request, council=council(WORTHING))
    assert suggestion
    with django_assert_max_num_queries(len(before.captured_queries) + 3):
        staff_client.get(change_url(request))


def test_shortlisting_a_suggestion_keeps_its_reasons_and_finds_the_contact(staff_client):
    request = MatchRequestFactory(council=council(ADUR))
    CouncilContact.objects.create(
        council=council(WORTHING), name="Wyn", email="wyn@worthing.gov.uk"
    )
    response = staff_client.post(
        action_url(request, "shortlist"), {"council": council(WORTHING).pk}
    )
    assert response.status_code == 302
    suggestion = request.suggestions.get()
    assert suggestion.council.gss_code == WORTHING
    assert suggestion.score >= WEIGHTS["neighbour"]
    # The councils read plain words; staff keep the reasons with their weights.
    assert (
        suggestion.reasons.startswith("A neighbouring council") and "(+" not in suggestion.reasons
    )
    assert "neighbour" in {r["code"] for r in suggestion.ranking_reasons}
    assert suggestion.contact_email == "wyn@worthing.gov.uk"
    assert activity_for(request).filter(description="Council shortlisted").exists()
    text = staff_client.get(change_url(request)).content.decode()
    assert "Introduce…" in text
    assert "Neighbouring council (shares a boundary) (+45)" in text


def test_a_council_outside_the_suggestions_cannot_be_shortlisted_this_way(staff_client):
    request = MatchRequestFactory(council=council(ADUR), reach="neighbours")
    far = council("E09000001")  # the City of London: not in Adur's reach
    staff_client.post(action_url(request, "shortlist"), {"council": far.pk})
    assert not request.suggestions.exists()


def test_introducing_from_the_admin_emails_both_and_records_it(
    staff_client, staff, django_capture_on_commit_callbacks
):
    request = MatchRequestFactory(council=council(ADUR))
    suggestion = MatchSuggestion.objects.create(
        match_request=request,
        council=council(WORTHING),
        contact_name="Wyn",
        contact_email="wyn@worthing.gov.uk",
    )
    url = reverse("admin:matchmaking_matchrequest_introduce", args=[suggestion.pk])
    page = staff_client.get(url).content.decode()
    assert "Send both introductions" in page and "wyn@worthing.gov.uk" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assert response.status_code == 302
    assert {m.to[0] for m in mail.outbox} == {request.requester_email, "wyn@worthing.gov.uk"}
    assert OutboundEmail.objects.filter(kind="matchmaking-introduction", status="sent").count() == 2
    activity = activity_for(request).get(description="Introduced")
    assert activity.user == staff
    request.refresh_from_db()
    assert request.status == MatchRequest.Status.INTRODUCED


def test_introducing_without_a_contact_says_so(staff_client):
    request = MatchRequestFactory(council=council(ADUR))
    suggestion = MatchSuggestion.objects.create(match_request=request, council=council(WORTHING))
    url = reverse("admin:matchmaking_matchrequest_introduce", args=[suggestion.pk])
    response = staff_client.post(url)
    assert response.status_code == 200
    assert "Add the email of a contact at Worthing" in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_status_buttons_move_the_request_and_refuse_a_move_not_allowed(staff_client):
    request = MatchRequestFactory()
    staff_client.post(action_url(request, "transition"), {"status": "in_discussion"})
    request.refresh_from_db()
    assert request.status == "in_discussion"
    response = staff_client.post(
        action_url(request, "transition"), {"status": "partnership_formed"}, follow=True
    )
    assert "cannot move to" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "in_discussion"


def test_closing_asks_for_a_reason(staff_client):
    request = MatchRequestFactory()
    response = staff_client.post(action_url(request, "close"), {"reason": ""})
    assert response.status_code == 400
    assert "Say why the request is closed." in response.content.decode()
    staff_client.post(action_url(request, "close"), {"reason": "They found a partner themselves"})
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_reason == "They found a partner themselves"


def test_an_award_over_the_budget_is_refused_beside_the_field_keeping_the_figures(staff_client):
    budget = FundingBudgetFactory(expert_days=Decimal("5.0"))
    request = MatchRequestFactory()
    response = staff_client.post(
        action_url(request, "award"),
        {"budget": budget.pk, "expert_days": "6", "mediation_amount": "100"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Only 5.0 expert days are left in 2026/27." in text
    assert 'value="6"' in text and 'value="100"' in text
    staff_client.post(
        action_url(request, "award"),
        {"budget": budget.pk, "expert_days": "4.5", "mediation_amount": "100"},
    )
    request.refresh_from_db()
    assert request.expert_days_awarded == Decimal("4.5")
    text = staff_client.get(change_url(request)).content.decode()
    assert "expert days 4.5 committed of 5.0, 0.5 left" in text


def test_a_possible_duplicate_is_flagged_and_merged(staff_client):
    first = MatchRequestFactory(council=council(ADUR))
    second = MatchRequestFactory(council=council(ADUR))
    listing = staff_client.get(
        reverse("admin:matchmaking_matchrequest_changelist")
    ).content.decode()
    assert listing.count('alt="True"') == 2  # both flagged as possible duplicates
    text = staff_client.get(change_url(second)).content.decode()
    assert "Possible duplicates" in text and first.reference in text
    staff_client.post(action_url(second, "merge"), {"into": first.pk})
    second.refresh_from_db()
    assert second.status == "closed" and second.merged_into == first


def test_the_request_list_costs_the_same_queries_with_ten_times_the_requests(
    staff_client, django_assert_max_num_queries
):
    url = reverse("admin:matchmaking_matchrequest_changelist")
    for code in ("E07000229", "E07000224"):
        MatchRequestFactory(council=council(code))
    with django_assert_max_num_queries(12) as small:
        staff_client.get(url)
    for n, c in enumerate(council(ADUR).__class__.objects.filter(current=True)[:20]):
        MatchRequestFactory(council=c, status="in_discussion" if n % 2 else "new")
    with django_assert_max_num_queries(len(small.captured_queries)):
        staff_client.get(url)


def test_pages_are_for_staff_only(client):
    request = MatchRequestFactory()
    for url in (
        change_url(request),
        action_url(request, "award"),
        action_url(request, "close"),
        reverse("admin:matchmaking_expertapplication_overview"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.post(action_url(request, "transition"), {"status": "closed"})
    request.refresh_from_db()
    assert request.status == MatchRequest.Status.EMAIL_CONFIRMED


# --- Expert Programme ---------------------------------------------------------------


def app_url(application, name: str) -> str:
    return reverse(f"admin:matchmaking_expertapplication_{name}", args=[application.pk])


def test_staff_award_an_assessed_application_and_the_applicant_is_told(
    staff_client, django_capture_on_commit_callbacks
):
    from matchmaking.models import AssessmentCriterion, CriterionScore

    AssessmentCriterion.objects.update(active=False)
    criterion = CriterionFactory(title="Fit")
    budget = FundingBudgetFactory()
    application = ExpertApplicationFactory()
    text = staff_client.get(app_url(application, "change")).content.decode()
    assert "Still to score: Fit" in text

    data = {"expert_name": "E. Xpert", "amount": "15000", "budget": budget.pk, "reason": "Good"}
    response = staff_client.post(app_url(application, "award"), data)
    assert response.status_code == 400
    assert "Score every criterion first: Fit." in response.content.decode()

    CriterionScore.objects.create(application=application, criterion=criterion, score=4)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(app_url(application, "award"), data)
    application.refresh_from_db()
    assert application.status == ExpertApplication.Status.AWARDED
    assert mail.outbox[-1].to == [application.applicant_email]

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(app_url(application, "complete"), {"confirmed": "yes"})
    application.refresh_from_db()
    assert application.status == ExpertApplication.Status.WORK_COMPLETE
    assert "/matchmaking/expert-programme/applications/" in mail.outbox[-1].body


def test_the_programme_overview_adds_up(staff_client):
    budget = FundingBudgetFactory(programme_amount=Decimal("100000.00"))
    ExpertApplicationFactory(
        status="awarded", amount_awarded=Decimal("30000.10"), funding_budget=budget
    )
    ExpertApplicationFactory(
        status="outcomes_reported", amount_awarded=Decimal("19999.90"), funding_budget=budget
    )
    ExpertApplicationFactory(status="declined")
    ExpertApplicationFactory(status="submitted")
    response = staff_client.get(reverse("admin:matchmaking_expertapplication_overview"))
    text = response.content.decode()
    assert "<td>Awarded</td><td>1</td>" in text
    assert "<td>Declined</td><td>1</td>" in text
    assert "<strong>4</strong>" in text
    assert "Awarded: £50,000.00" in text
    assert "<td>2026/27</td><td>£100,000.00</td><td>£50,000.00</td><td>£50,000.00</td>" in text


def test_budgets_list_committed_and_left(staff_client):
    budget = FundingBudgetFactory(expert_days=Decimal("10"), mediation_amount=Decimal("1000"))
    MatchRequestFactory(
        funding_budget=budget,
        expert_days_awarded=Decimal("2.5"),
        mediation_awarded=Decimal("250.50"),
    )
    text = staff_client.get(reverse("admin:matchmaking_fundingbudget_changelist")).content.decode()
    assert "7.5" in text and "£749.50" in text and "£250.50" in text


def test_unconfirmed_requests_reach_staff_only_when_asked_for(staff_client):
    confirmed = MatchRequestFactory()
    unconfirmed = MatchRequestFactory(status=MatchRequest.Status.NEW)
    url = reverse("admin:matchmaking_matchrequest_changelist")
    text = staff_client.get(url).content.decode()
    assert confirmed.reference in text and unconfirmed.reference not in text
    text = staff_client.get(url + "?confirmed=no").content.decode()
    assert unconfirmed.reference in text and confirmed.reference not in text


def test_staff_add_a_council_by_hand_and_keep_a_note(staff_client, staff):
    request = MatchRequestFactory(council=council(ADUR))
    url = change_url(request)
    data = page_data(staff_client, url, "matchrequest_form")
    assert data["suggestions-TOTAL_FORMS"] == ["0"]
    far = council("E09000001")  # the City of London, outside the ranking's reach
    data.update(
        {
            "suggestions-TOTAL_FORMS": ["1"],
            "suggestions-0-council": [str(far.pk)],
            "suggestions-0-reasons": ["Runs a strong building control team"],
            "suggestions-0-contact_email": ["bc@cityoflondon.gov.uk"],
            "suggestions-0-match_request": [str(request.pk)],
            "notes-0-text": ["Called Jo: timing is spring."],
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    suggestion = request.suggestions.get()
    assert suggestion.council == far and suggestion.added_by_hand
    assert suggestion.contact_email == "bc@cityoflondon.gov.uk"
    assert suggestion.reasons == "Runs a strong building control team"
    note = request.notes.get()
    assert note.text == "Called Jo: timing is spring." and note.author == staff
    actions = set(activity_for(request).values_list("description", flat=True))
    assert {"Council shortlisted by hand", "Note added"} <= actions


def test_an_introduced_council_cannot_be_taken_off_the_shortlist(staff_client):
    from django.utils import timezone

    request = MatchRequestFactory(council=council(ADUR), status=MatchRequest.Status.INTRODUCED)
    MatchSuggestion.objects.create(
        match_request=request, council=council(WORTHING), introduced_at=timezone.now()
    )
    url = change_url(request)
    data = page_data(staff_client, url, "matchrequest_form")
    data["suggestions-0-DELETE"] = ["on"]
    response = staff_client.post(url, data, follow=True)
    assert "An introduced council stays on the shortlist." in response.content.decode()
    assert request.suggestions.count() == 1


def test_staff_see_the_requesters_own_partners_apart_not_as_suggestions(staff_client):
    # Bromsgrove already shares building control with Redditch and Wyre Forest (real data).
    request = MatchRequestFactory(council=council("E07000234"), reach="county")
    text = staff_client.get(change_url(request)).content.decode()

    candidates = text.split('id="suggested-partners"')[1].split('id="already-sharing"')[0]
    apart = text.split('id="already-sharing"')[1].split("</div>")[0]
    assert "Already sharing this service with Bromsgrove" in apart
    for name in ("Redditch", "Wyre Forest"):
        assert f"Shortlist {name}" not in candidates
        assert name in apart
    assert "North Worcestershire Building Control" in apart


def test_the_introduction_page_shows_staff_both_the_plain_words_and_the_weights(staff_client):
    request = MatchRequestFactory(council=council(ADUR))
    staff_client.post(action_url(request, "shortlist"), {"council": council(WORTHING).pk})
    suggestion = request.suggestions.get()
    url = reverse("admin:matchmaking_matchrequest_introduce", args=[suggestion.pk])
    page = staff_client.get(url).content.decode()
    assert suggestion.reasons in page
    assert "Neighbouring council (shares a boundary) (+45)" in page
