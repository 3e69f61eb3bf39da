"""The map's side panel for a council, and what a chosen partnership draws: what a
member of the public reads of each partnership (status, since when, description,
savings with their source, partners), that missing figures are said to be missing, and
that a public body is drawn as its own area's light outline."""

import json
from decimal import Decimal

import pytest
import shapely
from django.urls import reverse

from partnerships.models import (
    Council,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    SavingsRecord,
)
from partnerships.panel import DESCRIPTION_LIMIT, short_description
from partnerships.services.ledger import ledger_rebuild
from tests.partnerships.factories import SavingsRecordFactory, grow_data, partnership_with_members

pytestmark = pytest.mark.usefixtures("empty_cache", "real_data")

ADUR, WORTHING, HORSHAM = "E07000223", "E07000229", "E07000227"
HAMPSHIRE_IBC = "hampshire-shared-services-ibc"


def panel_html(client, gss: str, **params) -> str:
    response = client.get(
        reverse("partnerships:council-panel", args=[gss]), params, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def entry_of(html: str, slug: str) -> str:
    """The panel's list item of one partnership."""
    start = html.index(f'data-partnership="{slug}"')
    end = html.find("</li>", start)
    return html[start:end]


def council(gss: str) -> Council:
    return Council.objects.get(gss_code=gss)


# Descriptions


def test_a_short_description_is_kept_whole():
    assert short_description("  Shared legal\n services.  ") == "Shared legal services."


def test_a_long_description_is_cut_at_the_end_of_a_sentence_that_says_enough():
    first = "A" * 150 + " shared its legal team."
    text = first + " " + "Then it grew to cover planning and building control too. " * 4

    assert short_description(text) == first


def test_a_long_description_without_an_early_full_stop_is_cut_at_a_word():
    text = "shared " * 60

    cut = short_description(text)

    assert len(cut) <= DESCRIPTION_LIMIT and cut.endswith("shared…")


# The council's panel


def test_a_councils_panel_gives_each_partnerships_status_since_savings_and_partners(client):
    html = panel_html(client, ADUR)

    joint = entry_of(html, "adur-worthing")
    assert 'Operational</span> <span class="council-panel__since">Since 2008' in joint
    assert "Two councils that decided in 2007" in joint
    assert '<dd data-savings="to-date">£20,000,000 achieved</dd>' in joint
    assert "£3,000,000 achieved in 2017/18. Source: <a href=" in joint
    assert "Published source (reference data)" in joint
    assert "With Worthing</p>" in joint
    census = entry_of(html, "census-revenues-benefits")
    assert "Status not confirmed" in census and "Start year not recorded" in census
    assert '<dd data-savings="to-date">No savings figure recorded</dd>' in census
    assert 'data-savings="latest"' not in census


def test_ended_and_proposed_partnerships_are_marked_as_such(client):
    ended = partnership_with_members(
        council(ADUR), council(WORTHING), status="ended", start_year=2010, end_year=2019
    )
    proposed = partnership_with_members(
        council(ADUR), council(HORSHAM), status="proposed", start_year=2027
    )

    ended_html = entry_of(panel_html(client, ADUR, status="ended"), ended.slug)
    proposed_html = entry_of(panel_html(client, ADUR, status="proposed"), proposed.slug)

    assert '<span class="tag tag--ended">Ended in 2019</span>' in ended_html
    assert "Started 2010" in ended_html
    assert '<span class="tag tag--proposed">Proposed</span>' in proposed_html
    assert "To start 2027" in proposed_html


def test_partners_who_joined_later_or_left_say_when_and_bodies_name_their_sector(client):
    shared = partnership_with_members(council(ADUR), council(WORTHING), start_year=2012)
    PartnershipCouncil.objects.create(
        partnership=shared, council=council(HORSHAM), joined_year=2016, left_year=2020
    )
    police = PublicBody.objects.get(kind="police_force_area", name="Sussex")
    PartnershipPublicBody.objects.create(partnership=shared, public_body=police)

    entry = entry_of(panel_html(client, ADUR), shared.slug)

    assert "With Horsham (joined 2016, left 2020), Worthing, Sussex (police)</p>" in entry


def test_missing_savings_are_said_to_be_missing_never_shown_as_nothing(client):
    not_measured = partnership_with_members(
        council(ADUR), council(WORTHING), no_savings_reason="not_measured"
    )
    undated = partnership_with_members(council(ADUR), council(HORSHAM))
    SavingsRecordFactory(partnership=undated, start_year=None, end_year=None)
    expected_only = partnership_with_members(council(ADUR), council(HORSHAM))
    SavingsRecordFactory(partnership=expected_only, kind="expected", amount=Decimal("5000"))
    ledger_rebuild(partnership_ids=[undated.pk, expected_only.pk])

    html = panel_html(client, ADUR)

    assert "No savings figure recorded (savings are not measured)" in entry_of(
        html, not_measured.slug
    )
    assert "No figure counted (the source gives no period)" in entry_of(html, undated.slug)
    assert "No achieved figure counted; £5,000 expected" in entry_of(html, expected_only.slug)


def test_the_latest_figure_is_the_partnership_pages_own(client):
    shared = partnership_with_members(council(ADUR), council(WORTHING))
    SavingsRecordFactory(partnership=shared, start_year=2018, end_year=2018, amount=100)
    SavingsRecordFactory(
        partnership=shared,
        start_year=2021,
        end_year=2021,
        amount=Decimal("42000"),
        source_url="https://example.org/report",
    )
    ledger_rebuild(partnership_ids=[shared.pk])
    page = client.get(shared.get_absolute_url()).content.decode()

    entry = entry_of(panel_html(client, ADUR), shared.slug)

    assert "Latest achieved figure" in page and "2021/22" in page
    assert "£42,100 achieved" in entry
    assert "£42,000 achieved in 2021/22. Source: " in entry
    assert '<a href="https://example.org/report">' in entry


def _many_partnerships_for(gss: str, n: int) -> None:
    for index in range(n):
        shared = partnership_with_members(council(gss), council(WORTHING), start_year=2015)
        SavingsRecordFactory(partnership=shared, amount=Decimal(1000 + index))
        PartnershipPublicBody.objects.create(
            partnership=shared, public_body=PublicBody.objects.order_by("pk")[index % 5]
        )
    ledger_rebuild(partnership_ids=list(Partnership.objects.values_list("pk", flat=True)))


def test_the_panel_costs_the_same_queries_at_ten_times_the_data(
    client, django_assert_max_num_queries
):
    url = reverse("partnerships:council-panel", args=[ADUR])
    client.get(url, HTTP_HX_REQUEST="true")  # the data version, read once a minute
    with django_assert_max_num_queries(9):
        small = client.get(url, HTTP_HX_REQUEST="true")
    grow_data(10)
    _many_partnerships_for(ADUR, 30)

    with django_assert_max_num_queries(9):
        large = client.get(url, HTTP_HX_REQUEST="true")

    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("council-panel__partnership") >= 32
    assert SavingsRecord.objects.filter(partnership__councils__gss_code=ADUR).count() > 30


# What a chosen partnership draws


def highlight(client, slug: str) -> dict:
    response = client.get(reverse("partnerships:partnership-map", args=[slug]))
    assert response.status_code == 200
    return json.loads(response.content)


def _coordinates(geometry) -> list:
    def walk(part):
        if isinstance(part[0], (int, float)):
            yield part
        else:
            for inner in part:
                yield from walk(inner)

    return list(walk(geometry["coordinates"]))


def test_public_bodies_with_an_area_are_drawn_as_its_light_outline_named_inside_it(client):
    data = highlight(client, HAMPSHIRE_IBC)

    bodies = {b["name"]: b for b in data["bodies"]}
    constabulary = bodies["Hampshire & Isle of Wight Constabulary"]
    assert constabulary["area_name"] == "Hampshire (police force area)"
    assert constabulary["marker"] is None
    # The constabulary, its commissioner and the fire service share one outline.
    (area,) = data["areas"]
    assert set(area["names"]) == set(bodies)
    assert all(b["area_key"] == area["key"] for b in bodies.values())
    shape = shapely.from_geojson(json.dumps(area["area"]))
    assert shape.contains(shapely.Point(area["label"][1], area["label"][0]))
    # Light: simplified, 4 decimal places, a few kilobytes.
    assert all(round(v, 4) == v for point in _coordinates(area["area"]) for v in point)
    assert len(json.dumps(area["area"])) < 20_000
    police_area = PublicBody.objects.get(kind="police_force_area", name="Hampshire")
    assert shape.area == pytest.approx(shapely.from_geojson(police_area.boundary).area, rel=0.05)


def test_a_partnerships_highlight_says_its_status_and_savings_and_names_its_members(client):
    data = highlight(client, "adur-worthing")

    assert data["status"] == "Operational" and data["start_year"] == 2008
    assert data["description"].startswith("Two councils that decided in 2007")
    assert data["savings"]["to_date"] == "£20,000,000 achieved"
    assert data["savings"]["latest"] == "£3,000,000 achieved in 2017/18"
    assert data["savings"]["source_url"].startswith("https://businessesforsalebrighton.co.uk/")
    assert {m["gss_code"] for m in data["members"]} == {ADUR, WORTHING}
    assert data["areas"] == [] and data["bodies"] == []
    # Members are named by code: the map draws them from the layer files it has.
    assert "geometry" not in json.dumps(data)


def test_a_highlight_costs_the_same_queries_at_ten_times_the_data(
    client, django_assert_max_num_queries
):
    url = reverse("partnerships:partnership-map", args=[HAMPSHIRE_IBC])
    client.get(url)  # the data version, read once a minute
    # The partnership, its categories, figures, ledger, members, bodies, the councils
    # naming the bodies and, once, the bodies' outlines.
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    grow_data(10)

    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
