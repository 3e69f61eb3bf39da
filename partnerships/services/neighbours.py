"""Which current councils border each other, worked out from their boundaries."""

import json
from collections.abc import Iterable

from partnerships.models import Council, CouncilType
from partnerships.services.report import LoadReport

# Councils whose boundaries come within about 20 m of each other are neighbours; the
# boundaries were simplified per shared arc, so real neighbours touch exactly.
NEIGHBOUR_TOLERANCE = 0.0002


def neighbours_compute(*, councils: Iterable[Council], report: LoadReport) -> None:
    """Store which current councils border each other, from their boundaries.

    A county is not the neighbour of its own districts (it contains them), but it is
    the neighbour of the councils across its border, of whatever type.
    """
    from shapely import STRtree
    from shapely.geometry import shape

    skipped_types = {CouncilType.COMBINED_AUTHORITY, CouncilType.STRATEGIC_AUTHORITY}
    group = [
        c for c in councils if c.current and c.boundary and c.council_type not in skipped_types
    ]
    shapes = [shape(json.loads(c.boundary)) for c in group]
    tree = STRtree(shapes)
    for index, council in enumerate(group):
        grown = shapes[index].buffer(NEIGHBOUR_TOLERANCE)
        found = set()
        for other_index in tree.query(grown, predicate="intersects"):
            other = group[other_index]
            if (
                other_index == index
                or council.county_id == other.pk
                or other.county_id == council.pk
            ):
                continue
            found.add(other.pk)
        if set(council.neighbours.values_list("pk", flat=True)) != found:
            council.neighbours.set(found)
            report.updated["neighbour lists"] += 1
        else:
            report.unchanged["neighbour lists"] += 1
