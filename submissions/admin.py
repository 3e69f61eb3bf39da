"""The staff side of the annual refresh: cycles and their dashboard, council contacts,
questionnaires (links, answers, confirming by phone), the review of proposed changes,
every email sent and the history of published data.

The partnerships app's Council and Partnership admins are extended here (subclassed and
registered again, as one extends Django's UserAdmin) rather than edited: the council page
gains its contacts, the partnership page a link to its history, and staff edits of a
partnership are kept in that history.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.exports import CsvWriter
from partnerships.admin import CouncilAdmin, PartnershipAdmin
from partnerships.models import Council, Partnership
from submissions import tasks
from submissions.admin_forms import ConfirmOnBehalfForm, ReviewForm
from submissions.models import (
    ChangeHistory,
    CouncilContact,
    OutboundEmail,
    ProposedChange,
    Questionnaire,
    QuestionnaireEvent,
    QuestionnaireItem,
    QuestionnaireLink,
    RefreshCycle,
)
from submissions.selectors import (
    changes_for_review,
    cycle_progress,
    partnerships_missing_figures,
    questionnaires_not_replied,
)
from submissions.services import cycle_close, cycle_open, link_revoke
from submissions.services.notify import link_reissue
from submissions.services.questionnaire import questionnaire_confirm_on_behalf
from submissions.services.staff import (
    changes_decide,
    cycle_catch_up,
    partnership_edit_record,
    partnership_snapshot,
)

NONE = "—"


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Council contacts ------------------------------------------------------------------


class CouncilContactInline(admin.TabularInline):
    model = CouncilContact
    fields = ["name", "email", "role", "active"]
    extra = 1
    verbose_name = "refresh contact (private)"
    verbose_name_plural = "refresh contacts (private: LGA staff only)"


admin.site.unregister(Council)


@admin.register(Council)
class CouncilWithContactsAdmin(CouncilAdmin):
    """The council page with the people who answer its refresh."""

    inlines = [*CouncilAdmin.inlines, CouncilContactInline]


@admin.register(CouncilContact)
class CouncilContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "role", "council", "active"]
    list_filter = ["active", "council__region", "council__council_type"]
    list_select_related = ["council"]
    search_fields = ["name", "email", "role", "council__short_name", "council__gss_code"]
    autocomplete_fields = ["council"]
    fields = ["council", "name", "email", "role", "active", "created_at"]
    readonly_fields = ["created_at"]


# --- Cycles and their dashboard ----------------------------------------------------------


@admin.register(RefreshCycle)
class RefreshCycleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "opens_on",
        "deadline",
        "reminder_days",
        "chaser_days",
        "questionnaire_count",
        "dashboard_link",
    ]
    list_filter = ["status"]
    actions = ["open_cycle", "catch_up", "close_cycle"]
    readonly_fields = ["status", "opened_at", "closed_at", "dashboard_link"]
    fieldsets = [
        (None, {"fields": ["financial_year", "opens_on", "deadline", "status", "dashboard_link"]}),
        (
            "Reminder plan",
            {
                "description": (
                    "Reminders go to councils that have not submitted, once each, on the "
                    "morning of each day below; a chaser after the deadline. A step "
                    "missed (the scheduler was down) is sent up to three days late; "
                    "older ones are dropped, so no council gets a pile of messages."
                ),
                "fields": ["reminder_days", "chaser_days"],
            },
        ),
        ("Record", {"fields": ["opened_at", "closed_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(questionnaire_count=Count("questionnaires"))

    @admin.display(description="questionnaires", ordering="questionnaire_count")
    def questionnaire_count(self, cycle: RefreshCycle) -> int:
        return getattr(cycle, "questionnaire_count", 0)

    @admin.display(description="dashboard")
    def dashboard_link(self, cycle: RefreshCycle) -> str:
        if not cycle.pk:
            return NONE
        url = reverse("admin:submissions_refreshcycle_dashboard", args=[cycle.pk])
        return format_html('<a href="{}">Progress of {}</a>', url, cycle)

    @admin.action(
        description="Open the selected cycle and invite every contact", permissions=["change"]
    )
    def open_cycle(self, request, queryset):
        for cycle in queryset:
            try:
                made = cycle_open(cycle=cycle)
            except ValidationError as error:
                self.message_user(request, f"{cycle}: {_errors(error)}", messages.ERROR)
                continue
            tasks.invitations_send.delay_on_commit(cycle.pk, _site_url(request))
            self.message_user(
                request,
                f"{cycle} is open: {len(made)} questionnaire{'s' if len(made) != 1 else ''} "
                "made; invitations are being sent to every active contact.",
                messages.SUCCESS,
            )

    @admin.action(
        description="Add new councils, contacts and partnerships to the open cycle",
        permissions=["change"],
    )
    def catch_up(self, request, queryset):
        for cycle in queryset:
            try:
                made, added = cycle_catch_up(cycle=cycle)
            except ValidationError as error:
                self.message_user(request, f"{cycle}: {_errors(error)}", messages.ERROR)
                continue
            tasks.invitations_send.delay_on_commit(cycle.pk, _site_url(request))
            self.message_user(
                request,
                f"{cycle}: {made} new questionnaire{'s' if made != 1 else ''}, {added} "
                f"partnership{'s' if added != 1 else ''} added to questionnaires; new "
                "contacts are being invited.",
                messages.SUCCESS,
            )

    @admin.action(
        description="Close the selected cycle (its links stop working; its year's map is "
        "published)",
        permissions=["change"],
    )
    def close_cycle(self, request, queryset):
        for cycle in queryset:
            cycle_close(cycle=cycle, user=request.user)
        self.message_user(request, f"Closed {queryset.count()} cycle(s).", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:cycle_id>/dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="submissions_refreshcycle_dashboard",
            ),
            path(
                "<int:cycle_id>/not-replied.csv",
                self.admin_site.admin_view(self.not_replied_csv),
                name="submissions_refreshcycle_not_replied",
            ),
            *super().get_urls(),
        ]

    def dashboard_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        """Progress of a cycle: questionnaires by status overall and by region, the
        partnerships still missing figures, and who has not replied."""
        cycle = get_object_or_404(RefreshCycle, pk=cycle_id)
        if not self.has_view_permission(request, cycle):
            raise PermissionDenied
        overall, regions = cycle_progress(cycle=cycle)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": cycle,
            "title": f"Progress of {cycle}",
            "cycle": cycle,
            "overall": overall,
            "regions": regions,
            "missing": partnerships_missing_figures(cycle=cycle),
            "may_see_contacts": request.user.has_perm("submissions.view_councilcontact"),
            "questionnaires_url": reverse("admin:submissions_questionnaire_changelist"),
        }
        return TemplateResponse(request, "admin/submissions/refreshcycle/dashboard.html", context)

    def not_replied_csv(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        """Councils that have not submitted, with their contacts (private: staff only)."""
        cycle = get_object_or_404(RefreshCycle, pk=cycle_id)
        if not (
            self.has_view_permission(request, cycle)
            and request.user.has_perm("submissions.view_councilcontact")
        ):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="not-replied-{cycle.financial_year}.csv"'
        )
        response["Cache-Control"] = "private, no-store"
        writer = CsvWriter(response)
        writer.row(
            [
                "council",
                "gss_code",
                "region",
                "status",
                "contact_name",
                "contact_email",
                "contact_role",
            ]
        )
        for questionnaire in questionnaires_not_replied(cycle=cycle):
            council = questionnaire.council
            region = council.region.name if council.region else ""
            contacts = council.active_contacts or [None]
            for contact in contacts:
                writer.row(
                    [
                        council.short_name,
                        council.gss_code,
                        region,
                        questionnaire.get_status_display(),
                        contact.name if contact else "",
                        contact.email if contact else "",
                        contact.role if contact else "",
                    ]
                )
        return response


# --- Questionnaires ----------------------------------------------------------------------


class ReadOnlyInline:
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


class QuestionnaireEventInline(ReadOnlyInline, admin.TabularInline):
    model = QuestionnaireEvent
    fields = ["at", "action", "by_name", "by_email", "by_user", "detail"]
    readonly_fields = fields
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
    inlines = [QuestionnaireLinkInline, QuestionnaireItemInline, QuestionnaireEventInline]
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
            link_reissue(
                questionnaire=questionnaire, user=request.user, site_url=_site_url(request)
            )
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
        """Record that a council confirmed its questionnaire by phone or email."""
        questionnaire = get_object_or_404(
            Questionnaire.objects.select_related("council", "cycle"), pk=questionnaire_id
        )
        if not request.user.has_perm("submissions.confirm_questionnaire"):
            raise PermissionDenied
        form = ConfirmOnBehalfForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                questionnaire_confirm_on_behalf(
                    questionnaire=questionnaire,
                    user=request.user,
                    confirmed_with=form.cleaned_data["confirmed_with"],
                    method=form.cleaned_data["method"],
                    email=form.cleaned_data["email"],
                    site_url=_site_url(request),
                )
            except ValidationError as error:
                fields = getattr(error, "error_dict", {})
                if fields and set(fields) <= set(form.fields):
                    form.add_error(None, error)
                else:
                    form.add_error(None, error.messages)
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
                    questionnaire=link.questionnaire, user=request.user, site_url=_site_url(request)
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


# --- The review of proposed changes ---------------------------------------------------------


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
    form = ReviewForm(request.POST if request.method == "POST" else None, changes=changes)
    if request.method == "POST" and form.is_valid():
        try:
            counts = changes_decide(decisions=form.decisions(), reviewer=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                f"{counts['accept']} change(s) accepted and published, "
                f"{counts['reject']} rejected.",
            )
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


# --- Email and history --------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """Every email the app sent or tried to send. The message's context is not shown:
    it carries the questionnaire link."""

    list_display = [
        "to",
        "kind",
        "cycle",
        "council",
        "created_at",
        "sent_at",
        "status",
        "attempts",
        "error",
    ]
    list_filter = ["status", "kind", "cycle", "created_at"]
    list_select_related = ["cycle", "questionnaire__council"]
    search_fields = ["to", "key", "subject", "questionnaire__council__short_name"]
    date_hierarchy = "created_at"
    fields = [
        "to",
        "subject",
        "kind",
        "cycle",
        "questionnaire",
        "key",
        "template",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description="council")
    def council(self, email) -> str:
        return email.questionnaire.council.short_name if email.questionnaire_id else NONE


@admin.register(ChangeHistory)
class ChangeHistoryAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "object_label",
        "object_type",
        "action",
        "partnership",
        "changed_by_label",
        "proposed_change",
    ]
    list_filter = ["action", "object_type", "changed_at"]
    list_select_related = ["partnership", "proposed_change__partnership"]
    search_fields = ["object_label", "changed_by_label", "partnership__name"]
    date_hierarchy = "changed_at"
    fields = [
        "changed_at",
        "object_type",
        "object_id",
        "object_label",
        "partnership",
        "action",
        "changed_by_label",
        "proposed_change",
        "difference",
    ]
    readonly_fields = fields

    @admin.display(description="before and after")
    def difference(self, entry: ChangeHistory) -> str:
        before, after = entry.before or {}, entry.after or {}
        keys = sorted(set(before) | set(after))
        return format_html(
            "<table><thead><tr><th scope='col'>field</th><th scope='col'>before</th>"
            "<th scope='col'>after</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
                ((k, before.get(k, NONE), after.get(k, NONE)) for k in keys),
            ),
        )


# --- The partnership page: its history, and staff edits kept in it ---------------------------


admin.site.unregister(Partnership)


@admin.register(Partnership)
class PartnershipWithHistoryAdmin(PartnershipAdmin):
    """The partnership page with a link to its history; each save by staff is kept in it
    (before and after, members and savings included)."""

    readonly_fields = [*PartnershipAdmin.readonly_fields, "history_link"]
    fieldsets = [*PartnershipAdmin.fieldsets, ("History", {"fields": ["history_link"]})]

    @admin.display(description="changes to this partnership")
    def history_link(self, partnership: Partnership) -> str:
        if not partnership.pk:
            return NONE
        url = reverse("admin:submissions_changehistory_changelist")
        return format_html(
            '<a href="{}?partnership__id__exact={}">'
            "Every change to {}: who, when, before and after</a>",
            url,
            partnership.pk,
            partnership.name,
        )

    def save_model(self, request, obj, form, change):
        request._partnership_before = (
            partnership_snapshot(Partnership.objects.get(pk=obj.pk)) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        partnership_edit_record(
            partnership=form.instance,
            before=getattr(request, "_partnership_before", None),
            user=request.user,
        )
