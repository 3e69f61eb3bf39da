"""Before sending, an officer checks every answer: the submit page lists each
partnership's answers question by question (a summary list), amounts written as money,
what is missing as "Not answered", and a "Change" link to the very field."""

import html
import re

import pytest

from partnerships.models import ServiceCategory
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)
from tests.submissions.test_save_all import _grow_to, page_form
from tests.test_hostile_input import item_data

pytestmark = pytest.mark.django_db


def _q(token, *rest) -> str:
    return "/".join(["/refresh/q", token, *[str(r) for r in rest]]) + "/"


def _lists(page: str) -> dict[str, list[tuple[str, str, str]]]:
    """Each partnership's heading and its rows: (question, answer, change link)."""
    found = {}
    for section in re.findall(r'<section class="answer-summary".*?</section>', page, re.S):
        heading = re.search(r"<h3[^>]*>(.*?)<strong", section, re.S)[1].strip()
        dl = re.search(r'<dl class="summary-list summary-list--actions">(.*?)</dl>', section, re.S)
        rows = []
        for dt, dd, rest in re.findall(
            r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>\s*((?:<dd class=\"summary-list__action\">.*?</dd>)?)",
            dl[1],
            re.S,
        ):
            link = re.search(r'href="([^"]+)"', rest)
            answer = html.unescape(re.sub(r"<br>", "\n", dd)).strip()
            rows.append((html.unescape(dt), answer, html.unescape(link[1]) if link else ""))
        found[html.unescape(heading)] = rows
    return found


def test_the_submit_page_lists_every_answer_with_money_and_change_links(client, adur, adur_token):
    items = list(adur.items.exclude(partnership=None).order_by("pk"))
    updated, unanswered = items[0], items[1]
    data = {
        **item_data(updated),
        f"item{updated.pk}-savings_amount": "£1,250,000.5",
        f"item{updated.pk}-savings_recurrence": "recurring",
        f"item{updated.pk}-comment": "Figures from the\nfinance team.",
    }
    assert client.post(_q(adur_token, "items", updated.pk), data).status_code == 302
    legal = ServiceCategory.objects.get(slug="legal")
    new = client.post(
        _q(adur_token, "new"),
        {
            "new-name": "Joint legal team",
            "new-description": "One legal team.",
            "new-status": "operational",
            "new-start_year": "2024",
            "new-categories": [str(legal.pk)],
            "new-councils": [str(adur.council_id)],
            "new-other_partners": "Shoreham Port Authority",
            "new-savings_recurrence": "unknown",
            "new-no_savings_reason": "not_yet_known",
            "new-your_name": "Jo Bloggs",
        },
    )
    assert new.status_code == 302

    page = client.get(_q(adur_token, "submit")).content.decode()
    lists = _lists(page)
    item_page = _q(adur_token, "items", updated.pk)
    rows = {question: (answer, link) for question, answer, link in lists[str(updated)]}
    assert rows["What has happened"] == (
        "Something has changed",
        f"{item_page}#id_item{updated.pk}-answer",
    )
    assert rows["Savings in 2025/26"] == (
        "£1,250,000.50",
        f"{item_page}#id_item{updated.pk}-savings_amount",
    )
    assert rows["Achieved or expected"][0] == "Achieved"
    assert rows["Cashable"][0] == "Yes"
    assert rows["Recurring or one-off"][0] == "Recurring"
    assert rows["Anything else for the LGA"][0] == "Figures from the\nfinance team."
    assert rows["Description"][1] == f"{item_page}#id_item{updated.pk}-description"
    assert rows["Asks the LGA to"][1] == ""  # not typed in: nothing to change
    assert "Savings figure" in rows["Asks the LGA to"][0]

    # A partnership not yet answered says so, with the way to answer it.
    assert lists[str(unanswered)][0] == (
        "What has happened",
        "Not answered",
        f"{_q(adur_token, 'items', unanswered.pk)}#id_item{unanswered.pk}-answer",
    )

    new_item = adur.items.get(partnership=None)
    new_rows = {question: answer for question, answer, _ in lists["Joint legal team"]}
    assert new_rows["Name"] == "Joint legal team"
    assert new_rows["Services shared"] == legal.name
    assert new_rows["Partners not in the lists"] == "Shoreham Port Authority"
    assert new_rows["Year it started"] == "2024"
    assert new_rows["Savings in 2025/26"] == "Not answered"
    assert new_rows["Why there is no figure"] == "Not yet known"
    assert new_rows["Anything else for the LGA"] == "Not answered"
    # Each Change link names what it changes, for a screen reader.
    assert (
        f'<a href="{_q(adur_token, "items", new_item.pk)}#id_item{new_item.pk}-start_year">'
        'Change<span class="visually-hidden"> year it started: Joint legal team</span></a>'
    ) in page


# The submit page's reads: the session, the link (with its questionnaire, cycle and
# council), the items, their services, councils and public bodies, and their sent changes
# (one prefetch each): 7, measured, whether the council has 3 partnerships or 30. The
# answers and what they ask the LGA to change are worked out from those rows.
SUBMIT_PAGE_QUERIES = 7


@pytest.mark.parametrize("size", [3, 30])
def test_the_submit_page_reads_the_same_queries_at_any_size(
    client, adur, adur_token, size, django_assert_max_num_queries
):
    _grow_to(adur, size)
    # Every partnership answered, one with a figure, from the all-on-one-page view.
    url = _q(adur_token, "all")
    data = page_form(client.get(url), url)
    for index, item in enumerate(adur.items.order_by("pk")):
        data[f"item{item.pk}-answer"] = "unchanged"
        if index == 0:
            data[f"item{item.pk}-savings_amount"] = "125000"
            data[f"item{item.pk}-savings_kind"] = "achieved"
    data["your_name"] = "Jo Bloggs"
    assert client.post(url, data).status_code == 302
    assert not adur.items.filter(answer="unanswered").exists()
    with django_assert_max_num_queries(SUBMIT_PAGE_QUERIES) as reads:
        response = client.get(_q(adur_token, "submit"))
    assert response.status_code == 200
    assert response.content.decode().count('<section class="answer-summary"') == size
    assert len(reads.captured_queries) == SUBMIT_PAGE_QUERIES
