"""The map's council shapes as files: every generation, layer and level of detail written
once, when the boundaries change, into immutable, versioned files that WhiteNoise
(`sharedmap.layer_static`), nginx or a CDN serves with far-future caching.

    <LAYER_FILES_ROOT>/<version>/districts-low-2024.geojson  (+ .gz, and .br with brotli)
    <LAYER_FILES_ROOT>/manifest.json                          the current version

The version is a hash of every file's content, so the same shapes always make the same
version, and a build that changes nothing makes no new one. The files hold geometry and
the names the map shows, nothing that depends on filters or partnerships (the counts are
`/map/counts.json`), so publishing a partnership never rebuilds them. A version is
written into a directory of its own and renamed into place, then the manifest is replaced,
so a reader sees the old version or the new one, never half of one. The last few versions
stay on disk, so a page loaded before a rebuild can still fetch the files it names.
"""

import gzip
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from partnerships.map_layers import DETAILS, LAYERS, council_shapes
from partnerships.models import Generation

try:  # Brotli is used when it is installed, never required (as in sharedmap.http).
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

MANIFEST_NAME = "manifest.json"
# Versions kept on disk besides the current one, for pages loaded before a rebuild.
KEEP_VERSIONS = 3
# A version's directory name: the first hex digits of its content hash.
VERSION_PATTERN = re.compile(r"[0-9a-f]{20}")
# A file's name in a version: layer, detail and the generation's code.
FILE_PATTERN = re.compile(r"(districts|counties)-(low|high)-([A-Za-z0-9_]{1,10})\.geojson")
# A build abandoned half way (a killed process) leaves a temporary directory behind.
_STALE_TEMPORARY_SECONDS = 60 * 60
# Light shapes are drawn no closer than zoom 8, where a pixel is about 600 m: four
# decimals of a degree (about 11 m north-south, 7 m east-west here) lose nothing seen.
_LOW_DECIMALS = 4
_COORDINATE = re.compile(r"-?\d+\.\d+")


def layer_files_root() -> Path:
    return Path(settings.LAYER_FILES_ROOT)


def file_name(*, layer: str, detail: str, generation_code: str) -> str:
    return f"{layer}-{detail}-{generation_code}.geojson"


def _rounded(geometry: str, decimals: int) -> str:
    """GeoJSON text with every coordinate rounded to `decimals` places (trailing zeros
    dropped)."""

    def shorter(match: re.Match) -> str:
        text = f"{float(match.group()):.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    return _COORDINATE.sub(shorter, geometry)


