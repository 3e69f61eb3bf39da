"""The tracker's start form cannot be used to make rows and email strangers without end:
five trackers an hour from one address, and a robot filling the trap field is thanked
with nothing made or sent."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from benefits.models import Tracker
from benefits.views import START_LIMIT
from partnerships.models import Partnership

pytestmark = [pytest.mark.usefixtures("real_data", "celery_eager"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def fresh_allowance():
    cache.clear()
    yield
    cache.clear()


def _start(client, n: int, remote="127.0.0.1", **extra):
    data = {
        "for_what": "published",
        "partnership": Partnership.objects.filter(published=True).order_by("pk")[0].pk,
        "first_year": "2024",
        "first_year_months": "12",
        "creator_name": f"Person {n}",
        "creator_email": f"person{n}@example.gov.uk",
        "website": "",
    }
    data.update(extra)
    return client.post(reverse("benefits:start"), data, REMOTE_ADDR=remote)


def test_twelve_starts_from_one_address_make_five_trackers_and_keep_what_was_typed(
    client, django_capture_on_commit_callbacks
):
    codes = []
    for n in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            codes.append(_start(client, n).status_code)
    assert codes == [302] * START_LIMIT + [429] * (12 - START_LIMIT)
    assert Tracker.objects.count() == START_LIMIT
    assert len(mail.outbox) == START_LIMIT
    refused = _start(client, 99)
    page = refused.content.decode()
    assert "as many as we start" in page
    assert 'value="person99@example.gov.uk"' in page
    # Another connection has its own allowance.
    other = _start(client, 100, remote="192.0.2.200")
    assert other.status_code == 302


def test_a_robot_filling_the_trap_field_is_thanked_and_nothing_is_made(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, 1, website="https://cheap-pills.example")
    assert response.status_code == 302
    assert not Tracker.objects.exists()
    assert mail.outbox == []
