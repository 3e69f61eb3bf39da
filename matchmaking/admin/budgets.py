"""Each financial year's Expert Programme and match-making budget, with what is
committed against it and what is left."""

from django.contrib import admin

from core.admin import StrictNumbers
from core.money import money_exact
from matchmaking import selectors
from matchmaking.admin.common import NONE
from matchmaking.models import FundingBudget


@admin.register(FundingBudget)
class FundingBudgetAdmin(StrictNumbers, admin.ModelAdmin):
    list_display = [
        "label",
        "expert_days",
        "expert_days_committed_column",
        "expert_days_left",
        "mediation_column",
        "mediation_committed_column",
        "mediation_left",
        "programme_column",
        "programme_committed_column",
        "programme_left",
    ]

    def get_queryset(self, request):
        return selectors.budget_list()

    @admin.display(description="financial year", ordering="financial_year")
    def label(self, budget):
        return budget.label

    @admin.display(description="expert days committed")
    def expert_days_committed_column(self, budget):
        return budget.expert_days_committed

    @admin.display(description="expert days left")
    def expert_days_left(self, budget):
        return selectors.budget_left(budget)["expert_days_left"]

    @admin.display(description="mediation budget")
    def mediation_column(self, budget):
        return money_exact(budget.mediation_amount, none=NONE)

    @admin.display(description="mediation committed")
    def mediation_committed_column(self, budget):
        return money_exact(budget.mediation_committed, none=NONE)

    @admin.display(description="mediation left")
    def mediation_left(self, budget):
        return money_exact(selectors.budget_left(budget)["mediation_left"], none=NONE)

    @admin.display(description="programme budget")
    def programme_column(self, budget):
        return money_exact(budget.programme_amount, none=NONE)

    @admin.display(description="programme committed")
    def programme_committed_column(self, budget):
        return money_exact(budget.programme_committed, none=NONE)

    @admin.display(description="programme left")
    def programme_left(self, budget):
        return money_exact(selectors.budget_left(budget)["programme_left"], none=NONE)
