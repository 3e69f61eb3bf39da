"""Reads for match-making and the Expert Programme: each page's data in a fixed number
of queries. The partner ranking is in `matchmaking.ranking`."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from core.secret_links import token_digest
from matchmaking.models import (
    COMMITTED_APPLICATION_STATUSES,
    ZERO,
    AssessmentCriterion,
    ExpertApplication,
    FundingBudget,
    MatchRequest,
    MatchSuggestion,
    OutcomeReport,
    current_financial_year,
)
from matchmaking.ranking import ranking_for, weights_table
from partnerships.models import Partnership

# Every award made from a budget counts as committed, whatever the request's status now.
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum_of(model, field: str, **filters) -> Coalesce:
    """A subquery summing `field` over `model` rows drawing on the outer budget."""
    summed = (
        model.objects.filter(funding_budget=OuterRef("pk"), **filters)
        .order_by()
        .values("funding_budget")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def budget_list() -> QuerySet[FundingBudget]:
    """Budgets, latest year first, each annotated with what is committed: expert days,
    mediation and programme pounds. One query; `budget_left` gives what is left."""
    return FundingBudget.objects.annotate(
        expert_days_committed=_sum_of(MatchRequest, "expert_days_awarded"),
        mediation_committed=_sum_of(MatchRequest, "mediation_awarded"),
        programme_committed=_sum_of(
            ExpertApplication, "amount_awarded", status__in=COMMITTED_APPLICATION_STATUSES
        ),
    )


def budget_left(budget: FundingBudget) -> dict[str, Decimal]:
    """What is left of an annotated budget (from `budget_list`), in exact decimals."""
    return {
        "expert_days_left": budget.expert_days - Decimal(budget.expert_days_committed),
        "mediation_left": budget.mediation_amount - Decimal(budget.mediation_committed),
        "programme_left": budget.programme_amount - Decimal(budget.programme_committed),
    }


def budget_position(
    *, budget: FundingBudget, exclude_request: MatchRequest | None = None
) -> dict[str, Decimal]:
    """A budget's totals, committed and left, as Decimals. `exclude_request` leaves one
    request's award out, to check an award that would replace it."""
    requests = MatchRequest.objects.filter(funding_budget=budget)
    if exclude_request is not None:
        requests = requests.exclude(pk=exclude_request.pk)
    awarded = requests.aggregate(
        days=Sum("expert_days_awarded"), mediation=Sum("mediation_awarded")
    )
    programme = ExpertApplication.objects.filter(
        funding_budget=budget, status__in=COMMITTED_APPLICATION_STATUSES
    ).aggregate(total=Sum("amount_awarded"))
    days = Decimal(awarded["days"] or ZERO)
    mediation = Decimal(awarded["mediation"] or ZERO)
    programme_total = Decimal(programme["total"] or ZERO)
    return {
        "expert_days": budget.expert_days,
        "expert_days_committed": days,
        "expert_days_left": budget.expert_days - days,
        "mediation": budget.mediation_amount,
        "mediation_committed": mediation,
        "mediation_left": budget.mediation_amount - mediation,
        "programme": budget.programme_amount,
        "programme_committed": programme_total,
        "programme_left": budget.programme_amount - programme_total,
    }


def budget_current() -> FundingBudget | None:
    """This financial year's budget, if staff have set one: awards default to it."""
    return FundingBudget.objects.filter(financial_year=current_financial_year()).first()


def match_request_get_by_token(*, token: str) -> MatchRequest | None:
    """The request a secret link opens, with what its page shows (the council, the
    services and the suggestions staff chose to share), or None."""
    if not token:
        return None
    shared = MatchSuggestion.objects.filter(shared_with_requester=True).select_related(
        "council", "council__region"
    )
    return (
        MatchRequest.objects.filter(token_digest=token_digest(token))
        .select_related("council")
        .prefetch_related(
            "categories",
            Prefetch("suggestions", queryset=shared, to_attr="shared_suggestions"),
        )
        .first()
    )


def application_get_by_token(*, token: str) -> ExpertApplication | None:
    """The application a secret link opens, with its outcome reports, or None."""
    if not token:
        return None
    return (
        ExpertApplication.objects.filter(token_digest=token_digest(token))
        .select_related("partnership", "council")
        .prefetch_related(
            Prefetch(
                "outcome_reports",
                queryset=OutcomeReport.objects.select_related("proposed_change"),
            )
        )
        .first()
    )


