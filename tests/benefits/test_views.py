"""A council officer starts a tracker, reaches it with its secure link, enters figures
(mistakes included), sees the results and downloads them."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from benefits.models import Tracker
from core.secret_links import token_digest
from partnerships.models import Council, Partnership
from tests.benefits.factories import figures_enter, planned_tracker, tracker_for

pytestmark = pytest.mark.usefixtures("real_data")

ADUR_WORTHING = "adur-worthing"


def results_url(token: str) -> str:
    return reverse("benefits:tracker-results", args=[token])


def figures_url(token: str) -> str:
    return reverse("benefits:tracker-figures", args=[token])


def text(response) -> str:
    """The page's visible text, squeezed, without the charts' SVG."""
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html).replace("&#x27;", "'")


# Starting a tracker ---------------------------------------------------------------


def test_the_start_page_is_public_and_linked_from_the_navigation(client):
    response = client.get(reverse("benefits:start"))
    assert response.status_code == 200
    assert "Start a tracker" in text(response)
    home = client.get(reverse("partnerships:partnership-list"))
    assert 'href="/benefits/"' in home.content.decode()


def test_starting_a_tracker_shows_its_link_once_and_emails_it(
    client, django_capture_on_commit_callbacks
):
    partnership = Partnership.objects.get(slug=ADUR_WORTHING)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("benefits:start"),
            {
                "for_what": "published",
                "partnership": partnership.pk,
                "first_year": "2024",
                "first_year_months": "12",
                "creator_name": "Jo Bloggs",
                "creator_email": "jo.bloggs@adur-worthing.gov.uk",
            },
        )
    assert response.status_code == 302
    page = client.get(response["Location"])
    link = re.search(r'value="(http://testserver/benefits/t/([\w-]+)/)"', page.content.decode())
    assert link, "the new link is shown"
    token = link.group(2)
    assert len(token) >= 43
    tracker = Tracker.objects.get()
    # Only the token's digest is kept.
    assert tracker.token_digest == token_digest(token)
    assert token not in str(Tracker.objects.values_list().get())
    assert [p.name for p in tracker.partners.all()] == [
        "Adur District Council",
        "Worthing Borough Council",
    ]
    # Shown once: the same page again does not show it.
    again = client.get(response["Location"])
    assert token not in again.content.decode()
    assert "shown only once" in text(again)
    # Emailed to the creator.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jo.bloggs@adur-worthing.gov.uk"]
    assert link.group(1) in mail.outbox[0].body
    # And it opens the tracker.
    assert client.get(results_url(token)).status_code == 200


def test_a_planned_tracker_needs_a_name_a_service_and_two_councils(client):
    adur = Council.objects.get(gss_code="E07000223")
    response = client.post(
        reverse("benefits:start"),
        {
            "for_what": "planned",
            "name": "",
            "councils": [adur.pk],
            "first_year": "2025",
            "first_year_months": "12",
            "creator_name": "Sam Planner",
            "creator_email": "not an email",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Enter a name for the planned partnership." in page
    assert "Choose the main service to be shared." in page
    assert "A partnership needs at least two members." in page
    assert "Enter an email address like name@council.gov.uk." in page
    # What was typed is still there.
    html = response.content.decode()
    assert f'value="{adur.pk}" id="id_councils_{adur.pk}" checked' in html
    assert 'value="not an email"' in html
    assert 'value="Sam Planner"' in html
    assert not Tracker.objects.exists()


def test_a_planned_tracker_is_made_for_the_chosen_councils(client):
    adur, worthing = Council.objects.filter(gss_code__in=["E07000223", "E07000229"])
    response = client.post(
        reverse("benefits:start"),
        {
            "for_what": "planned",
            "name": "West Sussex coastal legal service",
            "category": Partnership.objects.get(slug=ADUR_WORTHING).categories.first().pk,
            "councils": [adur.pk, worthing.pk],
            "first_year": "2026",
            "first_year_months": "6",
            "creator_name": "Sam Planner",
            "creator_email": "sam@example.gov.uk",
        },
    )
    assert response.status_code == 302
    tracker = Tracker.objects.get()
    assert tracker.is_planned and tracker.first_year_months == 6
    assert tracker.partners.count() == 2


# The secure link --------------------------------------------------------------------


def test_a_wrong_or_missing_token_is_a_404(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for url in (
        results_url(wrong),
        figures_url(wrong),
        reverse("benefits:tracker-csv", args=[wrong]),
        reverse("benefits:tracker-xlsx", args=[wrong]),
        "/benefits/t/",
        f"/benefits/t/{tracker.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("benefits:tracker-submit", args=[wrong])).status_code == 404


def test_a_revoked_link_stops_working_and_a_reissued_one_works(
    client, django_capture_on_commit_callbacks
):
    from benefits import services

    tracker, token = tracker_for(ADUR_WORTHING)
    services.tracker_link_revoke(tracker=tracker)
    assert client.get(results_url(token)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        new = services.tracker_link_reissue(
            tracker=tracker, link_for=lambda t: f"https://example.org/benefits/t/{t}/"
        )
    assert client.get(results_url(token)).status_code == 404
    assert client.get(results_url(new)).status_code == 200
    assert f"https://example.org/benefits/t/{new}/" in mail.outbox[-1].body


def test_tracker_pages_are_private_no_cache_no_index_no_personal_data(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    for url in (results_url(token), figures_url(token)):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]
        html = response.content.decode()
        assert "Jo Bloggs" not in html and "jo.bloggs@" not in html
    download = client.get(reverse("benefits:tracker-csv", args=[token])).content.decode()
    assert "Jo Bloggs" not in download and "jo.bloggs@" not in download


# Results ----------------------------------------------------------------------------


def test_results_show_payback_return_shares_and_every_charts_numbers(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    response = client.get(results_url(token))
    page = text(response)
    assert "The costs are paid back in 2025/26, year 2 of 2" in page
    assert "Return on investment 11.5%" in page
    assert "Net savings £30,000.00" in page
    assert (
        "Gross savings £290,000.00 Consolidation savings: £260,000.00 "
        "Procurement savings: £25,000.00 Process savings: £5,000.00" in page
    )
    # The year table: 2024/25 is a net cost of £100,000.
    assert "2024/25 £130,000.00 £200,000.00 £30,000.00 £230,000.00 −£100,000.00" in page
    # Each chart is an inline SVG with a text alternative, followed by its table.
    html = response.content.decode()
    assert html.count('<svg role="img"') == 3
    # Nothing loaded from elsewhere: every script, stylesheet and image is the app's own.
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html)
    assert "Consolidation savings Staff, IT, Property £260,000.00" in page
    # Shares by baseline: £600,000 and £400,000 -> 60% and 40% of net £30,000.
    assert "Adur District Council £600,000.00 60.00% £174,000.00 £156,000.00 £18,000.00" in page
    assert "Resilience 4 – better Cover for leave." in page


def test_results_say_plainly_when_savings_never_cover_the_costs(client):
    from benefits import services

    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(
        tracker,
        costs=[services.SetupCostFigures(kind="it", year=2024, amount=Decimal("900000"))],
    )
    page = text(client.get(results_url(token)))
    assert "Savings do not cover the costs within the years entered" in page


def test_downloads_as_csv_and_xlsx(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    response = client.get(reverse("benefits:tracker-csv", args=[token]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeffFinancial year,".encode())
    table, summary = response.content.decode("utf-8-sig").split("\r\n\r\n")
    assert 'Payback,"The costs are paid back in 2025/26, year 2 of 2"' in summary
    rows = list(csv.DictReader(table.splitlines()))
    assert [(r["Financial year"], r["Net savings (£)"]) for r in rows] == [
        ("2024/25", "-100000.00"),
        ("2025/26", "130000.00"),
        ("Total", "30000.00"),
    ]
    response = client.get(reverse("benefits:tracker-xlsx", args=[token]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "Years",
        "Set-up costs",
        "Partners",
        "Comparison",
        "Other benefits",
        "About",
    ]
    years = list(workbook["Years"].iter_rows(values_only=True))
    assert years[0][0] == "Financial year"
    assert years[2][0] == "2025/26"
    header = years[0]
    assert years[2][header.index("Cumulative net savings (£)")] == 30000.0


# Entering figures -------------------------------------------------------------------


def _post_data(tracker: Tracker, **overrides) -> dict:
    partners = list(tracker.partners.all())
    data = {
        "action": "save",
        "first_year": "2024",
        "first_year_months": "12",
        "share_method": "baseline",
        "partners-TOTAL_FORMS": str(len(partners)),
        "partners-INITIAL_FORMS": str(len(partners)),
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-0-kind": "redundancy",
        "costs-0-year": "2024",
        "costs-0-amount": "£150,000",
        "years-TOTAL_FORMS": "2",
        "years-INITIAL_FORMS": "0",
        "years-0-year": "2024",
        "years-0-staff": "100,000",
        "years-0-achieved": "achieved",
        "years-1-year": "2025",
        "years-1-staff": "120000",
        "years-1-achieved": "expected",
        "ratings-TOTAL_FORMS": "4",
        "ratings-INITIAL_FORMS": "4",
    }
    for i, partner in enumerate(partners):
        data[f"partners-{i}-partner_id"] = str(partner.pk)
        data[f"partners-{i}-baseline_cost"] = "500000"
        data[f"partners-{i}-baseline_fte"] = "12.5"
    for i, aspect in enumerate(["resilience", "performance", "staff", "other"]):
        data[f"ratings-{i}-aspect"] = aspect
        data[f"ratings-{i}-rating"] = "4" if i == 0 else ""
    data.update(overrides)
    return data


def test_saving_good_figures_goes_to_the_results(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    response = client.post(figures_url(token), _post_data(tracker))
    assert response.status_code == 302
    assert response["Location"] == results_url(token)
    tracker.refresh_from_db()
    assert [(y.year, y.staff, y.achieved) for y in tracker.years.all()] == [
        (2024, Decimal("100000.00"), True),
        (2025, Decimal("120000.00"), False),
    ]
    assert tracker.setup_costs.get().amount == Decimal("150000.00")
    page = text(client.get(response["Location"]))
    assert "Your figures are saved." in page
    assert "The costs are paid back in 2025/26, year 2 of 2" in page


def test_bad_figures_get_messages_beside_the_fields_and_nothing_typed_is_lost(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    data = _post_data(
        tracker,
        **{
            "partners-0-baseline_cost": "-5000",
            "partners-1-baseline_cost": "lots",
            "years-0-year": "2025",
            "years-1-year": "2024",
            "years-1-it": "twenty grand",
            "costs-0-amount": "12.345",
        },
    )
    response = client.post(figures_url(token), data)
    assert response.status_code == 200
    page = text(response)
    html = response.content.decode()
    assert "There is a problem" in page
    assert "Enter an amount of £0 or more: it cannot be negative." in page
    assert "Enter an amount in pounds using numbers only, like 125000 or 125,000.50." in page
    assert "Enter pounds and pence only: no more than 2 decimal places." in page
    # Each message sits beside its field, which points to it.
    assert 'id="id_partners-0-baseline_cost_error"' in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_partners-1-baseline_cost"', html)
    # The summary links to the fields.
    assert 'href="#id_partners-0-baseline_cost"' in html
    assert "Adur District Council: Annual cost before sharing (£): Enter an amount of £0" in page
    assert "Year row 2, IT savings (£): Enter an amount in pounds" in page
    # Everything typed comes back as typed.
    for typed in ('value="-5000"', 'value="lots"', 'value="twenty grand"', 'value="12.345"'):
        assert typed in html
    assert not tracker.years.exists()


def test_years_out_of_order_are_pointed_out(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    data = _post_data(tracker, **{"years-0-year": "2025", "years-1-year": "2024"})
    page = text(client.post(figures_url(token), data))
    assert "2024/25 comes before the year above it (2025/26). List the years in order" in page
    data = _post_data(tracker, **{"years-0-year": "2024", "years-1-year": "2024"})
    assert "2024/25 is entered twice" in text(client.post(figures_url(token), data))
    data = _post_data(tracker, **{"years-0-year": "2022", "years-1-year": "2024"})
    assert "2022/23 is before the shared service's first year (2024/25)" in text(
        client.post(figures_url(token), data)
    )


def test_agreed_shares_over_100_percent_are_refused(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    data = _post_data(
        tracker,
        share_method="ratio",
        **{"partners-0-agreed_share": "120", "partners-1-agreed_share": "30%"},
    )
    response = client.post(figures_url(token), data)
    assert "A share cannot be more than 100%." in text(response)
    assert 'value="120"' in response.content.decode()
    data = _post_data(
        tracker,
        share_method="ratio",
        **{"partners-0-agreed_share": "60", "partners-1-agreed_share": "50"},
    )
    assert "The agreed shares add up to 110%; they must add up to 100%." in text(
        client.post(figures_url(token), data)
    )
    data = _post_data(
        tracker,
        share_method="ratio",
        **{"partners-0-agreed_share": "70", "partners-1-agreed_share": "30%"},
    )
    assert client.post(figures_url(token), data).status_code == 302
    assert [p.agreed_share for p in tracker.partners.all()] == [Decimal("70"), Decimal("30")]


def test_add_another_year_keeps_everything_typed_and_saves_nothing(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    data = _post_data(tracker, action="add-year", **{"years-1-it": "not yet"})
    response = client.post(figures_url(token), data)
    assert response.status_code == 200
    html = response.content.decode()
    # A third row, for the year after the last one, with the cursor in it.
    assert re.search(r'<select name="years-2-year"[^>]*autofocus', html)
    assert '<option value="2026" selected>' in html
    assert 'value="not yet"' in html
    # Adding a row is not saving: no error is shown yet, nothing is stored.
    assert "There is a problem" not in text(response)
    assert not tracker.years.exists()
    # Saving with the untouched new row leaves it out.
    data = _post_data(tracker, **{"years-TOTAL_FORMS": "3", "years-2-year": "2026"})
    data["years-2-achieved"] = "expected"
    assert client.post(figures_url(token), data).status_code == 302
    assert [y.year for y in tracker.years.all()] == [2024, 2025]


def test_a_partner_of_another_tracker_cannot_be_changed(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    other, _ = tracker_for("orbis")
    data = _post_data(tracker, **{"partners-0-partner_id": str(other.partners.first().pk)})
    response = client.post(figures_url(token), data)
    assert response.status_code == 200
    assert "A partner does not belong to this tracker." in text(response)
    assert other.partners.first().baseline_cost == Decimal("0")


def test_a_planned_tracker_cannot_be_submitted(client):
    tracker, token = planned_tracker("E07000223", "E07000229")
    page = text(client.get(results_url(token)))
    assert "Only a tracker for a partnership on the map can be submitted" in page


def test_text_typed_into_a_tracker_is_never_a_formula_in_the_spreadsheet(client):
    from benefits import services

    tracker, token = planned_tracker(
        "E07000223", "E07000229", name='=HYPERLINK("http://evil.example","Click")'
    )
    figures_enter(
        tracker,
        costs=[
            services.SetupCostFigures(
                kind="other", year=2024, amount=Decimal("10"), description="=1+1"
            )
        ],
    )
    response = client.get(reverse("benefits:tracker-xlsx", args=[token]))
    workbook = load_workbook(io.BytesIO(response.content))
    name = workbook["Summary"]["B1"]
    assert name.value.startswith("=HYPERLINK") and name.data_type == "s"
    description = workbook["Set-up costs"]["D2"]
    assert description.value == "=1+1" and description.data_type == "s"


def test_changing_only_a_saved_years_details_keeps_the_year(client):
    tracker, token = tracker_for(ADUR_WORTHING)
    figures_enter(tracker)
    # The two saved years come back as rows 0 and 1; mark the second expected and
    # move it to 2026/27 without touching its amounts.
    page = client.get(figures_url(token)).content.decode()
    assert 'name="years-INITIAL_FORMS" value="2"' in page
    data = _post_data(
        tracker,
        **{
            "years-TOTAL_FORMS": "3",
            "years-INITIAL_FORMS": "2",
            "years-1-year": "2026",
            "years-1-staff": "120000.00",
            "years-1-achieved": "expected",
            "years-2-year": "2027",
            "years-2-achieved": "expected",
            "ratings-0-rating": "7",
        },
    )
    response = client.post(figures_url(token), data)
    assert "Choose a rating from 1 to 5, or Not rated." in text(response)
    data["ratings-0-rating"] = "5"
    assert client.post(figures_url(token), data).status_code == 302
    assert [(y.year, y.achieved) for y in tracker.years.all()] == [(2024, True), (2026, False)]
    assert tracker.ratings.get(aspect="resilience").rating == 5


def test_a_partnership_with_public_bodies_has_a_baseline_row_for_each(client):
    partnership = (
        Partnership.objects.filter(published=True, body_memberships__isnull=False)
        .order_by("slug")
        .first()
    )
    tracker, _ = tracker_for(partnership.slug)
    names = [p.name for p in tracker.partners.all()]
    bodies = [m.public_body.name for m in partnership.body_memberships.all()]
    assert bodies and set(bodies) <= set(names)
    assert len(names) == partnership.council_memberships.count() + len(bodies)
