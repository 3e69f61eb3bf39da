"""Reading a page's form as a browser would send it back, for tests that post a form
with one value changed (an admin change form, the questionnaire's pages)."""

from html.parser import HTMLParser


class FormData(HTMLParser):
    """The values a browser would send for the form with the given id (or, with no id,
    the given action): its inputs (not its buttons or files), checked boxes, selected
    options and textareas."""

    def __init__(self, form_id: str = "", *, action: str = ""):
        super().__init__()
        self.form_id, self.action, self.inside, self.data = form_id, action, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.form_id:
                self.inside = attrs.get("id") == self.form_id
            else:
                self.inside = attrs.get("action") == self.action
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            else:
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            name, value = self._textarea
            self.data.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None


def page_data(client, url: str, form_id: str) -> dict:
    """What a browser would post back, unchanged, from the form `form_id` on the page at
    `url`: {name: [values]} (a dict of lists, as the test client posts a QueryDict)."""
    page = client.get(url)
    assert page.status_code == 200
    return form_values(page.content.decode(), form_id=form_id)


def form_values(html: str, *, form_id: str = "", action: str = "") -> dict[str, list[str]]:
    """{name: [values]} of the form `form_id` (or posting to `action`) in `html`."""
    parser = FormData(form_id, action=action)
    parser.feed(html)
    data: dict = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data
