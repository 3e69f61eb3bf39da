"""The Expert Programme: the written criteria applications are scored against, and the
applications themselves (scores, notes, outcomes), with the award, decline and
work-complete actions and the programme's overview."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.activity.admin import ActivityInline
from core.admin import TABULAR_DESCRIBED, StrictNumbers
from core.money import money_exact
from matchmaking import selectors, services
from matchmaking.admin.common import (
    NONE,
    ActionPagesMixin,
    ApplicationNoteInline,
    deliveries,
    notes_add,
)
from matchmaking.admin_forms import AwardForm, DeclineForm
from matchmaking.models import (
    AssessmentCriterion,
    CriterionScore,
    ExpertApplication,
    Note,
    OutcomeReport,
)
from matchmaking.workflow import APPLICATION_TRANSITIONS, AppStatus


def _applicant(application: ExpertApplication) -> str:
    """Who an application's emails go to, as staff read it on a confirmation page."""
    return f"{application.applicant_name} <{application.applicant_email}>"


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(StrictNumbers, admin.ModelAdmin):
    list_display = ["title", "max_score", "position", "active"]
    list_editable = ["max_score", "position", "active"]
    search_fields = ["title", "guidance"]


class CriterionScoreInline(StrictNumbers, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = CriterionScore
    extra = 0
    fields = ["criterion", "guidance", "score", "comment", "scored_by"]
    readonly_fields = ["guidance", "scored_by"]
    can_delete = False
    verbose_name_plural = "scores against the written criteria"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion", "scored_by")

    @admin.display(description="what a high score looks like")
    def guidance(self, row: CriterionScore) -> str:
        if not row.criterion_id:
            return NONE
        return f"{row.criterion.guidance} (out of {row.criterion.max_score})"

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None:
            return 0
        scored = obj.scores.count()
        return max(AssessmentCriterion.objects.filter(active=True).count() - scored, 0)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criterion":
            kwargs["queryset"] = AssessmentCriterion.objects.filter(active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OutcomeReportInline(admin.StackedInline):
    model = OutcomeReport
    extra = 0
    fields = [
        "reported_at",
        "service_improvements",
        "savings_amount",
        "savings_year",
        "savings_kind",
        "savings_cashable",
        "savings_recurrence",
        "review",
    ]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposed_change")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="savings in the review queue")
    def review(self, report: OutcomeReport) -> str:
        change = report.proposed_change
        if change is None:
            return NONE
        url = reverse("admin:submissions_proposedchange_change", args=[change.pk])
        return format_html('<a href="{}">{}</a>', url, change.get_status_display())


@admin.register(ExpertApplication)
class ExpertApplicationAdmin(StrictNumbers, ActionPagesMixin, admin.ModelAdmin):
    action_related = ("partnership", "council")
    change_form_template = "admin/matchmaking/expertapplication/change_form.html"
    change_list_template = "admin/matchmaking/expertapplication/change_list.html"
    list_display = [
        "reference",
        "partnership",
        "council",
        "status",
        "requested",
        "awarded",
        "total_score",
        "created_at",
    ]
    list_filter = ["status", "funding_budget"]
    search_fields = [
        "partnership__name",
        "council__short_name",
        "applicant_name",
        "applicant_email",
    ]
    inlines = [
        CriterionScoreInline,
        OutcomeReportInline,
        ApplicationNoteInline,
        ActivityInline,
    ]
    readonly_fields = [
        "reference",
        "partnership",
        "council",
        "status",
        "decision_reason",
        "expert_name",
        "amount_awarded",
        "funding_budget",
        "decided_at",
        "decided_by",
        "created_at",
        "confirmed_at",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "partnership", "council", "status"]}),
        (
            "Applicant (private)",
            {"fields": ["applicant_name", "applicant_role", "applicant_email"]},
        ),
        (
            "The application",
            {
                "fields": [
                    "improvement",
                    "expertise_needed",
                    "funding_requested",
                    "outcomes_expected",
                ]
            },
        ),
        (
            "Decision",
            {
                "fields": [
                    "decision_reason",
                    "expert_name",
                    "amount_awarded",
                    "funding_budget",
                    "decided_at",
                    "decided_by",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "confirmed_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partnership", "council", "decided_by", "funding_budget")
            .annotate(score_total=Sum("scores__score"))
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="asked for", ordering="funding_requested")
    def requested(self, application):
        return money_exact(application.funding_requested, none=NONE)

    @admin.display(description="awarded", ordering="amount_awarded")
    def awarded(self, application):
        return money_exact(application.amount_awarded, none=NONE) if application.committed else NONE

    @admin.display(description="score", ordering="score_total")
    def total_score(self, application):
        return application.score_total if application.score_total is not None else NONE

    def save_model(self, request, obj, form, change):
        services.application_details_save(
            application=obj, changed=form.changed_data, user=request.user
        )

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        application = form.instance
        if formset.model is CriterionScore:
            self._rows_save(
                request,
                formset,
                lambda row_form: self._save_score(request, application, row_form, formset),
                label=lambda row_form: row_form.cleaned_data["criterion"],
            )
            return
        if formset.model is Note:
            notes_add(request, formset, application=application)
            return
        super().save_formset(request, form, formset, change)

    def _save_score(self, request, application, score_form, formset) -> None:
        data = score_form.cleaned_data
        if not data or not score_form.has_changed() or data.get("score") is None:
            return
        row = services.criterion_score_record(
            application=application,
            criterion=data["criterion"],
            score=data["score"],
            comment=data.get("comment", ""),
            user=request.user,
        )
        formset.changed_objects.append((row, score_form.changed_data))

    def panel_context(self, application):
        return {
            **selectors.application_criteria(application=application),
            **deliveries(application),
        }

    def get_urls(self):
        return [
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name="matchmaking_expertapplication_overview",
            ),
            self._object_path(self.award_view, "award"),
            self._object_path(self.decline_view, "decline"),
            self._object_path(self.complete_view, "complete"),
            *self._email_paths(),
            *super().get_urls(),
        ]

    def award_view(self, request, object_id):
        application = self._get_for_change(request, object_id)
        initial = {
            "amount": application.funding_requested,
            "budget": getattr(selectors.budget_current(), "pk", None),
        }
        budgets = list(selectors.budget_list())
        return self._form_action(
            request,
            application,
            AwardForm(request.POST or None, initial=initial),
            lambda data: services.application_award(
                application=application,
                user=request.user,
                expert_name=data["expert_name"],
                amount=data["amount"],
                budget=data["budget"],
                reason=data["reason"],
            ),
            done="Awarded; the applicant is emailed.",
            title=f"Award {application.reference}",
            button="Award and email the applicant",
            intro=f"Asked for: {money_exact(application.funding_requested, none=NONE)}.",
            extra={
                "budgets": [(b, selectors.budget_left(b)) for b in budgets],
                "consequences": [
                    f"{application.reference} is awarded and the amount is committed "
                    "against the budget chosen. This cannot be undone.",
                    f"{_applicant(application)} is emailed the award: the expert, the "
                    "amount and the reasons given here.",
                ],
            },
        )

    def decline_view(self, request, object_id):
        application = self._get_for_change(request, object_id)
        return self._form_action(
            request,
            application,
            DeclineForm(request.POST or None),
            lambda data: services.application_decline(
                application=application, user=request.user, reason=data["reason"]
            ),
            done="Declined; the applicant is emailed.",
            title=f"Decline {application.reference}",
            button="Decline and email the applicant",
            extra={
                "consequences": [
                    f"{application.reference} is declined. This cannot be undone.",
                    f"{_applicant(application)} is emailed the reasons given here.",
                ]
            },
        )

    def complete_view(self, request, object_id):
        """Recording the work as complete cannot be undone and emails the applicant: a
        GET (or a POST without the page's confirmation) shows what will happen, and only
        the confirming POST acts."""
        application = self._get_for_change(request, object_id)
        errors = []
        if request.method == "POST" and request.POST.get("confirmed") == "yes":
            try:
                services.application_work_complete(
                    application=application,
                    user=request.user,
                    link_for=lambda token: request.build_absolute_uri(
                        reverse("matchmaking:application-page", args=[token])
                    ),
                )
            except ValidationError as error:
                errors = error.messages
            else:
                self.message_user(
                    request,
                    "Work recorded as complete; the applicant is asked for outcomes.",
                    messages.SUCCESS,
                )
                return self._back(application)
        elif AppStatus.WORK_COMPLETE not in APPLICATION_TRANSITIONS[application.status]:
            errors = [
                "Only an awarded application's work can be recorded as complete; this one "
                f"is {application.get_status_display().lower()}."
            ]
        return self._action_page(
            request,
            application,
            None,
            title=f"Record the work on {application.reference} as complete",
            button="Record the work as complete and email the applicant",
            extra={
                "confirm": True,
                "errors": errors,
                "consequences": [
                    f"{application.reference} moves to “Work complete”. This cannot be undone.",
                    f"{_applicant(application)} is emailed a new link to report what the "
                    "work achieved; the link they have now stops working.",
                ],
            },
        )

    def overview_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Expert Programme overview",
            "overview": selectors.programme_overview(),
        }
        return TemplateResponse(request, "admin/matchmaking/programme_overview.html", context)
