"""The rules about a partnership that every form and service applies the same way: a
person refused anywhere reads the same words (partnerships.rules)."""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from benefits.forms import TrackerStartForm
from partnerships.models import (
    Council,
    Partnership,
    PublicBody,
    SavingsKind,
    SavingsRecord,
    ServiceCategory,
)
from partnerships.rules import (
    EARLIEST_START_YEAR,
    SAVINGS_YEARS,
    START_YEARS,
    TOO_FEW_MEMBERS,
    members_check,
)
from partnerships.services import partnership_create
from partnerships.services.csv_rows import (
    PARTNERSHIP_COLUMNS,
    name_lookup_rows,
    partnerships_load_csv,
)
from partnerships.timeline import current_financial_year
from submissions.models import QuestionnaireItem
from submissions.proposal_forms import ProposalForm
from submissions.services.questionnaire import item_validate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

Answer = QuestionnaireItem.Answer


def _council(name: str) -> Council:
    return Council.objects.get(official_name=name, current=True)


def test_one_member_is_refused_and_two_of_any_kind_are_enough():
    adur, arun = _council("Adur District Council"), _council("Arun District Council")
    body = PublicBody.objects.order_by("pk").first()
    for councils, bodies in [([adur], []), ([adur, adur], []), ([], [body]), ([], [])]:
        with pytest.raises(ValidationError) as error:
            members_check(councils, bodies)
        assert error.value.messages == [TOO_FEW_MEMBERS]
    members_check([adur, arun])
    members_check([adur], [body])
    members_check([adur], ["Shoreham Port Authority"])


def test_a_partnership_of_one_council_is_not_created():
    with pytest.raises(ValidationError) as error:
        partnership_create(
            name="A lonely service",
            slug="a-lonely-service",
            councils=[_council("Adur District Council")],
        )
    assert error.value.messages == [TOO_FEW_MEMBERS]
    assert not Partnership.objects.filter(slug="a-lonely-service").exists()


def test_a_csv_row_of_one_member_is_reported_in_the_same_words():
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PARTNERSHIP_COLUMNS)
    writer.writeheader()
    writer.writerow(
        {
            **dict.fromkeys(PARTNERSHIP_COLUMNS, ""),
            "name": "A lonely service",
            "members": "Adur District Council",
            "category": "Environmental health and regulatory services",
        }
    )
    report = partnerships_load_csv(
        text=out.getvalue(), name_lookup_rows=name_lookup_rows(data_dir=settings.DATA_DIR)
    )
    assert [error.message for error in report.errors] == [TOO_FEW_MEMBERS]
    assert not Partnership.objects.filter(name="A lonely service").exists()


@pytest.mark.parametrize("answer", [Answer.UPDATED, Answer.NEW])
def test_a_questionnaire_answer_of_one_partner_is_refused_beside_the_councils(answer):
    data = {
        "councils": [_council("Adur District Council").pk],
        "categories": [ServiceCategory.objects.first().pk],
        "no_savings_reason": "not_yet_known",
    }
    with pytest.raises(ValidationError) as error:
        item_validate(questionnaire=None, answer=answer, data=data)
    assert error.value.message_dict["councils"] == [TOO_FEW_MEMBERS]
    # A partner typed on its own line counts.
    item_validate(
        questionnaire=None,
        answer=Answer.UPDATED,
        data={**data, "other_partners": "Shoreham Port Authority\n\n"},
    )


def test_a_proposal_of_the_proposers_council_alone_is_refused_beside_the_councils():
    adur = _council("Adur District Council")
    form = ProposalForm(data={"council": adur.pk, "councils": [adur.pk], "other_partners": " "})
    assert not form.is_valid()
    assert form.errors["councils"] == [TOO_FEW_MEMBERS]
    typed = ProposalForm(data={"council": adur.pk, "other_partners": "Adur Homes"})
    typed.is_valid()
    assert "councils" not in typed.errors


