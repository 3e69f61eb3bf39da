"""The rules about a partnership that every form and service applies the same way: a
person refused anywhere reads the same words (partnerships.rules)."""

import csv
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from benefits.forms import TrackerStartForm
from partnerships.models import Council, Partnership, PublicBody, ServiceCategory
from partnerships.rules import TOO_FEW_MEMBERS, members_check
from partnerships.services import partnership_create
from partnerships.services.csv_rows import (
    PARTNERSHIP_COLUMNS,
    name_lookup_rows,
    partnerships_load_csv,
)
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
