"""A proposed new partnership that may already be on the map is flagged on the review
page beside it, naming and linking each published partnership it matches."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import ServiceCategory
from submissions.models import ProposedChange, Questionnaire
from submissions.services import change_propose
from submissions.services.duplicates import (
    SAME_MEMBERS,
    SIMILAR_NAME,
    changes_matches_attach,
    name_normalised,
    names_similar,
)
from tests.partnerships.factories import grow_data, partnership_with_members
from tests.submissions.refresh_fixtures import ADUR, SURREY, WORTHING, council, cycle_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]
HORSHAM = "E07000227"


def text(html) -> str:
    if isinstance(html, bytes):
        html = html.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def category(slug: str) -> ServiceCategory:
    return ServiceCategory.objects.get(slug=slug)


def propose_new(name, councils, categories=("legal",), **kwargs) -> ProposedChange:
    return change_propose(
        kind="partnership_new",
        partnership=None,
        proposed={
            "name": name,
            "description": "",
            "councils": [council(code).pk for code in councils],
            "public_bodies": [],
            "categories": [category(slug).pk for slug in categories],
        },
        source=kwargs.pop("source", "Public proposal form"),
        submitted_by_name="Pat Proposer",
        submitted_by_email="pat@example.org",
        **kwargs,
    )


def matches(change) -> dict[str, list[str]]:
    changes_matches_attach(changes=[change])
    return {match.partnership.name: match.reasons for match in change.matches}


@pytest.fixture
def richmond():
    """A published partnership of Adur, Worthing and Horsham sharing legal services."""
    return partnership_with_members(
        council(ADUR),
        council(WORTHING),
        council(HORSHAM),
        name="Richmond Housing Partnership",
        slug="richmond-housing",
        categories=[category("legal")],
    )


def test_names_are_compared_without_case_punctuation_or_common_words():
    assert name_normalised("The Shared Richmond-Housing Partnership!") == "richmond housing"
    assert names_similar(
        name_normalised("Revenues & Benefits"), name_normalised("revenue and benefits")
    )
    assert names_similar(
        name_normalised("Sussex legal team"), name_normalised("West Sussex legal team hub")
    ), "one contained in the other"
    assert not names_similar(name_normalised("Adur legal"), name_normalised("Mole Valley legal"))
    assert not names_similar(name_normalised("HR"), name_normalised("Kent HR and payroll")), (
        "too short a name to count as contained"
    )


def test_a_proposal_with_the_same_councils_and_a_shared_service_is_flagged(richmond):
    change = propose_new(
        "Tri-council legal team", [ADUR, WORTHING, HORSHAM], categories=("legal", "hr-and-payroll")
    )
    assert matches(change) == {"Richmond Housing Partnership": [SAME_MEMBERS]}


def test_the_same_councils_without_a_shared_service_or_a_council_fewer_are_not_flagged(richmond):
    other_service = propose_new(
        "Tri-council waste team", [ADUR, WORTHING, HORSHAM], ("waste-and-recycling",)
    )
    fewer = propose_new("Tri-council legal team", [ADUR, WORTHING])
    assert "Richmond Housing Partnership" not in matches(other_service)
    assert "Richmond Housing Partnership" not in matches(fewer)


def test_a_proposal_with_a_similar_name_is_flagged_whoever_its_members(richmond):
    change = propose_new(
        "Shared Richmond housing service", [SURREY, ADUR], ("waste-and-recycling",)
    )
    assert matches(change) == {"Richmond Housing Partnership": [SIMILAR_NAME]}
    both = propose_new("richmond housing", [ADUR, WORTHING, HORSHAM])
    assert matches(both) == {"Richmond Housing Partnership": [SAME_MEMBERS, SIMILAR_NAME]}


def test_unpublished_partnerships_and_decided_proposals_are_not_flagged(richmond):
    richmond.published = False
    richmond.save()
    change = propose_new("Richmond housing", [ADUR, WORTHING, HORSHAM])
    assert "Richmond Housing Partnership" not in matches(change)
    richmond.published = True
    richmond.save()
    change.status = ProposedChange.Status.REJECTED
    change.save()
    assert matches(change) == {}


def test_a_proposal_like_nothing_published_is_not_flagged(richmond):
    assert (
        matches(propose_new("Quantock otter survey", [SURREY, HORSHAM], ("waste-and-recycling",)))
        == {}
    )


@pytest.fixture
def staff(client):
    client.force_login(get_user_model().objects.create_superuser("lga", "lga@local.gov.uk", "x"))
    return client


def test_the_review_page_names_and_links_each_match_beside_the_change(staff, richmond):
    change = propose_new("Richmond housing", [ADUR, WORTHING, HORSHAM])
    page = staff.get(reverse("admin:submissions_proposedchange_review", args=[change.pk]))
    html = page.content.decode()
    section = html[html.index(f'id="change-{change.pk}"') :]
    assert "This may duplicate a partnership already published:" in text(section)
    assert (
        "Richmond Housing Partnership : the same member councils and a shared service; a "
        "similar name ( its public page )" in text(section)
    )
    assert reverse("admin:partnerships_partnership_change", args=[richmond.pk]) in section
    assert richmond.get_absolute_url() in section


def _questionnaire_with_proposals(names) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        cycle=cycle_make(), council=council(ADUR), status=Questionnaire.Status.SUBMITTED
    )
    for name in names:
        propose_new(
            name,
            [ADUR, WORTHING, HORSHAM],
            source="Adur, refresh questionnaire 2025/26",
            questionnaire=questionnaire,
        )
    return questionnaire


def test_the_questionnaires_review_page_flags_its_new_collaborations(staff, richmond):
    questionnaire = _questionnaire_with_proposals(["Richmond housing", "Quantock otter survey"])
    page = staff.get(reverse("admin:submissions_questionnaire_review", args=[questionnaire.pk]))
    assert text(page.content).count("This may duplicate a partnership already published") == 2
    assert "Richmond Housing Partnership : the same member councils" in text(page.content)


def test_flagging_costs_the_same_queries_for_one_proposal_or_many_and_more_data(
    staff, richmond, django_assert_max_num_queries
):
    one = _questionnaire_with_proposals(["Richmond housing"])
    url = reverse("admin:submissions_questionnaire_review", args=[one.pk])
    with CaptureQueriesContext(connection) as few:
        assert "Richmond Housing Partnership" in text(staff.get(url).content)
    changes = list(one.proposed_changes.all())
    with django_assert_max_num_queries(4):
        changes_matches_attach(changes=changes)

    grow_data(3)
    many = Questionnaire.objects.create(
        cycle=one.cycle, council=council(WORTHING), status=Questionnaire.Status.SUBMITTED
    )
    for name in ["Richmond housing", "Quantock otter survey", "Richmond housing team", "Otters"]:
        propose_new(name, [ADUR, WORTHING, HORSHAM], source="Worthing", questionnaire=many)
    url = reverse("admin:submissions_questionnaire_review", args=[many.pk])
    with django_assert_max_num_queries(len(few)):
        page = text(staff.get(url).content)
    assert page.count("This may duplicate a partnership already published") == 4
    changes = list(many.proposed_changes.all())
    with django_assert_max_num_queries(4):
        changes_matches_attach(changes=changes)
    assert all(change.matches for change in changes)
