"""The layer files are served like static files: immutable for a year, compressed as
the client accepts, without a query; anything else under /layers/ is a 404."""

import gzip
import json

import pytest
from django.test import Client

from partnerships import layer_files
from partnerships.models import Council, Generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(settings, tmp_path):
    settings.LAYER_FILES_ROOT = tmp_path / "layers"
    return layer_files.layer_files_build()


def _address(manifest, layer="districts", detail="low"):
    code = Generation.objects.get(valid_to__isnull=True).code
    return manifest.urls(code)[layer][detail]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_built_file_is_served_immutable_for_a_year_without_a_query(
    built, django_assert_num_queries
):
    address = _address(built)
    assert address.startswith(f"/layers/{built.version}/districts-low-")
    with django_assert_num_queries(0):
        response = Client().get(address)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(_body(response))
    assert "E07000223" in {f["id"] for f in data["features"]}


def test_gzip_is_served_when_accepted(built, django_assert_num_queries):
    address = _address(built, "counties", "low")
    with django_assert_num_queries(0):
        response = Client().get(address, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    plain = _body(Client().get(address))
    assert gzip.decompress(_body(response)) == plain
    assert int(response["Content-Length"]) < len(plain) / 3


def test_a_file_written_after_startup_is_served(built, settings):
    client = Client()
    client.get("/")  # the middleware has started
    Council.objects.filter(gss_code="E07000223").update(short_name="Adur Later")
    later = layer_files.layer_files_build()
    response = client.get(_address(later))
    assert response.status_code == 200
    assert b"Adur Later" in _body(response)
    # The page loaded before the rebuild still gets its files.
    assert client.get(_address(built)).status_code == 200


@pytest.mark.parametrize(
    "tail",
    [
        "0123456789abcdef0123/districts-low-2024.geojson",  # no such version
        "{version}/districts-low-1850.geojson",  # no such generation
        "{version}/../manifest.json",
        "{version}/%2e%2e/manifest.json",
        "manifest.json",
        "{version}/districts-low-{code}.geojson/../../manifest.json",
        "..%2f..%2fsharedmap/settings/base.py",
        "{version}/",
        "{version}",
    ],
)
def test_a_missing_version_or_a_traversal_is_a_404_without_a_query(
    built, tail, django_assert_num_queries
):
    code = Generation.objects.get(valid_to__isnull=True).code
    with django_assert_num_queries(0):
        response = Client().get("/layers/" + tail.format(version=built.version, code=code))
    assert response.status_code == 404
