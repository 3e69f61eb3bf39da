"""Services: a request's life, introductions, funding against the budget, merging
duplicates, and the Expert Programme from application to reported savings."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.exceptions import ValidationError

from core.activity.selectors import activity_for
from core.outbox.models import OutboundEmail
from matchmaking import services
from matchmaking.models import (
    AssessmentCriterion,
    ExpertApplication,
    MatchRequest,
    MatchSuggestion,
)
from matchmaking.selectors import budget_position, match_request_get_by_token
from partnerships.models import SavingsRecord
from submissions.models import CouncilContact, ProposedChange
from submissions.services import change_accept
from tests.matchmaking.factories import (
    CriterionFactory,
    ExpertApplicationFactory,
    FundingBudgetFactory,
    MatchRequestFactory,
    category,
    council,
)
from tests.partnerships.factories import partnership_with_members

pytestmark = pytest.mark.usefixtures("real_data")

S = MatchRequest.Status
ALL = list(S.values)
ALLOWED = {
    (S.NEW, S.EMAIL_CONFIRMED),
    (S.NEW, S.CLOSED),
    (S.EMAIL_CONFIRMED, S.IN_DISCUSSION),
    (S.EMAIL_CONFIRMED, S.INTRODUCED),
    (S.EMAIL_CONFIRMED, S.CLOSED),
    (S.IN_DISCUSSION, S.INTRODUCED),
    (S.IN_DISCUSSION, S.CLOSED),
    (S.INTRODUCED, S.IN_DISCUSSION),
    (S.INTRODUCED, S.PARTNERSHIP_FORMED),
    (S.INTRODUCED, S.CLOSED),
    (S.PARTNERSHIP_FORMED, S.CLOSED),
}


def link(token: str) -> str:
    return f"https://testserver/matchmaking/requests/{token}/"


def make_request(**kwargs) -> MatchRequest:
    data = {
        "council": council("E07000223"),
        "requester_name": "Jo Requester",
        "requester_role": "Head of Building Control",
        "requester_email": "jo@adur-worthing.gov.uk",
        "categories": [category("building-control")],
        "reach": "county",
        "council_types": ["district", "unitary"],
        "description": "Building control with a neighbour.",
        "funding_wanted": "both",
        "expert_days_requested": Decimal("10"),
        "mediation_requested": Decimal("4000"),
        "link_for": link,
    }
    data.update(kwargs)
    return services.match_request_create(**data)


def test_a_new_request_waits_for_its_email_to_be_confirmed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request()
    assert request.status == S.NEW
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jo@adur-worthing.gov.uk"]
    assert "Confirm your match-making request" in message.subject
    token = message.body.split("/matchmaking/requests/")[1].split("/")[0]
    # Only a digest is stored, and the link opens this request.
    assert token not in request.token_digest
    assert match_request_get_by_token(token=token) == request

    services.match_request_confirm(match_request=request)
    request.refresh_from_db()
    assert request.status == S.EMAIL_CONFIRMED and request.confirmed_at
    # Confirming again changes nothing.
    services.match_request_confirm(match_request=request)
    assert activity_for(request).filter(description="Email confirmed").count() == 1


def test_a_request_needs_a_service_and_an_estimate_for_the_funding_it_wants():
    with pytest.raises(ValidationError) as error:
        make_request(categories=[])
    assert "categories" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_request(expert_days_requested=None, mediation_requested=None)
    assert set(error.value.message_dict) == {"expert_days_requested", "mediation_requested"}
    assert not MatchRequest.objects.exists()


@pytest.mark.parametrize("old", ALL)
@pytest.mark.parametrize("new", ALL)
def test_each_status_change_is_allowed_or_refused(old, new, staff):
    partnership = partnership_with_members(council("E07000223"), council("E07000229"))
    request = MatchRequestFactory(
        status=old, closed_reason="Done" if old == S.CLOSED else "", partnership=partnership
    )
    if (old, new) in ALLOWED:
        services.match_request_transition(
            match_request=request, status=new, user=staff, reason="No partner found"
        )
        request.refresh_from_db()
        assert request.status == new
        activity = activity_for(request).first()
        assert activity.user == staff and activity.description.endswith(S(new).label)
    else:
        with pytest.raises(ValidationError):
            services.match_request_transition(
                match_request=request, status=new, user=staff, reason="No partner found"
            )
        request.refresh_from_db()
        assert request.status == old


def test_closing_needs_a_reason_and_forming_needs_the_partnership(staff):
    request = MatchRequestFactory(status=S.INTRODUCED)
    with pytest.raises(ValidationError) as error:
        services.match_request_transition(match_request=request, status=S.CLOSED, user=staff)
    assert "closed_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.match_request_transition(
            match_request=request, status=S.PARTNERSHIP_FORMED, user=staff
        )
    assert "partnership" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == S.INTRODUCED


def test_a_formed_partnership_is_linked_and_shows_as_from_matchmaking(staff):
    from matchmaking.selectors import partnerships_from_matchmaking

    partnership = partnership_with_members(council("E07000223"), council("E07000229"))
    request = MatchRequestFactory(status=S.INTRODUCED)
    assert partnership not in partnerships_from_matchmaking()

    services.match_request_partnership_link(
        match_request=request, partnership=partnership, user=staff
    )

    request.refresh_from_db()
    assert request.status == S.PARTNERSHIP_FORMED and request.partnership == partnership
    assert list(partnerships_from_matchmaking()) == [partnership]


def test_introducing_emails_both_contacts_once_with_the_request(
    staff, django_capture_on_commit_callbacks
):
    request = MatchRequestFactory(description="Our building control team is too small.")
    worthing = council("E07000229")
    CouncilContact.objects.create(
        council=worthing, name="Wyn Worthing", email="wyn@worthing.gov.uk"
    )
    suggestion = services.suggestion_add(match_request=request, council=worthing, user=staff)
    assert suggestion.contact_email == "wyn@worthing.gov.uk"  # from the refresh's contacts

    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_make(suggestion=suggestion, user=staff)

    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {request.requester_email, "wyn@worthing.gov.uk"}
    for message in sent.values():
        assert "Our building control team is too small." in message.body
        assert "Building control" in message.body
        assert request.requester_email in message.body and "wyn@worthing.gov.uk" in message.body
    keys = set(
        OutboundEmail.objects.filter(kind="matchmaking-introduction").values_list("key", flat=True)
    )
    assert keys == {
        f"matchmaking:introduction:{suggestion.pk}:requester",
        f"matchmaking:introduction:{suggestion.pk}:partner",
    }
    request.refresh_from_db()
    assert request.status == S.INTRODUCED
    # Introducing the same council twice is refused: no third email.
    with pytest.raises(ValidationError):
        services.introduction_make(suggestion=suggestion, user=staff)
    assert OutboundEmail.objects.filter(kind="matchmaking-introduction").count() == 2


def test_an_introduction_needs_a_contact_and_an_open_request(staff):
    request = MatchRequestFactory()
    suggestion = services.suggestion_add(
        match_request=request, council=council("E07000229"), user=staff
    )
    with pytest.raises(ValidationError) as error:
        services.introduction_make(suggestion=suggestion, user=staff)
    assert "contact_email" in error.value.message_dict
    new = MatchRequestFactory(status=S.NEW)
    other = MatchSuggestion.objects.create(
        match_request=new, council=council("E07000229"), contact_email="a@b.gov.uk"
    )
    with pytest.raises(ValidationError):
        services.introduction_make(suggestion=other, user=staff)
    assert not OutboundEmail.objects.filter(kind="matchmaking-introduction").exists()


def test_a_mutual_requester_is_the_contact_for_their_council(staff):
    worthing = council("E07000229")
    theirs = MatchRequestFactory(council=worthing, requester_email="them@worthing.gov.uk")
    ours = MatchRequestFactory()
    suggestion = services.suggestion_add(match_request=ours, council=worthing, user=staff)
    assert suggestion.contact_email == theirs.requester_email


def test_funding_is_awarded_within_what_is_left_of_the_budget(staff):
    budget = FundingBudgetFactory(expert_days=Decimal("20.0"), mediation_amount=Decimal("10000.00"))
    first = MatchRequestFactory()
    second = MatchRequestFactory()
    services.match_request_funding_award(
        match_request=first,
        budget=budget,
        expert_days=Decimal("12.5"),
        mediation_amount=Decimal("3333.33"),
        user=staff,
    )
    position = budget_position(budget=budget)
    assert position["expert_days_committed"] == Decimal("12.5")
    assert position["expert_days_left"] == Decimal("7.5")
    assert position["mediation_committed"] == Decimal("3333.33")
    assert position["mediation_left"] == Decimal("6666.67")

    with pytest.raises(ValidationError) as error:
        services.match_request_funding_award(
            match_request=second,
            budget=budget,
            expert_days=Decimal("7.6"),
            mediation_amount=Decimal("6666.68"),
            user=staff,
        )
    assert set(error.value.message_dict) == {"expert_days_awarded", "mediation_awarded"}
    assert "7.5 expert days" in error.value.message_dict["expert_days_awarded"][0]

    # Exactly what is left is fine; the budget is then fully committed.
    services.match_request_funding_award(
        match_request=second,
        budget=budget,
        expert_days=Decimal("7.5"),
        mediation_amount=Decimal("6666.67"),
        user=staff,
    )
    position = budget_position(budget=budget)
    assert position["expert_days_left"] == Decimal("0") and position["mediation_left"] == Decimal(
        "0"
    )
    # Changing an award replaces it rather than adding to it.
    services.match_request_funding_award(
        match_request=first,
        budget=budget,
        expert_days=Decimal("2"),
        mediation_amount=Decimal("0"),
        user=staff,
    )
    position = budget_position(budget=budget)
    assert position["expert_days_left"] == Decimal("10.5")
    assert position["mediation_left"] == Decimal("3333.33")


def test_a_duplicate_is_merged_into_the_other_request(staff):
    adur = council("E07000223")
    kept = MatchRequestFactory(council=adur)
    duplicate = MatchRequestFactory(
        council=adur, categories=[category("building-control"), category("legal")]
    )
    services.suggestion_add(match_request=duplicate, council=council("E07000229"), user=staff)

    services.match_request_merge(duplicate=duplicate, into=kept, user=staff)

    duplicate.refresh_from_db()
    assert duplicate.status == S.CLOSED and duplicate.merged_into == kept
    assert set(kept.categories.values_list("slug", flat=True)) == {"building-control", "legal"}
    assert kept.suggestions.filter(council__gss_code="E07000229").exists()
    assert duplicate.requester_email in kept.notes.get().text
    with pytest.raises(ValidationError):
        services.match_request_merge(
            duplicate=MatchRequestFactory(council=council("E07000229")), into=kept, user=staff
        )


# --- Expert Programme ---------------------------------------------------------------

A = ExpertApplication.Status


def test_an_application_must_come_from_a_member_council():
    application = ExpertApplicationFactory.build()
    outsider = council("E07000223")
    assert not application.partnership.council_memberships.filter(council=outsider).exists()
    with pytest.raises(ValidationError) as error:
        services.application_create(
            partnership=application.partnership,
            council=outsider,
            applicant_name="A",
            applicant_role="B",
            applicant_email="a@b.gov.uk",
            improvement="x",
            expertise_needed="y",
            funding_requested=Decimal("100"),
            outcomes_expected="z",
            link_for=link,
        )
    assert "council" in error.value.message_dict


def test_an_award_needs_every_criterion_scored_and_money_left(
    staff, django_capture_on_commit_callbacks
):
    AssessmentCriterion.objects.update(active=False)  # the starting criteria, set aside
    criteria = [CriterionFactory(title="Fit"), CriterionFactory(title="Value", max_score=3)]
    budget = FundingBudgetFactory(programme_amount=Decimal("25000.00"))
    application = ExpertApplicationFactory()
    with pytest.raises(ValidationError) as error:
        services.application_award(
            application=application,
            user=staff,
            expert_name="E. Xpert",
            amount=Decimal("20000"),
            budget=budget,
            reason="Strong case",
        )
    assert "scores" in error.value.message_dict

    with pytest.raises(ValidationError):  # above the criterion's maximum
        services.criterion_score_record(
            application=application, criterion=criteria[1], score=4, user=staff
        )
    for criterion in criteria:
        services.criterion_score_record(
            application=application, criterion=criterion, score=3, user=staff
        )
    with pytest.raises(ValidationError) as error:
        services.application_award(
            application=application,
            user=staff,
            expert_name="E. Xpert",
            amount=Decimal("25000.01"),
            budget=budget,
            reason="Strong case",
        )
    assert "£25,000.00 is left" in error.value.message_dict["amount_awarded"][0]

    with django_capture_on_commit_callbacks(execute=True):
        services.application_award(
            application=application,
            user=staff,
            expert_name="E. Xpert",
            amount=Decimal("20000"),
            budget=budget,
            reason="Strong case",
        )
    application.refresh_from_db()
    assert application.status == A.AWARDED and application.expert_name == "E. Xpert"
    assert budget_position(budget=budget)["programme_left"] == Decimal("5000.00")
    message = mail.outbox[-1]
    assert message.to == [application.applicant_email]
    assert (
        "awarded" in message.subject and "£20,000.00" in message.body and "E. Xpert" in message.body
    )


def test_declining_needs_a_reason_and_tells_the_applicant(
    staff, django_capture_on_commit_callbacks
):
    application = ExpertApplicationFactory()
    with pytest.raises(ValidationError):
        services.application_decline(application=application, user=staff, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(
            application=application, user=staff, reason="The partnership is ending next year."
        )
    application.refresh_from_db()
    assert application.status == A.DECLINED
    assert "The partnership is ending next year." in mail.outbox[-1].body
    with pytest.raises(ValidationError):  # a decision is final
        services.application_decline(application=application, user=staff, reason="Again")


def test_reported_savings_reach_the_partnership_only_through_review(
    staff, django_capture_on_commit_callbacks
):
    application = ExpertApplicationFactory(status=A.AWARDED, amount_awarded=Decimal("1000"))
    with pytest.raises(ValidationError):  # not before the work is complete
        services.outcome_report(application=application, service_improvements="Better")

    with django_capture_on_commit_callbacks(execute=True):
        services.application_work_complete(application=application, user=staff, link_for=link)
    message = mail.outbox[-1]
    assert "Report the outcomes" in message.alternatives[0][0]
    new_token = message.body.split("/matchmaking/requests/")[1].split("/")[0]
    application.refresh_from_db()
    from matchmaking.selectors import application_get_by_token

    assert application_get_by_token(token=new_token) == application
    assert application_get_by_token(token="test-application-token-0") is None

    before = SavingsRecord.objects.filter(partnership=application.partnership).count()
    report = services.outcome_report(
        application=application,
        service_improvements="One team, one system, faster decisions.",
        savings_amount=Decimal("125000.50"),
        savings_year=2025,
        savings_kind="achieved",
        savings_cashable=True,
        savings_recurrence="recurring",
    )
    application.refresh_from_db()
    assert application.status == A.OUTCOMES_REPORTED
    change = report.proposed_change
    assert change.status == ProposedChange.Status.PENDING
    assert change.kind == "savings_record" and change.partnership == application.partnership
    assert change.proposed["amount"] == "125000.50" and change.proposed["start_year"] == 2025
    # Nothing reaches the published partnership until staff accept it.
    assert SavingsRecord.objects.filter(partnership=application.partnership).count() == before
    change_accept(change=change, reviewer=staff)
    record = SavingsRecord.objects.get(
        partnership=application.partnership, start_year=2025, kind="achieved"
    )
    assert record.amount == Decimal("125000.50")


def test_the_partnership_page_says_it_came_through_matchmaking(staff, client):
    partnership = partnership_with_members(council("E07000223"), council("E07000229"))
    other = partnership_with_members(council("E07000223"), council("E07000229"))
    services.match_request_partnership_link(
        match_request=MatchRequestFactory(status=S.INTRODUCED), partnership=partnership, user=staff
    )
    assert "came through the LGA's" in client.get(partnership.get_absolute_url()).text
    assert "came through the LGA's" not in client.get(other.get_absolute_url()).text


def test_a_second_request_for_the_same_service_is_kept_and_flagged_for_staff():
    first = MatchRequestFactory(council=council("E07000223"))
    second = make_request()
    assert MatchRequest.objects.count() == 2  # kept, not silently dropped or merged
    flag = activity_for(second).get(description="Possible duplicate")
    assert flag.verb == "possible_duplicate" and first.reference in flag.note
    # A request for another service from the same council is not a duplicate.
    third = make_request(categories=[category("legal")])
    assert not activity_for(third).filter(description="Possible duplicate").exists()


@pytest.mark.parametrize("status", list(A.values))
def test_each_expert_programme_decision_is_allowed_only_from_its_status(status, staff):
    AssessmentCriterion.objects.update(active=False)
    budget = FundingBudgetFactory()
    application = ExpertApplicationFactory(status=status)
    moves = {
        "award": lambda: services.application_award(
            application=application,
            user=staff,
            expert_name="E. Xpert",
            amount=Decimal("100"),
            budget=budget,
            reason="Good",
        ),
        "decline": lambda: services.application_decline(
            application=application, user=staff, reason="Not this year"
        ),
        "complete": lambda: services.application_work_complete(
            application=application, user=staff, link_for=link
        ),
        "report": lambda: services.outcome_report(
            application=application, service_improvements="Faster"
        ),
    }
    allowed = {
        "award": status == A.SUBMITTED,
        "decline": status in (A.NEW, A.SUBMITTED),
        "complete": status == A.AWARDED,
        "report": status in (A.WORK_COMPLETE, A.OUTCOMES_REPORTED),
    }
    for name, move in moves.items():
        application.refresh_from_db()
        application.status = status
        application.save()
        if allowed[name]:
            move()
        else:
            with pytest.raises(ValidationError):
                move()
            application.refresh_from_db()
            assert application.status == status, name


def test_an_accepted_outcome_stands_beside_the_councils_refresh_figure_for_that_year(staff):
    from partnerships.models import SavingsOrigin
    from tests.partnerships.factories import SavingsRecordFactory

    application = ExpertApplicationFactory(status=A.WORK_COMPLETE, amount_awarded=Decimal("1000"))
    refresh = SavingsRecordFactory(
        partnership=application.partnership,
        start_year=2026,
        end_year=2026,
        amount=Decimal("80000"),
        origin=SavingsOrigin.REFRESH,
        origin_detail="2026 refresh",
    )
    report = services.outcome_report(
        application=application,
        service_improvements="One team.",
        savings_amount=Decimal("90000"),
        savings_year=2026,
        savings_kind="achieved",
        savings_cashable=None,
        savings_recurrence="recurring",
    )
    change_accept(change=report.proposed_change, reviewer=staff)
    records = SavingsRecord.objects.filter(partnership=application.partnership, start_year=2026)
    assert {(r.origin, r.amount) for r in records} == {
        (SavingsOrigin.REFRESH, Decimal("80000.00")),
        (SavingsOrigin.EXPERT_PROGRAMME, Decimal("90000.00")),
    }
    outcome = records.get(origin=SavingsOrigin.EXPERT_PROGRAMME)
    assert outcome.origin_detail == f"application {application.reference}"
    refresh.refresh_from_db()
    assert refresh.amount == Decimal("80000.00")


# --- Suggestions: plain words for councils, weights for staff -------------------------

SCORE_TEXT = ("(+", "+45", "+15", "+10", "+8", "+5")


def test_a_council_shortlisted_from_the_ranking_is_introduced_in_plain_words(
    staff, django_capture_on_commit_callbacks
):
    adur, worthing = council("E07000223"), council("E07000229")
    request = MatchRequestFactory(council=adur, reach="region")
    CouncilContact.objects.create(council=worthing, name="Wyn", email="wyn@worthing.gov.uk")

    suggestion = services.suggestion_shortlist(
        match_request=request, council_id=worthing.pk, user=staff
    )

    # Staff keep the ranking's reasons, as data with their weights...
    assert {r["code"] for r in suggestion.ranking_reasons} >= {"neighbour", "same_county"}
    assert suggestion.score >= 45
    # ...and the councils read plain words.
    assert suggestion.reasons.startswith("A neighbouring council in the same county")
    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_make(suggestion=suggestion, user=staff)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        html = message.alternatives[0][0] if message.alternatives else ""
        for text in (message.body, html):
            assert "A neighbouring council in the same county" in text
            for score_text in SCORE_TEXT:
                assert score_text not in text, score_text
            if worthing.population:
                assert f"{worthing.population:,}" not in text


def test_a_partner_already_sharing_the_service_cannot_be_shortlisted_from_the_ranking(staff):
    request = MatchRequestFactory(council=council("E07000234"), reach="county")  # Bromsgrove
    with pytest.raises(ValidationError):
        services.suggestion_shortlist(
            match_request=request,
            council_id=council("E07000236").pk,
            user=staff,  # Redditch
        )
    assert not request.suggestions.exists()


def test_suggestions_shortlisted_before_keep_their_reasons_but_councils_get_plain_words():
    migration = importlib.import_module("matchmaking.migrations.0005_suggestion_ranking_reasons")
    request = MatchRequestFactory(council=council("E07000223"))
    old = MatchSuggestion.objects.create(
        match_request=request,
        council=council("E07000229"),
        score=65,
        reasons="Neighbouring council (shares a boundary) (+45); In the same county (+10): "
        "West Sussex; In the same region (+5): South East; Similar population (within half "
        "again) (+5): 85,568",
    )
    typed = MatchSuggestion.objects.create(
        match_request=request,
        council=council("E07000224"),
        added_by_hand=True,
        reasons="Strong team (+ keen).",
    )

    migration.to_plain_words(django_apps, None)

    old.refresh_from_db()
    typed.refresh_from_db()
    assert old.reasons == (
        "A neighbouring council in the same county (West Sussex). "
        "A council of a similar size (about 86,000 people)."
    )
    assert [r["code"] for r in old.ranking_reasons] == [
        "neighbour",
        "same_county",
        "same_region",
        "similar_population",
    ]
    assert old.ranking_reasons[3]["params"] == {"population": 85568}
    assert typed.reasons == "Strong team (+ keen)." and typed.ranking_reasons == []
