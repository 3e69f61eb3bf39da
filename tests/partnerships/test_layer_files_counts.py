"""The map page names the layer files of its year and the counts JSON; the counts per
council follow the filters, and a stored answer costs no query."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from partnerships import map_layers
from partnerships.models import Generation

pytestmark = pytest.mark.django_db

COUNTS = reverse("partnerships:map-counts")


@pytest.fixture(autouse=True)
def layer_root(settings, tmp_path):
    settings.LAYER_FILES_ROOT = tmp_path / "layers"


def _config(response) -> dict:
    text = response.content.decode()
    start = text.index('<script id="map-config" type="application/json">') + len(
        '<script id="map-config" type="application/json">'
    )
    return json.loads(text[start : text.index("</script>", start)])


def test_the_map_page_names_the_years_layer_files_and_the_counts(client):
    config = _config(client.get(reverse("partnerships:map")))
    current = Generation.objects.get(valid_to__isnull=True).code
    files = config["layerFiles"]
    assert files["districts"]["low"].endswith(f"/districts-low-{current}.geojson")
    assert files["counties"]["high"].startswith("/layers/")
    assert client.get(files["districts"]["low"]).status_code == 200
    assert config["countsUrl"] == COUNTS
    older = Generation.objects.order_by("valid_from").first()
    config = _config(client.get(reverse("partnerships:map"), {"year": older.first_year}))
    assert config["layerFiles"]["districts"]["low"].endswith(f"-{older.code}.geojson")


def test_the_counts_are_those_the_layer_embedded(client):
    data = client.get(COUNTS).json()
    assert data["counts"] == map_layers.now_counts()
    assert data["counts"] and all(n > 0 for n in data["counts"].values())
    assert data["version"] == map_layers.map_data_version()
    assert data["generation"] == Generation.objects.get(valid_to__isnull=True).code


def test_a_filter_narrows_the_counts(client):
    everything = client.get(COUNTS).json()["counts"]
    filtered = client.get(COUNTS, {"q": "waste"}).json()["counts"]
    assert sum(filtered.values()) < sum(everything.values())
    assert all(everything[code] >= n for code, n in filtered.items())


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1850"}, {"status": "x" * 300}])
def test_filters_not_understood_are_a_400_naming_them(client, query):
    response = client.get(COUNTS, query)
    assert response.status_code == 400
    assert "could not be worked out" in response.content.decode()


def test_a_stored_answer_costs_no_query(django_assert_num_queries):
    client = Client()
    first = client.get(COUNTS, {"q": "waste"}, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(COUNTS, {"q": "waste"}, headers={"Accept-Encoding": "gzip"})
    assert again.content == first.content
    assert again["Content-Encoding"] == "gzip"
    with django_assert_num_queries(0):
        revalidated = client.get(COUNTS, {"q": "waste"}, headers={"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304


def test_a_new_data_version_gives_new_counts(client):
    before = client.get(COUNTS).json()
    map_layers.map_data_changed()
    after = client.get(COUNTS).json()
    assert after["version"] != before["version"]
