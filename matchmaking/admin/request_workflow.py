"""The broker's panel on a request's page and the actions on a request: move its
status, shortlist a suggested council, close it, award funding, link the partnership it
formed, merge a duplicate, introduce the requester to a shortlisted council.

Each view reads its form, calls one service in `matchmaking.services` (which checks the
move is allowed and records it) and goes back to the request's page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from core.forms import errors_onto
from core.money import money_exact
from matchmaking import selectors, services
from matchmaking.admin.common import ActionPagesMixin, deliveries
from matchmaking.admin_forms import CloseForm, FundingAwardForm, MergeForm, PartnershipLinkForm
from matchmaking.models import MatchRequest, MatchSuggestion
from matchmaking.ranking import reasons_from_data, staff_text

Status = MatchRequest.Status
# How many ranked councils the request's page lists.
SUGGESTIONS_SHOWN = 20


class MatchRequestWorkflowViews(ActionPagesMixin):
    """The request admin's panel and action views (mixed into `MatchRequestAdmin`)."""

    # --- The broker's panel on the request's page -------------------------------

    action_related = ("council",)

    def panel_context(self, match_request):
        return {
            **selectors.match_request_panel(match_request=match_request, limit=SUGGESTIONS_SHOWN),
            **services.match_request_moves(match_request=match_request),
            **deliveries(match_request),
        }

    def get_urls(self):
        return [
            self._object_path(self.transition_view, "transition"),
            self._object_path(self.shortlist_view, "shortlist"),
            self._object_path(self.close_view, "close"),
            self._object_path(self.award_view, "award"),
            self._object_path(self.partnership_view, "partnership"),
            self._object_path(self.merge_view, "merge"),
            path(
                "suggestions/<int:suggestion_id>/introduce/",
                self.admin_site.admin_view(self.introduce_view),
                name="matchmaking_matchrequest_introduce",
            ),
            *self._email_paths(),
            *super().get_urls(),
        ]

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
        try:
            suggestion = services.suggestion_shortlist(
                match_request=match_request,
                council_id=request.POST.get("council"),
                user=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back(match_request)
        self.message_user(
            request,
            f"{suggestion.council.short_name} is on the shortlist"
            + ("." if suggestion.contact_email else ": add a contact to introduce them."),
            messages.SUCCESS,
        )
        return self._back(match_request, "#suggestions-group")

    def close_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        return self._form_action(
            request,
            match_request,
            CloseForm(request.POST or None),
            lambda data: services.match_request_transition(
                match_request=match_request,
                status=Status.CLOSED,
                user=request.user,
                reason=data["reason"],
            ),
            done="The request is closed.",
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
            or getattr(selectors.budget_current(), "pk", None),
        }
        budgets = list(selectors.budget_list())
        return self._form_action(
            request,
            match_request,
            FundingAwardForm(request.POST or None, initial=initial),
            lambda data: services.match_request_funding_award(
                match_request=match_request,
                budget=data["budget"],
                expert_days=data["expert_days"],
                mediation_amount=data["mediation_amount"],
                user=request.user,
            ),
            done="Funding recorded.",
            title=f"Award funding to {match_request.reference}",
            button="Record award",
            intro=(
                f"Requested: {match_request.get_funding_wanted_display()}; "
                f"{match_request.expert_days_requested or 0} expert days; "
                f"{money_exact(match_request.mediation_requested or 0)} mediation."
            ),
            extra={"budgets": [(b, selectors.budget_left(b)) for b in budgets]},
        )

    def partnership_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        match_request = self._get_for_change(request, object_id)
        return self._form_action(
            request,
            match_request,
            PartnershipLinkForm(request.POST or None),
            lambda data: services.match_request_partnership_link(
                match_request=match_request, partnership=data["partnership"], user=request.user
            ),
            done="Partnership linked; request formed.",
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
                errors_onto(form, error)
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
            extra={
                "suggestion": suggestion,
                "ranking_text": staff_text(reasons_from_data(suggestion.ranking_reasons)),
                "errors": error_list,
                "introduce": True,
            },
        )
