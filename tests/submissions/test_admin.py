"""The LGA's staff run the refresh from the admin: open a cycle and invite councils, bring
in latecomers, look after links, confirm questionnaires by phone, review proposed
changes against the published data, and see every email and every change made."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.outbox.models import OutboundEmail
from partnerships.history import change_in_words
from partnerships.models import Council, Partnership
from submissions.models import (
    CouncilContact,
    ProposedChange,
    Questionnaire,
    QuestionnaireLink,
)
from submissions.services import (
    change_accept,
    change_propose,
    cycle_open,
    questionnaire_for_token,
)
from submissions.services.email import cycle_email_group
from submissions.services.notify import invitations_send
from submissions.services.questionnaire import questionnaire_open
from submissions.services.review import review_reason
from submissions.services.staff import cycle_catch_up
from tests.partnerships.factories import SavingsRecordFactory, partnership_with_members
from tests.submissions.refresh_fixtures import (  # noqa: F401 - celery_eager is a fixture
    ADUR,
    SURREY,
    WORTHING,
    contact,
    council,
    cycle_make,
    superuser_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data", "celery_eager")]

CYCLES = reverse("admin:submissions_refreshcycle_changelist")


def text(html) -> str:
    """The page as a reader sees it."""
    if isinstance(html, bytes):
        html = html.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def cycle():
    return cycle_make()


@pytest.fixture
def staff(client):
    client.force_login(superuser_make())
    return client


@pytest.fixture
def partnership():
    return partnership_with_members(
        council(ADUR),
        council(WORTHING),
        name="Adur and Worthing test service",
        description="Shared legal team.",
    )


@pytest.fixture
def submitted(cycle, partnership, django_capture_on_commit_callbacks):
    """Adur's questionnaire, submitted with two changes to its partnership."""
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle)
    questionnaire = Questionnaire.objects.get(cycle=cycle, council__gss_code=ADUR)
    questionnaire.status = Questionnaire.Status.SUBMITTED
    questionnaire.submitted_at = timezone.now()
    questionnaire.submitted_by_name = "Ann Officer"
    questionnaire.save()
    common = {
        "source": "Adur, refresh questionnaire 2025/26",
        "submitted_by_name": "Ann Officer",
        "submitted_by_email": "ann@adur.gov.uk",
        "questionnaire": questionnaire,
    }
    update = change_propose(
        kind="partnership_update",
        partnership=partnership,
        proposed={"description": "Shared legal and HR teams since 2024."},
        **common,
    )
    savings = change_propose(
        kind="savings_record",
        partnership=partnership,
        proposed={"start_year": 2025, "amount": "250000", "kind": "achieved", "cashable": True},
        **common,
    )
    return questionnaire, update, savings


def review_url(questionnaire) -> str:
    return reverse("admin:submissions_questionnaire_review", args=[questionnaire.pk])


# --- Who may see what ---------------------------------------------------------------------


def _private_urls(questionnaire, change) -> list[str]:
    return [
        review_url(questionnaire),
        reverse("admin:submissions_proposedchange_review", args=[change.pk]),
        reverse("admin:submissions_questionnaire_confirm", args=[questionnaire.pk]),
        reverse("admin:submissions_refreshcycle_dashboard", args=[questionnaire.cycle_id]),
        reverse("admin:submissions_refreshcycle_not_replied", args=[questionnaire.cycle_id]),
        reverse("admin:submissions_questionnaire_change", args=[questionnaire.pk]),
        reverse("admin:submissions_councilcontact_changelist"),
        reverse("admin:outbox_outboundemail_changelist"),
        reverse("admin:activity_activityentry_changelist"),
    ]


