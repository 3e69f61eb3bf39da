"""A council's answers: saved as it goes, checked, never silently overwritten, and
submitted as proposed changes for staff to review."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from core.activity.selectors import activity_for
from core.outbox.models import OutboundEmail
from partnerships.models import PublicBody, PublicBodyKind
from submissions.models import ProposedChange, Questionnaire, QuestionnaireVerb
from submissions.services.email import emails_of_questionnaire
from submissions.services.questionnaire import (
    ItemConflict,
    QuestionnaireChanged,
    QuestionnaireLocked,
    item_add,
    item_save,
    questionnaire_confirm_on_behalf,
    questionnaire_locked_reason,
    questionnaire_open,
    questionnaire_submit,
)
from tests.submissions.questionnaire_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db
Kind = ProposedChange.Kind


def _values(item, **changes) -> dict:
    data = {
        "description": item.description,
        "status": item.status,
        "end_year": item.end_year,
        "categories": [c.pk for c in item.categories.all()],
        "councils": [c.pk for c in item.councils.all()],
        "public_bodies": [b.pk for b in item.public_bodies.all()],
        "other_partners": "",
        "savings_amount": None,
        "savings_kind": "",
        "savings_cashable": None,
        "savings_recurrence": "unknown",
        "no_savings_reason": "",
        "no_savings_reason_other": "",
        "comment": "",
    }
    data.update(changes)
    return data


def _answer(item, answer: str, **changes):
    """Jo's answer on `item`: its current values with `changes`, at its current version."""
    return item_save(
        item=item,
        answer=answer,
        data=_values(item, **changes),
        by_name="Jo",
        expected_version=item.version,
    )


def _answer_all_unchanged(questionnaire, by="Sam"):
    for item in questionnaire.items.filter(answer="unanswered"):
        item_save(
            item=item,
            answer="unchanged",
            data=_values(item),
            by_name=by,
            expected_version=item.version,
        )


def _fire_authority():
    return (
        PublicBody.objects.filter(kind=PublicBodyKind.FIRE_RESCUE_AUTHORITY)
        .order_by("name")
        .first()
    )


def test_the_first_visit_marks_the_questionnaire_in_progress_once(adur):
    assert adur.status == Questionnaire.Status.NOT_OPENED
    questionnaire_open(questionnaire=adur)
    first = adur.opened_at
    questionnaire_open(questionnaire=adur)
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.IN_PROGRESS and adur.opened_at == first
    assert activity_for(adur).filter(verb="opened").count() == 1


def test_an_update_keeps_the_savings_and_who_saved_it(adur):
    item = adur.items.order_by("pk").first()
    saved = item_save(
        item=item,
        answer="updated",
        data=_values(
            item,
            savings_amount=Decimal("125000"),
            savings_kind="achieved",
            savings_cashable=True,
            savings_recurrence="recurring",
        ),
        by_name="Jo Bloggs",
        expected_version=item.version,
    )
    saved.refresh_from_db()
    assert saved.answer == "updated" and saved.savings_amount == Decimal("125000.00")
    assert saved.updated_by == "Jo Bloggs" and saved.version == item.version + 1
    event = activity_for(adur).get(verb="item_saved")
    assert event.actor == "Jo Bloggs" and event.detail["item"] == saved.pk
    assert event.description == "Saved a partnership" and event.note == str(saved)


def test_an_update_needs_a_figure_or_a_reason(adur):
    item = adur.items.first()
    with pytest.raises(ValidationError) as error:
        _answer(item, "updated")
    assert "savings_amount" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _answer(item, "updated", no_savings_reason="other")
    assert error.value.message_dict["no_savings_reason_other"] == ["Say what the other reason is."]
    _answer(item, "updated", no_savings_reason="not_measured")


def test_a_figure_needs_to_say_achieved_or_expected_and_cannot_come_with_a_reason(adur):
    item = adur.items.first()
    with pytest.raises(ValidationError) as error:
        _answer(item, "updated", savings_amount=Decimal(10), no_savings_reason="not_measured")
    assert {"savings_kind", "no_savings_reason"} <= set(error.value.message_dict)


def test_an_ending_needs_its_year_not_before_the_start(adur):
    item = adur.items.exclude(start_year=None).first()
    with pytest.raises(ValidationError) as error:
        _answer(item, "ended")
    assert "end_year" in error.value.message_dict
    with pytest.raises(ValidationError):
        _answer(item, "ended", end_year=item.start_year - 1)


def test_a_save_based_on_an_old_version_is_refused_with_what_changed(adur):
    item = adur.items.first()
    opened_at = item.version
    item_save(
        item=item,
        answer="updated",
        data=_values(item, description="Sam's words", no_savings_reason="not_yet_known"),
        by_name="Sam",
        expected_version=opened_at,
    )
    with pytest.raises(ItemConflict) as conflict:
        item_save(
            item=item,
            answer="updated",
            data=_values(item, description="Jo's words", no_savings_reason="not_yet_known"),
            by_name="Jo",
            expected_version=opened_at,
        )
    differences = {d.field: d for d in conflict.value.differences}
    assert differences["description"].saved == "Sam's words"
    assert differences["description"].yours == "Jo's words"
    item.refresh_from_db()
    assert item.description == "Sam's words" and item.updated_by == "Sam"
    # Saving again from the version now saved is deliberate, and goes through.
    _answer(item, "updated", description="Jo's words", no_savings_reason="not_yet_known")
    item.refresh_from_db()
    assert item.description == "Jo's words"


