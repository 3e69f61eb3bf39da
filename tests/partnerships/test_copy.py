"""The words of the public pages: the copy errors people noticed stay fixed."""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.usefixtures("real_data")

ADUR = "E07000223"


def text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(html))


def test_the_region_list_offers_any_region_once(client):
    for path in ("/", "/partnerships/", "/councils/", "/figures/"):
        page = client.get(path).content.decode()
        assert page.count(">Any region</option>") == 1, path


def test_a_council_in_one_of_the_filtered_partnerships_says_partnerships(client):
    panel = text(client.get(f"/councils/{ADUR}/panel/", {"q": "CenSus"}))

    assert "In one of these partnerships:" in panel
    assert "these partnership:" not in panel
    unfiltered = text(client.get(f"/councils/{ADUR}/panel/"))
    assert "In two published partnerships:" in unfiltered


def test_pairings_of_london_boroughs_keep_london_capitalised(client):
    figures = text(client.get("/figures/"))

    assert "London borough and London borough" in figures
    assert "london borough" not in figures