def match_request_duplicates(*, match_request: MatchRequest) -> QuerySet[MatchRequest]:
    """Other requests from the same council for any of the same services that are not
    closed: for staff to merge."""
    return (
        MatchRequest.objects.filter(
            council_id=match_request.council_id,
            categories__in=match_request.categories.all(),
        )
        .exclude(pk=match_request.pk)
        .exclude(status=MatchRequest.Status.CLOSED)
        .distinct()
        .order_by("created_at")
    )


def match_request_duplicate_exists() -> Exists:
    """An annotation for a request query: whether another open request from the same
    council asks for one of the same shared services."""
    through = MatchRequest.categories.through
    own = through.objects.filter(matchrequest=OuterRef(OuterRef("pk"))).values("servicecategory")
    return Exists(
        through.objects.filter(matchrequest__council=OuterRef("council"), servicecategory__in=own)
        .exclude(matchrequest=OuterRef("pk"))
        .exclude(matchrequest__status=MatchRequest.Status.CLOSED)
    )


def match_request_panel(*, match_request: MatchRequest, limit: int) -> dict:
    """The broker's panel on a request's page: the `limit` best-ranked councils with
    their reasons and the weights behind them, apart from them the councils the requester
    already shares these services with, the shortlist, possible duplicates, and the
    budget its funding comes from (the request's own, else this year's)."""
    budget = match_request.funding_budget if match_request.funding_budget_id else budget_current()
    ranking = ranking_for(match_request=match_request, limit=limit)
    return {
        "candidates": ranking.candidates,
        "already_sharing": ranking.already_sharing,
        "shortlisted": set(match_request.suggestions.values_list("council_id", flat=True)),
        "weights": weights_table(),
        "duplicates": list(match_request_duplicates(match_request=match_request)),
        "budget": budget,
        "budget_position": budget_position(budget=budget) if budget is not None else None,
        "match_request": match_request,
    }


def application_criteria(*, application: ExpertApplication) -> dict:
    """The written criteria an application is scored against, and those not yet scored."""
    active = list(AssessmentCriterion.objects.filter(active=True))
    scored = set(application.scores.values_list("criterion_id", flat=True))
    return {
        "criteria": active,
        "unscored": [c for c in active if c.pk not in scored],
        "application": application,
    }


_FORMED_STATUSES = (MatchRequest.Status.PARTNERSHIP_FORMED, MatchRequest.Status.CLOSED)


def partnerships_from_matchmaking() -> QuerySet[Partnership]:
    """Published partnerships that came through match-making."""
    return Partnership.objects.filter(
        published=True, match_requests__status__in=_FORMED_STATUSES
    ).distinct()


def from_matchmaking() -> Exists:
    """An annotation for a partnership query: True if it came through match-making. In
    the same query, so a page that shows it costs nothing more:
    `Partnership.objects.annotate(from_matchmaking=from_matchmaking())`; the partnership
    page says so when the attribute is set."""
    return Exists(
        MatchRequest.objects.filter(partnership=OuterRef("pk"), status__in=_FORMED_STATUSES)
    )


def programme_overview() -> dict:
    """The Expert Programme at a glance for staff: applications by status, money
    awarded against each year's budget, and outcomes reported. Four queries."""
    by_status = dict(
        ExpertApplication.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    statuses = [
        (label, by_status.get(value, 0)) for value, label in ExpertApplication.Status.choices
    ]
    money = ExpertApplication.objects.aggregate(
        requested=Sum("funding_requested", filter=~Q(status=ExpertApplication.Status.NEW)),
        awarded=Sum("amount_awarded", filter=Q(status__in=COMMITTED_APPLICATION_STATUSES)),
    )
    budgets = []
    for budget in budget_list():
        left = budget_left(budget)
        budgets.append(
            {
                "label": budget.label,
                "budget": budget.programme_amount,
                "committed": Decimal(budget.programme_committed),
                "left": left["programme_left"],
            }
        )
    outcomes = OutcomeReport.objects.aggregate(
        reports=Count("pk"),
        applications=Count("application", distinct=True),
        savings=Sum("savings_amount"),
        accepted=Sum("savings_amount", filter=Q(proposed_change__status="accepted")),
    )
    return {
        "statuses": statuses,
        "total": sum(by_status.values()),
        "requested": money["requested"] or ZERO,
        "awarded": money["awarded"] or ZERO,
        "budgets": budgets,
        "outcome_reports": outcomes["reports"],
        "applications_reported": outcomes["applications"],
        "savings_reported": outcomes["savings"] or ZERO,
        "savings_accepted": outcomes["accepted"] or ZERO,
    }
