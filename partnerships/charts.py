"""Charts drawn on the server as SVG (pygal), so they need no JavaScript and no CDN.

Every chart is shown beside a table of its data; the SVG carries a text alternative
that points to that table.
"""

import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from core.money import money_short
from partnerships.figures import Row

INLINE_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
# pygal's <style> and its hidden tooltip's style attribute would need 'unsafe-inline'
# under the CSP; the same rules are served as static/css/charts.css.
INLINE_STYLE = re.compile(r"<style\b.*?</style>", re.DOTALL)
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#6f777b",
    colors=("#1d4f91",),
    font_family="system-ui, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    title_font_size=15,
)


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
    rows: Sequence[Row],
    value: Callable[[Row], float | Decimal],
    description: str,
    is_money: bool = False,
    horizontal: bool = True,
) -> SafeString:
    """An accessible SVG bar chart of one value per row."""
    values = [float(value(row)) for row in rows]
    ticks = value_ticks(max(values, default=0), smallest=min(values, default=0))
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(220, 28 * len(rows) + 80) if horizontal else 320
    chart = chart_class(
        style=STYLE,
        js=[],  # pygal's default tooltips script comes from a CDN
        disable_xml_declaration=True,
        show_legend=False,
        width=760,
        height=height,
        print_values=True,
        y_labels=ticks,
        range=(ticks[0], ticks[-1]),
        value_formatter=money_short if is_money else (lambda v: f"{v:,.0f}"),
        truncate_label=-1,
        x_label_rotation=0 if horizontal else 45,
        margin=10,
        margin_right=40,  # room for the last value label
    )
    # A horizontal chart draws its first bar at the bottom; reversed, it reads top down in
    # the same order as the table beside it.
    labels = [row.label for row in rows]
    if horizontal:
        labels, values = labels[::-1], values[::-1]
    chart.x_labels = labels
    # No bar and no "£0" label where there is nothing to show.
    chart.add(description, [v or None for v in values])
    # pygal embeds its tooltip configuration as a script; the charts need none.
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    svg = INLINE_STYLE.sub("", svg).replace(' style="opacity: 0"', "")
    label = escape(f"{description}. The same figures are in the table that follows.")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308 - pygal's own output with an escaped label