def test_the_public_and_non_staff_users_never_reach_the_refresh_admin(client, submitted):
    questionnaire, update, _ = submitted
    urls = _private_urls(questionnaire, update)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        response = client.post(url, {f"decision-{update.pk}": "accept"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    client.force_login(User.objects.create_user("council-officer", "o@adur.gov.uk", "x"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    update.refresh_from_db()
    assert update.status == ProposedChange.Status.PENDING


def test_staff_without_permissions_are_refused_the_review_dashboard_and_contacts(client, submitted):
    questionnaire, update, _ = submitted
    client.force_login(User.objects.create_user("new-starter", "n@lga.gov.uk", "x", is_staff=True))
    for url in _private_urls(questionnaire, update):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(review_url(questionnaire), {f"decision-{update.pk}": "accept"}).status_code
        == 403
    )
    update.refresh_from_db()
    assert update.status == ProposedChange.Status.PENDING


def test_associates_see_and_confirm_but_cannot_accept_changes(client, submitted):
    questionnaire, update, _ = submitted
    group = Group.objects.get(name="LGA associates")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "confirm_questionnaire" in codenames
    assert not codenames & {"change_proposedchange", "change_partnership", "add_partnership"}
    associate = User.objects.create_user("associate", "a@lga.gov.uk", "x", is_staff=True)
    associate.groups.add(group)
    client.force_login(associate)

    page = client.get(review_url(questionnaire))
    assert page.status_code == 200
    assert "Shared legal and HR teams since 2024." in text(page.content)
    assert "You may see these changes but not accept or reject them." in text(page.content)
    assert 'name="decision-' not in page.content.decode()
    refused = client.post(review_url(questionnaire), {f"decision-{update.pk}": "accept"})
    assert refused.status_code == 403
    update.refresh_from_db()
    assert update.status == ProposedChange.Status.PENDING
    confirm = reverse("admin:submissions_questionnaire_confirm", args=[questionnaire.pk])
    assert client.get(confirm).status_code == 200
    # Publishing is for staff with the partnership permissions.
    assert client.get(reverse("admin:partnerships_partnership_add")).status_code == 403


# --- Running a cycle ----------------------------------------------------------------------


def test_opening_a_cycle_from_the_list_invites_every_active_contact(
    staff, cycle, django_capture_on_commit_callbacks
):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    contact(WORTHING, "wes@worthing.gov.uk", "Wes")
    contact(SURREY, "old@surreycc.gov.uk", "Old", active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            CYCLES, {"action": "open_cycle", "_selected_action": [cycle.pk]}, follow=True
        )
    assert "is open: 2 questionnaires made" in text(response.content)
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@adur.gov.uk", "wes@worthing.gov.uk"]
    invitation = next(m for m in mail.outbox if m.to == ["ann@adur.gov.uk"])
    assert "Adur" in invitation.subject
    token = re.search(r"/refresh/q/([^/]+)/", invitation.body).group(1)
    assert invitation.body.count("http://testserver/refresh/q/") == 1
    assert questionnaire_for_token(token=token).council.gss_code == ADUR

    # Pressing it again makes nothing new and sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(CYCLES, {"action": "open_cycle", "_selected_action": [cycle.pk]})
    assert len(mail.outbox) == 2


def test_councils_and_partnerships_added_later_join_the_open_cycle(
    staff, cycle, django_capture_on_commit_callbacks
):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle)
        invitations_send(questionnaire=cycle.questionnaires.get(), site_url="http://testserver")
    mail.outbox.clear()
    contact(WORTHING, "wes@worthing.gov.uk", "Wes")
    contact(ADUR, "bob@adur.gov.uk", "Bob")
    new = partnership_with_members(council(ADUR), council(SURREY), name="Late partnership")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            CYCLES, {"action": "catch_up", "_selected_action": [cycle.pk]}, follow=True
        )
    assert "1 new questionnaire, 1 partnership added" in text(response.content)
    assert cycle.questionnaires.get(council__gss_code=WORTHING)
    assert cycle.questionnaires.get(council__gss_code=ADUR).items.filter(partnership=new).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@adur.gov.uk", "wes@worthing.gov.uk"]


def test_a_council_page_keeps_its_contacts_and_they_can_be_found(staff):
    adur = council(ADUR)
    page = staff.get(reverse("admin:partnerships_council_change", args=[adur.pk]))
    assert "Refresh contacts (private: LGA staff only)" in text(page.content)
    contact(ADUR, "ann@adur.gov.uk", "Ann Officer", role="Head of Legal")
    found = staff.get(
        reverse("admin:submissions_councilcontact_changelist"), {"q": "head of legal"}
    )
    assert "ann@adur.gov.uk" in text(found.content)
    page = staff.get(reverse("admin:partnerships_council_change", args=[adur.pk]))
    assert 'value="ann@adur.gov.uk"' in page.content.decode()


def test_staff_revoke_a_link_and_email_a_new_one(staff, cycle, django_capture_on_commit_callbacks):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle)
        invitations_send(questionnaire=cycle.questionnaires.get(), site_url="http://testserver")
    old = re.search(r"/refresh/q/([^/]+)/", mail.outbox[0].body).group(1)
    questionnaire = cycle.questionnaires.get()
    link = QuestionnaireLink.objects.get(questionnaire=questionnaire)
    page = staff.get(reverse("admin:submissions_questionnaire_change", args=[questionnaire.pk]))
    revoke = reverse(
        "admin:submissions_questionnaire_revoke_link", args=[questionnaire.pk, link.pk]
    )
    assert revoke in page.content.decode()
    assert old not in page.content.decode()  # the token itself is never shown
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(revoke, {"reissue": "1"})
    assert questionnaire_for_token(token=old) is None
    new = re.search(r"/refresh/q/([^/]+)/", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["ann@adur.gov.uk"]
    assert questionnaire_for_token(token=new) == questionnaire


def test_an_associate_records_a_questionnaire_confirmed_by_phone(
    client, cycle, partnership, django_capture_on_commit_callbacks
):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    cycle_open(cycle=cycle)
    questionnaire = cycle.questionnaires.get(council__gss_code=ADUR)
    associate = User.objects.create_user("associate", "a@lga.gov.uk", "x", is_staff=True)
    associate.groups.add(Group.objects.get(name="LGA associates"))
    client.force_login(associate)
    url = reverse("admin:submissions_questionnaire_confirm", args=[questionnaire.pk])

    missing = client.post(url, {"method": "phone", "confirmed_with": ""})
    assert missing.status_code == 200
    assert "This field is required." in text(missing.content)

    # Each partnership the council had not answered is confirmed one way or the other.
    confirmed = {f"item-{item.pk}": "unchanged" for item in questionnaire.items.all()}
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {"method": "phone", "confirmed_with": "Jo Bloggs, Head of Legal", **confirmed},
            follow=True,
        )
    assert "Recorded: Adur confirmed its questionnaire (Jo Bloggs, Head of Legal)" in text(
        done.content
    )
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.SUBMITTED
    assert questionnaire.method == Questionnaire.Method.PHONE
    assert questionnaire.confirmed_by == associate
    assert questionnaire.confirmed_with == "Jo Bloggs, Head of Legal"
    assert questionnaire.confirmed_at is not None


