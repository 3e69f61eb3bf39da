"""Every change to published data keeps its history (who, when, before and after) in
django-simple-history, and staff see it in the admin in words: changes accepted from the
review queue (also on the review page) and staff's own edits on the partnership page
alike."""

import re
from html import unescape

import pytest
from django.urls import reverse

from partnerships.history import change_in_words
from partnerships.models import Partnership, PartnershipCouncil, SavingsRecord, ServiceCategory
from submissions.services import change_accept, change_propose
from submissions.services.review import review_reason
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
    return reverse("admin:partnerships_partnership_history", args=[partnership.pk])


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
    record = SavingsRecord.objects.get(partnership=partnership)
    entry = record.history.get()
    assert (entry.history_type, entry.history_user) == ("+", lga)
    assert entry.history_change_reason == review_reason(change)
    assert entry.amount == 40000
    listing = text(
        staff.get(reverse("admin:partnerships_savingsrecord_history", args=[record.pk])).content
    )
    assert "lga" in listing and f"Accepted review {change.pk}" in listing
    review = reverse("admin:submissions_proposedchange_review", args=[change.pk])
    page = text(staff.get(review).content)
    assert f"What accepting it changed Created: {record}" in page and "Accepted by lga" in page


def test_a_staff_edit_of_members_and_fields_keeps_before_and_after(staff, lga, partnership):
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
    entry = partnership.history.first()
    assert entry.history_user == lga
    lines = change_in_words(entry)
    assert "Status: Operational → Ended" in lines and "End year: (none) → 2024" in lines
    assert not [line for line in lines if line.startswith("Description")]  # only what changed
    joined = PartnershipCouncil.history.get(partnership_id=partnership.pk, council__gss_code=SURREY)
    assert (joined.history_type, joined.history_user) == ("+", lga)
    detail = text(staff.get(history_url(partnership)).content)
    assert "Operational → Ended" in detail and "lga" in detail


def test_a_partnership_added_by_staff_is_kept_as_created(staff, lga):
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
    entry = partnership.history.get(history_type="+")
    assert entry.history_user == lga
    members = PartnershipCouncil.history.filter(partnership_id=partnership.pk, history_type="+")
    assert sorted(m.council.short_name for m in members) == ["Adur", "Worthing"]
    assert {m.history_user for m in members} == {lga}
