"""What other apps add to the partnerships admin's council and partnership pages.

The partnerships app imports none of its siblings, and no app unregisters its admins.
An app that adds to these pages says so in its `AppConfig.ready()` through the two
functions below; `CouncilAdmin` and `PartnershipAdmin` read the lists on each request,
so the order the apps and their admin modules load in does not matter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.options import InlineModelAdmin


@dataclass(frozen=True)
class PartnershipPageField:
    """A read-only line on a partnership's page: `render(partnership)` returns its HTML,
    and its `short_description` (set with `@admin.display`) is its label."""

    fieldset: str
    render: Callable[[Any], str]


COUNCIL_INLINES: list[type[InlineModelAdmin]] = []
PARTNERSHIP_FIELDS: list[PartnershipPageField] = []


def _add(registry: list, item) -> None:
    # ready() may run twice (tests that reload apps): each contribution is kept once.
    if item not in registry:
        registry.append(item)


def council_inline_add(inline: type[InlineModelAdmin]) -> None:
    """Show `inline` on every council's page, after the partnerships app's own."""
    _add(COUNCIL_INLINES, inline)


def partnership_field_add(*, fieldset: str, render: Callable[[Any], str]) -> None:
    """Show a read-only line made by `render` on every partnership's page, in the
    fieldset called `fieldset` (added after the partnerships app's own)."""
    _add(PARTNERSHIP_FIELDS, PartnershipPageField(fieldset=fieldset, render=render))