# --- Review -------------------------------------------------------------------------------


def test_the_review_shows_the_published_value_beside_the_proposed_one(staff, submitted):
    questionnaire, update, savings = submitted
    SavingsRecordFactory(
        partnership=update.partnership, start_year=2025, end_year=2025, amount="200000"
    )
    page = text(staff.get(review_url(questionnaire)).content)
    assert "Description Shared legal team. Shared legal and HR teams since 2024. Changed" in page
    assert "Amount (£) £200,000.00 £250,000.00 Changed" in page
    assert "Start year 2025 2025 Same" in page
    assert "by Ann Officer (ann@adur.gov.uk)" in page


def test_the_review_reads_the_same_amount_as_the_same_however_it_was_written(staff, submitted):
    questionnaire, update, savings = submitted
    SavingsRecordFactory(
        partnership=update.partnership, start_year=2025, end_year=2025, amount="250000"
    )
    # Published as 250000.00, proposed as "250000": one amount, written once.
    page = text(staff.get(review_url(questionnaire)).content)
    assert "Amount (£) £250,000.00 £250,000.00 Same" in page


def test_accepted_changes_are_published_and_rejected_ones_are_not(staff, submitted):
    questionnaire, update, savings = submitted
    partnership = update.partnership
    response = staff.post(
        review_url(questionnaire),
        {
            f"decision-{update.pk}": "accept",
            f"reason-{update.pk}": "",
            f"decision-{savings.pk}": "reject",
            f"reason-{savings.pk}": "The figure is for the whole county, not the partnership.",
        },
        follow=True,
    )
    assert "1 change(s) accepted and published, 1 rejected." in text(response.content)
    partnership.refresh_from_db()
    assert partnership.description == "Shared legal and HR teams since 2024."
    assert not partnership.savings_records.filter(start_year=2025).exists()
    savings.refresh_from_db()
    assert savings.status == ProposedChange.Status.REJECTED
    assert savings.decision_reason.startswith("The figure is for the whole county")
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.REVIEWED
    # The public page shows the accepted description.
    public = staff.get(partnership.get_absolute_url())
    assert "Shared legal and HR teams since 2024." in text(public.content)
    history = partnership.history.filter(history_change_reason=review_reason(update)).first()
    assert history.history_user.username == "lga"
    # The review page says what accepting it changed, in words.
    assert (
        "What accepting it changed Description: Shared legal team. → "
        "Shared legal and HR teams since 2024." in text(response.content)
    )