def test_a_new_collaboration_needs_a_name_a_service_two_partners_and_a_start(adur):
    with pytest.raises(ValidationError) as error:
        item_add(questionnaire=adur, data={"councils": [adur.council_id]}, by_name="Jo")
    assert {"name", "categories", "councils", "start_year", "savings_amount"} <= set(
        error.value.message_dict
    )
    # A typed partner counts as a partner.
    item = item_add(
        questionnaire=adur,
        data={
            "name": "Shared CCTV",
            "categories": [1],
            "councils": [adur.council_id],
            "other_partners": "Shoreham Port Authority",
            "start_year": 2024,
            "no_savings_reason": "not_yet_known",
        },
        by_name="Jo",
    )
    assert item.answer == "new" and item.partnership is None


def test_submitting_needs_every_partnership_answered_and_a_name_and_email(adur):
    with pytest.raises(ValidationError) as error:
        questionnaire_submit(questionnaire=adur, name="", email="")
    assert {"name", "email", "items"} <= set(error.value.message_dict)
    assert not ProposedChange.objects.filter(questionnaire=adur).exists()


def test_a_submission_proposes_each_change_and_confirms_by_email(
    adur, celery_eager, django_capture_on_commit_callbacks
):
    items = list(adur.items.order_by("pk"))
    first, others = items[0], items[1:]
    fire = _fire_authority()
    item_save(
        item=first,
        answer="updated",
        data=_values(
            first,
            description="Now also shares legal services.",
            public_bodies=[fire.pk],
            savings_amount=Decimal("125000"),
            savings_kind="achieved",
            savings_cashable=True,
            savings_recurrence="recurring",
        ),
        by_name="Jo",
        expected_version=first.version,
    )
    for item in others:
        _answer(item, "ended", end_year=2025)
    item_add(
        questionnaire=adur,
        data={
            "name": "Sussex fire safety checks",
            "categories": [1],
            "councils": [adur.council_id],
            "public_bodies": [fire.pk],
            "start_year": 2024,
            "savings_amount": Decimal("5000"),
            "savings_kind": "expected",
        },
        by_name="Jo",
    )
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire_submit(
            questionnaire=adur,
            name="Jo Bloggs",
            email="jo@adur.gov.uk",
            link="http://testserver/refresh/q/x/",
        )
    adur.refresh_from_db()
    assert adur.status == "submitted" and adur.submitted_by_name == "Jo Bloggs"
    assert adur.submitted_at is not None
    changes = ProposedChange.objects.filter(questionnaire=adur)
    kinds = sorted(changes.values_list("kind", flat=True))
    assert kinds == sorted(
        [Kind.PARTNERSHIP_UPDATE, Kind.SAVINGS_RECORD, Kind.PARTNERSHIP_NEW]
        + [Kind.PARTNERSHIP_END] * len(others)
    )
    update = changes.get(kind=Kind.PARTNERSHIP_UPDATE)
    assert update.proposed["description"] == "Now also shares legal services."
    assert update.proposed["public_bodies"] == [fire.pk]
    assert "status" not in update.proposed, "only what changed is proposed"
    figure = changes.get(kind=Kind.SAVINGS_RECORD)
    assert figure.proposed["amount"] == "125000.00" and figure.proposed["start_year"] == 2025
    assert figure.submitted_by_email == "jo@adur.gov.uk"
    new = changes.get(kind=Kind.PARTNERSHIP_NEW)
    assert new.proposed["savings"]["kind"] == "expected"
    email = OutboundEmail.objects.get(key=f"q{adur.pk}:confirm:1")
    assert email.status == "sent" and email.to == "jo@adur.gov.uk"
    confirmation = next(m for m in mail.outbox if m.to == ["jo@adur.gov.uk"])
    assert "Adur" in confirmation.subject
    assert "http://testserver/refresh/q/x/" in confirmation.body
    assert "Sussex fire safety checks" in confirmation.body
    assert activity_for(adur).filter(verb="submitted", actor="Jo Bloggs, jo@adur.gov.uk").exists()


def test_resubmitting_replaces_the_pending_proposals_but_keeps_reviewed_ones(adur):
    _answer_all_unchanged(adur)
    item = adur.items.first()
    _answer(item, "unchanged", savings_amount=Decimal(100), savings_kind="achieved")
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")
    first = ProposedChange.objects.get(questionnaire=adur)
    item.refresh_from_db()
    _answer(item, "unchanged", savings_amount=Decimal(200), savings_kind="achieved")
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")
    changes = ProposedChange.objects.filter(questionnaire=adur)
    assert changes.count() == 1 and not changes.filter(pk=first.pk).exists()
    assert changes.get().proposed["amount"] == "200.00"
    assert OutboundEmail.objects.filter(key=f"q{adur.pk}:confirm:2").exists()


