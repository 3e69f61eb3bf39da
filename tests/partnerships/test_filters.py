"""One set of filters for the map, list, figures, downloads and API."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def names(query: str = "", **params) -> list[str]:
    data = QueryDict(query, mutable=True)
    data.update(params)
    return [p.name for p in PartnershipFilter(data).qs]


def test_without_filters_every_published_partnership_is_listed_by_name():
    Partnership.objects.filter(name="Orbis").update(published=False)
    listed = names()
    # Now: the 109 of the pack less 17 ended and 2 proposed, less the unpublished one.
    assert len(listed) == 109 - 17 - 2 - 1
    assert "Orbis" not in listed
    assert listed == sorted(listed)


def test_search_finds_partnerships_by_their_name_or_a_members_name():
    assert names(q="orbis") == ["Orbis"]
    by_member = names(q="Worthing")
    assert "Adur and Worthing Councils partnership" in by_member
    assert names(q="Wye Valley") == ["Hoople Ltd"]


def test_category_filter_accepts_several_categories():
    legal = names(category="legal")
    assert "Mid Kent Legal Services" in legal and "HB Public Law" in legal
    combined = names("category=legal&category=planning")
    assert set(legal) < set(combined)
    assert "Greater Cambridge Shared Planning Service" in combined


def test_region_type_and_sector_filters_follow_the_members():
    assert "Orbis" in names(region="south-east")
    assert "Orbis" not in names(region="north-west")
    london = names(council_type="london_borough")
    assert "oneSource" in london and "Orbis" not in london
    fire = names(sector="fire")
    assert "Hampshire Shared Services Partnership (H3 / Integrated Business Centre)" in fire
    assert "Orbis" not in fire


def test_status_filter_includes_not_known():
    unknown = names(status="unknown")
    assert "Somerset Waste Partnership" in unknown
    assert all(p.status == "" for p in Partnership.objects.filter(name__in=unknown))
    assert "LGSS (Local Government Shared Services)" in names(status="ended")


def test_savings_bands_use_cumulative_achieved_savings():
    over_ten = names(savings="10m-plus")
    assert set(over_ten) >= {"Orbis", "Adur and Worthing Councils partnership"}
    # LGSS has ended: it is counted only when the status filter asks for ended ones.
    assert "LGSS (Local Government Shared Services)" not in names(savings="10m-plus")
    assert "LGSS (Local Government Shared Services)" in names(savings="10m-plus", status="ended")
    assert "East Kent Services (EK Services)" in names(savings="1m-10m")
    assert "Lichfield and Tamworth joint waste service" in names(savings="100k-1m")
    # Its only achieved figure has no period, so it is not counted in totals.
    assert "Public Protection Partnership (Berkshire)" in names(savings="none")
    assert "Mid Kent ICT" in names(savings="none")


def test_start_year_range_and_council():
    listed = names(start_from="2017", start_to="2018")
    starts = Partnership.objects.filter(name__in=listed).values_list("start_year", flat=True)
    assert listed and all(2017 <= year <= 2018 for year in starts)
    assert names(council="E07000223") == sorted(
        ["Adur and Worthing Councils partnership", "CenSus Revenues and Benefits Partnership"]
    )


def test_year_shows_partnerships_running_then_and_savings_reported_by_then():
    filtered = PartnershipFilter({"year": "2012"})
    listed = {p.name: p for p in filtered.qs}
    assert "Greater Cambridge Shared Planning Service" not in listed  # began 2018
    assert listed["South Oxfordshire and Vale of White Horse shared services"].achieved_total == (
        Decimal("5690000.00")
    )
    assert "LGSS (Local Government Shared Services)" in listed  # 2010 to 2020, ended since
    assert "LGSS (Local Government Shared Services)" not in {
        p.name for p in PartnershipFilter({}).qs
    }


def test_sorting_by_savings_puts_the_largest_first_and_unknowns_last():
    ordered = list(PartnershipFilter({"sort": "-savings"}).qs)
    totals = [p.achieved_total for p in ordered]
    known = [t for t in totals if t is not None]
    assert known == sorted(known, reverse=True)
    assert totals[: len(known)] == known
    assert ordered[0].name == "Publica Group"


def test_a_bad_value_is_reported_not_ignored():
    filtered = PartnershipFilter({"savings": "loads", "start_from": "soon"})
    assert not filtered.is_valid()
    assert set(filtered.errors) == {"savings", "start_from"}


def test_the_years_on_offer_are_every_year_there_is_a_map_of_newest_first():
    from partnerships.filters import year_choices
    from partnerships.timeline import current_financial_year

    years = [value for value, _label in year_choices()]
    assert years == list(range(current_financial_year(), 2008, -1))
    assert dict(year_choices())[2018] == "2018/19"


def test_a_year_before_the_first_generation_or_after_this_one_is_refused():
    for year in ("1800", "2008", "2100"):
        filtered = PartnershipFilter({"year": year})
        assert not filtered.is_valid()
        assert "There is a map for each financial year from 2009/10" in str(filtered.errors)


def test_ended_and_proposed_partnerships_count_only_when_asked_for():
    now = set(names())
    ended, proposed = set(names(status="ended")), set(names(status="proposed"))
    assert len(ended) == 17 and len(proposed) == 2
    assert not (ended | proposed) & now
    assert set(names(status="unknown")) <= now


def test_the_query_string_carries_the_valid_filters_only():
    data = QueryDict("category=legal&category=planning&savings=loads&year=2018&q=")
    filterset = PartnershipFilter(data)

    assert filterset.query_string() == "category=legal&category=planning&year=2018"
    assert PartnershipFilter().query_string() == ""


def test_year_leaves_out_what_started_later_or_ended_before():
    later = Partnership.objects.filter(start_year__gt=2012).values_list("name", flat=True)
    ended = Partnership.objects.filter(end_year__lt=2012).values_list("name", flat=True)
    listed = set(names(year="2012"))

    assert later and not listed & set(later)
    assert not listed & set(ended)


def test_search_forgives_punctuation_and_finds_codes_bodies_and_services():
    barrow = names(q="Barrow-in-Furness")
    assert barrow and names(q="barrow in furness") == barrow
    assert names(q="e07000223") == names(council="E07000223") != []
    assert names(q="Hampshire Constabulary") == [
        "Hampshire Shared Services Partnership (H3 / Integrated Business Centre)"
    ]
    legal = names(q="legal")
    assert {"HB Public Law", "nplaw (Norfolk Public Law)"} <= set(legal)
    assert set(names(category="legal")) <= set(legal)
    assert "Adur and Worthing Councils partnership" in names(q="Adur & Worthing")
    # Punctuation alone is no name: nothing is found, rather than everything.
    assert names(q="…") == []


GEOGRAPHIES = {
    "combined_authority": "E47000001",  # Greater Manchester
    "fire_rescue_authority": "E31000048",  # Hampshire and Isle of Wight
    "police_force_area": "E23000030",  # Hampshire
    "integrated_care_board": "E54000042",  # NHS Hampshire and Isle of Wight
}


@pytest.mark.parametrize(("name", "code"), GEOGRAPHIES.items())
def test_a_geography_filter_keeps_partnerships_with_a_member_council_in_the_area(name, code):
    from partnerships.models import Council, PartnershipCouncil

    listed = names(**{name: code})
    in_area = Council.objects.filter(**{f"{name}__code": code}, current=True)
    assert listed and len(listed) < len(names())
    for partnership in Partnership.objects.filter(name__in=listed):
        members = PartnershipCouncil.objects.filter(partnership=partnership, left_year=None)
        assert members.filter(council__in=in_area).exists(), (name, partnership.name)
    # Every running partnership with a current member in the area is kept.
    kept = Partnership.objects.filter(
        name__in=names(),
        council_memberships__council__in=in_area,
        council_memberships__left_year=None,
    ).values_list("name", flat=True)
    assert set(kept) == set(listed)


def test_hampshire_police_force_area_keeps_hampshire_and_drops_orbis():
    hampshire = names(police_force_area="E23000030")
    assert "Hampshire Shared Services Partnership (H3 / Integrated Business Centre)" in hampshire
    assert "Orbis" not in hampshire


def test_a_geography_that_is_not_one_is_refused_beside_its_field():
    filtered = PartnershipFilter({"police_force_area": "E31000048", "combined_authority": "x"})

    assert not filtered.is_valid()
    assert set(filtered.errors) == {"police_force_area", "combined_authority"}
    assert "There is no police force area “E31000048”" in str(filtered.errors)


def test_a_geography_is_shown_by_name_and_travels_in_the_query_string():
    filtered = PartnershipFilter({"police_force_area": "E23000030", "region": "south-east"})

    assert ("Police force area", "Hampshire") in filtered.applied()
    assert "police_force_area=E23000030" in filtered.query_string()
    assert "Police force area: Hampshire" in filtered.describe()


def test_the_page_form_offers_each_area_once_and_any_region_once(client):
    page = client.get("/partnerships/").content.decode()

    assert page.count(">Any region</option>") == 1
    assert page.count(">Any police force area</option>") == 1
    assert '<option value="E23000030">Hampshire</option>' in page
    assert '<option value="E47000001">Greater Manchester</option>' in page
    assert ">NHS Hampshire and Isle of Wight Integrated Care Board</option>" in page
