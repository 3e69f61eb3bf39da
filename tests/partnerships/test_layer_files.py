"""The map's council shapes as versioned files: built once per boundary change, served
by WhiteNoise as immutable static files, and named by the map page."""

import gzip
import json

import pytest
from django.core.management import call_command

from partnerships import layer_files
from partnerships.models import Council, Generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def layer_root(settings, tmp_path):
    settings.LAYER_FILES_ROOT = tmp_path / "layers"
    return settings.LAYER_FILES_ROOT


@pytest.fixture
def built(layer_root):
    return layer_files.layer_files_build()


def _file(root, manifest, code, layer, detail):
    return root / manifest.files[code][layer][detail]


def test_every_generation_layer_and_detail_is_written_with_its_gzip(layer_root, built):
    generations = list(Generation.objects.values_list("code", flat=True))
    assert len(generations) > 1
    assert sorted(built.files) == sorted(generations)
    for code in generations:
        for layer in ("districts", "counties"):
            for detail in ("low", "high"):
                path = _file(layer_root, built, code, layer, detail)
                body = path.read_bytes()
                assert gzip.decompress((path.parent / (path.name + ".gz")).read_bytes()) == body
                assert path.name == f"{layer}-{detail}-{code}.geojson"
    manifest = json.loads((layer_root / "manifest.json").read_text())
    assert manifest["version"] == built.version


def test_a_file_holds_the_councils_shapes_by_gss_code_and_no_counts(layer_root, built):
    current = Generation.objects.get(valid_to__isnull=True)
    data = json.loads(_file(layer_root, built, current.code, "districts", "low").read_text())
    by_id = {f["id"]: f for f in data["features"]}
    adur = by_id["E07000223"]
    assert adur["properties"] == {
        "gss_code": "E07000223",
        "name": "Adur",
        "type": adur["properties"]["type"],
        "type_name": adur["properties"]["type_name"],
    }
    assert adur["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert "partnerships" not in json.dumps(data)
    counties = json.loads(_file(layer_root, built, current.code, "counties", "low").read_text())
    assert "E10000032" in {f["id"] for f in counties["features"]}  # West Sussex
    assert "E07000223" not in {f["id"] for f in counties["features"]}


def test_the_light_files_keep_four_decimals(layer_root, built):
    current = Generation.objects.get(valid_to__isnull=True)
    text = _file(layer_root, built, current.code, "districts", "low").read_text()
    coordinates = json.loads(text)["features"][0]["geometry"]["coordinates"]
    flat = json.dumps(coordinates)
    assert all(
        len(part.split(".")[1]) <= 4
        for part in flat.replace("[", "").replace("]", "").split(",")
        if "." in part
    )


def test_the_same_boundaries_make_the_same_version_and_a_change_a_new_one(layer_root, built):
    assert layer_files.layer_files_build().version == built.version
    Council.objects.filter(gss_code="E07000223").update(short_name="Adur and the Sea")
    from partnerships.models import GenerationCouncil

    GenerationCouncil.objects.filter(council__gss_code="E07000223").update(name="Adur and the Sea")
    changed = layer_files.layer_files_build()
    assert changed.version != built.version
    assert changed.previous == (built.version,)
    # The old version stays on disk for pages that name it.
    assert (layer_root / built.version).is_dir()


def test_old_versions_are_pruned_beyond_the_last_few(layer_root, built):

    versions = [built.version]
    for n in range(layer_files.KEEP_VERSIONS + 2):
        Council.objects.filter(gss_code="E07000223").update(short_name=f"Adur {n}")
        versions.append(layer_files.layer_files_build().version)
    assert len(set(versions)) == len(versions)
    on_disk = {p.name for p in layer_root.iterdir() if p.is_dir()}
    assert on_disk == set(versions[-(layer_files.KEEP_VERSIONS + 1) :])


def test_the_command_builds_the_files(layer_root, capsys):
    call_command("layers_build")
    manifest = layer_files.layer_manifest_read()
    assert manifest is not None
    assert manifest.version in capsys.readouterr().out


def test_a_council_renamed_by_staff_reaches_the_files_the_map_names(
    layer_root, built, client, django_capture_on_commit_callbacks
):
    """Staff rename a council: after the commit the layer files are built again (the
    task, eager here), the map page names the new version and its file has the name."""
    adur = Council.objects.get(gss_code="E07000223")
    with django_capture_on_commit_callbacks(execute=True):
        adur.short_name = "Adur by the Sea"
        adur.save()

    manifest = layer_files.layer_manifest()
    assert manifest.version != built.version
    html = client.get("/").content.decode()
    assert f"/layers/{manifest.version}/" in html and f"/layers/{built.version}/" not in html
    generation = Generation.objects.order_by("-valid_from").first()
    light = _file(layer_root, manifest, generation.code, "districts", "low")
    features = json.loads(light.read_text())["features"]
    assert {f["id"]: f["properties"]["name"] for f in features}["E07000223"] == "Adur by the Sea"