def test_a_planned_tracker_of_one_council_is_refused_beside_the_councils():
    adur = _council("Adur District Council")
    form = TrackerStartForm(data={"for_what": "planned", "councils": [str(adur.pk)]})
    assert not form.is_valid()
    assert form.errors["councils"] == [TOO_FEW_MEMBERS]


# --- Years ---------------------------------------------------------------------------


def _year_fields():
    from submissions.forms import ItemForm

    return {
        "questionnaire start": ItemForm.base_fields["start_year"],
        "questionnaire end": ItemForm.base_fields["end_year"],
        "proposal start": ProposalForm.base_fields["start_year"],
    }


@pytest.mark.parametrize("field", ["questionnaire start", "questionnaire end", "proposal start"])
def test_a_start_year_field_takes_1974_and_refuses_years_out_of_bounds_in_one_sentence(field):
    year_field = _year_fields()[field]
    assert year_field.clean("1974") == 1974
    assert year_field.clean(str(START_YEARS.latest)) == START_YEARS.latest
    for year in (EARLIEST_START_YEAR - 1, START_YEARS.latest + 1):
        with pytest.raises(ValidationError) as error:
            year_field.clean(str(year))
        assert error.value.messages == [START_YEARS.message]
    assert START_YEARS.message == f"Give a year from 1900 to {current_financial_year() + 15}."


def test_a_partnership_and_a_savings_figure_refuse_years_out_of_bounds_beside_the_field():
    partnership = Partnership(name="Old", slug="old", start_year=1899, end_year=2000)
    with pytest.raises(ValidationError) as error:
        partnership.full_clean()
    assert error.value.message_dict["start_year"] == [START_YEARS.message]
    record = SavingsRecord(
        partnership=Partnership.objects.first(),
        start_year=1999,
        end_year=START_YEARS.latest + 1,
        amount=Decimal("100"),
        kind=SavingsKind.ACHIEVED,
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["start_year"] == [SAVINGS_YEARS.message]
    assert error.value.message_dict["end_year"] == [SAVINGS_YEARS.message]


def test_a_csv_start_year_out_of_bounds_is_reported():
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PARTNERSHIP_COLUMNS)
    writer.writeheader()
    writer.writerow(
        {
            **dict.fromkeys(PARTNERSHIP_COLUMNS, ""),
            "name": "An ancient service",
            "members": "Adur District Council; Arun District Council",
            "category": "Environmental health and regulatory services",
            "start_year": "1899",
        }
    )
    report = partnerships_load_csv(
        text=out.getvalue(), name_lookup_rows=name_lookup_rows(data_dir=settings.DATA_DIR)
    )
    assert ["start year" in error.message for error in report.errors] == [True]


def test_the_tracker_offers_the_savings_years():
    from benefits.forms import year_choices

    years = [int(value) for value, _label in year_choices() if value]
    assert (years[0], years[-1]) == (SAVINGS_YEARS.earliest, SAVINGS_YEARS.latest)


def test_a_members_joining_year_is_bounded_like_a_start_year():
    from partnerships.models import PartnershipCouncil

    membership = PartnershipCouncil(
        partnership=Partnership.objects.first(),
        council=_council("Adur District Council"),
        joined_year=1850,
        left_year=START_YEARS.latest + 1,
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean(validate_unique=False, validate_constraints=False)
    assert error.value.message_dict == {
        "joined_year": [START_YEARS.message],
        "left_year": [START_YEARS.message],
    }


def test_the_start_year_filters_of_the_lists_and_the_api_take_the_same_bounds(client):
    from partnerships.filters import PartnershipFilter

    filtered = PartnershipFilter({"start_from": "1899", "start_to": "1974"})
    assert filtered.errors == {"start_from": [START_YEARS.message]}
    response = client.get("/api/partnerships/", {"start_from": str(START_YEARS.latest + 1)})
    assert response.status_code == 400
    assert START_YEARS.message in response.content.decode()
