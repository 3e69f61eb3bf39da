"""The charts as a person sees them in a real headless Chromium, on a wide screen and on
a phone: every label readable (12 CSS px or more), no label over another, nothing cut
off at the edge, a net cost drawn below the zero line, and each category's bar unlike
the others."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.axe import assert_no_violations
from tests.benefits.factories import figures_enter, tracker_for

pytestmark = pytest.mark.browser

WIDTHS = [(1366, 768), (390, 844)]

# Each visible text of each chart: its box on the page, its font size, the chart's box.
MEASURE = """() => [...document.querySelectorAll('svg.chart-svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')]
    .filter(t => getComputedStyle(t).display !== 'none')
    .map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize),
              left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    });
  return {label: svg.getAttribute('aria-label'), width: box.width,
          left: box.left, right: box.right, texts};
})"""


def overlapping(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def assert_legible(page, *, expected_charts: int) -> list[dict]:
    charts = page.evaluate(MEASURE)
    assert len(charts) == expected_charts
    for chart in charts:
        texts = chart["texts"]
        assert texts, chart["label"]
        small = [(t["text"], t["size"]) for t in texts if t["size"] < 12]
        assert not small, (chart["label"], small)
        # Inside the chart's width, give or take a pixel of anti-aliasing.
        cut = [
            t["text"]
            for t in texts
            if t["left"] < chart["left"] - 1 or t["right"] > chart["right"] + 1
        ]
        assert not cut, (chart["label"], chart["width"], cut)
        clashes = [
            (a["text"], b["text"])
            for i, a in enumerate(texts)
            for b in texts[i + 1 :]
            if overlapping(a, b)
        ]
        assert not clashes, (chart["label"], chart["width"], clashes)
    return charts


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_figures_charts_are_legible_and_uncrowded_at_every_width(
    page, live_server, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared services in figures")
    charts = assert_legible(page, expected_charts=3 + 3 + 1 + 2 + 3 + 3)
    by_label = {c["label"].split(".")[0]: c for c in charts}
    # The SVG takes its figure's width: the whole phone but its margins.
    category = by_label["Number of partnerships by service category"]
    if width == 390:
        assert 300 < category["width"] <= 390
    # Every category's name is on the chart in full, one line or two.
    names = page.locator("#by-category-table tbody th").all_inner_texts()
    assert len(names) >= 20
    shown = " ".join(t["text"] for t in category["texts"])
    for name in names:
        assert name in shown or all(word in shown for word in name.split())
    # Each category's bar has its own colour and pattern.
    bars = page.locator("#by-category ~ * svg.chart-svg, section[aria-labelledby=by-category] svg")
    fills = bars.first.locator("rect.chart-bar").evaluate_all(
        "rects => rects.map(r => r.getAttribute('fill') + ' ' + r.getAttribute('stroke'))"
    )
    assert len(fills) == len(names)
    assert len(set(fills)) == len(fills)
    for slug in ("by-category", "by-start-year", "savings-by-year"):
        section = page.locator(f"section[aria-labelledby={slug}] .figure-section__charts")
        section.screenshot(path=f"/tmp/figures-{slug}-{width}.png")
    assert_no_violations(page)


def test_the_start_year_axis_is_a_continuous_scale(page, live_server):
    page.goto(live_server.url + "/figures/")
    columns = page.locator("section[aria-labelledby=by-start-year] svg.chart-svg rect.chart-bar")
    table = page.locator("#by-start-year-table tbody th").all_inner_texts()
    years = [int(year) for year in table]
    assert len(years) >= 5 and years[-1] - years[0] > len(years)
    lefts = columns.evaluate_all("rects => rects.map(r => r.getBoundingClientRect().left)")
    assert len(lefts) == len(years)
    # The distance between two columns is in proportion to the years between them.
    per_year = (lefts[-1] - lefts[0]) / (years[-1] - years[0])
    for year, left in zip(years, lefts, strict=True):
        assert abs(left - (lefts[0] + (year - years[0]) * per_year)) < 1.5


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_a_trackers_net_cost_is_drawn_from_the_zero_line_with_a_minus_sign(
    page, live_server, width, height
):
    tracker, token = tracker_for("adur-worthing")
    figures_enter(tracker)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + reverse("benefits:tracker-results", args=[token]))
    expect(page.get_by_role("heading", name="Charts")).to_be_visible()
    charts = assert_legible(page, expected_charts=3)
    net = next(c for c in charts if c["label"].startswith("Net savings each financial year"))
    values = [t["text"] for t in net["texts"]]
    assert "−£100k" in values and "£130k" in values
    # The net cost's column hangs from the zero line, and its label stays above the years.
    svg = page.locator("svg.chart-svg").first
    zero = svg.locator("line.chart-zero").bounding_box()
    cost, saving = svg.locator("rect.chart-bar").all()
    cost_box, saving_box = cost.bounding_box(), saving.bounding_box()
    assert abs(cost_box["y"] - zero["y"] - zero["height"] / 2) < 1
    assert abs(saving_box["y"] + saving_box["height"] - zero["y"] - zero["height"] / 2) < 1
    year = next(t for t in net["texts"] if t["text"] == "2024/25")
    label = next(t for t in net["texts"] if t["text"] == "−£100k")
    assert label["bottom"] <= year["top"]
    page.screenshot(path=f"/tmp/tracker-{width}.png", full_page=True)
    assert_no_violations(page)
