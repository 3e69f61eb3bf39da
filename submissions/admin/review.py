"""The review of proposed changes: the published value beside the proposed one, accept
or reject each, and the accepted changes of one save published together."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.forms import errors_onto
from submissions.admin.common import NONE
from submissions.admin_forms import ReviewForm
from submissions.models import (
    ProposedChange,
)
from submissions.selectors import (
    changes_for_review,
)
from submissions.services.duplicates import changes_matches_attach
from submissions.services.review import accept_choices
from submissions.services.staff import (
    changes_decide,
)


def review_response(
    request, admin_site, *, changes, title: str, questionnaire=None
) -> HttpResponse:
    """The published value beside the proposed one for each change, with accept or
    reject and a reason; the accepted changes are applied in one transaction."""
    if not request.user.has_perm("submissions.view_proposedchange"):
        raise PermissionDenied
    may_decide = request.user.has_perm("submissions.change_proposedchange")
    if request.method == "POST" and not may_decide:
        raise PermissionDenied
    changes = changes_for_review(changes=changes.order_by("created_at", "pk"))
    # A proposed new partnership that may already be on the map is flagged beside it.
    changes_matches_attach(changes=changes)
    form = ReviewForm(request.POST if request.method == "POST" else None, changes=changes)
    if request.method == "POST" and form.is_valid():
        choices = form.accept_choices()
        try:
            with accept_choices(choices):
                counts = changes_decide(decisions=form.decisions(), reviewer=request.user)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _decided_message(counts, choices.values()))
            return HttpResponseRedirect(request.get_full_path())
    context = {
        **admin_site.each_context(request),
        "opts": ProposedChange._meta,
        "title": title,
        "questionnaire": questionnaire,
        "changes": changes,
        "form": form,
        "may_decide": may_decide,
        "decided": [c for c in changes if c.status != ProposedChange.Status.PENDING],
    }
    return TemplateResponse(request, "admin/submissions/review.html", context)


def _decided_message(counts: dict, choices) -> str:
    said = f"{counts['accept']} change(s) accepted and published, {counts['reject']} rejected."
    merged = sum(1 for choice in choices if choice.merge_into is not None)
    kept = sum(1 for choice in choices if choice.merge_into is None and not choice.publish)
    details = [
        f"{merged} merged into a published partnership" if merged else "",
        f"{kept} new partnership(s) kept unpublished" if kept else "",
    ]
    if any(details):
        said += f" Of those accepted, {' and '.join(filter(None, details))}."
    return said


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "council",
        "source",
        "submitted_by_name",
        "created_at",
        "status",
        "review_link",
    ]
    list_filter = ["status", "kind", "questionnaire__cycle"]
    list_select_related = ["partnership", "questionnaire__council"]
    search_fields = [
        "partnership__name",
        "source",
        "submitted_by_name",
        "submitted_by_email",
        "proposed",
    ]
    readonly_fields = [
        "kind",
        "partnership",
        "questionnaire",
        "item",
        "proposed",
        "source",
        "submitted_by_name",
        "submitted_by_email",
        "created_at",
        "status",
        "decision_reason",
        "reviewed_by",
        "reviewed_at",
        "review_link",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decisions are made on the review page

    @admin.display(description="council")
    def council(self, change) -> str:
        return change.questionnaire.council.short_name if change.questionnaire_id else NONE

    @admin.display(description="review")
    def review_link(self, change) -> str:
        if change.questionnaire_id:
            url = reverse("admin:submissions_questionnaire_review", args=[change.questionnaire_id])
        else:
            url = reverse("admin:submissions_proposedchange_review", args=[change.pk])
        return format_html('<a href="{}">Review</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:change_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="submissions_proposedchange_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request: HttpRequest, change_id: int) -> HttpResponse:
        change = get_object_or_404(ProposedChange, pk=change_id)
        return review_response(
            request,
            self.admin_site,
            changes=ProposedChange.objects.filter(pk=change.pk),
            title=f"Review: {change}",
        )
