"""Staff merge a proposed new partnership into the published one it duplicates, or accept
it as new and choose to publish it now or keep it unpublished."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from partnerships.models import Partnership, SavingsRecord, ServiceCategory
from submissions.models import ProposedChange, Questionnaire, QuestionnaireItem
from submissions.services import change_accept, change_propose
from submissions.services.review import review_reason
from tests.partnerships.factories import partnership_with_members
from tests.submissions.refresh_fixtures import ADUR, SURREY, WORTHING, council, cycle_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]
HORSHAM = "E07000227"


def text(html) -> str:
    if isinstance(html, bytes):
        html = html.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def category(slug: str) -> ServiceCategory:
    return ServiceCategory.objects.get(slug=slug)


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_superuser("lga", "lga@local.gov.uk", "x")


@pytest.fixture
def richmond():
    """Published: Adur and Worthing sharing legal services, with no description."""
    return partnership_with_members(
        council(ADUR),
        council(WORTHING),
        name="Richmond Housing Partnership",
        slug="richmond-housing",
        description="",
        categories=[category("legal")],
    )


@pytest.fixture
def questionnaire():
    return Questionnaire.objects.create(
        cycle=cycle_make(), council=council(ADUR), status=Questionnaire.Status.SUBMITTED
    )


def resubmitted(questionnaire, **proposed) -> ProposedChange:
    """Adur's questionnaire proposes again, as a new collaboration, what is published."""
    item = QuestionnaireItem.objects.create(
        questionnaire=questionnaire, answer=QuestionnaireItem.Answer.NEW, name="Richmond housing"
    )
    fields = {
        "name": "Richmond housing",
        "description": "Housing advice and legal work for three councils.",
        "status": "operational",
        "start_year": 2020,
        "councils": [council(ADUR).pk, council(WORTHING).pk, council(HORSHAM).pk],
        "public_bodies": [],
        "other_partners": ["Richmond Housing Trust"],
        "categories": [category("legal").pk, category("housing").pk],
        "savings": {
            "start_year": 2025,
            "end_year": 2025,
            "amount": "40000.00",
            "kind": "achieved",
            "cashable": True,
            "recurrence": "recurring",
            "note": "",
        },
        **proposed,
    }
    return change_propose(
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        partnership=None,
        proposed=fields,
        source="Adur, refresh questionnaire 2025/26",
        submitted_by_name="Ann Officer",
        submitted_by_email="ann@adur.gov.uk",
        questionnaire=questionnaire,
        item=item,
    )


def public_proposal(name="Quantock otter survey") -> ProposedChange:
    return change_propose(
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        partnership=None,
        proposed={
            "name": name,
            "description": "Counting otters.",
            "councils": [council(SURREY).pk, council(HORSHAM).pk],
            "public_bodies": [],
            "other_partners": [],
            "categories": [category("other").pk],
        },
        source="Public proposal form",
        submitted_by_name="Pat Proposer",
        submitted_by_email="pat@example.org",
    )


# --- Merge --------------------------------------------------------------------------------


def test_merging_adds_what_is_new_to_the_published_partnership_and_creates_none(
    richmond, questionnaire, reviewer
):
    change = resubmitted(questionnaire)
    before = Partnership.objects.count()

    change_accept(change=change, reviewer=reviewer, merge_into=richmond)

    assert Partnership.objects.count() == before, "no copy is published"
    richmond.refresh_from_db()
    assert richmond.slug == "richmond-housing" and richmond.name == "Richmond Housing Partnership"
    assert set(richmond.councils.values_list("gss_code", flat=True)) == {ADUR, WORTHING, HORSHAM}
    assert list(richmond.public_bodies.values_list("name", flat=True)) == ["Richmond Housing Trust"]
    assert set(richmond.categories.values_list("slug", flat=True)) == {"legal", "housing"}
    assert richmond.description == "Housing advice and legal work for three councils."
    record = SavingsRecord.objects.get(partnership=richmond)
    assert (record.start_year, record.amount, record.origin) == (2025, Decimal("40000"), "refresh")
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.ACCEPTED
    assert change.partnership == richmond
    assert change.decision_reason == "Merged into Richmond Housing Partnership."
    # The history names the reviewer, as an acceptance's does.
    records = richmond.history.filter(history_change_reason=review_reason(change))
    assert records.exists() and {r.history_user for r in records} == {reviewer}
    assert record.history.get().history_user == reviewer
    # The council's questionnaire now lists the partnership itself, not "To do".
    item = QuestionnaireItem.objects.get(pk=change.item_id)
    assert item.partnership == richmond
    assert item.answer == QuestionnaireItem.Answer.UNCHANGED


def test_merging_keeps_the_published_description_and_members(richmond, questionnaire, reviewer):
    richmond.description = "The published description."
    richmond.save()
    change = resubmitted(
        questionnaire, councils=[council(ADUR).pk, council(HORSHAM).pk], savings=None
    )
    change_accept(change=change, reviewer=reviewer, reason="Same team.", merge_into=richmond)
    richmond.refresh_from_db()
    assert richmond.description == "The published description."
    assert set(richmond.councils.values_list("gss_code", flat=True)) == {ADUR, WORTHING, HORSHAM}
    assert not SavingsRecord.objects.filter(partnership=richmond).exists()
    change.refresh_from_db()
    assert change.decision_reason == "Merged into Richmond Housing Partnership. Same team."


