"""Search as you type: the JSON the search box asks for, and the list it falls back to."""

import json

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from tests.partnerships.factories import grow_data

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
    assert search(client, "") == {"councils": [], "partnerships": []}
    assert search(client, "zzzz") == {"councils": [], "partnerships": []}


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


def test_without_javascript_the_box_sends_q_to_the_list(client):
    map_page = client.get("/").content.decode()
    assert 'action="/partnerships/"' in map_page
    assert 'name="q"' in map_page

    listed = client.get(reverse("partnerships:partnership-list"), {"q": "orbis"})

    assert "1 partnership" in listed.content.decode()
    assert ">Orbis</a>" in listed.content.decode()


def test_search_costs_two_queries_at_any_size(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        search(client, "ad")
    grow_data(10)
    with django_assert_max_num_queries(2):
        found = search(client, "test shared")
    assert len(found["partnerships"]) == 10
