"""Match-making requests: the list staff work from, a request's details, its shortlist
and notes. The broker's panel and the actions on a request are in `request_workflow`."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.activity.admin import ActivityInline
from core.admin import TABULAR_DESCRIBED, StrictNumbers
from core.money import money_exact
from matchmaking import selectors, services
from matchmaking.admin.common import NONE, NoteInline, notes_add
from matchmaking.admin.request_workflow import MatchRequestWorkflowViews
from matchmaking.admin_forms import MatchRequestAdminForm
from matchmaking.models import MatchRequest, MatchSuggestion, Note
from matchmaking.ranking import reasons_from_data, staff_text
from partnerships.selectors import without_boundaries

Status = MatchRequest.Status


class MatchSuggestionInline(StrictNumbers, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = MatchSuggestion
    extra = 0
    fields = [
        "council",
        "score",
        "ranking",
        "reasons",
        "shared_with_requester",
        "contact_name",
        "contact_email",
        "introduction",
    ]
    readonly_fields = ["score", "ranking", "introduction"]
    autocomplete_fields = ["council"]
    verbose_name = "shortlisted council"
    verbose_name_plural = "shortlist (add councils by hand here; tick those to show the requester)"

    def get_queryset(self, request):
        return without_boundaries(super().get_queryset(request), "council").select_related(
            "match_request"
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        council = formset.form.base_fields["council"].widget
        # Councils come from the reference data: no add/change/delete links beside them.
        council.can_add_related = council.can_change_related = False
        council.can_delete_related = council.can_view_related = False
        return formset

    @admin.display(description="ranking's reasons (weight)")
    def ranking(self, suggestion: MatchSuggestion) -> str:
        # For staff only; `reasons` holds the plain words the councils read.
        return staff_text(reasons_from_data(suggestion.ranking_reasons)) or NONE

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


@admin.register(MatchRequest)
class MatchRequestAdmin(StrictNumbers, MatchRequestWorkflowViews, admin.ModelAdmin):
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
            without_boundaries(super().get_queryset(request), "council")
            .prefetch_related("categories")
            .annotate(has_duplicate=selectors.match_request_duplicate_exists())
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
        mediation = money_exact(match_request.mediation_awarded, none=NONE)
        return f"{match_request.expert_days_awarded} days; {mediation}"

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
            notes_add(request, formset, match_request=match_request)
            return
        if formset.model is MatchSuggestion:
            self._rows_save(
                request,
                formset,
                lambda row_form: self._save_suggestion(request, match_request, row_form, formset),
                label=lambda row_form: (
                    (row_form.instance.council_id and row_form.instance.council) or "Shortlist"
                ),
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
        typed = {
            "user": request.user,
            "shared_with_requester": data.get("shared_with_requester", False),
            "contact_name": data.get("contact_name", ""),
            "contact_email": data.get("contact_email", ""),
            "reasons": data.get("reasons", ""),
        }
        if instance.pk is None:
            suggestion = services.suggestion_add_by_hand(
                match_request=match_request, council=data["council"], **typed
            )
            formset.new_objects.append(suggestion)
        else:
            suggestion = MatchSuggestion.objects.get(pk=instance.pk)
            services.suggestion_update(suggestion=suggestion, **typed)
            formset.changed_objects.append((suggestion, suggestion_form.changed_data))
