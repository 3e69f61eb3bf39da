"""Opening a cycle makes pre-filled questionnaires; links open only their own."""

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Council, Partnership
from submissions.models import CouncilContact, Questionnaire, RefreshCycle
from submissions.services import (
    cycle_close,
    cycle_open,
    link_issue,
    link_revoke,
    questionnaire_for_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(real_data):
    return RefreshCycle.objects.create(financial_year=2025)


def _contact(gss_code, email):
    council = Council.objects.get(gss_code=gss_code)
    return CouncilContact.objects.create(council=council, name="Officer", email=email)


def test_opening_a_cycle_prefills_each_contacted_council_with_its_published_partnerships(
    cycle, django_assert_max_num_queries
):
    adur = _contact("E07000223", "a@adur.gov.uk").council
    _contact("E07000229", "w@worthing.gov.uk")
    made = cycle_open(cycle=cycle)
    assert {q.council.gss_code for q in made} == {"E07000223", "E07000229"}
    questionnaire = Questionnaire.objects.get(cycle=cycle, council=adur)
    published = set(
        Partnership.objects.filter(published=True, councils=adur).values_list("name", flat=True)
    )
    assert published, "Adur is in published partnerships in the real data"
    items = list(questionnaire.items.all())
    assert {item.name for item in items} == published
    for item in items:
        assert item.prefilled["name"] == item.partnership.name
        assert adur.pk in item.prefilled["councils"]
    cycle.refresh_from_db()
    assert cycle.status == RefreshCycle.Status.OPEN
    # Opening again makes nothing new.
    assert cycle_open(cycle=cycle) == []


def test_a_token_opens_only_its_own_questionnaire_while_the_cycle_is_open(cycle):
    _contact("E07000223", "a@adur.gov.uk")
    _contact("E07000229", "w@worthing.gov.uk")
    adur_q, worthing_q = sorted(cycle_open(cycle=cycle), key=lambda q: q.council.short_name)
    adur_token = link_issue(questionnaire=adur_q)
    worthing_token = link_issue(questionnaire=worthing_q)
    assert questionnaire_for_token(token=adur_token) == adur_q
    assert questionnaire_for_token(token=worthing_token) == worthing_q
    assert questionnaire_for_token(token=adur_token[:-1] + "x") is None
    assert questionnaire_for_token(token="") is None

    link_revoke(link=adur_q.links.get())
    assert questionnaire_for_token(token=adur_token) is None

    cycle_close(cycle=cycle)
    assert questionnaire_for_token(token=worthing_token) is None


def test_closing_a_cycle_publishes_its_years_map_once(cycle):
    from partnerships.models import MapSnapshot
    from partnerships.services.snapshots import map_snapshot_publish

    cycle_open(cycle=cycle)
    cycle_close(cycle=cycle)
    snapshot = MapSnapshot.objects.get(year=cycle.financial_year)
    assert snapshot.payload["partnerships"] > 0
    assert str(cycle) in snapshot.note
    # Published already (by staff, say): closing again leaves it as it was.
    other_year = cycle.financial_year - 1
    first = map_snapshot_publish(year=other_year)
    later = RefreshCycle.objects.create(financial_year=other_year)
    cycle_open(cycle=later)
    cycle_close(cycle=later)
    assert MapSnapshot.objects.get(year=other_year).published_at == first.published_at


def test_only_one_cycle_is_open_at_a_time(cycle):
    cycle_open(cycle=cycle)
    other = RefreshCycle.objects.create(financial_year=2026)
    with pytest.raises(ValidationError):
        cycle_open(cycle=other)
