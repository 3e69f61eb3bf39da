"""Writes for benefits trackers: creating one, its figures, its secure link, and
submitting its achieved figures to the review queue."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from benefits import calculations
from benefits.models import (
    BenefitAspect,
    BenefitRating,
    SetupCost,
    Tracker,
    TrackerPartner,
    TrackerProposal,
    TrackerStatus,
    TrackerYear,
)
from benefits.workflow import tracker_move
from core import secret_links
from core.money import money_exact
from core.outbox.services import email_queue
from partnerships.models import (
    Council,
    Partnership,
    SavingsOrigin,
    ServiceCategory,
    financial_year_label,
)
from partnerships.published import published_facts


@transaction.atomic
def tracker_create(
    *,
    partnership: Partnership | None,
    name: str = "",
    category: ServiceCategory | None = None,
    councils: Sequence[Council] = (),
    first_year: int,
    first_year_months: int = 12,
    creator_name: str,
    creator_email: str,
) -> tuple[Tracker, str]:
    """A new private tracker with a partner row for each member (the partnership's
    councils and public bodies, or the planned councils), and its secure link's token,
    which is returned once and never stored."""
    tracker = Tracker(
        partnership=partnership,
        name=partnership.name if partnership else name,
        category=None if partnership else category,
        first_year=first_year,
        first_year_months=first_year_months,
        creator_name=creator_name,
        creator_email=creator_email,
    )
    token = _token_set(tracker)
    tracker.full_clean()
    tracker.save()
    if partnership is not None:
        facts = published_facts(partnership)
        members = [(c, c.official_name) for c in facts.councils]
        members += [(None, b.name) for b in facts.public_bodies]
    else:
        tracker.councils.set(councils)
        members = [(c, c.official_name) for c in councils]
    TrackerPartner.objects.bulk_create(
        TrackerPartner(tracker=tracker, council=council, name=label, position=index)
        for index, (council, label) in enumerate(members)
    )
    BenefitRating.objects.bulk_create(
        BenefitRating(tracker=tracker, aspect=aspect) for aspect in BenefitAspect.values
    )
    return tracker, token


def _token_set(tracker: Tracker) -> str:
    issued = secret_links.link_issue(purpose=Tracker.SECRET_LINK_PURPOSE)
    tracker.token_digest = issued.digest
    tracker.token_salt = issued.salt
    tracker.token_issued_at = timezone.now()
    tracker.token_issues += 1
    return issued.token


def tracker_link_email(*, tracker: Tracker, link_for) -> None:
    """Email the tracker's secure link to its creator, so they can come back to it.
    `link_for(token)` makes the link's absolute address; the email stores which link it
    carries, not the token (core.secret_links)."""
    email_queue(
        key=f"benefits:tracker:{tracker.pk}:link:{tracker.token_issues}",
        to=tracker.creator_email,
        template="benefits/email/tracker_link",
        context={
            "name": tracker.creator_name,
            "tracker": tracker.name,
            secret_links.REFERENCE_KEY: secret_links.link_reference(tracker, link_for=link_for),
        },
        kind="benefits-link",
        about=tracker,
    )


@transaction.atomic
def tracker_link_reissue(*, tracker: Tracker, link_for) -> str:
    """A new secure link for the tracker (the old one stops working), emailed to its
    creator. `link_for(token)` makes the absolute address of the link."""
    token = _token_set(tracker)
    tracker.save(
        update_fields=[
            "token_digest",
            "token_salt",
            "token_issued_at",
            "token_issues",
            "updated_at",
        ]
    )
    tracker_link_email(tracker=tracker, link_for=link_for)
    return token


def tracker_link_revoke(*, tracker: Tracker) -> None:
    """Stop the tracker's secure link working; staff can issue a new one."""
    tracker.token_digest = None
    tracker.token_salt = ""
    tracker.save(update_fields=["token_digest", "token_salt", "updated_at"])


@dataclass
class PartnerFigures:
    partner_id: int
    baseline_cost: Decimal
    baseline_fte: Decimal
    agreed_share: Decimal | None


@dataclass
class SetupCostFigures:
    kind: str
    year: int
    amount: Decimal
    description: str = ""


@dataclass
class YearFigures:
    year: int
    staff: Decimal = Decimal("0")
    it: Decimal = Decimal("0")
    property: Decimal = Decimal("0")
    procurement: Decimal = Decimal("0")
    process: Decimal = Decimal("0")
    income: Decimal = Decimal("0")
    running_costs: Decimal = Decimal("0")
    achieved: bool = False


@dataclass
class RatingFigures:
    aspect: str
    rating: int | None
    notes: str = ""