def test_a_rejection_without_a_reason_is_refused_beside_it_and_nothing_is_lost(staff, submitted):
    questionnaire, update, savings = submitted
    response = staff.post(
        review_url(questionnaire),
        {
            f"decision-{update.pk}": "accept",
            f"reason-{update.pk}": "Checked with the council's website.",
            f"decision-{savings.pk}": "reject",
            f"reason-{savings.pk}": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in text(page)
    assert "Say why this change is rejected." in text(page)
    assert "Checked with the council&#x27;s website." in page  # what was typed is kept
    assert re.search(rf'value="accept"[^>]*id="id_decision-{update.pk}_1"[^>]*checked', page) or (
        f'id="id_decision-{update.pk}_1" checked' in page
    )
    update.refresh_from_db()
    assert update.status == ProposedChange.Status.PENDING


def test_accepted_changes_are_applied_together_or_not_at_all(staff, submitted):
    questionnaire, update, _ = submitted
    broken = ProposedChange.objects.create(
        kind="partnership_update",
        partnership=update.partnership,
        questionnaire=questionnaire,
        proposed={"councils": [999_999_999]},
        source="test",
    )
    response = staff.post(
        review_url(questionnaire),
        {f"decision-{update.pk}": "accept", f"decision-{broken.pk}": "accept"},
    )
    assert response.status_code == 200
    assert "no longer exist" in text(response.content)
    update.partnership.refresh_from_db()
    assert update.partnership.description == "Shared legal team."
    update.refresh_from_db()
    assert update.status == ProposedChange.Status.PENDING
    assert not update.partnership.history.filter(
        history_change_reason__startswith="Accepted"
    ).exists()


def test_a_proposal_from_outside_a_cycle_is_reviewed_on_its_own_page(staff, partnership):
    change = change_propose(
        kind="partnership_new",
        partnership=None,
        proposed={
            "name": "Sussex fire and councils estates team",
            "description": "Shared estates.",
            "councils": [council(ADUR).pk, council(WORTHING).pk],
            "public_bodies": [],
            "categories": [],
        },
        source="Public proposal form",
        submitted_by_name="Pat",
        submitted_by_email="pat@adur.gov.uk",
    )
    listing = staff.get(reverse("admin:submissions_proposedchange_changelist"))
    url = reverse("admin:submissions_proposedchange_review", args=[change.pk])
    assert url in listing.content.decode()
    page = text(staff.get(url).content)
    assert "Member councils — Adur, Worthing Changed" in page


# --- Emails and history -------------------------------------------------------------------


def test_staff_see_every_email_and_why_one_failed(staff, cycle):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    cycle_open(cycle=cycle)
    questionnaire = cycle.questionnaires.get()
    OutboundEmail.objects.create(
        key="k1",
        kind="refresh-reminder",
        to="ann@adur.gov.uk",
        template="submissions/email/reminder",
        context={"token": "secret-token-value"},
        about=questionnaire,
        group=cycle_email_group(cycle.pk),
        status="failed",
        attempts=5,
        error="ConnectionRefusedError: mail server down",
    )
    listing = staff.get(
        reverse("admin:outbox_outboundemail_changelist"), {"status__exact": "failed"}
    )
    page = text(listing.content)
    assert "ann@adur.gov.uk" in page and "refresh-reminder" in page and "Adur" in page
    assert "mail server down" in page
    email = OutboundEmail.objects.get(key="k1")
    detail = staff.get(reverse("admin:outbox_outboundemail_change", args=[email.pk]))
    assert detail.status_code == 200
    assert "secret-token-value" not in detail.content.decode()
    assert staff.get(reverse("admin:outbox_outboundemail_add")).status_code == 403


def test_a_staff_edit_of_a_partnership_is_kept_in_its_history(staff, partnership):
    change_url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    page = staff.get(change_url)
    link = reverse("admin:partnerships_partnership_history", args=[partnership.pk])
    assert link in page.content.decode()

    data = _change_form_data(page)
    data["description"] = "Shared legal team, now with Horsham."
    response = staff.post(change_url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    entry = partnership.history.first()
    assert entry.history_type == "~" and entry.history_user.username == "lga"
    assert change_in_words(entry) == [
        "Description: Shared legal team. → Shared legal team, now with Horsham."
    ]
    listing = text(staff.get(link).content)
    assert "lga" in listing and "Adur and Worthing test service" in listing
    assert "Shared legal team. → Shared legal team, now with Horsham." in listing
    edits = partnership.history.count()

    # Saving without changing anything adds nothing.
    staff.post(change_url, _change_form_data(staff.get(change_url)))
    assert partnership.history.count() == edits


def _change_form_data(page) -> dict:
    """What the browser would post back from an admin change form, unchanged."""
    data = {}
    html = page.content.decode()
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                key = f"{formset.formset.prefix}-{index}-{name}"
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                elif value is not None:
                    data[key] = getattr(value, "pk", value)
    assert html
    return data


def test_the_contacts_list_is_private_to_staff_with_the_permission(client):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    viewer = User.objects.create_user("viewer", "v@lga.gov.uk", "x", is_staff=True)
    client.force_login(viewer)
    url = reverse("admin:submissions_councilcontact_changelist")
    assert client.get(url).status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="view_councilcontact"))
    assert "ann@adur.gov.uk" in text(client.get(url).content)
    assert CouncilContact.objects.count() == 1
    assert Partnership.objects.exists()


def _refresh_rows(cycle, start: int, n: int) -> None:
    """n councils' worth of questionnaires, emails, proposed changes, history and
    activity."""
    councils = Council.objects.filter(current=True).order_by("gss_code")[start : start + n]
    for other in councils:
        CouncilContact.objects.create(council=other, name="C", email=f"c@{other.gss_code}.gov.uk")
    cycle_catch_up(cycle=cycle)
    lga = User.objects.get(username="lga")
    for index, questionnaire in enumerate(cycle.questionnaires.filter(council__in=councils)):
        questionnaire_open(questionnaire=questionnaire)
        OutboundEmail.objects.create(
            key=f"rows:{questionnaire.pk}",
            kind="refresh-invitation",
            to=f"c@{questionnaire.council.gss_code}.gov.uk",
            template="submissions/email/invitation",
            about=questionnaire,
            group=cycle_email_group(cycle.pk),
        )
        partnership = partnership_with_members(
            questionnaire.council, council(ADUR), name=f"Rows {start}-{index}"
        )
        change = change_propose(
            kind="savings_record",
            partnership=partnership,
            proposed={"start_year": 2025, "amount": "10", "kind": "achieved"},
            source="rows",
            questionnaire=questionnaire,
        )
        if index % 2:
            change_accept(change=change, reviewer=lga)


@pytest.mark.parametrize(
    "model",
    [
        "submissions_questionnaire",
        "outbox_outboundemail",
        "submissions_proposedchange",
        "activity_activityentry",
        "submissions_councilcontact",
    ],
)
def test_the_refresh_lists_cost_the_same_queries_at_ten_times_the_rows(
    staff, model, django_assert_max_num_queries
):
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    cycle_open(cycle=cycle)
    _refresh_rows(cycle, 0, 3)
    url = reverse(f"admin:{model}_changelist")
    with django_assert_max_num_queries(15) as small:
        assert staff.get(url).status_code == 200
    _refresh_rows(cycle, 3, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = staff.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 16


def test_the_review_page_costs_the_same_queries_at_ten_times_the_changes(
    staff, submitted, django_assert_max_num_queries
):
    questionnaire, update, _ = submitted

    def more(n: int) -> None:
        for k in range(n):
            partnership = partnership_with_members(
                council(ADUR), council(SURREY), name=f"Review rows {k}-{n}"
            )
            change_propose(
                kind="partnership_update",
                partnership=partnership,
                proposed={
                    "description": f"New text {k}",
                    "councils": [council(ADUR).pk, council(WORTHING).pk],
                },
                source="rows",
                questionnaire=questionnaire,
            )

    more(2)
    with django_assert_max_num_queries(20) as small:
        assert staff.get(review_url(questionnaire)).status_code == 200
    more(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = staff.get(review_url(questionnaire))
    assert text(page.content).count("Member councils Adur, Surrey Adur, Worthing Changed") == 32


@pytest.mark.browser
def test_a_member_of_staff_accepts_a_change_in_the_browser_and_the_map_shows_it(page, live_server):
    User.objects.create_superuser("reviewer", "reviewer@lga.gov.uk", "a long test password")
    adur, worthing = council(ADUR), council(WORTHING)
    partnership = partnership_with_members(
        adur, worthing, name="Browser review service", description="Old words."
    )
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    cycle_open(cycle=cycle)
    questionnaire = cycle.questionnaires.get(council=adur)
    change = change_propose(
        kind="partnership_update",
        partnership=partnership,
        proposed={"description": "New words from Adur."},
        source="Adur, refresh questionnaire 2025/26",
        submitted_by_name="Ann",
        questionnaire=questionnaire,
    )

    page.goto(live_server.url + review_url(questionnaire))
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    section = page.locator(f"#change-{change.pk}")
    assert "Old words." in section.inner_text() and "New words from Adur." in section.inner_text()
    section.get_by_label("Accept").check()
    page.get_by_role("button", name="Save the decisions").click()
    assert "1 change(s) accepted and published, 0 rejected." in page.locator("body").inner_text()

    page.goto(live_server.url + partnership.get_absolute_url())
    assert "New words from Adur." in page.locator("main").inner_text()