def test_a_stale_submit_page_is_told_the_answers_changed(adur):
    _answer_all_unchanged(adur)
    adur.refresh_from_db()
    seen = adur.version - 1
    with pytest.raises(QuestionnaireChanged):
        questionnaire_submit(
            questionnaire=adur, name="Jo", email="jo@adur.gov.uk", expected_version=seen
        )


def test_after_the_deadline_a_submitted_questionnaire_is_read_only(adur, open_cycle):
    _answer_all_unchanged(adur)
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")
    adur.refresh_from_db()
    assert questionnaire_locked_reason(adur) == ""
    open_cycle.deadline = datetime.date.today() - datetime.timedelta(days=1)
    open_cycle.save()
    adur.refresh_from_db()
    assert "deadline" in questionnaire_locked_reason(adur)
    item = adur.items.first()
    with pytest.raises(QuestionnaireLocked):
        _answer(item, "unchanged")
    with pytest.raises(QuestionnaireLocked):
        questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")


def test_a_late_questionnaire_not_yet_submitted_can_still_be_answered(adur, open_cycle):
    open_cycle.deadline = datetime.date.today() - datetime.timedelta(days=3)
    open_cycle.save()
    adur.refresh_from_db()
    assert questionnaire_locked_reason(adur) == ""
    _answer_all_unchanged(adur)
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")


def test_staff_confirm_by_phone_on_the_councils_behalf(adur):
    user = get_user_model().objects.create_user("associate", "a@lga.gov.uk", "x", is_staff=True)
    when = datetime.datetime(2026, 4, 2, 10, 30, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        questionnaire_confirm_on_behalf(questionnaire=adur, user=user, confirmed_with=" ")
    # Staff say what the council confirmed of each partnership it had not answered.
    questionnaire_confirm_on_behalf(
        questionnaire=adur,
        user=user,
        confirmed_with="Pat Jones, head of finance",
        answers={item.pk: "unchanged" for item in adur.items.all()},
        confirmed_at=when,
    )
    adur.refresh_from_db()
    assert adur.status == "submitted" and adur.method == "phone"
    assert adur.confirmed_by == user and adur.confirmed_with == "Pat Jones, head of finance"
    assert adur.confirmed_at == when
    assert not adur.items.filter(answer="unanswered").exists()
    assert all("Pat Jones" in item.updated_by for item in adur.items.all())
    event = activity_for(adur).get(verb=QuestionnaireVerb.CONFIRMED)
    assert event.user == user and event.actor == "Pat Jones, head of finance"
    # No address was given, so no confirmation email.
    assert not OutboundEmail.objects.filter(key__startswith=f"q{adur.pk}:confirm").exists()


def test_staff_may_confirm_after_the_deadline(adur, open_cycle):
    user = get_user_model().objects.create_user("associate", "a@lga.gov.uk", "x", is_staff=True)
    _answer_all_unchanged(adur)
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")
    open_cycle.deadline = datetime.date.today() - datetime.timedelta(days=1)
    open_cycle.save()
    questionnaire_confirm_on_behalf(
        questionnaire=adur, user=user, confirmed_with="Jo", email="jo@adur.gov.uk"
    )
    adur.refresh_from_db()
    assert adur.method == "phone"


def test_confirming_unchanged_after_editing_the_details_is_questioned(adur):
    item = adur.items.first()
    with pytest.raises(ValidationError) as error:
        _answer(item, "unchanged", description="Edited words")
    assert "You changed the description" in error.value.message_dict["answer"][0]


def test_a_reviewed_questionnaire_may_still_be_changed_before_the_deadline(adur, open_cycle):
    _answer_all_unchanged(adur)
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")
    Questionnaire.objects.filter(pk=adur.pk).update(status=Questionnaire.Status.REVIEWED)
    adur.refresh_from_db()
    assert questionnaire_locked_reason(adur) == ""
    item = adur.items.first()
    _answer(item, "unchanged", no_savings_reason="not_measured")
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")
    adur.refresh_from_db()
    assert adur.status == Questionnaire.Status.SUBMITTED
    assert ProposedChange.objects.filter(questionnaire=adur, status="pending").count() == 1
    open_cycle.deadline = datetime.date.today() - datetime.timedelta(days=1)
    open_cycle.save()
    Questionnaire.objects.filter(pk=adur.pk).update(status=Questionnaire.Status.REVIEWED)
    adur.refresh_from_db()
    assert "deadline" in questionnaire_locked_reason(adur)


def test_staff_hear_of_each_submission(adur):
    get_user_model().objects.create_user("lga", "team@lga.gov.uk", "x", is_staff=True)
    _answer_all_unchanged(adur)
    questionnaire_submit(questionnaire=adur, name="Jo", email="jo@adur.gov.uk")
    notes = emails_of_questionnaire(adur).filter(to="team@lga.gov.uk")
    assert notes.count() == 1
    assert notes.get().context["submitted_by"] == "Jo"
