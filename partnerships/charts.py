"""Bar charts drawn on the server as SVG, so they need no JavaScript and no CDN.

Every chart is shown beside a table of its data; the SVG carries a text alternative
that points to that table.

The SVG has no viewBox: it is as wide as its figure (100%), every horizontal position
is a percentage of that width, and every height and font size is in CSS pixels. So the
text is 12 to 14 px on a 390 px phone and on a wide screen alike, where a drawing of a
fixed size scaled to fit (pygal's 760 px one) shrank it to 5 or 6 px on a phone.
pygal is no longer used because its layout is in fixed units, its bar charts' x axis is
categorical (years side by side whatever the gap between them) and it colours series,
not bars; the drawing here is small and its layout rules are tested.

- A chart of categories lays each one out as its name on a line of its own, with its
  bar below it and the value at the bar's end, so no label can run into another at
  any width. Each bar has its own colour and pattern (8 colours, each at least 3:1
  against white for WCAG 1.4.11, times 3 patterns: 24 different bars).
- A chart of years draws columns on a continuous year scale: a year without figures
  is a gap, not a missing column.
- Values below zero (a net cost) are drawn from the zero line and labelled with the
  minus sign: "−£135k", in the same short style as "£190k" (core.money.money_short).

User and category text is escaped.
"""

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.money import MINUS, money_short
from partnerships.models import financial_year_label

FONT = "system-ui, Arial, sans-serif"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
LABEL_PX = 14
VALUE_PX = 13
TICK_PX = 12
# Each colour has a contrast of at least 3:1 with the white background (WCAG 1.4.11).
COLOURS = (
    "#1d70b8",  # blue 5.2:1
    "#d4351c",  # red 4.9:1
    "#00703c",  # green 6.2:1
    "#4c2c92",  # purple 10.1:1
    "#b15b00",  # orange 4.8:1
    "#28a197",  # turquoise 3.2:1
    "#d53880",  # pink 4.5:1
    "#505a5f",  # grey 7.1:1
)
PATTERNS = ("solid", "stripes", "crosshatch")
NET_COST = ("#d4351c", "stripes")

# A category chart, in CSS px from the top.
AXIS_HEIGHT = 24
LINE_HEIGHT = 18
BAR_HEIGHT = 16
ROW_GAP = 12
LABEL_WRAP = 36  # characters: a longer name takes two lines on a phone
# ... and across, in percent of the width: room for the value beside a bar's end.
ROOM_RIGHT = 22.0
ROOM_LEFT_FOR_NET_COST = 18.0

# A chart of years.
COLUMN_TOP = 24  # room above the highest column for its value
COLUMN_PLOT = 200
COLUMN_BELOW_ZERO_ROOM = 20  # room below the lowest column for its value
YEAR_AXIS = 24
GUTTER = 16.0  # percent kept on the left for the value axis's labels
PLOT_END = 92.0  # ... and where the columns end, leaving room for half the last year's label
YEAR_LABELS_NARROW = 5  # at most, on a phone
YEAR_LABELS_WIDE = 10
VALUES_ALWAYS = 5  # columns labelled with their values at any width
VALUES_WIDE = 10  # ... and on a wide chart only

YEAR = re.compile(r"(?P<year>[0-9]{4})(?P<financial>/[0-9]{2})?")


def value_ticks(largest: float, *, count: int = 5, smallest: float = 0) -> list[float]:
    """About `count` round steps (1, 2 or 5 times a power of ten) from 0 past `largest`,
    and below 0 past `smallest` when it is negative (a net cost), so the value axis's
    labels never crowd each other."""
    span = max(largest, 0) - min(smallest, 0)
    if span <= 0:
        return [0, 1]
    rough = span / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    step = max(step, 1)
    low, high = math.floor(min(smallest, 0) / step), math.ceil(max(largest, 0) / step)
    return [step * n for n in range(low, high + 1)]


