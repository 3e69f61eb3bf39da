"""Once a year's map is published, that year's views show exactly what was published,
whatever is edited afterwards; years without a snapshot say they are reconstructed."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import (
    MapSnapshot,
    Partnership,
    PartnershipCouncil,
    SavingsKind,
    SavingsRecord,
)
from partnerships.services.snapshots import map_snapshot_publish
from tests.partnerships.factories import partnership_with_members
from tests.partnerships.listing import every_listed

pytestmark = pytest.mark.usefixtures("real_data")

YEAR = 2025


def listed(client, query: str) -> set[str]:
    return set(every_listed(client, query))


def downloaded(client, query: str) -> dict[str, dict]:
    text = client.get(f"/partnerships/download.csv?{query}").content.decode("utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {row["Name"]: row for row in csv.DictReader(io.StringIO("\n".join(lines)))}


def from_api(client, query: str) -> dict[str, dict]:
    response = client.get(f"/api/partnerships/?{query}&page_size=500")
    return {row["name"]: row for row in response.json()["results"]}


def test_a_published_year_survives_later_edits(client):
    before_list = listed(client, f"year={YEAR}")
    before_csv = downloaded(client, f"year={YEAR}")
    snapshot = map_snapshot_publish(year=YEAR, note="End of the 2025/26 refresh")
    assert snapshot.payload["partnerships"] == len(before_list)

    # Later: a partnership is renamed and loses a member, a figure is added, and a new
    # partnership that started in 2020 appears.
    veritau = Partnership.objects.get(slug="veritau")
    old_name = veritau.name
    assert old_name in before_list
    veritau.name = "Veritau Group (renamed)"
    veritau.save()
    PartnershipCouncil.objects.filter(partnership=veritau).first().delete()
    SavingsRecord.objects.create(
        partnership=veritau,
        start_year=YEAR,
        end_year=YEAR,
        amount=Decimal("999999999.00"),
        kind=SavingsKind.ACHIEVED,
    )
    from partnerships.models import Council

    councils = Council.objects.filter(current=True).order_by("pk")[:2]
    partnership_with_members(*councils, name="Added after publishing", start_year=2020)

    page = client.get(f"/partnerships/?year={YEAR}").content.decode()
    assert "as published on" in page
    assert listed(client, f"year={YEAR}") == before_list
    after_csv = downloaded(client, f"year={YEAR}")
    assert after_csv == before_csv
    assert set(from_api(client, f"year={YEAR}")) == before_list
    # The live views show the edits.
    assert "Veritau Group (renamed)" in listed(client, "")
    assert "Added after publishing" in listed(client, "")
    assert "Added after publishing" in listed(client, "year=2024")


def test_a_snapshot_is_read_only_by_its_year_and_links_to_the_live_pages(client):
    map_snapshot_publish(year=YEAR)
    # The frozen copies never appear as partnerships of their own.
    assert listed(client, "") == {p.name for p in _now()}
    assert client.get("/search/?q=Veritau").content.decode().count("Veritau") >= 1
    page = "".join(
        client.get(f"/partnerships/?year={YEAR}&page={n}").content.decode() for n in (1, 2)
    )
    assert 'href="/partnerships/veritau/"' in page
    api = from_api(client, f"year={YEAR}")
    assert any(row["slug"] == "veritau" for row in api.values())


def _now():
    from partnerships.filters import PartnershipFilter

    return PartnershipFilter({}).qs


def test_a_year_is_published_once_and_only_a_year_there_is_a_map_of():
    map_snapshot_publish(year=YEAR)
    with pytest.raises(ValidationError, match="already published"):
        map_snapshot_publish(year=YEAR)
    with pytest.raises(ValidationError, match="There is no map of 1800"):
        map_snapshot_publish(year=1800)


def test_a_year_without_a_snapshot_says_it_is_reconstructed(client):
    page = client.get("/partnerships/?year=2019").content.decode()
    assert "reconstructed from start and end dates" in page
    assert "as published on" not in page


def test_staff_publish_a_years_map_in_the_admin_and_cannot_change_it(admin_client):
    response = admin_client.post(
        "/admin/partnerships/mapsnapshot/add/", {"year": "2024", "note": "Refresh closed"}
    )
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "The map of 2024/25 is published" in page
    snapshot = MapSnapshot.objects.get(year=2024)
    assert snapshot.published_by == "admin" and snapshot.payload["partnerships"] > 50
    again = admin_client.post("/admin/partnerships/mapsnapshot/add/", {"year": "2024"})
    assert again.status_code == 200
    assert "was already published" in again.content.decode()
    detail = admin_client.get(f"/admin/partnerships/mapsnapshot/{snapshot.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
