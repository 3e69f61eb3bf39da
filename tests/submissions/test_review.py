"""Changes to published data wait for staff; accepting applies them with their history."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from partnerships.models import Council, SavingsRecord
from submissions.models import ProposedChange
from submissions.selectors import changes_history
from submissions.services import change_accept, change_propose, change_reject
from tests.partnerships.factories import partnership_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(real_data):
    adur = Council.objects.get(gss_code="E07000223")
    worthing = Council.objects.get(gss_code="E07000229")
    return partnership_with_members(adur, worthing, name="Adur and Worthing test service")


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_user("reviewer", is_staff=True)


def _propose(partnership, amount="125000"):
    return change_propose(
        kind="savings_record",
        partnership=partnership,
        proposed={"start_year": 2024, "amount": amount, "kind": "achieved", "cashable": True},
        source="Benefits tracker 1",
        submitted_by_name="Jo Bloggs",
        submitted_by_email="jo@adur.gov.uk",
    )


def test_a_proposed_savings_figure_is_not_published_until_accepted(partnership, reviewer):
    change = _propose(partnership)
    assert change.status == ProposedChange.Status.PENDING
    assert not SavingsRecord.objects.filter(partnership=partnership).exists()

    change_accept(change=change, reviewer=reviewer)

    record = SavingsRecord.objects.get(partnership=partnership)
    assert (record.start_year, record.end_year, record.amount) == (2024, 2024, Decimal("125000"))
    assert record.cashable is True
    history = record.history.get()
    assert history.history_type == "+" and history.history_user == reviewer
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.ACCEPTED
    changes_history(changes=[change])
    assert change.history == [f"Created: {record}"]


def test_accepting_a_figure_for_the_same_year_updates_it_and_keeps_the_old_value(
    partnership, reviewer
):
    change_accept(change=_propose(partnership, "100000"), reviewer=reviewer)
    second = _propose(partnership, "150000")
    change_accept(change=second, reviewer=reviewer)
    assert SavingsRecord.objects.get(partnership=partnership).amount == Decimal("150000")
    second.refresh_from_db()
    changes_history(changes=[second])
    assert second.history == ["Amount (£): £100,000.00 → £150,000.00"]


def test_an_accepted_figure_is_in_the_history_with_the_reviewer_and_the_review(
    partnership, reviewer
):
    from partnerships.history import change_in_words

    change_accept(change=_propose(partnership, "100000"), reviewer=reviewer)
    second = _propose(partnership, "150000")
    change_accept(change=second, reviewer=reviewer)
    latest = SavingsRecord.objects.get(partnership=partnership).history.first()
    assert latest.history_user == reviewer
    assert latest.history_change_reason == f"Accepted review {second.pk}: Benefits tracker 1"
    assert "Amount (£): £100,000.00 → £150,000.00" in change_in_words(latest)


def test_a_bad_figure_is_refused_when_proposed(partnership):
    with pytest.raises(ValidationError):
        _propose(partnership, "-5")
    with pytest.raises(ValidationError):
        _propose(partnership, "lots")


def test_a_rejection_needs_a_reason_and_changes_nothing(partnership, reviewer):
    change = _propose(partnership)
    with pytest.raises(ValidationError):
        change_reject(change=change, reviewer=reviewer, reason=" ")
    change_reject(change=change, reviewer=reviewer, reason="Figure not evidenced")
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.REJECTED
    assert not SavingsRecord.objects.filter(partnership=partnership).exists()
    with pytest.raises(ValidationError):
        change_accept(change=change, reviewer=reviewer)


def test_an_expert_programme_outcome_and_the_refresh_figure_for_a_year_both_stand(
    partnership, reviewer, client
):
    def accept(amount, origin, detail, source):
        change = change_propose(
            kind="savings_record",
            partnership=partnership,
            proposed={
                "start_year": 2026,
                "amount": amount,
                "kind": "achieved",
                "cashable": True,
                "origin": origin,
                "origin_detail": detail,
            },
            source=source,
            submitted_by_name="Jo Bloggs",
            submitted_by_email="jo@adur.gov.uk",
        )
        change_accept(change=change, reviewer=reviewer)

    accept("40000", "refresh", "Adur refresh 2026", "Annual refresh 2026")
    accept("90000", "expert_programme", "application EP-2026-001", "Expert Programme EP-2026-001")
    records = SavingsRecord.objects.filter(partnership=partnership, start_year=2026)
    assert sorted(records.values_list("origin", "amount")) == [
        ("expert_programme", Decimal("90000")),
        ("refresh", Decimal("40000")),
    ]
    partnership.refresh_from_db()
    # By the ledger rule one counts for 2026/27, never the two added together: both as
    # reported, on the same day, for the same year, so the one entered last.
    assert partnership.achieved_savings_total == Decimal("90000")


def test_what_accepted_changes_did_costs_the_same_queries_for_one_or_many(
    partnership, reviewer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def accepted_updates(n):
        changes = []
        for amount in range(n):
            change = _propose(partnership, str(100000 + amount * 1000))
            change_accept(change=change, reviewer=reviewer)
            change.refresh_from_db()
            changes.append(change)
        return changes

    one = accepted_updates(2)[1:]
    with CaptureQueriesContext(connection) as one_queries:
        changes_history(changes=one)
    many = accepted_updates(6)[1:]
    with django_assert_max_num_queries(len(one_queries)):
        changes_history(changes=many)
    # Each update reads against the figure before it, not the first one.
    assert many[-1].history == ["Amount (£): £104,000.00 → £105,000.00"]