def bar_chart_svg(
    *,
    rows: Sequence[Any],
    value: Callable[[Any], float | Decimal],
    description: str,
    is_money: bool = False,
    horizontal: bool = True,
) -> SafeString:
    """An accessible SVG bar chart of one value per row: a bar per category, top down
    in the rows' order (`horizontal`), or a column per year on a continuous year scale
    (the rows' labels are years, "1974", or financial years, "2019/20")."""
    values = [float(value(row)) for row in rows]
    labels = [str(row.label) for row in rows]
    formatted = _money if is_money else _count
    key = hashlib.blake2s(repr((description, labels, values)).encode(), digest_size=5).hexdigest()
    if horizontal:
        body, height = _categories(labels, values, formatted, key)
    else:
        body, height = _years(labels, values, formatted, key)
    label = escape(f"{description}. The same figures are in the table that follows.")
    svg = (
        f'<svg role="img" aria-label="{label}" focusable="false" class="chart-svg" '
        f'xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
        f'font-family="{FONT}" fill="{TEXT}">{body}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text in it is escaped above or below


def _money(amount: float) -> str:
    return money_short(Decimal(str(amount)))


def _count(amount: float) -> str:
    text = f"{abs(amount):,.0f}"
    return f"{MINUS}{text}" if round(amount) < 0 else text


def _pc(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".") + "%"


def _text(text: str, *, x: str, y: float, size: int, css: str, anchor: str = "start",
          dx: float = 0) -> str:  # fmt: skip
    shift = f' dx="{dx:g}"' if dx else ""
    return (
        f'<text class="{css}" x="{x}" y="{y:g}"{shift} font-size="{size}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def _pattern(key: str, index: int, colour: str, pattern: str) -> tuple[str, str]:
    """A bar's fill (a colour, or a pattern of it on white) and the pattern's definition."""
    if pattern == "solid":
        return colour, ""
    pattern_id = f"chart-{key}-{index}"
    if pattern == "stripes":
        marks = f'<rect width="3" height="6" fill="{colour}"/>'
    else:
        marks = (
            f'<rect width="2" height="6" fill="{colour}"/>'
            f'<rect width="6" height="2" fill="{colour}"/>'
        )
    definition = (
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f"{marks}</pattern>"
    )
    return f"url(#{pattern_id})", definition


def _outline(colour: str, pattern: str) -> str:
    """A patterned bar's edge in its colour, so its shape stands out at 3:1 like a solid one."""
    return "" if pattern == "solid" else f' stroke="{colour}" stroke-width="1.5"'


def bar_style(index: int) -> tuple[str, str]:
    """The colour and pattern of a chart's `index`th bar: no two of the first 24 alike."""
    return COLOURS[index % len(COLOURS)], PATTERNS[(index // len(COLOURS)) % len(PATTERNS)]


def _wrapped(label: str) -> list[str]:
    """A category's name in lines of at most about LABEL_WRAP characters."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_WRAP:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _minor(ticks: Sequence[float], index: int) -> bool:
    """Whether a value axis label is left out on a narrow chart: every other one, zero
    always kept, when there are more than four."""
    zero = ticks.index(0) if 0 in ticks else 0
    return len(ticks) > 4 and (index - zero) % 2 == 1


def _categories(
    labels: list[str], values: list[float], formatted: Callable[[float], str], key: str
) -> tuple[str, int]:
    ticks = value_ticks(max(values, default=0), smallest=min(values, default=0))
    low, high = ticks[0], ticks[-1]
    left = ROOM_LEFT_FOR_NET_COST if low < 0 else 0.5
    right = 100 - ROOM_RIGHT

    def across(amount: float) -> float:
        return left + (amount - low) / (high - low) * (right - left)

    defs, bars = [], []
    y = AXIS_HEIGHT
    for index, (label, amount) in enumerate(zip(labels, values, strict=True)):
        lines = _wrapped(label)
        if len(lines) == 1:
            name = escape(label)
        else:
            name = "".join(
                f'<tspan x="0" dy="{0 if n == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
                for n, line in enumerate(lines)
            )
        bars.append(
            f'<text class="chart-label" x="0" y="{y + 14}" font-size="{LABEL_PX}">{name}</text>'
        )
        y += len(lines) * LINE_HEIGHT + 2
        # No bar and no "£0" where there is nothing to show.
        if amount:
            colour, pattern = bar_style(index)
            fill, definition = _pattern(key, index, colour, pattern)
            defs.append(definition)
            start, end = sorted((across(0), across(amount)))
            bars.append(
                f'<rect class="chart-bar" x="{_pc(start)}" y="{y}" width="{_pc(end - start)}" '
                f'height="{BAR_HEIGHT}" fill="{fill}"{_outline(colour, pattern)}/>'
            )
            bars.append(
                _text(
                    formatted(amount),
                    x=_pc(across(amount)),
                    y=y + 12.5,
                    size=VALUE_PX,
                    css="value",
                    anchor="start" if amount > 0 else "end",
                    dx=5 if amount > 0 else -5,
                )
            )
        y += BAR_HEIGHT + ROW_GAP
    bottom = y - ROW_GAP + 4
    grid = []
    for index, tick in enumerate(ticks):
        x = _pc(across(tick))
        grid.append(
            f'<line x1="{x}" x2="{x}" y1="{AXIS_HEIGHT - 4}" y2="{bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        anchor = "start" if index == 0 and left < 5 else "middle"
        css = "tick chart-minor" if _minor(ticks, index) else "tick"
        grid.append(_text(formatted(tick), x=x, y=14, size=TICK_PX, css=css, anchor=anchor))
    zero = _pc(across(0))
    grid.append(
        f'<line class="chart-zero" x1="{zero}" x2="{zero}" y1="{AXIS_HEIGHT - 4}" y2="{bottom}" '
        f'stroke="{TEXT}" stroke-width="1.5"/>'
    )
    return _defs(defs) + "".join(grid[:-1]) + "".join(bars) + grid[-1], bottom + 2


def _defs(definitions: list[str]) -> str:
    used = "".join(d for d in definitions if d)
    return f"<defs>{used}</defs>" if used else ""


def _year_of(label: str) -> tuple[int, bool]:
    """The year a row's label names, and whether it is a financial year ("2019/20")."""
    match = YEAR.fullmatch(label.strip())
    if match is None:
        raise ValueError(f"A chart of years needs years as labels, not {label!r}.")
    return int(match["year"]), bool(match["financial"])


def _year_step(span: int, most: int, *, multiple_of: int = 1) -> int:
    """The smallest round step between labelled years giving at most `most` labels."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if step % multiple_of == 0 and math.ceil(span / step) <= most:
            return step
    return 100


def _years(
    labels: list[str], values: list[float], formatted: Callable[[float], str], key: str
) -> tuple[str, int]:
    parsed = [_year_of(label) for label in labels]
    financial = any(is_financial for _year, is_financial in parsed)
    by_year = {year: amount for (year, _f), amount in zip(parsed, values, strict=True)}
    first, last = min(by_year), max(by_year)
    span = last - first + 1
    ticks = value_ticks(max(values, default=0), smallest=min(values, default=0))
    low, high = ticks[0], ticks[-1]
    below = COLUMN_BELOW_ZERO_ROOM if low < 0 else 0
    slot = (PLOT_END - GUTTER) / span
    width = min(slot * 0.7, 12.0)

    def down(amount: float) -> float:
        return COLUMN_TOP + (high - amount) / (high - low) * COLUMN_PLOT

    def centre(year: int) -> float:
        return GUTTER + (year - first + 0.5) * slot

    value_css = (
        "value" if span <= VALUES_ALWAYS else "value chart-wide-only" if span <= VALUES_WIDE else ""
    )
    defs, parts = [], []
    for index, tick in enumerate(ticks):
        y = down(tick)
        parts.append(
            f'<line x1="{_pc(GUTTER)}" x2="{_pc(PLOT_END)}" y1="{y:g}" y2="{y:g}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
        css = "tick chart-minor" if _minor(ticks, index) else "tick"
        parts.append(
            _text(
                formatted(tick), x=_pc(GUTTER), y=y + 4, size=TICK_PX, css=css, anchor="end", dx=-6
            )
        )
    for year, amount in sorted(by_year.items()):
        if not amount:
            continue
        colour, pattern = (COLOURS[0], "solid") if amount > 0 else NET_COST
        fill, definition = _pattern(key, 0 if amount > 0 else 1, colour, pattern)
        defs.append(definition)
        top, bottom = sorted((down(0), down(amount)))
        parts.append(
            f'<rect class="chart-bar" x="{_pc(centre(year) - width / 2)}" y="{top:g}" '
            f'width="{_pc(width)}" height="{max(bottom - top, 1):g}" fill="{fill}" '
            f"{_outline(colour, pattern)}/>"
        )
        if value_css:
            y = down(amount) - 6 if amount > 0 else down(amount) + 15
            parts.append(
                _text(
                    formatted(amount),
                    x=_pc(centre(year)),
                    y=y,
                    size=VALUE_PX,
                    css=value_css,
                    anchor="middle",
                )
            )
    zero = down(0)
    parts.append(
        f'<line class="chart-zero" x1="{_pc(GUTTER)}" x2="{_pc(PLOT_END)}" y1="{zero:g}" '
        f'y2="{zero:g}" stroke="{TEXT}" stroke-width="1.5"/>'
    )
    wide = _year_step(span, YEAR_LABELS_WIDE)
    narrow = _year_step(span, YEAR_LABELS_NARROW, multiple_of=wide)
    axis = COLUMN_TOP + COLUMN_PLOT + below
    for year in range(first, last + 1):
        if year % wide and wide > 1:
            continue
        x = _pc(centre(year))
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{axis:g}" y2="{axis + 5:g}" stroke="{TEXT}" '
            f'stroke-width="1"/>'
        )
        minor = narrow > 1 and year % narrow != 0
        parts.append(
            _text(
                financial_year_label(year) if financial else str(year),
                x=x,
                y=axis + 19,
                size=TICK_PX,
                css="tick chart-minor" if minor else "tick",
                anchor="middle",
            )
        )
    return _defs(defs) + "".join(parts), axis + YEAR_AXIS
