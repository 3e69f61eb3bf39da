"""Search as you type: the JSON the search box asks for, and the list it falls back to."""

import json

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from tests.partnerships.factories import PartnershipFactory, grow_data

pytestmark = pytest.mark.usefixtures("real_data")

SEARCH = reverse("partnerships:search")


def search(client, text: str) -> dict:
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_two_letters_find_councils_and_partnerships_by_name(client):
    found = search(client, "ad")

    adur = next(c for c in found["councils"] if c["name"] == "Adur")
    assert adur == {
        "gss_code": "E07000223",
        "name": "Adur",
        "type": "District council",
        "current": True,
        "url": "/councils/E07000223/",
        "panel_url": "/councils/E07000223/panel/",
    }
    assert found["councils"][0]["name"] == "Adur"  # names starting with it come first
    assert {
        "slug": "adur-worthing",
        "name": "Adur and Worthing Councils partnership",
        "url": "/partnerships/adur-worthing/",
    } in found["partnerships"]


def test_at_most_ten_of_each_and_nothing_for_an_empty_box(client):
    found = search(client, "e")

    assert len(found["councils"]) == 10
    assert len(found["partnerships"]) == 10
    nothing = {"councils": [], "partnerships": [], "bodies": [], "categories": []}
    assert search(client, "") == nothing
    assert search(client, "zzzz") == nothing
    assert search(client, "& ...") == nothing


def test_unpublished_partnerships_are_never_suggested(client):
    Partnership.objects.filter(slug="orbis").update(published=False)

    assert search(client, "orbis")["partnerships"] == []


def test_former_councils_come_after_current_ones_and_say_so(client):
    found = search(client, "somerset")

    names = [c["name"] for c in found["councils"]]
    flags = [c["current"] for c in found["councils"]]
    assert flags == sorted(flags, reverse=True) and True in flags and False in flags
    assert "Taunton Deane (former)" in [c["name"] for c in search(client, "taunton")["councils"]]
    assert "Somerset" in names


def test_without_javascript_the_box_is_a_field_the_list_reads(client):
    map_page = client.get("/").content.decode()
    assert 'name="q"' in map_page

    listed = client.get(reverse("partnerships:partnership-list"), {"q": "orbis"})

    assert "1 partnership" in listed.content.decode()
    assert ">Orbis</a>" in listed.content.decode()


def council_names(found: dict) -> list[str]:
    return [c["name"] for c in found["councils"]]


@pytest.mark.parametrize("typed", ["St. Albans", "St Albans", "st albans council", "ST.ALBANS"])
def test_a_name_is_found_with_or_without_its_punctuation(client, typed):
    assert council_names(search(client, typed))[0] == "St Albans"


def test_apostrophes_hyphens_and_ampersands_do_not_matter(client):
    assert "St. Helens" in council_names(search(client, "St Helens"))
    assert "St. Helens" in council_names(search(client, "saint helens"))
    assert "Stoke-on-Trent" in council_names(search(client, "stoke on trent"))
    for typed in ("King's Lynn", "Kings Lynn", "king’s lynn"):
        assert council_names(search(client, typed)) == ["Kings Lynn and West Norfolk"], typed
    PartnershipFactory(name="St Mary’s and St John's Joint Waste Service", slug="st-marys")
    for typed in ("st marys", "St. Mary's & St. John’s", "saint johns waste"):
        found = [p["name"] for p in search(client, typed)["partnerships"]]
        assert found == ["St Mary’s and St John's Joint Waste Service"], typed
    # "&" and "and" are the same: a body named with "&" is found with "and".
    bodies = [b["name"] for b in search(client, "Buckinghamshire and Milton Keynes")["bodies"]]
    assert "Buckinghamshire & Milton Keynes" in bodies


def test_a_gss_code_finds_its_council(client):
    found = search(client, "e07000240 ")

    assert council_names(found) == ["St Albans"]
    assert found["councils"][0]["url"] == "/councils/E07000240/"


def test_a_public_body_is_found_with_the_partnerships_it_is_in(client):
    found = search(client, "Hampshire Constabulary")

    assert [b["name"] for b in found["bodies"]] == ["Hampshire & Isle of Wight Constabulary"]
    assert found["bodies"][0]["kind"] == "Police force or commissioner"
    partnerships = [p["name"] for p in found["partnerships"]]
    assert partnerships == [
        "Hampshire Shared Services Partnership (H3 / Integrated Business Centre)"
    ]
    # A police force area lists the partnerships of the councils in it.
    area = next(b for b in search(client, "E23000030")["bodies"])
    assert area["name"] == "Hampshire"
    assert area["url"] == "/partnerships/?police_force_area=E23000030"


def test_a_service_finds_the_partnerships_that_provide_it(client):
    found = search(client, "legal")

    assert found["categories"] == [
        {"slug": "legal", "name": "Legal", "url": "/partnerships/?category=legal"}
    ]
    names = [p["name"] for p in found["partnerships"]]
    assert "HB Public Law" in names
    assert "nplaw (Norfolk Public Law)" in names
    # Names holding the word come before partnerships found through their service.
    assert names.index("One Legal") < names.index("HB Public Law")


def test_search_costs_four_queries_at_any_size(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        search(client, "ad")
    grow_data(10)
    with django_assert_max_num_queries(4):
        found = search(client, "test shared")
    assert len(found["partnerships"]) == 10
