"""Staff follow a cycle on its dashboard: how many councils have replied, overall and by
region, which partnerships still lack a figure or a reason, and who to chase."""

import csv
import io
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from partnerships.models import Council, NoSavingsReason
from submissions.models import CouncilContact, Questionnaire, QuestionnaireItem
from submissions.services import cycle_open
from tests.partnerships.factories import SavingsRecordFactory, grow_data, partnership_with_members
from tests.submissions.refresh_fixtures import (
    ADUR,
    SURREY,
    WORTHING,
    contact,
    council,
    cycle_make,
    superuser_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def text(html: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.decode()))).strip()


@pytest.fixture
def staff(client):
    client.force_login(superuser_make())
    return client


@pytest.fixture
def cycle():
    """Adur and Worthing (South East) and Surrey (South East too) with contacts; Adur has
    submitted, Worthing is in progress, Surrey has not opened its questionnaire."""
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    contact(WORTHING, "wes@worthing.gov.uk", "Wes", role="Head of Legal")
    contact(WORTHING, "wyn@worthing.gov.uk", "Wyn")
    contact(SURREY, "sue@surreycc.gov.uk", "Sue")
    contact(SURREY, "gone@surreycc.gov.uk", "Gone", active=False)
    cycle_open(cycle=cycle)
    Questionnaire.objects.filter(council__gss_code=ADUR).update(status="submitted")
    Questionnaire.objects.filter(council__gss_code=WORTHING).update(status="in_progress")
    return cycle


def dashboard(cycle) -> str:
    return reverse("admin:submissions_refreshcycle_dashboard", args=[cycle.pk])


def not_replied(cycle) -> str:
    return reverse("admin:submissions_refreshcycle_not_replied", args=[cycle.pk])


def test_the_dashboard_counts_replies_overall_and_by_region(staff, cycle):
    response = staff.get(dashboard(cycle))
    page = text(response.content)
    assert "1 of 3 councils have replied (33%)" in page
    html = response.content.decode()
    assert '<progress id="progress-overall" max="3" value="1">33%</progress>' in html
    # Columns: not opened, in progress, submitted, reviewed, all, replied.
    region = council(ADUR).region.name
    assert f"{region} 1 1 1 0 3" in page
    assert "All councils 1 1 1 0 3 33%" in page


def test_the_dashboard_lists_partnerships_with_neither_a_figure_nor_a_reason(staff):
    pair = council(ADUR), council(WORTHING)
    answered = partnership_with_members(*pair, name="Answered with a figure")
    reason = partnership_with_members(*pair, name="Answered with a reason")
    published = partnership_with_members(*pair, name="Figure already published")
    SavingsRecordFactory(partnership=published, start_year=2025, end_year=2025)
    partnership_with_members(*pair, name="Nobody has answered")
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk")
    contact(WORTHING, "wes@worthing.gov.uk")
    cycle_open(cycle=cycle)
    items = QuestionnaireItem.objects.filter(questionnaire__council__gss_code=WORTHING)
    items.filter(partnership=answered).update(savings_amount=1000, answer="updated")
    items.filter(partnership=reason).update(no_savings_reason=NoSavingsReason.NOT_MEASURED)

    page = text(staff.get(dashboard(cycle)).content)
    section = page.split("Partnerships still missing a savings figure or a reason")[1]
    assert "Nobody has answered Adur, Worthing" in section
    for name in ("Answered with a figure", "Answered with a reason", "Figure already published"):
        assert name not in section


def test_the_csv_of_who_has_not_replied_names_councils_and_their_active_contacts(staff, cycle):
    response = staff.get(not_replied(cycle))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {(r["council"], r["contact_email"]) for r in rows} == {
        ("Worthing", "wes@worthing.gov.uk"),
        ("Worthing", "wyn@worthing.gov.uk"),
        ("Surrey", "sue@surreycc.gov.uk"),
    }
    wes = next(r for r in rows if r["contact_email"] == "wes@worthing.gov.uk")
    assert (wes["contact_name"], wes["contact_role"], wes["status"]) == (
        "Wes",
        "Head of Legal",
        "In progress",
    )


def test_only_staff_allowed_to_see_contacts_get_the_csv(client, cycle):
    viewer = User.objects.create_user("viewer", "v@lga.gov.uk", "x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_refreshcycle"))
    client.force_login(viewer)
    assert client.get(dashboard(cycle)).status_code == 200
    assert "You may not see contacts' details." in text(client.get(dashboard(cycle)).content)
    assert client.get(not_replied(cycle)).status_code == 403
    client.logout()
    response = client.get(not_replied(cycle))
    assert response.status_code == 302 and b"wes@" not in response.content


def _more_questionnaires(cycle, n: int) -> None:
    """n more councils with two contacts each in the cycle, many not replied."""
    councils = Council.objects.filter(current=True).exclude(questionnaires__cycle=cycle)[:n]
    for index, other in enumerate(councils):
        for k in range(2):
            CouncilContact.objects.create(council=other, name=f"C{k}", email=f"c{k}@{index}.gov.uk")
    from submissions.services.staff import cycle_catch_up

    cycle_catch_up(cycle=cycle)


@pytest.mark.parametrize("url", [dashboard, not_replied])
def test_the_dashboard_and_csv_cost_the_same_queries_at_ten_times_the_data(
    staff, cycle, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as small:
        staff.get(url(cycle))
    grow_data(10)
    for n in range(5):
        partnership_with_members(council(ADUR), council(SURREY), name=f"Extra {n}")
    _more_questionnaires(cycle, 30)
    assert cycle.questionnaires.count() > 30
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = staff.get(url(cycle))
    assert response.status_code == 200
