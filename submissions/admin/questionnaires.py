"""Questionnaires: their links (revoked and reissued here), answers and activity, and
recording that a council confirmed by phone or email."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.activity.admin import ActivityInline
from core.forms import errors_onto
from submissions.admin.common import NONE, ReadOnlyInline, site_url
from submissions.admin.review import review_response
from submissions.confirm_forms import ConfirmItemsForm
from submissions.models import (
    ProposedChange,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireLink,
)
from submissions.services import link_revoke
from submissions.services.email import cycle_deliveries, emails_of_questionnaire
from submissions.services.notify import link_reissue
from submissions.services.questionnaire import questionnaire_confirm_on_behalf


class QuestionnaireLinkInline(admin.TabularInline):
    model = QuestionnaireLink
    fields = ["created_at", "state", "revoked_at", "revoked_by", "revoke"]
    readonly_fields = ["created_at", "state", "revoked_at", "revoked_by", "revoke"]
    extra = 0
    can_delete = False
    verbose_name_plural = "secure links (the links themselves are only in the emails)"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="state")
    def state(self, link: QuestionnaireLink) -> str:
        return "Revoked" if link.revoked_at else "Working while the cycle is open"

    @admin.display(description="revoke")
    def revoke(self, link: QuestionnaireLink) -> str:
        if link.revoked_at or not link.pk:
            return NONE
        url = reverse(
            "admin:submissions_questionnaire_revoke_link", args=[link.questionnaire_id, link.pk]
        )
        return format_html('<a class="button" href="{}">Revoke this link…</a>', url)


class QuestionnaireItemInline(ReadOnlyInline, admin.TabularInline):
    model = QuestionnaireItem
    fields = [
        "name",
        "answer",
        "savings_amount",
        "savings_kind",
        "no_savings_reason",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = fields
    verbose_name_plural = "partnerships in this questionnaire"


class QuestionnaireActivityInline(ActivityInline):
    verbose_name_plural = "who did what"


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = [
        "council",
        "cycle",
        "status",
        "items_done",
        "method",
        "submitted_at",
        "pending_changes",
        "review_link",
    ]
    list_filter = ["cycle", "status", "method", "council__region"]
    list_select_related = ["council", "cycle"]
    search_fields = [
        "council__short_name",
        "council__gss_code",
        "submitted_by_name",
        "submitted_by_email",
    ]
    actions = ["issue_new_link"]
    inlines = [QuestionnaireLinkInline, QuestionnaireItemInline, QuestionnaireActivityInline]
    readonly_fields = [
        "cycle",
        "council",
        "status",
        "version",
        "opened_at",
        "submitted_at",
        "submitted_by_name",
        "submitted_by_email",
        "method",
        "confirmed_by",
        "confirmed_with",
        "confirmed_at",
        "reviewed_at",
        "review_link",
        "confirm_link",
    ]
    fieldsets = [
        (None, {"fields": ["cycle", "council", "status", "review_link", "confirm_link"]}),
        (
            "Submission",
            {
                "fields": [
                    "opened_at",
                    "submitted_at",
                    "submitted_by_name",
                    "submitted_by_email",
                    "method",
                ]
            },
        ),
        (
            "Confirmed on the council's behalf",
            {"fields": ["confirmed_by", "confirmed_with", "confirmed_at"]},
        ),
        ("Review", {"fields": ["reviewed_at", "version"]}),
    ]

    def has_add_permission(self, request):
        return False  # made by opening a cycle

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The questionnaire, with how its email reached each of the council's contacts
        (the cycle dashboard's rows, its Resend and new-link buttons) for staff who may
        see contacts."""
        extra_context = dict(extra_context or {})
        questionnaire = (
            Questionnaire.objects.select_related("cycle", "council").filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if questionnaire is not None and request.user.has_perm("submissions.view_councilcontact"):
            extra_context.update(
                cycle=questionnaire.cycle,
                deliveries=cycle_deliveries(cycle=questionnaire.cycle, questionnaire=questionnaire),
                emails=emails_of_questionnaire(questionnaire)
                .defer("context")
                .order_by("-created_at", "-pk"),
                may_send=request.user.has_perm("submissions.change_refreshcycle"),
                back_to=questionnaire.pk,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                item_count=Count("items", distinct=True),
                done_count=Count("items", filter=~Q(items__answer="unanswered"), distinct=True),
                pending_count=Count(
                    "proposed_changes",
                    filter=Q(proposed_changes__status=ProposedChange.Status.PENDING),
                    distinct=True,
                ),
            )
        )

    @admin.display(description="partnerships done")
    def items_done(self, questionnaire) -> str:
        done = getattr(questionnaire, "done_count", 0)
        return f"{done} of {getattr(questionnaire, 'item_count', 0)}"

    @admin.display(description="changes to review", ordering="pending_count")
    def pending_changes(self, questionnaire) -> int:
        return getattr(questionnaire, "pending_count", 0)

    @admin.display(description="review")
    def review_link(self, questionnaire) -> str:
        if not questionnaire.pk:
            return NONE
        url = reverse("admin:submissions_questionnaire_review", args=[questionnaire.pk])
        return format_html('<a href="{}">Review changes</a>', url)

    @admin.display(description="confirmed by phone or email")
    def confirm_link(self, questionnaire) -> str:
        url = reverse("admin:submissions_questionnaire_confirm", args=[questionnaire.pk])
        return format_html(
            '<a class="button" href="{}">Record that the council confirmed it…</a>', url
        )

    @admin.action(
        description="Issue a new link and email it (earlier links stop working)",
        permissions=["change"],
    )
    def issue_new_link(self, request, queryset):
        for questionnaire in queryset.select_related("cycle", "council"):
            link_reissue(questionnaire=questionnaire, user=request.user, site_url=site_url(request))
        self.message_user(
            request,
            f"New links issued and emailed for {queryset.count()} questionnaire(s).",
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<int:questionnaire_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="submissions_questionnaire_review",
            ),
            path(
                "<int:questionnaire_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="submissions_questionnaire_confirm",
            ),
            path(
                "<int:questionnaire_id>/links/<int:link_id>/revoke/",
                self.admin_site.admin_view(self.revoke_link_view),
                name="submissions_questionnaire_revoke_link",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request: HttpRequest, questionnaire_id: int) -> HttpResponse:
        questionnaire = get_object_or_404(
            Questionnaire.objects.select_related("council", "cycle"), pk=questionnaire_id
        )
        return review_response(
            request,
            self.admin_site,
            changes=questionnaire.proposed_changes.all(),
            title=f"Review {questionnaire.council.short_name}'s changes ({questionnaire.cycle})",
            questionnaire=questionnaire,
        )

    def confirm_view(self, request: HttpRequest, questionnaire_id: int) -> HttpResponse:
        """Record that a council confirmed its questionnaire by phone or email, and what it
        said of each partnership it had not answered."""
        questionnaire = get_object_or_404(
            Questionnaire.objects.select_related("council", "cycle"), pk=questionnaire_id
        )
        if not request.user.has_perm("submissions.confirm_questionnaire"):
            raise PermissionDenied
        unanswered = questionnaire.items.filter(
            answer=QuestionnaireItem.Answer.UNANSWERED
        ).order_by("partnership__name", "pk")
        form = ConfirmItemsForm(
            request.POST or None,
            items=unanswered,
            last_year=questionnaire.cycle.financial_year + 1,
        )
        if request.method == "POST" and form.is_valid():
            try:
                questionnaire_confirm_on_behalf(
                    questionnaire=questionnaire,
                    user=request.user,
                    confirmed_with=form.cleaned_data["confirmed_with"],
                    answers=form.answers(),
                    end_years=form.end_years(),
                    method=form.cleaned_data["method"],
                    email=form.cleaned_data["email"],
                    site_url=site_url(request),
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                self.message_user(
                    request,
                    f"Recorded: {questionnaire.council.short_name} confirmed its questionnaire "
                    f"({form.cleaned_data['confirmed_with']}).",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:submissions_questionnaire_change", args=[questionnaire.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": questionnaire,
            "title": f"{questionnaire.council.short_name} confirmed its questionnaire",
            "questionnaire": questionnaire,
            "answered": questionnaire.items.exclude(
                answer=QuestionnaireItem.Answer.UNANSWERED
            ).count(),
            "form": form,
        }
        return TemplateResponse(request, "admin/submissions/questionnaire/confirm.html", context)

    def revoke_link_view(
        self, request: HttpRequest, questionnaire_id: int, link_id: int
    ) -> HttpResponse:
        link = get_object_or_404(
            QuestionnaireLink.objects.select_related("questionnaire__council"),
            pk=link_id,
            questionnaire_id=questionnaire_id,
        )
        if not self.has_change_permission(request, link.questionnaire):
            raise PermissionDenied
        change_url = reverse("admin:submissions_questionnaire_change", args=[questionnaire_id])
        if request.method == "POST":
            link_revoke(link=link, user=request.user)
            if request.POST.get("reissue"):
                link_reissue(
                    questionnaire=link.questionnaire, user=request.user, site_url=site_url(request)
                )
                self.message_user(
                    request,
                    "The link was revoked; a new one was emailed to the council's contacts.",
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, "The link was revoked.", messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": link.questionnaire,
            "title": f"Revoke a link to {link.questionnaire.council.short_name}'s questionnaire",
            "link": link,
            "change_url": change_url,
        }
        return TemplateResponse(
            request, "admin/submissions/questionnaire/revoke_link.html", context
        )
