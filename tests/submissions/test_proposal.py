"""Anyone from a council tells the LGA about a shared service from a public form: it
waits for staff in the review queue, the proposer gets a receipt, and bots and floods
are turned away without losing a person's text."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.outbox.models import OutboundEmail
from core.ratelimit import rate_key
from partnerships.models import Council, Partnership, PublicBody, ServiceCategory
from submissions.models import ProposedChange
from submissions.proposal_forms import MAX_COUNCILS, ProposalForm
from submissions.services import change_accept
from submissions.services.proposal import RATE_LIMIT, RATE_SCOPE
from tests.submissions.refresh_fixtures import (  # noqa: F401 - celery_eager is a fixture
    ADUR,
    WORTHING,
    council,
)
from tests.test_hostile_input import FEW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data", "celery_eager")]

URL = reverse("submissions:proposal-new")


def text(content: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", content.decode()))).strip()


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The test client comes from 127.0.0.1; on CI's Redis run the cache outlives a test.
    cache.delete(rate_key(RATE_SCOPE, "127.0.0.1"))
    yield
    cache.delete(rate_key(RATE_SCOPE, "127.0.0.1"))


def _fire_authority() -> PublicBody:
    return PublicBody.objects.filter(kind="fire_rescue_authority").order_by("name").first()


def _data(**overrides) -> dict:
    data = {
        "council": council(ADUR).pk,
        "name": "Pat Officer",
        "email": "pat@adur.gov.uk",
        "partnership_name": "Adur, Worthing and West Sussex Fire shared estates",
        "description": "One estates team for the councils' and the fire service's buildings.",
        "councils": [council(WORTHING).pk],
        "public_bodies": [_fire_authority().pk],
        "other_partners": "Sussex Community Land Trust",
        "categories": [ServiceCategory.objects.order_by("pk").first().pk],
        "start_year": "2023",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_map_links_to_the_form_and_the_form_is_labelled(client):
    home = client.get(reverse("partnerships:map"))
    assert URL in home.content.decode()
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("council", "name", "email", "partnership_name", "description"):
        assert f'<label for="id_{field}">' in html
    # The other members are ticks in groups that open (councils by region, public bodies by
    # sector), each tick labelled with its name: no Ctrl-click in a list of 300.
    assert "Ctrl" not in text(page.content)
    worthing = council(WORTHING)
    assert re.search(
        r'<fieldset class="partner-groups" data-partner-filter[^>]*>\s*'
        r"<legend>Other councils in it</legend>",
        html,
    )
    assert f'<summary>{worthing.region.name} <span class="muted">(' in html
    assert (
        f'<input type="checkbox" name="councils" value="{worthing.pk}" '
        f'id="id_councils_{worthing.pk}"> <label for="id_councils_{worthing.pk}">Worthing</label>'
    ) in html
    fire = _fire_authority()
    assert (
        f'<label for="id_public_bodies_{fire.pk}">{fire.name} (Fire and rescue authority)</label>'
        in html
    )
    assert "<summary>Fire and rescue " in html
    # The honeypot is hidden from people and skipped by the keyboard.
    assert re.search(
        r'<div class="visually-hidden" aria-hidden="true">\s*<label for="id_website">', html
    )
    assert 'tabindex="-1"' in html


def test_a_proposal_waits_for_review_and_the_proposer_gets_a_receipt(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:proposal-thanks")
    thanks = client.get(response["Location"])
    assert "We have emailed a receipt to pat@adur.gov.uk." in text(thanks.content)

    change = ProposedChange.objects.get()
    assert change.kind == ProposedChange.Kind.PARTNERSHIP_NEW
    assert change.status == ProposedChange.Status.PENDING
    assert change.partnership is None
    assert change.proposed["name"] == "Adur, Worthing and West Sussex Fire shared estates"
    assert change.proposed["councils"] == [council(ADUR).pk, council(WORTHING).pk]
    assert change.proposed["public_bodies"] == [_fire_authority().pk]
    assert change.proposed["other_partners"] == ["Sussex Community Land Trust"]
    assert change.proposed["start_year"] == 2023
    assert (change.submitted_by_name, change.submitted_by_email) == (
        "Pat Officer",
        "pat@adur.gov.uk",
    )
    # Nothing is on the public map yet.
    assert not Partnership.objects.filter(
        name__startswith="Adur, Worthing and West Sussex"
    ).exists()

    receipt = OutboundEmail.objects.get(key=f"proposal:{change.pk}:receipt")
    assert receipt.status == OutboundEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [["pat@adur.gov.uk"]]
    message = mail.outbox[0]
    assert "Adur, Worthing and West Sussex Fire shared estates" in message.subject
    assert _fire_authority().name in message.body and "Worthing" in message.body
    assert "Adur" in message.alternatives[0].content


def test_staff_accept_a_proposal_and_it_reaches_the_map(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, _data())
    change = ProposedChange.objects.get()
    change_accept(change=change, reviewer=User.objects.create_user("lga", is_staff=True))
    partnership = Partnership.objects.get(name="Adur, Worthing and West Sussex Fire shared estates")
    assert partnership.published
    assert set(partnership.councils.values_list("gss_code", flat=True)) == {ADUR, WORTHING}
    page = client.get(partnership.get_absolute_url())
    assert page.status_code == 200
    assert "pat@adur.gov.uk" not in page.content.decode()


def test_bad_input_is_explained_beside_each_field_and_nothing_is_lost(client):
    response = client.post(
        URL,
        _data(
            email="not-an-email",
            partnership_name="",
            councils=[],
            public_bodies=[],
            other_partners="",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    reader = text(response.content)
    assert reader.startswith("Error: Tell us about a shared service")
    assert "There is a problem" in reader
    assert 'href="#id_email"' in page and 'href="#id_partnership_name"' in page
    assert "Give an email address like name@council.gov.uk." in reader
    assert "Give the shared service a name." in reader
    assert "A partnership needs at least two members." in reader
    # What was typed is still there.
    assert 'value="not-an-email"' in page
    assert "One estates team for the councils&#x27; and the fire service&#x27;s buildings." in page
    assert f'<option value="{council(ADUR).pk}" selected>Adur</option>' in page
    assert not ProposedChange.objects.exists()
    assert mail.outbox == []


def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_is_kept(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _data(website="https://cheap-pills.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:proposal-thanks")
    assert not ProposedChange.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_a_flood_from_one_address_is_refused_after_the_limit_keeping_the_text(
    client, django_capture_on_commit_callbacks
):
    for n in range(RATE_LIMIT):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, _data(partnership_name=f"Shared service {n}"))
        assert response.status_code == 302
    response = client.post(URL, _data(partnership_name="One too many"))
    assert response.status_code == 429
    assert "as many as we accept" in text(response.content)
    assert 'value="One too many"' in response.content.decode()
    assert ProposedChange.objects.count() == RATE_LIMIT
    assert len(mail.outbox) == RATE_LIMIT
    # Another address is not held up by this one.
    other = client.post(URL, _data(partnership_name="From elsewhere"), REMOTE_ADDR="10.0.0.9")
    cache.delete(rate_key(RATE_SCOPE, "10.0.0.9"))
    assert other.status_code == 302


@pytest.mark.browser
def test_an_officer_follows_the_map_footer_link_and_sends_a_proposal(page, live_server):
    from tests.axe import assert_no_violations

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tell us about a shared service that is not on the map").click()
    page.wait_for_url("**/refresh/propose/")
    assert_no_violations(page)

    page.get_by_label("Your council").select_option(label="Adur")
    page.get_by_label("Your work email address").fill("pat@adur.gov.uk")
    page.get_by_label("Name of the shared service or partnership").fill(
        "Coastal fire and councils estates"
    )
    page.get_by_label("What is shared, and how").fill("One estates team for all our buildings.")
    page.get_by_label("Find by name in other councils in it").fill("worth")
    page.get_by_label("Worthing", exact=True).check()
    page.get_by_label(ServiceCategory.objects.order_by("position", "name").first().name).check()
    page.get_by_role("button", name="Send the proposal").click()

    # The name was left out: the summary says so, links to the field, and nothing is lost.
    summary = page.locator(".error-summary")
    assert "Your name: Give your name, so that we can reply." in summary.inner_text()
    assert page.get_by_label("What is shared, and how").input_value() == (
        "One estates team for all our buildings."
    )
    assert_no_violations(page)
    summary.get_by_role("link", name="Your name: Give your name, so that we can reply.").click()
    page.keyboard.type("Pat Officer")
    page.get_by_role("button", name="Send the proposal").click()

    page.wait_for_url("**/refresh/propose/thanks/")
    assert "We have emailed a receipt to pat@adur.gov.uk." in page.locator("main").inner_text()
    assert_no_violations(page)
    change = ProposedChange.objects.get()
    assert change.proposed["name"] == "Coastal fire and councils estates"
    assert OutboundEmail.objects.get(key=f"proposal:{change.pk}:receipt").to == "pat@adur.gov.uk"


def test_a_refused_send_keeps_the_ticks_and_opens_their_groups(client):
    worthing, fire = council(WORTHING), _fire_authority()
    response = client.post(URL, _data(name=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{worthing.pk}" id="id_councils_{worthing.pk}" checked>' in html
    assert f'value="{fire.pk}" id="id_public_bodies_{fire.pk}" checked>' in html
    # The group holding a ticked partner is open; the others stay closed.
    open_groups = re.findall(r'<details class="partner-group" open>\s*<summary>([^<]+) <', html)
    assert open_groups == [worthing.region.name, "Fire and rescue"]
    assert "Ticked now: Worthing." in text(response.content)
    assert f"Ticked now: {fire.name} (Fire and rescue authority)." in text(response.content)


@pytest.mark.parametrize(
    ("councils", "message"),
    [
        (["abc"], "One of the councils ticked is not in the list: tick again."),
        (["99999999"], "One of the councils ticked is not in the list: tick again."),
        (["١٢"], "One of the councils ticked is not in the list: tick again."),
        ([str(n) for n in range(1, MAX_COUNCILS + 2)], f"Tick at most {MAX_COUNCILS} councils"),
    ],
)
def test_a_tampered_list_of_councils_is_refused_beside_the_field(client, councils, message):
    response = client.post(URL, _data(councils=councils))
    assert response.status_code == 400
    assert re.search(
        r'<p class="field__error" id="id_councils_error">'
        rf'<span class="visually-hidden">Error:</span> {re.escape(message)}',
        response.content.decode(),
    )
    assert not ProposedChange.objects.exists()


def test_a_former_council_is_not_a_choice():
    former = Council.objects.filter(current=False).first()
    form = ProposalForm(data=_data(councils=[former.pk]))
    assert not form.is_valid()
    assert form.errors["councils"] == ["One of the councils ticked is not in the list: tick again."]


@FEW
@given(
    values=st.lists(
        st.one_of(
            st.sampled_from(["WORTHING", "ADUR", "FORMER"]),
            st.text(max_size=12),
            st.integers(min_value=-(10**12), max_value=10**12).map(str),
        ),
        max_size=6,
    )
)
def test_any_list_sent_for_the_councils_is_taken_exactly_or_refused_beside_the_field(values):
    known = {
        "WORTHING": str(council(WORTHING).pk),
        "ADUR": str(council(ADUR).pk),
        "FORMER": str(Council.objects.filter(current=False).values_list("pk", flat=True)[0]),
    }
    sent = [known.get(v, v) for v in values]
    form = ProposalForm(data=_data(councils=sent))
    valid = form.is_valid()
    current = set(Council.objects.filter(current=True).values_list("pk", flat=True))
    ids = [int(v) for v in sent if v.isascii() and v.isdecimal()]
    if len(ids) == len(sent) and all(pk in current for pk in ids):
        # Every value an id of a current council: taken, each once.
        # (The rules of membership may still refuse them, in their own words.)
        assert "not in the list" not in str(form.errors.get("councils", ""))
        if valid:
            assert {c.pk for c in form.cleaned_data["councils"]} == set(ids)
    else:
        assert not valid
        assert form.errors["councils"] == [
            "One of the councils ticked is not in the list: tick again."
        ]