@transaction.atomic
def tracker_figures_update(
    *,
    tracker: Tracker,
    first_year: int,
    first_year_months: int,
    share_method: str,
    partners: Sequence[PartnerFigures],
    setup_costs: Sequence[SetupCostFigures],
    years: Sequence[YearFigures],
    ratings: Sequence[RatingFigures],
) -> Tracker:
    """Replace the tracker's figures with those given, all or nothing."""
    tracker.first_year = first_year
    tracker.first_year_months = first_year_months
    tracker.share_method = share_method
    tracker.full_clean()
    tracker.save()

    existing = {p.pk: p for p in tracker.partners.all()}
    for figures in partners:
        partner = existing.get(figures.partner_id)
        if partner is None:
            raise ValidationError("A partner does not belong to this tracker.")
        partner.baseline_cost = figures.baseline_cost
        partner.baseline_fte = figures.baseline_fte
        partner.agreed_share = figures.agreed_share
        partner.full_clean()
        partner.save()

    seen = [y.year for y in years]
    if len(seen) != len(set(seen)):
        raise ValidationError("Each financial year can be entered once.")
    tracker.setup_costs.all().delete()
    tracker.years.all().delete()
    new_costs = [SetupCost(tracker=tracker, **vars(c)) for c in setup_costs]
    new_years = [TrackerYear(tracker=tracker, **vars(y)) for y in years]
    for row in (*new_costs, *new_years):
        row.full_clean(exclude=["tracker"])
    SetupCost.objects.bulk_create(new_costs)
    TrackerYear.objects.bulk_create(new_years)

    for figures in ratings:
        BenefitRating.objects.update_or_create(
            tracker=tracker,
            aspect=figures.aspect,
            defaults={"rating": figures.rating, "notes": figures.notes},
        )
    return tracker


def tracker_results(*, tracker: Tracker) -> calculations.Results:
    """The arithmetic for a tracker whose partners, set-up costs and years are loaded
    (see selectors.tracker_for_page); no queries beyond those prefetches."""
    return calculations.results_compute(
        years=[
            calculations.YearInput(
                year=y.year,
                savings={kind: getattr(y, kind) for kind in calculations.SAVING_KINDS},
                running_costs=y.running_costs,
                achieved=y.achieved,
            )
            for y in tracker.years.all()
        ],
        setup_costs=[
            calculations.SetupCostInput(kind=c.kind, year=c.year, amount=c.amount)
            for c in tracker.setup_costs.all()
        ],
        partners=[
            calculations.PartnerInput(
                name=p.name, baseline=p.baseline_cost, agreed_share=p.agreed_share
            )
            for p in tracker.partners.all()
        ],
        share_method=tracker.share_method,
        first_year=tracker.first_year,
        first_year_months=tracker.first_year_months,
    )


def _proposal_note(result: calculations.YearResult, tracker: Tracker) -> str:
    parts = ", ".join(
        f"{calculations.SAVING_KIND_LABELS[k]} {money_exact(v)}"
        for k, v in result.savings.items()
        if v
    )
    months = (
        f" Part year: {tracker.first_year_months} months in operation." if result.partial else ""
    )
    return (
        f"From benefits tracker {tracker.pk}. Gross savings {money_exact(result.gross)} ({parts}) "
        f"less new running costs {money_exact(result.running_costs)}; one-off set-up costs that "
        f"year {money_exact(result.setup_costs)} are not deducted.{months}"
    )


@transaction.atomic
def _origin_detail(tracker: Tracker) -> str:
    """Which tracker a figure came from, for the figure's source on the map."""
    name, partnership = tracker.name, tracker.partnership.name
    detail = partnership if not name or name == partnership else f"{name}, for {partnership}"
    return detail[:200]


def tracker_submit(*, tracker: Tracker) -> list[TrackerProposal]:
    """Send each achieved year's saving (gross savings less new running costs) to the
    review queue as a savings figure for the tracker's partnership, one per financial
    year, and mark the tracker submitted. A year already sent with the same amount is
    not sent twice; a year whose saving is not above zero is not sent."""
    from submissions.public import ProposedChange, change_propose

    if tracker.partnership_id is None or not tracker.partnership.published:
        raise ValidationError(
            "Only a tracker for a published partnership can be submitted to the map."
        )
    results = tracker_results(tracker=tracker)
    achieved = [r for r in results.years if r.achieved and r.entered]
    if not achieved:
        raise ValidationError(
            "There are no achieved figures to submit: mark the years whose figures are "
            "actual (achieved) on the figures page."
        )
    # proposals (with their change) are prefetched by selectors.tracker_for_token.
    already = {
        (p.year, p.amount)
        for p in tracker.proposals.all()
        if p.change.status != ProposedChange.Status.REJECTED
    }
    created = []
    for result in achieved:
        amount = result.gross - result.running_costs
        if amount <= 0 or (result.year, amount) in already:
            continue
        change = change_propose(
            kind="savings_record",
            partnership=tracker.partnership,
            proposed={
                "start_year": result.year,
                "end_year": result.year,
                "amount": f"{amount:.2f}",
                "kind": "achieved",
                "cashable": None,
                "recurrence": "recurring",
                "note": _proposal_note(result, tracker),
                "origin": SavingsOrigin.TRACKER,
                "origin_detail": _origin_detail(tracker),
            },
            source=f"Benefits tracker {tracker.pk} ({financial_year_label(result.year)})",
            submitted_by_name=tracker.creator_name,
            submitted_by_email=tracker.creator_email,
        )
        created.append(
            TrackerProposal.objects.create(
                tracker=tracker, year=result.year, amount=amount, change=change
            )
        )
    tracker.submitted_at = timezone.now()
    tracker_move(
        tracker,
        TrackerStatus.SUBMITTED,
        verb="submitted",
        description="Achieved figures submitted for the map",
        actor=tracker.creator_name,
        note=", ".join(financial_year_label(p.year) for p in created),
        update_fields=["submitted_at"],
    )
    return created
