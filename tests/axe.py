"""axe-core in a real headless Chromium, against WCAG 2.2 A and AA (and the 2.0 and 2.1
rules it builds on), for every browser test that checks a page. axe-core comes from the
axe-playwright-python package's own copy, so nothing is fetched from a CDN."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')!r}")
    return "\n".join(lines)


def assert_no_violations(page) -> None:
    """Run axe-core on the page as it is now; fail listing each violation's rule, help
    and the elements it found."""
    page.wait_for_load_state("networkidle")
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, f"{page.url}:\n{violations_report(violations)}"
