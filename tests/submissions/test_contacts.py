"""A council's refresh contacts: one per mailbox, whatever the case of the email; a
contact added while a cycle is open is invited at once, and hears nothing before that."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from core.outbox.models import OutboundEmail
from partnerships.models import Council
from submissions.admin.partnership_pages import CouncilContactInline
from submissions.models import DUPLICATE_EMAIL_MESSAGE, CouncilContact, RefreshCycle
from submissions.services import cycle_open
from submissions.services.notify import contact_invite, cycle_invitations_send, reminders_send
from tests.submissions.refresh_fixtures import (  # noqa: F401 - celery_eager is a fixture
    ADUR,
    WORTHING,
    contact,
    council,
    cycle_make,
    superuser_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

DEADLINE = datetime.date(2026, 4, 15)
OPENED = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))


def _days_before(n: int) -> datetime.date:
    return DEADLINE - datetime.timedelta(days=n)


@pytest.fixture
def staff(client):
    client.force_login(superuser_make())
    return client


@pytest.fixture
def opened(real_data, django_capture_on_commit_callbacks):
    """The 2025/26 cycle, opened on 1 March with Ann of Adur invited that day."""
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(cycle=cycle)
        cycle_invitations_send(cycle=cycle, site_url="https://map.example.org")
    RefreshCycle.objects.filter(pk=cycle.pk).update(opened_at=OPENED)
    CouncilContact.objects.update(created_at=OPENED - datetime.timedelta(days=1))
    OutboundEmail.objects.update(created_at=OPENED, sent_at=OPENED)
    cycle.refresh_from_db()
    mail.outbox.clear()
    return cycle


def _kinds_to(address: str) -> list[str]:
    return list(
        OutboundEmail.objects.filter(to=address).order_by("pk").values_list("kind", flat=True)
    )


# --- One contact per mailbox ----------------------------------------------------------------


def test_an_email_differing_only_in_case_is_refused_beside_the_field(real_data):
    ann = contact(ADUR, "Ann.Officer@Adur.gov.uk", "Ann")
    twin = CouncilContact(council=council(ADUR), name="Ann again", email="ann.officer@adur.GOV.uk")
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert refused.value.message_dict == {"email": [DUPLICATE_EMAIL_MESSAGE]}
    # Stored as typed; another council may have the same person; saving Ann again is fine.
    ann.refresh_from_db()
    assert ann.email == "Ann.Officer@Adur.gov.uk"
    CouncilContact(
        council=council(WORTHING), name="Ann", email="ann.officer@adur.gov.uk"
    ).full_clean()
    ann.full_clean()


def test_the_database_refuses_a_case_duplicate_whatever_path_it_comes_by(real_data):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilContact.objects.create(council=council(ADUR), name="Ann", email="ANN@adur.gov.uk")


def test_the_contact_form_refuses_a_duplicate_beside_the_email_field(staff, real_data):
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    response = staff.post(
        reverse("admin:submissions_councilcontact_add"),
        {"council": council(ADUR).pk, "name": "Ann", "email": "Ann@Adur.gov.uk", "active": "on"},
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"email": [DUPLICATE_EMAIL_MESSAGE]}
    assert CouncilContact.objects.filter(council__gss_code=ADUR).count() == 1


def _council_page_contacts(rf, adur, rows: list[dict]):
    """The contacts' rows of the council's admin page, as that page builds them (its
    inline's own formset), posted with `rows`."""
    request = rf.post("/")
    request.user = User.objects.filter(username="lga").first() or superuser_make()
    inline = CouncilContactInline(Council, admin.site)
    formset_class = inline.get_formset(request, adur)
    prefix = formset_class.get_default_prefix()
    existing = list(CouncilContact.objects.filter(council=adur).order_by("pk"))
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(existing) + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
    }
    everyone = [
        {"id": c.pk, "name": c.name, "email": c.email, "active": "on" if c.active else ""}
        for c in existing
    ] + rows
    for n, row in enumerate(everyone):
        for name, value in row.items():
            if value != "":
                data[f"{prefix}-{n}-{name}"] = value
    return formset_class(data, instance=adur, prefix=prefix)


