"""Reading the partnership list as a reader would: every page of it (fifty a page)."""

import html
import re

LIST_ROW = re.compile(r'<th scope="row"><a href="/partnerships/[^"]+/">([^<]+)</a>')


def every_listed(client, query: str = "") -> list[str]:
    """The partnerships' names on every page of `/partnerships/?<query>`, in order; a
    page past the last is a 400, which ends the reading."""
    names: list[str] = []
    for number in range(1, 1000):
        joined = "&".join(part for part in (query, f"page={number}") if part)
        response = client.get(f"/partnerships/?{joined}")
        if response.status_code == 400 and number > 1:
            break
        names += [html.unescape(name) for name in LIST_ROW.findall(response.content.decode())]
    return names
