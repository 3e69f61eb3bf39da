"""The partner ranking, on the real councils and their real boundaries."""

import pytest

from matchmaking.models import MatchRequest
from matchmaking.ranking import (
    WEIGHTS,
    Reason,
    candidates_rank,
    plain_text,
    population_words,
    ranking_for,
    reasons_from_data,
    staff_text,
    weights_table,
)
from partnerships.models import Council, Partnership
from tests.matchmaking.factories import MatchRequestFactory, category, council
from tests.partnerships.factories import grow_data, partnership_with_members

pytestmark = pytest.mark.usefixtures("real_data")

ADUR = "E07000223"
WATFORD = "E07000103"


def neighbours_of(gss_code: str) -> set[str]:
    return set(council(gss_code).neighbours.filter(current=True).values_list("gss_code", flat=True))


def codes(candidates) -> list[str]:
    return [c.council.gss_code for c in candidates]


def test_a_district_asking_for_building_control_near_home_sees_its_real_neighbours_first():
    request = MatchRequestFactory(council=council(ADUR), reach="region")
    neighbours = neighbours_of(ADUR)
    assert len(neighbours) >= 3  # Adur's real neighbours, from the boundaries

    ranked = candidates_rank(match_request=request)

    assert set(codes(ranked)[: len(neighbours)]) == neighbours
    # Every one of them says why, with the neighbour weight among its reasons.
    for candidate in ranked[: len(neighbours)]:
        assert candidate.has("neighbour")
        assert "Neighbouring council" in candidate.reasons_text
    # ...and after them come councils of the same county and region, never Adur itself.
    assert ADUR not in codes(ranked)
    later = ranked[len(neighbours)]
    assert not later.has("neighbour") and later.has("same_region")


def test_neighbours_only_means_only_the_neighbours():
    request = MatchRequestFactory(council=council(ADUR), reach="neighbours")
    assert set(codes(candidates_rank(match_request=request))) == neighbours_of(ADUR)


def test_same_county_reach_stays_in_the_county_and_next_door():
    request = MatchRequestFactory(council=council(ADUR), reach="county")
    adur = council(ADUR)
    for candidate in candidates_rank(match_request=request, limit=None):
        c = candidate.council
        assert (
            c.gss_code in neighbours_of(ADUR)
            or c.county_id == adur.county_id
            or c.pk == adur.county_id
        ), c


def test_a_council_also_asking_for_the_same_service_comes_before_the_neighbours():
    adur = council(ADUR)
    far_away = Council.objects.filter(current=True, council_type="district", region=adur.region)
    far_away = far_away.exclude(pk__in=adur.neighbours.all()).exclude(county=adur.county).first()
    MatchRequestFactory(council=far_away, reach="anywhere")
    request = MatchRequestFactory(council=adur, reach="region")

    ranked = candidates_rank(match_request=request)

    assert ranked[0].council == far_away
    assert ranked[0].has("mutual_request")
    assert "Building control" in ranked[0].reasons_text


def test_an_unconfirmed_or_closed_request_elsewhere_is_not_a_mutual_one():
    adur = council(ADUR)
    other = adur.neighbours.first()
    MatchRequestFactory(council=other, status=MatchRequest.Status.NEW)
    MatchRequestFactory(council=other, status=MatchRequest.Status.CLOSED, closed_reason="x")
    ranked = candidates_rank(match_request=MatchRequestFactory(council=adur))
    assert not any(c.has("mutual_request") for c in ranked)


def test_councils_already_sharing_the_service_are_suggested_for_their_experience():
    # Hertfordshire Building Control is a real published partnership; Watford is not in it.
    herts = Partnership.objects.get(name="Hertfordshire Building Control")
    members = set(herts.councils.values_list("gss_code", flat=True))
    request = MatchRequestFactory(council=council(WATFORD), reach="county")

    ranked = candidates_rank(match_request=request, limit=None)
    experienced = {c.council.gss_code for c in ranked if c.has("shares_service")}

    assert experienced == members - {WATFORD}
    one = next(c for c in ranked if c.has("shares_service"))
    assert "Hertfordshire Building Control" in one.reasons_text


def test_the_kinds_of_council_asked_for_score_and_others_do_not():
    request = MatchRequestFactory(council=council(ADUR), reach="region", council_types=["unitary"])
    ranked = candidates_rank(match_request=request, limit=None)
    unitary = [c for c in ranked if c.council.council_type == "unitary"]
    district = [c for c in ranked if c.council.council_type == "district"]
    assert unitary and district
    assert all(c.has("compatible_type") for c in unitary)
    assert not any(c.has("compatible_type") for c in district)


def test_a_score_is_the_sum_of_its_reasons_weights_which_staff_can_read():
    request = MatchRequestFactory(council=council(ADUR), reach="region")
    for candidate in candidates_rank(match_request=request):
        assert candidate.score == sum(WEIGHTS[r.code] for r in candidate.reasons)
    table = weights_table()
    assert [w for _, _, w in table] == sorted(WEIGHTS.values(), reverse=True)
    # The order the brokers asked for: mutual outweighs all the rest, a neighbour all below.
    rest = sum(WEIGHTS.values()) - WEIGHTS["mutual_request"]
    assert WEIGHTS["mutual_request"] > rest
    assert WEIGHTS["neighbour"] > rest - WEIGHTS["neighbour"]