def test_the_councils_page_refuses_two_rows_with_one_mailbox(rf, real_data):
    adur = council(ADUR)
    formset = _council_page_contacts(
        rf,
        adur,
        [
            {"name": "Ann", "email": "ann@adur.gov.uk", "active": "on"},
            {"name": "Ann again", "email": "ANN@adur.gov.uk", "active": "on"},
        ],
    )
    assert not formset.is_valid()
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors == {"email": [DUPLICATE_EMAIL_MESSAGE]}
    # And a row repeating a contact already saved, in another case.
    contact(ADUR, "bob@adur.gov.uk", "Bob")
    formset = _council_page_contacts(
        rf, adur, [{"name": "Bob", "email": "Bob@Adur.gov.uk", "active": "on"}]
    )
    assert not formset.is_valid()
    assert formset.forms[1].errors == {"email": [DUPLICATE_EMAIL_MESSAGE]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_real_data")
def test_existing_case_duplicates_are_merged_into_the_first_by_the_migration():
    executor = MigrationExecutor(connection)
    before = [("submissions", "0011_questionnaire_confirm_permission")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldContact = old_apps.get_model("submissions", "CouncilContact")
    adur = council(ADUR)
    first = OldContact.objects.create(
        council_id=adur.pk, name="Ann", email="ann@adur.gov.uk", active=False
    )
    OldContact.objects.create(
        council_id=adur.pk, name="Ann", email="Ann@Adur.gov.uk", role="Head of Legal"
    )
    OldContact.objects.create(council_id=adur.pk, name="Bob", email="bob@adur.gov.uk")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    contacts = CouncilContact.objects.filter(council=adur).order_by("pk")
    assert [(c.pk, c.email, c.role, c.active) for c in contacts] == [
        (first.pk, "ann@adur.gov.uk", "Head of Legal", True),
        (contacts[1].pk, "bob@adur.gov.uk", "", True),
    ]


# --- A contact added to an open cycle -----------------------------------------------------


def test_a_contact_added_in_the_admin_to_an_open_cycle_is_invited_at_once(
    staff, opened, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("admin:submissions_councilcontact_add"),
            {
                "council": council(WORTHING).pk,
                "name": "Wes",
                "email": "wes@worthing.gov.uk",
                "active": "on",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["wes@worthing.gov.uk"]]
    assert "/refresh/q/" in mail.outbox[0].body
    # Its council had no questionnaire: it has one now, which the invitation opens.
    assert opened.questionnaires.filter(council__gss_code=WORTHING).exists()
    assert _kinds_to("wes@worthing.gov.uk") == ["refresh-invitation"]


def test_a_contact_added_on_the_councils_page_is_invited_at_once(
    rf, opened, django_capture_on_commit_callbacks
):
    formset = _council_page_contacts(
        rf, council(ADUR), [{"name": "Bob", "email": "bob@adur.gov.uk", "active": "on"}]
    )
    assert formset.is_valid(), formset.errors
    with django_capture_on_commit_callbacks(execute=True):
        formset.save()
    assert [m.to for m in mail.outbox] == [["bob@adur.gov.uk"]]  # Ann is not invited twice


def test_a_late_contact_never_invited_gets_no_reminder(opened, django_capture_on_commit_callbacks):
    # Added on 20 March without an invitation (the bug: three reminders, no invitation).
    late = contact(ADUR, "cy@adur.gov.uk", "Cy")
    CouncilContact.objects.filter(pk=late.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 20, 9, 0))
    )
    with django_capture_on_commit_callbacks(execute=True):
        for days in (21, 7, 1):
            reminders_send(cycle=opened, today=_days_before(days))
    assert _kinds_to("cy@adur.gov.uk") == []
    assert _kinds_to("ann@adur.gov.uk") == ["refresh-invitation"] + ["refresh-reminder"] * 3


def test_a_late_contacts_reminders_count_from_its_own_invitation(
    staff, opened, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:submissions_councilcontact_add"),
            {"council": council(ADUR).pk, "name": "Cy", "email": "cy@adur.gov.uk", "active": "on"},
        )
    # Its invitation went on 10 April: the 21-day and 7-day steps (25 March, 8 April) were
    # before it; the 1-day step and the chaser come after.
    OutboundEmail.objects.filter(to="cy@adur.gov.uk").update(
        sent_at=timezone.make_aware(datetime.datetime(2026, 4, 10, 9, 0))
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(cycle=opened, today=_days_before(21))
        reminders_send(cycle=opened, today=_days_before(7))
        reminders_send(cycle=opened, today=_days_before(5))  # 7 days still in catch-up
    assert _kinds_to("cy@adur.gov.uk") == ["refresh-invitation"]
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(cycle=opened, today=_days_before(1))
        reminders_send(cycle=opened, today=DEADLINE + datetime.timedelta(days=3))
    assert _kinds_to("cy@adur.gov.uk") == [
        "refresh-invitation",
        "refresh-reminder",
        "refresh-chaser",
    ]


def test_no_reminder_overtakes_an_invitation_not_yet_sent(
    opened, django_capture_on_commit_callbacks
):
    late = contact(ADUR, "cy@adur.gov.uk", "Cy")
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not sent it
        contact_invite(contact=late)
    invitation = OutboundEmail.objects.get(to="cy@adur.gov.uk")
    assert invitation.status == OutboundEmail.Status.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(cycle=opened, today=DEADLINE + datetime.timedelta(days=3))
    assert _kinds_to("cy@adur.gov.uk") == ["refresh-invitation"]
    assert _kinds_to("ann@adur.gov.uk")[-1] == "refresh-chaser"


def test_no_invitation_is_sent_while_no_cycle_is_open(
    staff, real_data, django_capture_on_commit_callbacks
):
    cycle_make()  # a draft
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:submissions_councilcontact_add"),
            {
                "council": council(ADUR).pk,
                "name": "Ann",
                "email": "ann@adur.gov.uk",
                "active": "on",
            },
        )
    assert CouncilContact.objects.filter(email="ann@adur.gov.uk").exists()
    assert mail.outbox == [] and not OutboundEmail.objects.exists()