def layer_text(*, generation_id: int, layer: str, detail: str) -> str:
    """A generation's layer as a GeoJSON FeatureCollection: each council a Feature whose
    id is its GSS code, with its name and type, in name order."""
    features = []
    for shape in council_shapes(generation_id=generation_id, detail=detail, layer=layer):
        geometry = shape.geometry
        if detail == "low":
            geometry = _rounded(geometry, _LOW_DECIMALS)
        properties = json.dumps(shape.properties(), separators=(",", ":"))
        features.append(
            f'{{"type":"Feature","id":{json.dumps(shape.gss_code)},'
            f'"properties":{properties},"geometry":{geometry}}}'
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


@dataclass(frozen=True)
class LayerManifest:
    """The current version of the layer files and the files it holds, by generation code,
    layer and detail, as paths relative to the root."""

    version: str
    files: dict[str, dict[str, dict[str, str]]]
    previous: tuple[str, ...] = ()

    def urls(self, generation_code: str | None) -> dict[str, dict[str, str]]:
        """{layer: {detail: address}} of one generation's files ({} if it has none)."""
        prefix = settings.LAYER_FILES_URL
        return {
            layer: {detail: prefix + path for detail, path in details.items()}
            for layer, details in self.files.get(generation_code or "", {}).items()
        }

    def as_json(self) -> str:
        return json.dumps(
            {"version": self.version, "files": self.files, "previous": list(self.previous)},
            indent=1,
            sort_keys=True,
        )


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _write_version(root: Path, version: str, bodies: dict[str, bytes]) -> None:
    """Write a version's files, each with its compressed variants, into a temporary
    directory, then rename it into place (another process may have done so first)."""
    target = root / version
    if target.is_dir():
        return
    temporary = root / f".build-{version}-{uuid.uuid4().hex}"
    temporary.mkdir(parents=True)
    for name, body in bodies.items():
        # The variants first: WhiteNoise looks for them when it first sees the file.
        (temporary / f"{name}.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
        if brotli is not None:  # pragma: no cover - depends on the environment
            (temporary / f"{name}.br").write_bytes(brotli.compress(body, quality=11))
        (temporary / name).write_bytes(body)
    for path in temporary.iterdir():
        path.chmod(0o644)
    temporary.chmod(0o755)
    try:
        temporary.rename(target)
    except OSError:
        # Built at the same time elsewhere: the same content under the same name.
        shutil.rmtree(temporary, ignore_errors=True)


def _prune(root: Path, keep: set[str]) -> None:
    now = time.time()
    for path in root.iterdir():
        if not path.is_dir():
            continue
        if path.name.startswith(".build-"):
            if now - path.stat().st_mtime > _STALE_TEMPORARY_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        elif VERSION_PATTERN.fullmatch(path.name) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def layer_files_build() -> LayerManifest:
    """Write every generation's layers at both levels of detail as a new version, unless
    the same content is there already; make it current, keeping the last
    `KEEP_VERSIONS` before it on disk and deleting older ones. Idempotent."""
    root = layer_files_root()
    root.mkdir(parents=True, exist_ok=True)
    bodies: dict[str, bytes] = {}
    names: dict[str, dict[str, dict[str, str]]] = {}
    for generation in Generation.objects.order_by("valid_from"):
        for layer in LAYERS:
            for detail in DETAILS:
                name = file_name(layer=layer, detail=detail, generation_code=generation.code)
                bodies[name] = layer_text(
                    generation_id=generation.pk, layer=layer, detail=detail
                ).encode()
                names.setdefault(generation.code, {}).setdefault(layer, {})[detail] = name
    digest = hashlib.sha256()
    for name in sorted(bodies):
        digest.update(name.encode() + b"\0" + hashlib.sha256(bodies[name]).digest())
    version = digest.hexdigest()[:20]
    _write_version(root, version, bodies)
    before = layer_manifest_read()
    previous: tuple[str, ...] = ()
    if before is not None:
        previous = tuple(
            v for v in (before.version, *before.previous) if v != version and (root / v).is_dir()
        )[:KEEP_VERSIONS]
    manifest = LayerManifest(
        version=version,
        files={
            code: {
                layer: {detail: f"{version}/{name}" for detail, name in details.items()}
                for layer, details in layers.items()
            }
            for code, layers in names.items()
        },
        previous=previous,
    )
    _write_atomically(root / MANIFEST_NAME, manifest.as_json().encode())
    _prune(root, {version, *previous})
    return manifest


# The manifest as last read by this process, with the file's identity when read.
_read: tuple[tuple, LayerManifest] | None = None


def layer_manifest_read() -> LayerManifest | None:
    """The current manifest, or None if no files have been built. Read from disk only
    when the file has changed since this process last read it (one stat otherwise)."""
    global _read
    path = layer_files_root() / MANIFEST_NAME
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    identity = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if _read is not None and _read[0] == identity:
        return _read[1]
    data = json.loads(path.read_text())
    manifest = LayerManifest(
        version=data["version"], files=data["files"], previous=tuple(data.get("previous", ()))
    )
    _read = (identity, manifest)
    return manifest


def layer_manifest() -> LayerManifest:
    """The current manifest; the files are built first if there are none yet (a fresh
    checkout or volume), so the map always names files that exist."""
    return layer_manifest_read() or layer_files_build()
