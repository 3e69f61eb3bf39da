"""Refresh cycles: opening one (on its date, or before it by staff's explicit choice)
and inviting every contact, catching up with what was added since, closing it, and its
dashboard of progress and of who has not replied."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin import email_resend_said
from core.exports import CsvWriter
from submissions import tasks
from submissions.admin.common import NONE, errors_text, site_url
from submissions.models import (
    CouncilContact,
    RefreshCycle,
)
from submissions.selectors import (
    NOT_REPLIED_COLUMNS,
    cycle_progress,
    not_replied_rows,
    partnerships_missing_figures,
)
from submissions.services import cycle_close, cycle_open
from submissions.services.email import cycle_deliveries, emails_of_cycle
from submissions.services.notify import contact_link_send, staff_addresses
from submissions.services.staff import (
    cycle_catch_up,
)


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
    actions = ["open_cycle", "open_early", "catch_up", "close_cycle"]
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
        """Open a cycle whose "Opens on" date has come (beat does so on the date); one
        still to come is refused, pointing to "Open now, before its date"."""
        self._open(request, queryset, early=False)

    @admin.action(description="Open now, before its date", permissions=["change"])
    def open_early(self, request, queryset):
        """Staff's explicit choice to open a cycle before its "Opens on" date (beat opens
        it on the date): a confirmation page first, then the same as opening."""
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/submissions/refreshcycle/open_early.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": "Open now, before its date?",
                    "cycles": list(queryset),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._open(request, queryset, early=True)

    def _open(self, request, queryset, *, early: bool) -> None:
        opened = self._each_cycle(request, queryset, lambda c: cycle_open(cycle=c, early=early))
        for cycle, made in opened:
            tasks.invitations_send.delay_on_commit(cycle.pk, site_url(request))
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
        for cycle, (made, added) in self._each_cycle(
            request, queryset, lambda c: cycle_catch_up(cycle=c)
        ):
            tasks.invitations_send.delay_on_commit(cycle.pk, site_url(request))
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
        closed = self._each_cycle(
            request, queryset, lambda c: cycle_close(cycle=c, user=request.user)
        )
        self.message_user(request, f"Closed {sum(1 for _ in closed)} cycle(s).", messages.SUCCESS)

    def _each_cycle(self, request, queryset, act):
        """Each selected cycle the service `act(cycle)` went through, with what it returned;
        a cycle it refused is said in an error message and left out."""
        for cycle in queryset:
            try:
                result = act(cycle)
            except ValidationError as error:
                self.message_user(request, f"{cycle}: {errors_text(error)}", messages.ERROR)
                continue
            yield cycle, result

    def get_urls(self):
        return [
            path(
                "<int:cycle_id>/dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="submissions_refreshcycle_dashboard",
            ),
            path(
                "<int:cycle_id>/emails/<int:email_id>/resend/",
                self.admin_site.admin_view(self.email_resend_view),
                name="submissions_refreshcycle_email_resend",
            ),
            path(
                "<int:cycle_id>/questionnaires/<int:questionnaire_id>/contacts/<int:contact_id>/link/",
                self.admin_site.admin_view(self.contact_link_view),
                name="submissions_refreshcycle_contact_link",
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
        may_see_contacts = request.user.has_perm("submissions.view_councilcontact")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": cycle,
            "title": f"Progress of {cycle}",
            "cycle": cycle,
            "overall": overall,
            "regions": regions,
            "missing": partnerships_missing_figures(cycle=cycle),
            "may_see_contacts": may_see_contacts,
            "may_send": self.has_change_permission(request, cycle),
            "deliveries": cycle_deliveries(cycle=cycle) if may_see_contacts else None,
            "staff_told": bool(staff_addresses()),
            "questionnaires_url": reverse("admin:submissions_questionnaire_changelist"),
        }
        return TemplateResponse(request, "admin/submissions/refreshcycle/dashboard.html", context)

    def _dashboard_post(self, request: HttpRequest, cycle_id: int) -> RefreshCycle:
        """The cycle a dashboard button acts on, for staff who may change it and see its
        contacts; the buttons only POST."""
        cycle = get_object_or_404(RefreshCycle, pk=cycle_id)
        if request.method != "POST":
            raise PermissionDenied
        if not (
            self.has_change_permission(request, cycle)
            and request.user.has_perm("submissions.view_councilcontact")
        ):
            raise PermissionDenied
        return cycle

    def _to_deliveries(self, request: HttpRequest, cycle: RefreshCycle) -> HttpResponseRedirect:
        """Back to where the button was: the dashboard's deliveries, or the page of the
        cycle's questionnaire named by `back_to` (a button on that page)."""
        back_to = request.POST.get("back_to", "")
        if back_to.isascii() and back_to.isdigit() and len(back_to) <= 12:
            questionnaire = cycle.questionnaires.filter(pk=int(back_to)).first()
            if questionnaire is not None:
                url = reverse("admin:submissions_questionnaire_change", args=[questionnaire.pk])
                return HttpResponseRedirect(f"{url}#questionnaire-deliveries")
        url = reverse("admin:submissions_refreshcycle_dashboard", args=[cycle.pk])
        return HttpResponseRedirect(f"{url}#deliveries")

    def email_resend_view(self, request: HttpRequest, cycle_id: int, email_id: int):
        """Send one failed email of the cycle again, to the one address it was for."""
        cycle = self._dashboard_post(request, cycle_id)
        email = get_object_or_404(emails_of_cycle(cycle), pk=email_id)
        email_resend_said(self, request, email)
        return self._to_deliveries(request, cycle)

    def contact_link_view(
        self, request: HttpRequest, cycle_id: int, questionnaire_id: int, contact_id: int
    ):
        """Email one contact a new link of their own; colleagues' links keep working."""
        cycle = self._dashboard_post(request, cycle_id)
        questionnaire = get_object_or_404(cycle.questionnaires, pk=questionnaire_id)
        contact = get_object_or_404(
            CouncilContact, pk=contact_id, council_id=questionnaire.council_id
        )
        try:
            contact_link_send(
                questionnaire=questionnaire, contact=contact, site_url=site_url(request)
            )
        except ValidationError as error:
            self.message_user(request, errors_text(error), messages.ERROR)
        else:
            self.message_user(
                request,
                f"A new link to {questionnaire.council.short_name}'s questionnaire is being "
                f"sent to {contact.email}; the links other contacts have keep working.",
                messages.SUCCESS,
            )
        return self._to_deliveries(request, cycle)

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
        writer.row(NOT_REPLIED_COLUMNS)
        for row in not_replied_rows(cycle=cycle):
            writer.row(row)
        return response
