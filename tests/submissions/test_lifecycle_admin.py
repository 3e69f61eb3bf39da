"""Staff pages of a questionnaire after it is sent: confirming on a council's behalf asks
what was confirmed of each partnership, and the questionnaire shows how each contact's
email went."""

import re
from html import unescape
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from core.activity.selectors import activity_for
from core.outbox.models import OutboundEmail
from submissions.models import ProposedChange, Questionnaire
from submissions.services import cycle_open
from submissions.services.notify import cycle_invitations_send
from submissions.services.questionnaire import questionnaire_confirm_on_behalf
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)
from tests.submissions.refresh_fixtures import ADUR, WORTHING, contact, cycle_make

pytestmark = pytest.mark.django_db


def text(html) -> str:
    """The page as a reader sees it."""
    if isinstance(html, bytes):
        html = html.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def lga():
    return get_user_model().objects.create_user(
        "lga", "lga@lga.gov.uk", "x", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff(client, lga):
    client.force_login(lga)
    return client


def _items(questionnaire):
    return list(questionnaire.items.order_by("partnership__name", "pk"))


def confirm_url(questionnaire) -> str:
    return reverse("admin:submissions_questionnaire_confirm", args=[questionnaire.pk])


# --- Confirming on behalf: the service -----------------------------------------------------


def test_confirming_on_behalf_answers_only_what_the_council_confirmed(adur, lga):
    first, second = _items(adur)
    questionnaire_confirm_on_behalf(
        questionnaire=adur,
        user=lga,
        confirmed_with="Pat Jones",
        answers={first.pk: "unchanged", second.pk: "ended"},
        end_years={second.pk: 2025},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.answer == "unchanged"
    assert second.answer == "ended" and second.end_year == 2025
    ending = ProposedChange.objects.get(questionnaire=adur)
    assert ending.kind == "partnership_end" and ending.proposed["end_year"] == 2025


def test_confirming_on_behalf_with_a_partnership_unconfirmed_is_refused_and_writes_nothing(
    adur, lga
):
    first, second = _items(adur)
    version = adur.version
    with pytest.raises(ValidationError) as error:
        questionnaire_confirm_on_behalf(
            questionnaire=adur,
            user=lga,
            confirmed_with="Pat Jones",
            answers={first.pk: "unchanged"},
        )
    message = error.value.message_dict["answers"][0]
    assert str(second) in message and str(first) not in message
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.NOT_OPENED and adur.version == version
    assert adur.confirmed_by is None
    assert all(item.answer == "unanswered" for item in adur.items.all())
    assert not activity_for(adur).filter(verb="confirmed").exists()


def test_an_ending_confirmed_on_behalf_needs_its_year(adur, lga):
    first, second = _items(adur)
    with pytest.raises(ValidationError) as error:
        questionnaire_confirm_on_behalf(
            questionnaire=adur,
            user=lga,
            confirmed_with="Pat Jones",
            answers={first.pk: "unchanged", second.pk: "ended"},
        )
    assert str(second) in error.value.message_dict["end_years"][0]
    assert not adur.items.exclude(answer="unanswered").exists()


def test_what_the_council_answered_itself_is_kept_when_staff_confirm(adur, lga):
    first, second = _items(adur)
    first.answer = "ended"
    first.end_year = 2024
    first.save()
    questionnaire_confirm_on_behalf(
        questionnaire=adur,
        user=lga,
        confirmed_with="Pat Jones",
        # An answer for the item already answered is ignored.
        answers={first.pk: "unchanged", second.pk: "unchanged"},
    )
    first.refresh_from_db()
    assert first.answer == "ended" and first.end_year == 2024


# --- Confirming on behalf: the page --------------------------------------------------------


def test_the_confirm_page_asks_about_each_unanswered_partnership(staff, adur):
    first, second = _items(adur)
    page = staff.get(confirm_url(adur))
    assert page.status_code == 200
    words = text(page.content)
    assert "What the council confirmed" in words
    for item in (first, second):
        assert str(item) in words
    html = page.content.decode()
    # "Not confirmed" is chosen until staff choose otherwise.
    assert re.search(rf'name="item-{first.pk}" value="" [^>]*checked', html)
    assert f'name="ended-{second.pk}"' in html


def test_the_confirm_page_refuses_an_unconfirmed_partnership_beside_it(staff, adur):
    first, second = _items(adur)
    response = staff.post(
        confirm_url(adur),
        {
            "method": "phone",
            "confirmed_with": "Pat Jones",
            f"item-{first.pk}": "unchanged",
            f"item-{second.pk}": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    words = text(html)
    assert "There is a problem" in words
    assert f"{second} was not confirmed" in words
    # The message sits beside the item's choice (its id, which the group names).
    assert f'id="id_item-{second.pk}_error"' in html
    assert f'id="id_item-{first.pk}_error"' not in html
    adur.refresh_from_db()
    assert adur.confirmed_by is None
    assert not adur.items.exclude(answer="unanswered").exists()


def test_the_confirm_page_refuses_a_bad_end_year_beside_it(staff, adur):
    first, second = _items(adur)
    response = staff.post(
        confirm_url(adur),
        {
            "method": "phone",
            "confirmed_with": "Pat Jones",
            f"item-{first.pk}": "unchanged",
            f"item-{second.pk}": "ended",
            f"ended-{second.pk}": "2_025",
        },
    )
    assert response.status_code == 200
    assert f'id="id_ended-{second.pk}_error"' in response.content.decode()
    assert not adur.items.exclude(answer="unanswered").exists()


def test_the_confirm_page_records_what_was_chosen(staff, adur, lga):
    first, second = _items(adur)
    done = staff.post(
        confirm_url(adur),
        {
            "method": "email",
            "confirmed_with": "Pat Jones",
            f"item-{first.pk}": "unchanged",
            f"item-{second.pk}": "ended",
            f"ended-{second.pk}": "2025",
        },
        follow=True,
    )
    assert "Recorded: Adur confirmed its questionnaire (Pat Jones)" in text(done.content)
    adur.refresh_from_db()
    assert adur.status == "submitted" and adur.method == "email" and adur.confirmed_by == lga
    second.refresh_from_db()
    assert second.answer == "ended" and second.end_year == 2025


# --- Delivery status on the questionnaire's page -------------------------------------------


@pytest.fixture
def invited(django_capture_on_commit_callbacks, settings):
    """Adur's Ann and Worthing's Wes and Wyn are invited; Wyn's mail server refuses."""
    settings.SITE_URL = "https://map.example.org"
    cycle = cycle_make()
    contact(ADUR, "ann@adur.gov.uk", "Ann")
    contact(WORTHING, "wes@worthing.gov.uk", "Wes")
    contact(WORTHING, "wyn@worthing.gov.uk", "Wyn")
    cycle_open(cycle=cycle)
    real_send = EmailBackend.send_messages

    def send(backend, messages):
        if any("wyn@worthing.gov.uk" in m.to for m in messages):
            raise ConnectionRefusedError("550 mailbox unavailable")
        return real_send(backend, messages)

    with mock.patch.object(EmailBackend, "send_messages", send):
        with django_capture_on_commit_callbacks(execute=True):
            cycle_invitations_send(cycle=cycle, site_url="https://map.example.org")
    return cycle


def _change_page_url(questionnaire) -> str:
    return reverse("admin:submissions_questionnaire_change", args=[questionnaire.pk])


def _change_page(client, questionnaire):
    return client.get(_change_page_url(questionnaire))


@pytest.mark.usefixtures("real_data", "celery_eager")
def test_the_questionnaire_page_shows_each_contacts_delivery_with_a_resend(
    staff, invited, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    worthing = Questionnaire.objects.get(cycle=invited, council__gss_code=WORTHING)
    with django_assert_max_num_queries(60):
        response = _change_page(staff, worthing)
    assert response.status_code == 200
    page = text(response.content)
    assert "1 email about this questionnaire could not be delivered" in page
    rows = page.split("Delivery by contact")[1]
    assert re.search(r"Wes <wes@worthing.gov.uk> refresh-invitation, [^:]+\d\d:\d\d Sent", rows)
    wyn = rows.split("Wyn <wyn@worthing.gov.uk>")[1][:200]
    assert re.match(r" refresh-invitation, [^:]+\d\d:\d\d Failed : ConnectionRefusedError", wyn)
    assert "ann@adur.gov.uk" not in page, "only this council's contacts"
    every = page.split("Every email about this questionnaire")[1]
    assert "wyn@worthing.gov.uk refresh-invitation Failed" in every
    # The Resend button is the dashboard's, for the one failed email.
    failed = OutboundEmail.objects.get(to="wyn@worthing.gov.uk", kind="refresh-invitation")
    resend = reverse("admin:submissions_refreshcycle_email_resend", args=[invited.pk, failed.pk])
    html = response.content.decode()
    assert html.count(f'action="{resend}"') == 2  # in the failed list and Wyn's row
    # And outside the change form: a form inside a form would not submit.
    change_form = html.index('id="questionnaire_form"')
    assert html.index(f'action="{resend}"') > html.index("</form>", change_form)
    # The button says where it was pressed, so staff come back to this page.
    assert f'name="back_to" value="{worthing.pk}"' in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        back = staff.post(resend, {"back_to": str(worthing.pk)})
    assert back.status_code == 302
    assert back.url == _change_page_url(worthing) + "#questionnaire-deliveries"
    assert [m.to for m in mail.outbox] == [["wyn@worthing.gov.uk"]]
    page = text(_change_page(staff, worthing).content)
    assert "could not be delivered" not in page
    assert re.search(r"Wyn <wyn@worthing.gov.uk> refresh-invitation, [^:]+\d\d:\d\d Sent", page)


@pytest.mark.usefixtures("real_data", "celery_eager")
def test_delivery_is_shown_only_to_staff_who_may_see_contacts(client, invited):
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_questionnaire"))
    client.force_login(viewer)
    worthing = Questionnaire.objects.get(cycle=invited, council__gss_code=WORTHING)
    page = _change_page(client, worthing)
    assert page.status_code == 200
    assert "wyn@worthing.gov.uk" not in text(page.content)


@pytest.mark.usefixtures("real_data", "celery_eager")
@pytest.mark.parametrize("back_to", ["", "0", "99999999", "1e3", "١", "x" * 50])
def test_a_button_not_from_one_of_the_cycles_questionnaires_goes_back_to_the_dashboard(
    staff, invited, back_to
):
    failed = OutboundEmail.objects.get(to="wyn@worthing.gov.uk", kind="refresh-invitation")
    resend = reverse("admin:submissions_refreshcycle_email_resend", args=[invited.pk, failed.pk])
    back = staff.post(resend, {"back_to": back_to})
    dashboard = reverse("admin:submissions_refreshcycle_dashboard", args=[invited.pk])
    assert back.status_code == 302 and back.url == f"{dashboard}#deliveries"
