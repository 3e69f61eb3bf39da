"""The review of proposed changes: the published value beside the proposed one, accept
or reject each, and the accepted changes of one save published together."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.forms import errors_onto
from submissions.admin.common import NONE
from submissions.admin_forms import BulkRejectForm, ReviewForm
from submissions.models import (
    ProposedChange,
)
from submissions.selectors import (
    changes_for_review,
)
from submissions.services.duplicates import changes_matches_attach
from submissions.services.review import changes_mark_spam
from submissions.services.staff import (
    REJECT,
    changes_decide,
)

Status = ProposedChange.Status


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
            counts = changes_decide(
                decisions=form.decisions(), reviewer=request.user, choices=choices
            )
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
    merged = sum(1 for choice in choices if choice.merge_into is not None)
    kept = sum(1 for choice in choices if choice.merge_into is None and not choice.publish)
    # "Published" only when it is true of every change accepted.
    accepted = "accepted" if kept else "accepted and published"
    said = f"{counts['accept']} change(s) {accepted}, {counts['reject']} rejected."
    details = [
        f"{merged} merged into a published partnership" if merged else "",
        f"{kept} new partnership(s) kept unpublished" if kept else "",
    ]
    if any(details):
        said += f" Of those accepted, {' and '.join(filter(None, details))}."
    return said


class StatusFilter(admin.SimpleListFilter):
    """The queue by status; spam is left out unless it is asked for, so the queue shows
    what needs a person while the spam stays for audit."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Status.choices, (self.ALL, "All, spam included")]

    def choices(self, changelist):
        yield {
            "selected": self.value() not in {*Status.values, self.ALL},
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All but spam",
        }
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset.exclude(status=Status.SPAM)  # the default, and any other value


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "sender",
        "source",
        "created_at",
        "status",
        "review_link",
    ]
    list_filter = [StatusFilter, "kind", "questionnaire__cycle"]
    list_select_related = ["partnership", "questionnaire__council"]
    actions = ["reject_selected", "mark_spam"]
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

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("submissions.change_proposedchange")

    @admin.display(description="from")
    def sender(self, change) -> str:
        """Who sent it: the council (a questionnaire's change) or the proposer."""
        if change.questionnaire_id:
            return change.questionnaire.council.short_name
        if change.submitted_by_email:
            return format_html("{} ({})", change.submitted_by_name, change.submitted_by_email)
        return change.submitted_by_name or NONE

    @admin.action(
        description="Reject the selected changes, with one reason", permissions=["decide"]
    )
    def reject_selected(self, request, queryset):
        """A page asking the reason first; then every chosen change is rejected with it,
        all or none, and each proposer or council is told as for a single rejection."""
        changes = list(queryset.select_related("partnership").order_by("created_at", "pk"))
        form = BulkRejectForm(request.POST if "confirmed" in request.POST else None)
        if form.is_bound and form.is_valid():
            decisions = [(change, REJECT, form.cleaned_data["reason"]) for change in changes]
            try:
                counts = changes_decide(decisions=decisions, reviewer=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"Nothing was rejected: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(
                    request, f"{counts[REJECT]} change(s) rejected.", messages.SUCCESS
                )
            return None
        return TemplateResponse(
            request,
            "admin/submissions/proposedchange/reject_selected.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Reject the selected changes?",
                "changes": changes,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Mark the selected proposals as spam", permissions=["decide"])
    def mark_spam(self, request, queryset):
        """Out of the queue, kept for audit (the status filter's "Spam"), nobody told."""
        try:
            marked = changes_mark_spam(changes=queryset, reviewer=request.user)
        except ValidationError as error:
            self.message_user(
                request, f"Nothing was marked: {' '.join(error.messages)}", messages.ERROR
            )
        else:
            self.message_user(
                request,
                f"{marked} proposal(s) marked as spam: out of the queue, kept under "
                "the status “Spam”.",
                messages.SUCCESS,
            )

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
