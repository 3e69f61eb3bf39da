"""Every change to published data keeps its history (who, when, before and after), and
staff see it in the admin: changes accepted from the review queue and staff's own edits
on the partnership page alike."""

import re
from html import unescape

import pytest
from django.urls import reverse

from partnerships.models import Partnership, ServiceCategory
from submissions.models import ChangeHistory
from submissions.services import change_accept, change_propose
from tests.partnerships.factories import partnership_with_members
from tests.submissions.refresh_fixtures import ADUR, SURREY, WORTHING, council, superuser_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def text(content: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", content.decode()))).strip()


@pytest.fixture
def lga():
    return superuser_make()


@pytest.fixture
def staff(client, lga):
    client.force_login(lga)
    return client


@pytest.fixture
def partnership():
    return partnership_with_members(
        council(ADUR), council(WORTHING), name="Coastal legal service", description="Legal."
    )


def history_url(partnership) -> str:
    return (
        reverse("admin:submissions_changehistory_changelist")
        + f"?partnership__id__exact={partnership.pk}"
    )


def _post_partnership(staff, partnership, **changes):
    """Save the partnership page as staff would, with some fields changed."""
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    page = staff.get(url)
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = value
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                key = f"{formset.prefix}-{index}-{name}"
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                elif value is not None:
                    data[key] = value
    data.update(changes)
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    return response


def test_an_accepted_change_is_kept_with_who_and_what(staff, lga, partnership):
    change = change_propose(
        kind="savings_record",
        partnership=partnership,
        proposed={"start_year": 2025, "amount": "40000", "kind": "achieved"},
        source="Adur, refresh questionnaire 2025/26",
        submitted_by_name="Ann",
    )
    change_accept(change=change, reviewer=lga)
    entry = ChangeHistory.objects.get(partnership=partnership)
    assert (entry.action, entry.changed_by, entry.proposed_change) == ("created", lga, change)
    assert entry.before is None and entry.after["amount"] == "40000.00"
    listing = text(staff.get(history_url(partnership)).content)
    assert "Coastal legal service" in listing and "created" in listing and "lga" in listing


def test_a_staff_edit_of_members_and_fields_keeps_before_and_after(staff, partnership):
    prefix = "council_memberships"
    _post_partnership(
        staff,
        partnership,
        status="ended",
        end_year="2024",
        **{
            f"{prefix}-TOTAL_FORMS": "3",
            f"{prefix}-2-council": str(council(SURREY).pk),
            f"{prefix}-2-partnership": str(partnership.pk),
        },
    )
    partnership.refresh_from_db()
    assert partnership.status == "ended"
    entry = ChangeHistory.objects.get(partnership=partnership)
    assert entry.action == "edited by staff"
    assert entry.before["status"] == "operational" and entry.after["status"] == "ended"
    assert entry.before["end_year"] is None and entry.after["end_year"] == 2024
    assert "Surrey" in entry.after["councils"] and "Surrey" not in entry.before["councils"]
    assert "description" not in entry.after  # only what changed
    detail = text(
        staff.get(reverse("admin:submissions_changehistory_change", args=[entry.pk])).content
    )
    assert "status operational ended" in detail


def test_a_partnership_added_by_staff_is_kept_as_created(staff):
    url = reverse("admin:partnerships_partnership_add")
    page = staff.get(url)
    data = {"name": "Brand new service", "slug": "brand-new-service", "published": "on"}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{inline.formset.prefix}-{name}"] = management[name].value()
    prefix = "council_memberships"
    data.update(
        {
            "categories": [str(ServiceCategory.objects.get(slug="legal").pk)],
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-0-council": str(council(ADUR).pk),
            f"{prefix}-1-council": str(council(WORTHING).pk),
        }
    )
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    partnership = Partnership.objects.get(slug="brand-new-service")
    entry = ChangeHistory.objects.get(partnership=partnership)
    assert entry.action == "created" and entry.before is None
    assert sorted(entry.after["councils"]) == ["Adur", "Worthing"]
