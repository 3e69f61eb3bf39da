"""Charts drawn on the server as SVG (pygal), so they need no JavaScript and no CDN.

Every chart is shown beside a table of its data; the SVG carries a text alternative
that points to that table.
"""

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from partnerships.figures import Row

INLINE_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
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


def money(amount: Decimal | float) -> str:
    """£1.2m / £350k / £900 for chart labels."""
    amount = float(amount)
    if amount >= 1_000_000:
        return f"£{amount / 1_000_000:,.1f}m"
    if amount >= 1_000:
        return f"£{amount / 1_000:,.0f}k"
    return f"£{amount:,.0f}"


def bar_chart_svg(
    *,
    rows: Sequence[Row],
    value: Callable[[Row], float | Decimal],
    description: str,
    is_money: bool = False,
    horizontal: bool = True,
) -> SafeString:
    """An accessible SVG bar chart of one value per row."""
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
        value_formatter=money if is_money else (lambda v: f"{v:,.0f}"),
        truncate_label=-1,
        x_label_rotation=0 if horizontal else 45,
        margin=10,
    )
    chart.x_labels = [row.label for row in rows]
    chart.add(description, [float(value(row)) for row in rows])
    # pygal embeds its tooltip configuration as a script; the charts need none.
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True))
    label = escape(f"{description}. The same figures are in the table that follows.")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308 - pygal's own output with an escaped label
