"""The reads behind the public pages: what they include, how they count, and that they
fetch everything a page shows up front."""

from decimal import Decimal

import pytest

from partnerships import map_layers, selectors, timeline
from partnerships.filters import PartnershipFilter
from partnerships.models import (
    Council,
    Partnership,
    Region,
    SavingsKind,
    SavingsRecord,
)
from tests.partnerships.factories import SavingsRecordFactory, partnership_with_members

pytestmark = pytest.mark.usefixtures("real_data")


def council(gss_code: str) -> Council:
    return Council.objects.get(gss_code=gss_code)


ADUR, WORTHING, ARUN = "E07000223", "E07000229", "E07000224"


def listed(**params) -> list[Partnership]:
    """The partnership list as the list page reads it: filtered, then prefetched."""
    return list(selectors.partnership_list(partnerships=PartnershipFilter(params).qs))


def test_the_partnership_list_holds_every_published_partnership_and_no_other():
    hidden = partnership_with_members(council(ADUR), council(WORTHING), published=False)

    partnerships = listed()

    assert hidden not in partnerships
    # Now: the 109 published partnerships less the 17 ended and 2 proposed.
    assert len(partnerships) == 90
    assert {p.status for p in partnerships} <= {"operational", ""}


def test_achieved_savings_add_up_achieved_figures_only():
    partnership = partnership_with_members(council(ADUR), council(WORTHING))
    SavingsRecordFactory(partnership=partnership, start_year=2018, end_year=2018, amount=100)
    SavingsRecordFactory(partnership=partnership, start_year=2019, end_year=2019, amount=50)
    SavingsRecordFactory(
        partnership=partnership,
        start_year=2020,
        end_year=2020,
        amount=1000,
        kind=SavingsKind.EXPECTED,
    )

    (found,) = [p for p in listed() if p.pk == partnership.pk]

    assert found.achieved_total == Decimal("150")


def test_a_partnership_with_several_members_in_a_region_is_listed_once_with_its_savings_once():
    # Adur, Worthing and Arun are all in the South East.
    partnership = partnership_with_members(council(ADUR), council(WORTHING), council(ARUN))
    SavingsRecordFactory(partnership=partnership, amount=Decimal("250000"))

    found = [p for p in listed(region="south-east") if p.pk == partnership.pk]

    assert len(found) == 1
    assert found[0].achieved_total == Decimal("250000")


def test_the_list_comes_with_members_and_categories_prefetched(django_assert_num_queries):
    partnerships = listed(category="legal")

    with django_assert_num_queries(0):
        members = {m.council.short_name for p in partnerships for m in p.council_memberships.all()}
        categories = [{c.slug for c in p.categories.all()} for p in partnerships]

    assert "Maidstone" in members
    assert all("legal" in slugs for slugs in categories)


def test_a_published_partnership_comes_with_its_members_savings_and_categories_prefetched(
    django_assert_num_queries,
):
    partnership = selectors.partnership_get_published(slug="orbis")

    with django_assert_num_queries(0):
        members = [m.council.short_name for m in partnership.council_memberships.all()]
        total = partnership.achieved_savings_total
        latest = partnership.latest_achieved_record
        categories = [c.name for c in partnership.categories.all()]
        sectors = partnership.partner_sectors

    assert members == ["Brighton and Hove", "East Sussex", "Surrey"]
    assert total == Decimal("16000000")
    assert latest.period_label == "2015/16 to 2018/19"
    assert categories == ["Finance and audit"]
    assert sectors == []


def test_an_unpublished_partnership_cannot_be_fetched_for_the_public():
    Partnership.objects.filter(slug="orbis").update(published=False)

    assert selectors.partnership_get_published(slug="orbis") is None
    assert selectors.partnership_get_published(slug="no-such-partnership") is None


def test_the_council_list_holds_current_councils_with_their_published_partnership_count():
    # Adur belongs to two published partnerships; an unpublished third is not counted.
    partnership_with_members(council(ADUR), council(WORTHING), published=False)

    filterset = PartnershipFilter({})
    councils = {
        c.council.gss_code: c
        for c in selectors.council_list(partnerships=filterset.qs, period=filterset.period)
    }

    # Today's generation: 296 district-level councils and 21 counties.
    assert len(councils) == 317
    assert "E07000190" not in councils  # Taunton Deane, a former council
    assert councils[ADUR].published_partnership_count == 2


