"""The map's JavaScript: ES modules by job, each small enough to read at a sitting, none
putting text from the data on the page as HTML or running strings as code (the CSP
refuses eval)."""

import re
from pathlib import Path

from django.conf import settings

MODULES = Path(settings.BASE_DIR) / "static" / "js" / "map"
# Roughly what a reader holds in mind at once.
MOST_LINES = 300


def modules() -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(MODULES.glob("*.js"))}


def test_the_map_script_is_split_into_small_modules_by_job():
    found = modules()

    assert {"main.js", "layers.js", "selection.js", "panel.js", "filters.js"} <= set(found)
    assert {"legend.js", "keyboard.js"} <= set(found)
    lengths = {name: text.count("\n") for name, text in found.items()}
    assert all(lines <= MOST_LINES for lines in lengths.values()), lengths


def test_every_module_it_imports_is_there():
    found = modules()

    for name, text in found.items():
        for imported in re.findall(r'from "\./([^"]+)"', text):
            assert imported in found, f"{name} imports {imported}"


def test_no_module_sets_html_from_strings_or_runs_strings_as_code():
    # (htmx's swap: "innerHTML" puts the server's own escaped fragment in, not data.)
    pattern = re.compile(
        r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|\beval\(|Function\("
    )

    offending = {name for name, text in modules().items() if pattern.search(text)}

    assert offending == set()