def test_similar_population_needs_both_populations_within_half_again():
    request = MatchRequestFactory(council=council(ADUR), reach="anywhere")
    adur_population = council(ADUR).population
    for candidate in candidates_rank(match_request=request, limit=None):
        other = candidate.council.population
        similar = bool(other) and min(other, adur_population) / max(other, adur_population) >= 2 / 3
        assert candidate.has("similar_population") == similar


def test_ranking_costs_the_same_queries_with_ten_times_the_data(django_assert_max_num_queries):
    request = MatchRequestFactory(council=council(WATFORD), reach="anywhere")
    with django_assert_max_num_queries(6):
        before = candidates_rank(match_request=request)
    grow_data(10)
    for other in Council.objects.filter(current=True)[:60]:
        MatchRequestFactory(council=other)
        partnership_with_members(other, council(WATFORD), categories=[category("building-control")])
    with django_assert_max_num_queries(6):
        after = candidates_rank(match_request=request, limit=None)
    assert before and len(after) > len(before)


# --- Partners already sharing the service, and reasons in plain words ----------------

BROMSGROVE = "E07000234"
REDDITCH = "E07000236"
WYRE_FOREST = "E07000239"


def test_a_council_is_never_offered_its_own_partners_for_the_service_they_already_share():
    # North Worcestershire Building Control (real data): Bromsgrove, Redditch, Wyre Forest.
    request = MatchRequestFactory(council=council(BROMSGROVE), reach="anywhere")

    ranking = ranking_for(match_request=request, limit=None)

    suggested = {c.council.gss_code for c in ranking.candidates}
    assert REDDITCH not in suggested and WYRE_FOREST not in suggested
    assert codes(candidates_rank(match_request=request, limit=None)) == codes(ranking.candidates)
    # Staff see them apart, with the partnership they share.
    apart = {p.council.gss_code: p for p in ranking.already_sharing}
    assert {REDDITCH, WYRE_FOREST} <= set(apart)
    assert "North Worcestershire Building Control" in apart[REDDITCH].partnerships
    assert apart[REDDITCH].services == ["Building control"] and apart[REDDITCH].every_service


def test_partners_for_another_service_or_who_left_or_whose_partnership_ended_are_suggested():
    bromsgrove, redditch, wyre_forest = council(BROMSGROVE), council(REDDITCH), council(WYRE_FOREST)
    legal = category("legal")
    # Asking for building control and legal: Redditch shares only building control.
    request = MatchRequestFactory(
        council=bromsgrove, reach="county", categories=[category("building-control"), legal]
    )
    ranked = {c.council.gss_code: c for c in candidates_rank(match_request=request, limit=None)}
    assert REDDITCH in ranked
    # Its shared partnership with Bromsgrove is no "experience with others".
    assert "North Worcestershire" not in ranked[REDDITCH].reasons_text

    # A legal partnership that has ended, and one Wyre Forest has left, share nothing now.
    partnership_with_members(bromsgrove, redditch, categories=[legal], status="ended")
    left = partnership_with_members(bromsgrove, wyre_forest, categories=[legal])
    left.council_memberships.filter(council=wyre_forest).update(left_year=2020)
    legal_only = MatchRequestFactory(council=bromsgrove, reach="county", categories=[legal])
    ranking = ranking_for(match_request=legal_only, limit=None)
    by_code = {c.council.gss_code: c for c in ranking.candidates}
    assert {REDDITCH, WYRE_FOREST} <= set(by_code)
    assert not ranking.already_sharing
    # Nor is an ended partnership, or one a council left, experience of sharing "already".
    assert not by_code[REDDITCH].has("shares_service")
    assert not by_code[WYRE_FOREST].has("shares_service")


def test_councils_read_plain_words_and_staff_read_the_weights():
    request = MatchRequestFactory(council=council(ADUR), reach="region", council_types=["district"])
    worthing = next(
        c
        for c in candidates_rank(match_request=request, limit=None)
        if c.council.short_name == "Worthing"
    )
    assert "Neighbouring council (shares a boundary) (+45)" in worthing.reasons_text

    plain = worthing.plain_text
    assert plain.startswith("A neighbouring council in the same county (West Sussex)")
    assert "The kind of council asked for (district council)." in plain
    for score_text in ("+", "(+", str(WEIGHTS["neighbour"]), "weight", "point"):
        assert score_text not in plain
    # The structured reasons make both texts again, from what a suggestion keeps.
    again = reasons_from_data(worthing.reasons_data)
    assert staff_text(again) == worthing.reasons_text and plain_text(again) == plain


def test_a_population_is_said_roughly_never_as_a_raw_figure():
    similar = Reason("similar_population", {"population": 85_568})
    assert similar.detail == "85,568"  # for staff
    words = plain_text([similar])
    assert words == "A council of a similar size (about 86,000 people)."
    assert "85,568" not in words
    assert population_words(1_141_816) == "about 1.1 million"
    assert population_words(9_420) == "about 9,400"


def test_plain_words_name_what_is_shared_and_asked_for():
    words = plain_text(
        [
            Reason("mutual_request", {"services": ["Legal services"]}),
            Reason("neighbour"),
            Reason("shares_service", {"partnerships": ["X"], "services": ["ICT services"]}),
            Reason("same_county", {"county": "Kent"}),
            Reason("compatible_type", {"council_type": "District council", "any": True}),
        ]
    )
    assert words == (
        "A neighbouring council in the same county (Kent) that is also asking to share "
        "legal services and already shares ICT services with other councils."
    )
