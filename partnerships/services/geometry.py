"""Boundaries as the reference files give them and as they are stored: GeoJSON text,
with a low-detail shape for the map's small scales."""

import json
from pathlib import Path

# Low-detail county shapes are simplified from the detailed ones (the BUC file has
# districts only); about 300 m, close to the districts' 500 m generalisation.
COUNTY_LOW_TOLERANCE = 0.003


def features_read(path: Path) -> list[dict]:
    """The features of a GeoJSON FeatureCollection file."""
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def geometry_text(geometry: dict | None) -> str:
    """A geometry as compact GeoJSON text, or "" for none."""
    return json.dumps(geometry, separators=(",", ":")) if geometry else ""


def geometry_low(geometry: dict) -> dict:
    """A low-detail version of a detailed shape, for councils the low-detail file lacks."""
    from shapely.geometry import mapping, shape

    return mapping(shape(geometry).simplify(COUNTY_LOW_TOLERANCE, preserve_topology=True))