def test_the_council_list_counts_only_the_filtered_partnerships():
    # Adur is in CenSus (revenues and benefits) and Adur and Worthing (several services).
    filterset = PartnershipFilter({"council": ADUR, "q": "CenSus"})

    councils = {
        c.council.gss_code: c
        for c in selectors.council_list(
            partnerships=filterset.qs, period=filterset.period, narrowed=True
        )
    }

    assert councils[ADUR].published_partnership_count == 1
    assert WORTHING not in councils  # in none of them, so not listed
    assert councils["E07000228"].published_partnership_count == 1  # Mid Sussex


def test_the_council_list_filters_by_region_and_type():
    # Region and type narrow the partnerships; the councils listed are all those in
    # them, wherever they are (the map shades the same councils).
    filterset = PartnershipFilter({"region": "london", "council_type": "county"})
    councils = selectors.council_list(
        partnerships=filterset.qs, period=filterset.period, narrowed=True
    )
    london = Region.objects.get(name="London")
    assert any(c.region_id == london.pk for c in councils)
    assert any(c.is_county for c in councils)
    assert all(c.published_partnership_count >= 1 for c in councils)


def test_name_search_finds_councils_and_partnerships_names_starting_with_the_text_first():
    found = selectors.name_search(text="wor")

    councils = [c["name"] for c in found["councils"]]
    assert councils[0] == "Worcester"
    assert "Worthing" in councils
    assert len(councils) <= 10
    assert any(p["name"].startswith("Worcestershire") for p in found["partnerships"])
    assert selectors.name_search(text="  ") == {
        "councils": [],
        "partnerships": [],
        "bodies": [],
        "categories": [],
    }


def test_a_council_comes_with_everything_its_page_shows(django_assert_num_queries):
    adur = selectors.council_get(gss_code=ADUR)

    period = timeline.period_for(None)
    partnerships = map_layers.council_partnerships(
        council=adur,
        partnerships=timeline.partnerships_running(
            Partnership.objects.filter(published=True), period
        ),
        period=period,
    )
    with django_assert_num_queries(0):
        neighbours = {n.short_name for n in adur.neighbours.all()}
        fire = adur.fire_rescue_authority.name
        county = adur.county.short_name
        partners = {m.council.short_name for p in partnerships for m in p.council_memberships.all()}
        categories = {c.name for p in partnerships for c in p.categories.all()}
        totals = [p.achieved_savings_total for p in partnerships]
    assert any(t is not None for t in totals)
    assert adur.latest_boundary

    assert {"Worthing", "Arun", "Horsham"} <= neighbours
    assert fire == "West Sussex"
    assert county == "West Sussex"
    assert {"Worthing", "Mid Sussex", "Horsham"} <= partners
    assert "Revenues and benefits" in categories


def test_a_former_council_comes_with_its_successors_and_partnerships():
    taunton_deane = selectors.council_get(gss_code="E07000190")

    assert not taunton_deane.current
    assert [c.short_name for c in taunton_deane.replaced_by.all()] == ["Somerset West and Taunton"]
    assert [p.short_name for p in taunton_deane.predecessors.all()] == []
    assert taunton_deane.latest_boundary  # its own, from the last generation it was in
    period = timeline.period_for(2018)
    partnerships = map_layers.council_partnerships(
        council=taunton_deane,
        partnerships=timeline.partnerships_running(
            Partnership.objects.filter(published=True), period
        ),
        period=period,
    )
    assert "Somerset Waste Partnership" in [p.name for p in partnerships]
    assert selectors.council_get(gss_code="E99999999") is None


def test_the_data_summary_counts_what_is_loaded():
    Partnership.objects.filter(slug="orbis").update(published=False)

    summary = selectors.reference_data_summary()

    assert summary["current_councils"] == 332
    assert summary["former_councils"] == Council.objects.filter(current=False).count() > 0
    assert summary["published_partnerships"] == 108  # the pack's 109, less Orbis
    assert (
        summary["savings_records"]
        == SavingsRecord.objects.exclude(partnership__slug="orbis").count()
        == 89
    )
    assert summary["partnerships_with_savings"] == 54
    assert summary["regions"] == 9
