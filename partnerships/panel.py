"""What the map's side panel says of each partnership a council is in, better than the
LGA's 2013 pop-up: its status and since when, a short description, its savings to date
and its latest figure with the figure's source, and the partners it shares with
(councils and public bodies), each with the years it joined or left where the data has
them.

The savings are the ledger's (`partnerships.services.ledger.savings_statement`, as the
partnership's page shows them) and the latest figure is the page's own
(`Partnership.latest_achieved_record`): the panel never counts a figure the page would
not.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import prefetch_related_objects

from core.money import money_pounds
from partnerships.models import Council, Partnership, SavingsRecord, Sector
from partnerships.services.ledger import savings_statement

# About three lines of the panel; a longer description is cut at a sentence's end, or
# else at a word, and the partnership's page has the whole of it.
DESCRIPTION_LIMIT = 220


def short_description(text: str, *, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` on one line, whole if it fits in `limit` characters; otherwise its first
    sentences that fit (if they say at least half as much), or else its first words
    that fit, followed by "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end >= limit // 2:
        return cut[: sentence_end + 1]
    words = cut[:limit].rsplit(" ", 1)[0] if " " in cut[:limit] else cut[: limit - 1]
    return words.rstrip(" ,;:-–—(") + "…"


@dataclass(frozen=True)
class Partner:
    """Another member of a partnership, as the panel names it."""

    name: str
    joined_year: int | None
    left_year: int | None

    @property
    def label(self) -> str:
        years = []
        if self.joined_year:
            years.append(f"joined {self.joined_year}")
        if self.left_year:
            years.append(f"left {self.left_year}")
        return f"{self.name} ({', '.join(years)})" if years else self.name


@dataclass(frozen=True)
class PanelEntry:
    """What the panel says of one partnership besides its name and categories."""

    description: str
    achieved_total: Decimal | None
    expected_total: Decimal | None
    latest: SavingsRecord | None
    # Any figure at all (the page's table), counted or not.
    has_figures: bool
    no_savings_reason: str
    partners: tuple[Partner, ...]

    @property
    def to_date_text(self) -> str:
        """The savings to date in words, or what is missing."""
        achieved, expected = self.achieved_total, self.expected_total
        if achieved is not None:
            text = f"{money_pounds(achieved)} achieved"
            return text + (f"; {money_pounds(expected)} expected" if expected is not None else "")
        if expected is not None:
            return f"No achieved figure counted; {money_pounds(expected)} expected"
        if self.has_figures:
            return "No figure counted (the source gives no period)"
        reason = f" ({self.no_savings_reason.lower()})" if self.no_savings_reason else ""
        return f"No savings figure recorded{reason}"

    @property
    def latest_text(self) -> str:
        """The latest achieved figure and its years, or ""."""
        if self.latest is None:
            return ""
        return f"{money_pounds(self.latest.amount)} achieved in {self.latest.period_label}"

    def savings_json(self) -> dict[str, str]:
        """The same words for the map's script: to date, the latest figure and its
        source (its origin, and the link the source gave if any)."""
        return {
            "to_date": self.to_date_text,
            "latest": self.latest_text,
            "source": self.latest.origin_label if self.latest else "",
            "source_url": self.latest.source_url if self.latest else "",
        }


def _no_savings_reason(partnership: Partnership) -> str:
    if partnership.no_savings_reason == "other" and partnership.no_savings_reason_other:
        return partnership.no_savings_reason_other
    return partnership.get_no_savings_reason_display() if partnership.no_savings_reason else ""


def _joined(year: int | None, partnership: Partnership) -> int | None:
    # A member there from the start needs no year of its own.
    if year and partnership.start_year and year <= partnership.start_year:
        return None
    return year


def _partners(partnership: Partnership, council: Council | None) -> tuple[Partner, ...]:
    sectors = dict(Sector.choices)
    councils = [
        Partner(
            name=str(m.council),
            joined_year=_joined(m.joined_year, partnership),
            left_year=m.left_year,
        )
        for m in partnership.council_memberships.all()
        if council is None or m.council_id != council.pk
    ]
    bodies = [
        Partner(
            name=f"{m.public_body.name} ({sectors.get(m.public_body.sector, 'other').lower()})",
            joined_year=_joined(m.joined_year, partnership),
            left_year=m.left_year,
        )
        for m in partnership.body_memberships.all()
    ]
    return tuple(councils + bodies)


def panel_entry(partnership: Partnership, council: Council | None = None) -> PanelEntry:
    """What the panel says of one partnership (its members, `savings_records` and
    `savings_years` prefetched), its partners being the members other than `council`."""
    statement = savings_statement(partnership)
    return PanelEntry(
        description=short_description(partnership.description),
        achieved_total=statement.achieved_total,
        expected_total=statement.expected_total,
        latest=partnership.latest_achieved_record,
        has_figures=bool(statement.entries),
        no_savings_reason=_no_savings_reason(partnership),
        partners=_partners(partnership, council),
    )


def panel_entries_attach(*, partnerships: list[Partnership], council: Council) -> None:
    """Put on each of a council's partnerships (with its members and `savings_years`
    prefetched, as `map_layers.council_partnerships` gives them) the panel's `panel`
    entry. One query: the partnerships' savings figures, for the latest one and its
    source."""
    prefetch_related_objects(partnerships, "savings_records")
    for partnership in partnerships:
        partnership.panel = panel_entry(partnership, council)
