"""The admin the LGA's staff broker match-making requests and run the Expert Programme in.

A request's page shows the ranked partner suggestions with every reason and its weight,
the shortlist, the status moves allowed from where it is, possible duplicates, and the
funding against the year's budget. Every action goes through `matchmaking.services`,
which checks it is allowed and records it in the request's activity.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from matchmaking import selectors, services
from matchmaking.admin_forms import (
    AwardForm,
    CloseForm,
    DeclineForm,
    FundingAwardForm,
    MatchRequestAdminForm,
    MergeForm,
    PartnershipLinkForm,
)
from matchmaking.forms import form_errors_apply
from matchmaking.models import (
    Activity,
    AssessmentCriterion,
    CriterionScore,
    ExpertApplication,
    FundingBudget,
    MatchRequest,
    MatchSuggestion,
    Note,
    OutcomeReport,
    current_financial_year,
)
from matchmaking.ranking import candidates_rank, weights_table

NONE = "—"
Status = MatchRequest.Status
# How many ranked councils the request's page lists.
SUGGESTIONS_SHOWN = 20


def _money(amount) -> str:
    return NONE if amount is None else f"£{amount:,.2f}"


class _ActionPagesMixin:
    """The back-redirect and the small confirm-form page that every custom action view of
    a request or application admin shares."""

    def _change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def _back(self, obj, anchor: str = "") -> HttpResponseRedirect:
        return HttpResponseRedirect(self._change_url(obj) + anchor)

    def _action_page(self, request, obj, form, *, title, button, intro="", extra=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "form": form,
            "button": button,
            "intro": intro,
            "back_url": self._change_url(obj),
            **(extra or {}),
        }
        return TemplateResponse(
            request,
            "admin/matchmaking/action_form.html",
            context,
            status=400 if form is not None and form.is_bound and form.errors else 200,
        )


class ActivityInline(admin.TabularInline):
    model = Activity
    fk_name = "match_request"
    extra = 0
    fields = ["created_at", "actor", "action", "detail"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "activity (every action, newest first)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="by")
    def actor(self, activity: Activity) -> str:
        return activity.actor_label or NONE

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApplicationActivityInline(ActivityInline):
    fk_name = "application"


class NoteInline(admin.StackedInline):
    model = Note
    fk_name = "match_request"
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        # Notes are a record: added, never rewritten.
        return False


class ApplicationNoteInline(NoteInline):
    fk_name = "application"


class MatchSuggestionInline(admin.TabularInline):
    model = MatchSuggestion
    extra = 0
    fields = [
        "council",
        "score",
        "reasons",
        "shared_with_requester",
        "contact_name",
        "contact_email",
        "introduction",
    ]
    readonly_fields = ["score", "introduction"]
    autocomplete_fields = ["council"]
    verbose_name = "shortlisted council"
    verbose_name_plural = "shortlist (add councils by hand here; tick those to show the requester)"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("council", "match_request")
            .defer("council__boundary", "council__boundary_low")
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        council = formset.form.base_fields["council"].widget
        # Councils come from the reference data: no add/change/delete links beside them.
        council.can_add_related = council.can_change_related = False
        council.can_delete_related = council.can_view_related = False
        return formset

    @admin.display(description="introduction")
    def introduction(self, suggestion: MatchSuggestion) -> str:
        if suggestion.pk is None:
            return NONE
        if suggestion.introduced_at:
            return f"Introduced {suggestion.introduced_at:%d %b %Y}"
        url = reverse("admin:matchmaking_matchrequest_introduce", args=[suggestion.pk])
        return format_html('<a class="button" href="{}">Introduce…</a>', url)


class ConfirmedFilter(admin.SimpleListFilter):
    """A request reaches staff once its email is confirmed: unconfirmed ones are out of
    the list unless asked for."""

    title = "email confirmation"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", "Not confirmed yet"), ("any", "Confirmed or not")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Confirmed",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(status=Status.NEW)
        if self.value() == "any":
            return queryset
        return queryset.exclude(status=Status.NEW)


def _duplicate_exists():
    """Whether another open request from the same council asks for a shared service."""
    through = MatchRequest.categories.through
    own = through.objects.filter(matchrequest=OuterRef(OuterRef("pk"))).values("servicecategory")
    return Exists(
        through.objects.filter(matchrequest__council=OuterRef("council"), servicecategory__in=own)
        .exclude(matchrequest=OuterRef("pk"))
        .exclude(matchrequest__status=Status.CLOSED)
    )


@admin.register(MatchRequest)
class MatchRequestAdmin(_ActionPagesMixin, admin.ModelAdmin):
    form = MatchRequestAdminForm
    change_form_template = "admin/matchmaking/matchrequest/change_form.html"
    list_display = [
        "reference",
        "council",
        "service_list",
        "status",
        "reach",
        "funding_wanted",
        "awarded",
        "duplicate",
        "created_at",
    ]
    list_filter = [
        ConfirmedFilter,
        "status",
        "reach",
        "funding_wanted",
        "categories",
        "council__region",
    ]
    search_fields = [
        "council__short_name",
        "council__official_name",
        "requester_name",
        "requester_email",
        "description",
    ]
    date_hierarchy = "created_at"
    inlines = [MatchSuggestionInline, NoteInline, ActivityInline]
    readonly_fields = [
        "reference",
        "council",
        "status",
        "closed_reason",
        "partnership",
        "merged_into",
        "funding_budget",
        "expert_days_awarded",
        "mediation_awarded",
        "created_at",
        "confirmed_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "council", "status", "closed_reason", "partnership"]},
        ),
        (
            "Requester (private)",
            {"fields": ["requester_name", "requester_role", "requester_email"]},
        ),
        (
            "The request",
            {"fields": ["categories", "reach", "council_types", "description"]},
        ),
        (
            "Funding",
            {
                "fields": [
                    "funding_wanted",
                    "expert_days_requested",
                    "mediation_requested",
                    "funding_budget",
                    "expert_days_awarded",
                    "mediation_awarded",
                ]
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["merged_into", "created_at", "confirmed_at", "updated_at"],
            },
        ),
    ]
    filter_horizontal = ["categories"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("council")
            .defer("council__boundary", "council__boundary_low")
            .prefetch_related("categories")
            .annotate(has_duplicate=_duplicate_exists())
        )

    def has_add_permission(self, request):
        # Requests come from councils, through the public form.
        return False

    @admin.display(description="services")
    def service_list(self, match_request: MatchRequest) -> str:
        return ", ".join(c.name for c in match_request.categories.all())

    @admin.display(description="awarded")
    def awarded(self, match_request: MatchRequest) -> str:
        if not (match_request.expert_days_awarded or match_request.mediation_awarded):
            return NONE
        return (
            f"{match_request.expert_days_awarded} days; {_money(match_request.mediation_awarded)}"
        )

    @admin.display(description="possible duplicate", boolean=True)
    def duplicate(self, match_request: MatchRequest) -> bool:
        return getattr(match_request, "has_duplicate", False)

    def save_model(self, request, obj, form, change):
        services.match_request_details_save(
            match_request=obj, changed=form.changed_data, user=request.user
        )

    def save_formset(self, request, form, formset, change):
        # Rows go through the services (which check and record them) rather than
        # formset.save(); the lists the admin's change message reads are filled here.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        match_request = form.instance
        if formset.model is Note:
            for note_form in formset.forms:
                text = note_form.cleaned_data.get("text") if note_form.has_changed() else ""
                if text and note_form.instance.pk is None:
                    note = services.note_add(
                        match_request=match_request, text=text, user=request.user
                    )
                    formset.new_objects.append(note)
            return
        if formset.model is MatchSuggestion:
            for suggestion_form in formset.forms:
                try:
                    self._save_suggestion(request, match_request, suggestion_form, formset)
                except ValidationError as error:
                    council = (
                        suggestion_form.instance.council_id and suggestion_form.instance.council
                    )
                    self.message_user(
                        request,
                        f"{council or 'Shortlist'}: {' '.join(error.messages)}",
                        messages.ERROR,
                    )
            return
        super().save_formset(request, form, formset, change)

    def _save_suggestion(self, request, match_request, suggestion_form, formset) -> None:
        data = suggestion_form.cleaned_data
        instance = suggestion_form.instance
        if not data:
            return
        if data.get("DELETE"):
            if instance.pk:
                suggestion = MatchSuggestion.objects.get(pk=instance.pk)
                services.suggestion_remove(suggestion=suggestion, user=request.user)
                formset.deleted_objects.append(suggestion)
            return
        if not suggestion_form.has_changed():
            return
        if instance.pk is None:
            suggestion = services.suggestion_add(
                match_request=match_request,
                council=data["council"],
                user=request.user,
                reasons=data.get("reasons", ""),
                added_by_hand=True,
            )
            # A contact the app found stays unless staff typed another.
            contact_name = data.get("contact_name") or suggestion.contact_name
            contact_email = data.get("contact_email") or suggestion.contact_email
            formset.new_objects.append(suggestion)
        else:
            suggestion = MatchSuggestion.objects.get(pk=instance.pk)
            contact_name = data.get("contact_name", "")
            contact_email = data.get("contact_email", "")
            formset.changed_objects.append((suggestion, suggestion_form.changed_data))
        services.suggestion_update(
            suggestion=suggestion,
            user=request.user,
            shared_with_requester=data.get("shared_with_requester", False),
            contact_name=contact_name,
            contact_email=contact_email,
            reasons=data.get("reasons") or suggestion.reasons,
        )

    # --- The broker's panel on the request's page -------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        match_request = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if match_request is not None:
            extra_context.update(self._panel_context(request, match_request))
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel_context(self, request, match_request: MatchRequest) -> dict:
        shortlisted = set(match_request.suggestions.values_list("council_id", flat=True))
        candidates = candidates_rank(match_request=match_request, limit=SUGGESTIONS_SHOWN)
        transitions = [
            (value, Status(value).label)
            for value in services.TRANSITIONS[match_request.status]
            if value not in (Status.CLOSED, Status.PARTNERSHIP_FORMED, Status.INTRODUCED)
        ]
        budget = None
        position = None
        if match_request.funding_budget_id:
            budget = match_request.funding_budget
        else:
            budget = FundingBudget.objects.filter(financial_year=current_financial_year()).first()
        if budget is not None:
            position = selectors.budget_position(budget=budget)
        return {
            "candidates": candidates,
            "shortlisted": shortlisted,
            "weights": weights_table(),
            "transitions": transitions,
            "can_close": Status.CLOSED in services.TRANSITIONS[match_request.status],
            "can_form": Status.PARTNERSHIP_FORMED in services.TRANSITIONS[match_request.status],
            "can_introduce": match_request.status in services.INTRODUCIBLE,
            "duplicates": list(selectors.match_request_duplicates(match_request=match_request)),
            "budget": budget,
            "budget_position": position,
            "match_request": match_request,
        }

    def get_urls(self):
        def view(func, name):
            return path(
                f"<int:object_id>/{name}/",
                self.admin_site.admin_view(func),
                name=f"matchmaking_matchrequest_{name}",
            )

        return [
            view(self.transition_view, "transition"),
            view(self.shortlist_view, "shortlist"),
            view(self.close_view, "close"),
            view(self.award_view, "award"),
            view(self.partnership_view, "partnership"),
            view(self.merge_view, "merge"),
            path(
                "suggestions/<int:suggestion_id>/introduce/",
                self.admin_site.admin_view(self.introduce_view),
                name="matchmaking_matchrequest_introduce",
            ),
            *super().get_urls(),
        ]

    def _get_for_change(self, request, object_id) -> MatchRequest:
        match_request = get_object_or_404(
            MatchRequest.objects.select_related("council"), pk=object_id
        )
        if not self.has_change_permission(request, match_request):
            raise PermissionDenied
        return match_request

    def transition_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        if request.method != "POST":
            return self._back(match_request)
        try:
            services.match_request_transition(
                match_request=match_request,
                status=request.POST.get("status", ""),
                user=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, "Status changed.", messages.SUCCESS)
        return self._back(match_request)

    def shortlist_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        if request.method != "POST":
            return self._back(match_request)
        council_id = request.POST.get("council")
        candidate = next(
            (
                c
                for c in candidates_rank(match_request=match_request, limit=None)
                if str(c.council.pk) == council_id
            ),
            None,
        )
        if candidate is None:
            self.message_user(request, "That council is not among the suggestions.", messages.ERROR)
            return self._back(match_request)
        suggestion = services.suggestion_add(
            match_request=match_request,
            council=candidate.council,
            user=request.user,
            reasons=candidate.reasons_text,
            score=candidate.score,
        )
        self.message_user(
            request,
            f"{candidate.council.short_name} is on the shortlist"
            + ("." if suggestion.contact_email else ": add a contact to introduce them."),
            messages.SUCCESS,
        )
        return self._back(match_request, "#suggestions-group")

    def close_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        form = CloseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.match_request_transition(
                    match_request=match_request,
                    status=Status.CLOSED,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                self.message_user(request, "The request is closed.", messages.SUCCESS)
                return self._back(match_request)
        return self._action_page(
            request,
            match_request,
            form,
            title=f"Close {match_request.reference}",
            button="Close request",
        )

    def award_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        initial = {
            "expert_days": match_request.expert_days_awarded
            or match_request.expert_days_requested
            or 0,
            "mediation_amount": match_request.mediation_awarded
            or match_request.mediation_requested
            or 0,
            "budget": match_request.funding_budget_id
            or FundingBudget.objects.filter(financial_year=current_financial_year())
            .values_list("pk", flat=True)
            .first(),
        }
        form = FundingAwardForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.match_request_funding_award(
                    match_request=match_request,
                    budget=form.cleaned_data["budget"],
                    expert_days=form.cleaned_data["expert_days"],
                    mediation_amount=form.cleaned_data["mediation_amount"],
                    user=request.user,
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                self.message_user(request, "Funding recorded.", messages.SUCCESS)
                return self._back(match_request)
        budgets = list(selectors.budget_list())
        return self._action_page(
            request,
            match_request,
            form,
            title=f"Award funding to {match_request.reference}",
            button="Record award",
            intro=(
                f"Requested: {match_request.get_funding_wanted_display()}; "
                f"{match_request.expert_days_requested or 0} expert days; "
                f"{_money(match_request.mediation_requested or 0)} mediation."
            ),
            extra={"budgets": [(b, selectors.budget_left(b)) for b in budgets]},
        )

    def partnership_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        form = PartnershipLinkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.match_request_partnership_link(
                    match_request=match_request,
                    partnership=form.cleaned_data["partnership"],
                    user=request.user,
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                self.message_user(request, "Partnership linked; request formed.", messages.SUCCESS)
                return self._back(match_request)
        return self._action_page(
            request,
            match_request,
            form,
            title=f"Partnership formed from {match_request.reference}",
            button="Link partnership",
        )

    def merge_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        candidates = selectors.match_request_duplicates(match_request=match_request)
        form = MergeForm(request.POST or None, candidates=candidates)
        if request.method == "POST" and form.is_valid():
            try:
                into = services.match_request_merge(
                    duplicate=match_request, into=form.cleaned_data["into"], user=request.user
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                self.message_user(
                    request,
                    f"{match_request.reference} merged into {into.reference}.",
                    messages.SUCCESS,
                )
                return self._back(into)
        return self._action_page(
            request,
            match_request,
            form,
            title=f"Merge {match_request.reference} into another request",
            button="Merge",
            intro="This request is closed, its services and shortlist join the other, and a "
            "note keeps its requester and description.",
        )

    def introduce_view(self, request: HttpRequest, suggestion_id: int) -> HttpResponse:
        suggestion = get_object_or_404(
            MatchSuggestion.objects.select_related("council", "match_request__council"),
            pk=suggestion_id,
        )
        match_request = suggestion.match_request
        if not self.has_change_permission(request, match_request):
            raise PermissionDenied
        error_list = []
        if request.method == "POST":
            try:
                services.introduction_make(suggestion=suggestion, user=request.user)
            except ValidationError as error:
                error_list = error.messages
            else:
                self.message_user(
                    request,
                    f"Introduced {match_request.council.short_name} and "
                    f"{suggestion.council.short_name}: an email to each is on its way.",
                    messages.SUCCESS,
                )
                return self._back(match_request)
        return self._action_page(
            request,
            match_request,
            None,
            title=(
                f"Introduce {match_request.council.short_name} to {suggestion.council.short_name}"
            ),
            button="Send both introductions",
            extra={"suggestion": suggestion, "errors": error_list, "introduce": True},
        )


@admin.register(FundingBudget)
class FundingBudgetAdmin(admin.ModelAdmin):
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
        return _money(budget.mediation_amount)

    @admin.display(description="mediation committed")
    def mediation_committed_column(self, budget):
        return _money(budget.mediation_committed)

    @admin.display(description="mediation left")
    def mediation_left(self, budget):
        return _money(selectors.budget_left(budget)["mediation_left"])

    @admin.display(description="programme budget")
    def programme_column(self, budget):
        return _money(budget.programme_amount)

    @admin.display(description="programme committed")
    def programme_committed_column(self, budget):
        return _money(budget.programme_committed)

    @admin.display(description="programme left")
    def programme_left(self, budget):
        return _money(selectors.budget_left(budget)["programme_left"])


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(admin.ModelAdmin):
    list_display = ["title", "max_score", "position", "active"]
    list_editable = ["max_score", "position", "active"]
    search_fields = ["title", "guidance"]


class CriterionScoreInline(admin.TabularInline):
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
class ExpertApplicationAdmin(_ActionPagesMixin, admin.ModelAdmin):
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
        ApplicationActivityInline,
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
        return _money(application.funding_requested)

    @admin.display(description="awarded", ordering="amount_awarded")
    def awarded(self, application):
        return _money(application.amount_awarded) if application.committed else NONE

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
            for score_form in formset.forms:
                data = score_form.cleaned_data
                if not data or not score_form.has_changed() or data.get("score") is None:
                    continue
                try:
                    row = services.criterion_score_record(
                        application=application,
                        criterion=data["criterion"],
                        score=data["score"],
                        comment=data.get("comment", ""),
                        user=request.user,
                    )
                except ValidationError as error:
                    self.message_user(
                        request, f"{data['criterion']}: {' '.join(error.messages)}", messages.ERROR
                    )
                else:
                    formset.changed_objects.append((row, score_form.changed_data))
            return
        if formset.model is Note:
            for note_form in formset.forms:
                text = note_form.cleaned_data.get("text") if note_form.has_changed() else ""
                if text and note_form.instance.pk is None:
                    note = services.note_add(application=application, text=text, user=request.user)
                    formset.new_objects.append(note)
            return
        super().save_formset(request, form, formset, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if application is not None:
            active = list(AssessmentCriterion.objects.filter(active=True))
            scored = set(application.scores.values_list("criterion_id", flat=True))
            extra_context.update(
                {
                    "criteria": active,
                    "unscored": [c for c in active if c.pk not in scored],
                    "application": application,
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        def view(func, name):
            return path(
                f"<int:object_id>/{name}/",
                self.admin_site.admin_view(func),
                name=f"matchmaking_expertapplication_{name}",
            )

        return [
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name="matchmaking_expertapplication_overview",
            ),
            view(self.award_view, "award"),
            view(self.decline_view, "decline"),
            view(self.complete_view, "complete"),
            *super().get_urls(),
        ]

    def _get_for_change(self, request, object_id) -> ExpertApplication:
        application = get_object_or_404(
            ExpertApplication.objects.select_related("partnership", "council"), pk=object_id
        )
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        return application

    def award_view(self, request, object_id):
        application = self._get_for_change(request, object_id)
        initial = {
            "amount": application.funding_requested,
            "budget": FundingBudget.objects.filter(financial_year=current_financial_year())
            .values_list("pk", flat=True)
            .first(),
        }
        form = AwardForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.application_award(
                    application=application,
                    user=request.user,
                    expert_name=form.cleaned_data["expert_name"],
                    amount=form.cleaned_data["amount"],
                    budget=form.cleaned_data["budget"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                self.message_user(request, "Awarded; the applicant is emailed.", messages.SUCCESS)
                return self._back(application)
        budgets = list(selectors.budget_list())
        return self._action_page(
            request,
            application,
            form,
            title=f"Award {application.reference}",
            button="Award and email the applicant",
            intro=f"Asked for: {_money(application.funding_requested)}.",
            extra={"budgets": [(b, selectors.budget_left(b)) for b in budgets]},
        )

    def decline_view(self, request, object_id):
        application = self._get_for_change(request, object_id)
        form = DeclineForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.application_decline(
                    application=application, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                self.message_user(request, "Declined; the applicant is emailed.", messages.SUCCESS)
                return self._back(application)
        return self._action_page(
            request,
            application,
            form,
            title=f"Decline {application.reference}",
            button="Decline and email the applicant",
        )

    def complete_view(self, request, object_id):
        application = self._get_for_change(request, object_id)
        if request.method == "POST":
            try:
                services.application_work_complete(
                    application=application,
                    user=request.user,
                    link_for=lambda token: request.build_absolute_uri(
                        reverse("matchmaking:application-page", args=[token])
                    ),
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    "Work recorded as complete; the applicant is asked for outcomes.",
                    messages.SUCCESS,
                )
        return self._back(application)

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


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The record of every action, read-only."""

    list_display = ["created_at", "actor_label", "action", "subject", "detail"]
    list_filter = ["action"]
    search_fields = ["action", "detail", "actor_label"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("match_request__council", "application__partnership")
        )

    @admin.display(description="about")
    def subject(self, activity: Activity) -> str:
        if activity.match_request_id:
            return activity.match_request.reference
        if activity.application_id:
            return activity.application.reference
        return NONE

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
