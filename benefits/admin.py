"""Trackers for the LGA's staff: who started each one (never shown elsewhere), their
figures, and the secure link, which staff can revoke or reissue."""

from django.contrib import admin, messages
from django.urls import reverse

from benefits import services
from benefits.models import (
    BenefitRating,
    SetupCost,
    Tracker,
    TrackerPartner,
    TrackerProposal,
    TrackerYear,
)
from core.admin import TABULAR_DESCRIBED, StrictNumbers


class PartnerInline(StrictNumbers, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = TrackerPartner
    extra = 0
    fields = ["name", "council", "baseline_cost", "baseline_fte", "agreed_share"]
    raw_id_fields = ["council"]


class SetupCostInline(StrictNumbers, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = SetupCost
    extra = 0


class YearInline(StrictNumbers, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = TrackerYear
    extra = 0


class RatingInline(StrictNumbers, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = BenefitRating
    extra = 0


class ProposalInline(admin.TabularInline):
    model = TrackerProposal
    extra = 0
    can_delete = False
    fields = ["year", "amount", "change", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tracker)
class TrackerAdmin(StrictNumbers, admin.ModelAdmin):
    list_display = [
        "pk",
        "name",
        "partnership",
        "status",
        "creator_name",
        "creator_email",
        "link_active",
        "created_at",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "partnership__name", "creator_name", "creator_email"]
    list_select_related = ["partnership"]
    raw_id_fields = ["partnership", "councils"]
    readonly_fields = [
        "token_issued_at",
        "token_issues",
        "link_active",
        "status",
        "submitted_at",
        "created_at",
        "updated_at",
    ]
    exclude = ["token_digest"]
    inlines = [PartnerInline, SetupCostInline, YearInline, RatingInline, ProposalInline]
    actions = ["revoke_link", "reissue_link"]

    @admin.display(boolean=True, description="Link works")
    def link_active(self, obj: Tracker) -> bool:
        return obj.link_active

    @admin.action(description="Revoke the secure link (it stops working)")
    def revoke_link(self, request, queryset):
        for tracker in queryset:
            services.tracker_link_revoke(tracker=tracker)
        self.message_user(request, f"Revoked the link of {queryset.count()} tracker(s).")

    @admin.action(description="Issue a new secure link and email it to the creator")
    def reissue_link(self, request, queryset):
        def link_for(token: str) -> str:
            return request.build_absolute_uri(reverse("benefits:tracker-results", args=[token]))

        for tracker in queryset:
            services.tracker_link_reissue(tracker=tracker, link_for=link_for)
        self.message_user(
            request,
            f"Issued a new link for {queryset.count()} tracker(s) and emailed each creator; "
            "the old links no longer work.",
            messages.SUCCESS,
        )
