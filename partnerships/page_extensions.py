"""What other apps add to a partnership's public page, without partnerships importing them.

An app adds a note in its `AppConfig.ready()` with `partnership_note_add`: an annotation
(a query expression over `Partnership`, read in the page's own query, so it costs no
query more) and the template of a note the page shows when the annotation is true.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PartnershipNote:
    """`name` is the attribute `expression()` sets on the partnership; `template` is
    included on its page when that attribute is true."""

    name: str
    expression: Callable[[], Any]
    template: str


PARTNERSHIP_NOTES: list[PartnershipNote] = []


def partnership_note_add(*, name: str, expression: Callable[[], Any], template: str) -> None:
    """Show `template` on the page of each partnership for which `expression()` is true."""
    note = PartnershipNote(name=name, expression=expression, template=template)
    # ready() may run twice (tests that reload apps): each note is kept once.
    if note not in PARTNERSHIP_NOTES:
        PARTNERSHIP_NOTES.append(note)


def partnership_note_annotations() -> dict[str, Any]:
    """The annotations a partnership's page query adds, one per note."""
    return {note.name: note.expression() for note in PARTNERSHIP_NOTES}


def partnership_notes(partnership) -> list[str]:
    """The templates of the notes that apply to an annotated partnership."""
    return [note.template for note in PARTNERSHIP_NOTES if getattr(partnership, note.name, False)]