def test_a_proposal_merges_only_into_a_partnership_on_the_map(richmond, questionnaire, reviewer):
    richmond.published = False
    richmond.save()
    change = resubmitted(questionnaire)
    with pytest.raises(ValidationError, match="only into a partnership on the map"):
        with transaction.atomic():
            change_accept(change=change, reviewer=reviewer, merge_into=richmond)
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.PENDING
    assert richmond.councils.count() == 2


def test_only_a_proposed_new_partnership_can_be_merged_or_kept_unpublished(richmond, reviewer):
    update = change_propose(
        kind=ProposedChange.Kind.PARTNERSHIP_UPDATE,
        partnership=richmond,
        proposed={"description": "New words"},
        source="test",
    )
    for choice in ({"merge_into": richmond}, {"publish": False}):
        with pytest.raises(ValidationError), transaction.atomic():
            change_accept(change=update, reviewer=reviewer, **choice)
    update.refresh_from_db()
    assert update.status == ProposedChange.Status.PENDING


# --- Publish now or keep unpublished ------------------------------------------------------


def test_a_new_partnership_kept_unpublished_is_off_the_map_until_staff_publish_it(
    reviewer, client, django_capture_on_commit_callbacks
):
    change = public_proposal()
    with django_capture_on_commit_callbacks(execute=True):
        change_accept(change=change, reviewer=reviewer, publish=False)
    change.refresh_from_db()
    partnership = change.partnership
    assert partnership.name == "Quantock otter survey" and not partnership.published
    assert client.get(partnership.get_absolute_url()).status_code == 404
    # The proposer hears it was accepted, with no link to a page the public cannot see.
    told = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert len(told) == 1 and partnership.get_absolute_url() not in told[0].body


def test_a_new_partnership_is_published_now_by_default(reviewer, client):
    change = public_proposal()
    change_accept(change=change, reviewer=reviewer)
    change.refresh_from_db()
    assert change.partnership.published
    assert client.get(change.partnership.get_absolute_url()).status_code == 200


# --- The review page ----------------------------------------------------------------------


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_post(client: Client, url: str, data: dict, **kwargs):
    """Post as the page's form does, with the CSRF token it carries."""
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data}, **kwargs)


def test_staff_merge_a_flagged_resubmission_from_the_questionnaires_review_page(
    richmond, questionnaire, reviewer
):
    change = resubmitted(questionnaire)
    client = csrf_client(reviewer)
    url = reverse("admin:submissions_questionnaire_review", args=[questionnaire.pk])
    page = client.get(url).content.decode()
    assert f'value="merge-{richmond.pk}"' in page
    assert "Merge into Richmond Housing Partnership" in text(page)
    assert client.post(url, {f"decision-{change.pk}": f"merge-{richmond.pk}"}).status_code == 403
    before = Partnership.objects.count()

    response = csrf_post(
        client,
        url,
        {f"decision-{change.pk}": f"merge-{richmond.pk}", f"reason-{change.pk}": ""},
        follow=True,
    )
    assert (
        "1 change(s) accepted and published, 0 rejected. Of those accepted, 1 merged into a "
        "published partnership." in text(response.content)
    )
    assert Partnership.objects.count() == before
    change.refresh_from_db()
    assert change.partnership == richmond and change.status == ProposedChange.Status.ACCEPTED
    assert "Merged into Richmond Housing Partnership." in text(response.content)
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.REVIEWED


def test_a_merge_into_a_partnership_not_flagged_is_refused_beside_the_change(
    richmond, questionnaire, reviewer
):
    change = resubmitted(questionnaire)
    elsewhere = partnership_with_members(council(SURREY), council(HORSHAM), name="Quantock otters")
    response = csrf_post(
        csrf_client(reviewer),
        reverse("admin:submissions_questionnaire_review", args=[questionnaire.pk]),
        {f"decision-{change.pk}": f"merge-{elsewhere.pk}"},
    )
    assert response.status_code == 200
    assert "Nothing was saved" in text(response.content)
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.PENDING


def test_staff_keep_a_public_proposal_unpublished_from_its_review_page(reviewer):
    change = public_proposal()
    client = csrf_client(reviewer)
    url = reverse("admin:submissions_proposedchange_review", args=[change.pk])
    page = client.get(url).content.decode()
    assert "If accepted as a new partnership" in text(page)
    assert re.search(rf'value="now"[^>]*id="id_publish-{change.pk}_0"[^>]*checked', page) or (
        f'id="id_publish-{change.pk}_0" checked' in page
    ), "Publish now is the default"

    response = csrf_post(
        client,
        url,
        {f"decision-{change.pk}": "accept", f"publish-{change.pk}": "unpublished"},
        follow=True,
    )
    said = text(response.content)
    assert "1 change(s) accepted, 0 rejected." in said, "not 'published' when it was not"
    assert "1 new partnership(s) kept unpublished" in said
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.ACCEPTED
    assert not change.partnership.published
