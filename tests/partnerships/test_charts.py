"""The charts' SVG as the server draws it: what a reader of the figures page or of a
benefits tracker would notice, without a browser (tests/partnerships/test_charts_browser.py
measures it in one)."""

import re
from decimal import Decimal

from partnerships.charts import COLOURS, bar_chart_svg, bar_style
from partnerships.figures import Row
from tests.test_csp import InlineCode

# The contrast of a colour with white (WCAG 2's relative luminance).


def contrast_with_white(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def chart(rows, *, horizontal=True, is_money=True, attribute="achieved"):
    return bar_chart_svg(
        rows=rows,
        value=lambda r: getattr(r, attribute),
        description="Saved",
        is_money=is_money,
        horizontal=horizontal,
    )


def value_labels(svg: str) -> list[str]:
    return re.findall(r'<text class="value[^"]*"[^>]*>([^<]*)<', svg)


def bars(svg: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'([a-z-]+)="([^"]*)"', rect))
        for rect in re.findall(r'<rect class="chart-bar"[^>]*>', svg)
    ]


def test_a_chart_fills_its_figures_width_with_text_in_css_pixels():
    svg = chart([Row(label="Legal", achieved=Decimal("80000"))])
    opening = re.match(r"<svg\b[^>]*>", svg).group()
    assert 'width="100%"' in opening
    # No viewBox: the drawing is not scaled down on a phone, its text stays 12-14 px.
    assert "viewBox" not in opening
    sizes = {int(size) for size in re.findall(r'<text[^>]* font-size="([0-9]+)"', svg)}
    assert sizes and min(sizes) >= 12


def test_the_svg_needs_no_inline_style_or_script():
    svg = chart([Row(label="Legal", achieved=Decimal("80000"))] * 10)
    parser = InlineCode()
    parser.feed(svg)
    assert parser.found == []


def test_category_names_are_escaped():
    svg = chart([Row(label='<script>alert("x")</script> & co', achieved=Decimal("5"))])
    assert "<script" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg


def test_twenty_two_categories_each_have_their_own_bar():
    rows = [Row(label=f"Service {n}", partnerships=n + 1) for n in range(22)]
    svg = chart(rows, is_money=False, attribute="partnerships")
    drawn = bars(svg)
    assert len(drawn) == 22
    looks = {(bar["fill"], bar.get("stroke")) for bar in drawn}
    assert len(looks) == 22
    # A patterned fill is a pattern of its colour, defined once in the chart.
    for bar in drawn:
        if bar["fill"].startswith("url(#"):
            assert f'<pattern id="{bar["fill"][5:-1]}"' in svg
    assert len({bar_style(n) for n in range(24)}) == 24


def test_every_bar_colour_has_3_to_1_contrast_with_the_white_background():
    assert all(contrast_with_white(colour) >= 3 for colour in COLOURS)


def test_two_charts_on_one_page_do_not_share_pattern_ids():
    rows = [Row(label=f"Service {n}", partnerships=n + 1) for n in range(12)]
    one = chart(rows, is_money=False, attribute="partnerships")
    other = chart(rows[:11], is_money=False, attribute="partnerships")
    ids = set(re.findall(r'<pattern id="([^"]+)"', one))
    assert ids and not ids & set(re.findall(r'<pattern id="([^"]+)"', other))


def test_a_long_category_name_wraps_onto_a_second_line_above_its_bar():
    svg = chart([Row(label="Environmental health and regulatory services", achieved=Decimal(9))])
    assert (
        '<tspan x="0" dy="0">Environmental health and regulatory</tspan>'
        '<tspan x="0" dy="18">services</tspan>'
    ) in svg
    label_y = float(re.search(r'<text class="chart-label" x="0" y="([0-9.]+)"', svg).group(1))
    assert float(bars(svg)[0]["y"]) > label_y + 18


def test_a_net_cost_bar_starts_at_the_zero_line_and_is_labelled_with_the_minus_sign():
    rows = [
        Row(label="Set up", achieved=Decimal("-135000")),
        Row(label="Savings", achieved=Decimal("190000")),
    ]
    svg = chart(rows)
    assert value_labels(svg) == ["−£135k", "£190k"]
    zero = re.search(r'<line class="chart-zero" x1="([0-9.]+)%"', svg).group(1)
    cost, saving = bars(svg)
    assert float(cost["x"][:-1]) + float(cost["width"][:-1]) == float(zero)
    assert saving["x"] == f"{zero}%"
    # The cost is drawn apart from a saving, not by its position alone.
    assert cost["fill"] != saving["fill"]
    assert "-" not in "".join(re.findall(r"<text[^>]*>([^<]*)<", svg))


def test_years_are_drawn_on_a_continuous_scale_with_gaps():
    rows = [
        Row(label="1974", partnerships=1),
        Row(label="2005", partnerships=2),
        Row(label="2007", partnerships=3),
    ]
    svg = chart(rows, horizontal=False, is_money=False, attribute="partnerships")
    x = [float(bar["x"][:-1]) for bar in bars(svg)]
    # 2005 to 2007 is two years, 1974 to 2005 thirty-one: the columns are as far apart.
    assert abs((x[1] - x[0]) / (x[2] - x[1]) - 31 / 2) < 0.01
    years = re.findall(r'<text class="tick"[^>]*>([0-9]{4})<', svg)
    assert years == ["1980", "1990", "2000"]
    # On a wide chart every fifth year is labelled, on a phone every tenth.
    more = re.findall(r'<text class="tick chart-minor"[^>]*>([0-9]{4})<', svg)
    assert more == ["1975", "1985", "1995", "2005"]


def test_financial_years_keep_their_labels_and_a_missing_year_is_a_gap():
    rows = [
        Row(label="2024/25", achieved=Decimal("-135000")),
        Row(label="2026/27", achieved=Decimal("190000")),
    ]
    svg = chart(rows, horizontal=False)
    assert re.findall(r'<text class="tick[^"]*"[^>]*>([0-9/]{7})<', svg) == [
        "2024/25",
        "2025/26",
        "2026/27",
    ]
    assert value_labels(svg) == ["−£135k", "£190k"]
    cost, saving = bars(svg)
    zero = float(re.search(r'<line class="chart-zero"[^>]* y1="([0-9.]+)"', svg).group(1))
    # The cost hangs from the zero line, the saving stands on it.
    assert float(cost["y"]) == zero
    assert float(saving["y"]) + float(saving["height"]) == zero


def test_many_years_leave_their_values_to_the_table():
    rows = [Row(label=str(year), partnerships=1) for year in range(1990, 2020)]
    svg = chart(rows, horizontal=False, is_money=False, attribute="partnerships")
    assert value_labels(svg) == []
    assert len(bars(svg)) == 30
