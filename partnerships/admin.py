"""The admin the LGA's staff use to curate councils, partnerships and their savings.

List pages annotate their counts and totals and select or prefetch what their columns
show, so a page costs the same few queries however many rows there are. Writes that are
more than a form save (publishing, the CSV upload) go through the services.
"""

import json
import re
import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from core.admin import TABULAR_DESCRIBED, ReadOnly, StrictNumbers
from core.money import money_pounds
from partnerships import admin_extensions
from partnerships.admin_forms import (
    UPLOAD_TOKEN,
    CouncilMembersFormSet,
    PartnershipCsvConfirmForm,
    PartnershipCsvUploadForm,
    PublishChoice,
    SavingsRecordsFormSet,
)
from partnerships.history import HistoryInWordsMixin
from partnerships.models import (
    Council,
    DataLoad,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsKind,
    SavingsRecord,
    ServiceCategory,
)
from partnerships.selectors import without_boundaries
from partnerships.services import partnerships_publish
from partnerships.services.csv_rows import (
    name_lookup_rows,
    partnerships_csv_preview,
    partnerships_load_csv,
)

NONE = "—"
# Web addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
# How long an uploaded CSV waits for staff to confirm its preview.
UPLOAD_SECONDS = 60 * 60


def _boundary_summary(boundary: str) -> str:
    if not boundary:
        return "No boundary"
    kind = json.loads(boundary).get("type", "GeoJSON")
    return f"{kind}, {len(boundary) / 1024:,.0f} kB of GeoJSON (from the reference data)"


class HasBoundaryFilter(admin.SimpleListFilter):
    title = "boundary"
    parameter_name = "has_boundary"

    def lookups(self, request, model_admin):
        return [("yes", "Has a boundary"), ("no", "No boundary")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(boundary="")
        if self.value() == "no":
            return queryset.filter(boundary="")
        return queryset


class InUseFilter(admin.SimpleListFilter):
    """Rows that some partnership uses, or none does."""

    title = "used by a partnership"
    parameter_name = "in_use"
    lookup = "partnerships"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            used = queryset.model.objects.filter(**{f"{self.lookup}__isnull": False})
            pks = used.values("pk")
            return (
                queryset.filter(pk__in=pks)
                if self.value() == "yes"
                else queryset.exclude(pk__in=pks)
            )
        return queryset


# --- Places and bodies -----------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "council_count"]
    search_fields = ["name", "gss_code"]
    list_filter = [HasBoundaryFilter]
    fields = ["name", "slug", "gss_code", "boundary_summary"]
    readonly_fields = ["boundary_summary"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            without_boundaries(super().get_queryset(request))
            .annotate(council_count=Count("councils", filter=Q(councils__current=True)))
            # A counting annotation groups the rows and Django then drops Meta.ordering;
            # order explicitly so that autocomplete pages stay stable.
            .order_by(*Region._meta.ordering)
        )

    @admin.display(description="current councils", ordering="council_count")
    def council_count(self, region: Region) -> int:
        return region.council_count

    @admin.display(description="boundary")
    def boundary_summary(self, region: Region) -> str:
        return _boundary_summary(region.boundary)


@admin.register(PublicBody)
class PublicBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "code", "partnership_count"]
    formfield_overrides = URL_FIELDS
    list_filter = ["sector", "kind", InUseFilter, HasBoundaryFilter]
    search_fields = ["name", "code"]
    fields = ["name", "kind", "sector", "code", "website", "boundary_summary"]
    readonly_fields = ["boundary_summary"]

    def get_queryset(self, request):
        return (
            without_boundaries(super().get_queryset(request))
            .annotate(partnership_count=Count("memberships"))
            .order_by(*PublicBody._meta.ordering)
        )

    @admin.display(description="partnerships", ordering="partnership_count")
    def partnership_count(self, body: PublicBody) -> int:
        return body.partnership_count

    @admin.display(description="boundary")
    def boundary_summary(self, body: PublicBody) -> str:
        return _boundary_summary(body.boundary)


@admin.register(Council)
class CouncilAdmin(StrictNumbers, HistoryInWordsMixin, SimpleHistoryAdmin):
    list_display = [
        "short_name",
        "gss_code",
        "council_type",
        "region",
        "current",
        "partnership_count",
    ]
    list_filter = ["council_type", "region", "current", HasBoundaryFilter]
    list_select_related = ["region"]
    search_fields = ["short_name", "official_name", "gss_code", "register_code", "alt_names"]
    autocomplete_fields = [
        "region",
        "county",
        "replaced_by",
        "fire_rescue_authority",
        "police_force_area",
        "integrated_care_board",
        "combined_authority",
    ]
    readonly_fields = ["neighbour_list", "partnership_list", "boundary_summary"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "short_name",
                    "official_name",
                    "council_type",
                    "region",
                    "gss_code",
                    "register_code",
                    "alt_names",
                ]
            },
        ),
        ("Partnerships", {"fields": ["partnership_list"]}),
        (
            "Place",
            {
                "fields": [
                    "population",
                    "area_km2",
                    ("latitude", "longitude"),
                    "boundary_summary",
                    "neighbour_list",
                ]
            },
        ),
        (
            "History",
            {"fields": ["current", ("start_date", "end_date"), "replaced_by", "county"]},
        ),
        (
            "Bodies covering this council",
            {
                "fields": [
                    "fire_rescue_authority",
                    "police_force_area",
                    "integrated_care_board",
                    "combined_authority",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            without_boundaries(super().get_queryset(request))
            .annotate(partnership_count=Count("memberships"))
            .order_by(*Council._meta.ordering)
        )

    def get_inlines(self, request, obj):
        # With what other apps add to the page (partnerships.admin_extensions).
        return [*super().get_inlines(request, obj), *admin_extensions.COUNCIL_INLINES]

    @admin.display(description="partnerships", ordering="partnership_count")
    def partnership_count(self, council: Council) -> int:
        return council.partnership_count

    @admin.display(description="boundary")
    def boundary_summary(self, council: Council) -> str:
        return _boundary_summary(council.boundary)

    @admin.display(description="neighbours")
    def neighbour_list(self, council: Council) -> str:
        names = ", ".join(c.short_name for c in council.neighbours.order_by("short_name"))
        return (names or NONE) + " (worked out from the boundaries when the data loads)"

    @admin.display(description="partnerships")
    def partnership_list(self, council: Council) -> str:
        memberships = council.memberships.select_related("partnership").order_by(
            "partnership__name"
        )
        if not memberships:
            return "Not a member of any partnership."
        return format_html(
            "<ul class='council-partnerships'>{}</ul>",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a>{}{}</li>",
                (
                    (
                        reverse("admin:partnerships_partnership_change", args=[m.partnership_id]),
                        m.partnership.name,
                        " (lead)" if m.is_lead else "",
                        "" if m.partnership.published else " — not published",
                    )
                    for m in memberships
                ),
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The change form draws the boundary with django-leaflet's template tags; there
        # are no tiles unless settings.MAP_TILE_URL names some (LEAFLET_CONFIG follows it).
        if obj is not None and obj.boundary:
            context["boundary"] = json.loads(obj.boundary)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(StrictNumbers, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "partnership_count"]
    list_editable = ["position"]
    list_filter = [InUseFilter]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(partnership_count=Count("partnerships"))
            .order_by(*ServiceCategory._meta.ordering)
        )

    @admin.display(description="partnerships", ordering="partnership_count")
    def partnership_count(self, category: ServiceCategory) -> int:
        return category.partnership_count


# --- Partnerships ----------------------------------------------------------------------


class PartOfPartnershipInline:
    """Members and savings are part of a partnership: whoever may add or change a
    partnership may edit them on its page, without separate permissions for them."""

    def _may(self, request, obj) -> bool:
        action = "add" if obj is None else "change"
        return request.user.has_perm(f"partnerships.{action}_partnership")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("partnerships.view_partnership") or self._may(request, obj)

    def has_add_permission(self, request, obj):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)


class CouncilMemberInline(StrictNumbers, PartOfPartnershipInline, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = PartnershipCouncil
    formset = CouncilMembersFormSet
    fields = ["council", "is_lead", "joined_year", "left_year"]
    autocomplete_fields = ["council"]
    extra = 0
    min_num = 0


class PublicBodyMemberInline(StrictNumbers, PartOfPartnershipInline, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = PartnershipPublicBody
    fields = ["public_body", "is_lead", "joined_year", "left_year"]
    autocomplete_fields = ["public_body"]
    extra = 0


class SavingsRecordInline(StrictNumbers, PartOfPartnershipInline, admin.TabularInline):
    template = TABULAR_DESCRIBED
    model = SavingsRecord
    formset = SavingsRecordsFormSet
    fields = [
        "kind",
        "start_year",
        "end_year",
        "amount",
        "per_year",
        "cashable",
        "recurrence",
        "origin",
        "origin_detail",
        "evidence",
        "reported_on",
        "source_url",
        "wording",
        "source",
        "note",
    ]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("wording", "source", "note"):
            field.widget.attrs.update(rows=2)
        return field


class MemberRegionFilter(admin.SimpleListFilter):
    title = "member council's region"
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(str(r.pk), r.name) for r in Region.objects.only("name")]

    def queryset(self, request, queryset):
        if self.value():
            members = PartnershipCouncil.objects.filter(council__region_id=self.value())
            return queryset.filter(pk__in=members.values("partnership_id"))
        return queryset


def _savings_total(kind: str):
    totals = (
        SavingsRecord.objects.filter(partnership=OuterRef("pk"), kind=kind)
        .order_by()
        .values("partnership")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(totals, output_field=DecimalField(max_digits=16, decimal_places=2))


def _member_count(model):
    counts = (
        model.objects.filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


@admin.register(Partnership)
class PartnershipAdmin(StrictNumbers, HistoryInWordsMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "status",
        "start_year",
        "member_count",
        "category_list",
        "achieved_total_column",
        "published",
        "updated_at",
    ]
    list_filter = ["published", "status", "categories", MemberRegionFilter, "no_savings_reason"]
    search_fields = [
        "name",
        "slug",
        "description",
        "council_memberships__council__short_name",
        "body_memberships__public_body__name",
    ]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = URL_FIELDS
    filter_horizontal = ["categories"]
    inlines = [CouncilMemberInline, PublicBodyMemberInline, SavingsRecordInline]
    actions = ["publish", "unpublish"]
    readonly_fields = [
        "achieved_total",
        "latest_achieved",
        "expected_total",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "published",
                    "categories",
                    "status",
                    ("start_year", "end_year"),
                    "description",
                    "website",
                ]
            },
        ),
        (
            "Sources and savings",
            {
                "fields": [
                    "source",
                    "reported_savings",
                    "no_savings_reason",
                    "no_savings_reason_other",
                ]
            },
        ),
        (
            "Savings totals",
            {
                "description": "Worked out from the savings records below; edit those.",
                "fields": ["achieved_total", "latest_achieved", "expected_total"],
            },
        ),
        (
            "Private contact (LGA staff only)",
            {
                "description": (
                    "Private: for the LGA's staff only. Never shown on the public site, "
                    "in the API or in downloads."
                ),
                "classes": ["private-contact"],
                "fields": ["contact_name", "contact_email", "contact_phone"],
            },
        ),
        ("Record", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # A published year's frozen copies are read through Map snapshots only.
            .filter(snapshot__isnull=True)
            .annotate(
                member_count=_member_count(PartnershipCouncil)
                + _member_count(PartnershipPublicBody),
                achieved_sum=_savings_total(SavingsKind.ACHIEVED),
            )
            .prefetch_related("categories")
        )

    def get_object(self, request, object_id, from_field=None):
        partnership = super().get_object(request, object_id, from_field)
        if partnership is not None:
            # The savings totals read the records; one query serves all three.
            prefetch_related_objects([partnership], "savings_records")
        return partnership

    # What other apps add to the page (partnerships.admin_extensions): read-only lines
    # in named fieldsets.

    def get_readonly_fields(self, request, obj=None):
        extra = [field.render for field in admin_extensions.PARTNERSHIP_FIELDS]
        return [*super().get_readonly_fields(request, obj), *extra]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        for field in admin_extensions.PARTNERSHIP_FIELDS:
            options = next((o for name, o in fieldsets if name == field.fieldset), None)
            if options is None:
                fieldsets.append((field.fieldset, {"fields": [field.render]}))
            else:
                options["fields"] = [*options["fields"], field.render]
        return fieldsets

    def save_model(self, request, obj, form, change):
        # Saving the page unchanged changes nothing, so the history gets no empty entry
        # (simple-history skips an instance carrying this attribute).
        if change and not form.has_changed():
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)

    @admin.display(description="members", ordering="member_count")
    def member_count(self, partnership: Partnership) -> int:
        return partnership.member_count

    @admin.display(description="services")
    def category_list(self, partnership: Partnership) -> str:
        names = ", ".join(c.name for c in partnership.categories.all())
        return Truncator(names).chars(60)

    @admin.display(description="achieved savings", ordering="achieved_sum")
    def achieved_total_column(self, partnership: Partnership) -> str:
        return money_pounds(partnership.achieved_sum, none=NONE)

    @admin.display(description="achieved savings, all years")
    def achieved_total(self, partnership: Partnership) -> str:
        return money_pounds(partnership.achieved_savings_total, none=NONE)

    @admin.display(description="latest achieved figure")
    def latest_achieved(self, partnership: Partnership) -> str:
        record = partnership.latest_achieved_record
        return (
            f"{money_pounds(record.amount, none=NONE)} in {record.period_label}" if record else NONE
        )

    @admin.display(description="expected savings, all years")
    def expected_total(self, partnership: Partnership) -> str:
        return money_pounds(partnership.expected_savings_total, none=NONE)

    # Bulk actions

    def _publish(self, request, queryset, *, published: bool) -> None:
        selected = queryset.count()
        changed = partnerships_publish(
            partnerships=queryset, published=published, user=request.user
        )
        verb = "published" if published else "unpublished"
        message = f"{changed} partnership{'s' if changed != 1 else ''} {verb}."
        if selected > changed:
            already = selected - changed
            message += f" {already} {'was' if already == 1 else 'were'} already {verb}."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Publish the selected partnerships", permissions=["change"])
    def publish(self, request, queryset):
        self._publish(request, queryset, published=True)

    @admin.action(description="Unpublish the selected partnerships", permissions=["change"])
    def unpublish(self, request, queryset):
        self._publish(request, queryset, published=False)

    # The CSV upload

    def get_urls(self):
        upload = path(
            "upload-csv/",
            self.admin_site.admin_view(self.upload_csv_view),
            name="partnerships_partnership_upload_csv",
        )
        return [upload, *super().get_urls()]

    def upload_csv_view(self, request: HttpRequest) -> HttpResponse:
        """Upload partnerships from a CSV in the known_partnerships.csv format in two
        steps: the file is read and what each row would do is shown (nothing saved), then
        staff confirm, choosing whether the new partnerships are published."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._upload_csv_confirm(request)
        if request.method != "POST":
            return self._upload_page(request, PartnershipCsvUploadForm())
        form = PartnershipCsvUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._upload_page(request, form)
        update_existing = form.cleaned_data["update_existing"]
        if update_existing and not self.has_change_permission(request):
            form.add_error(
                "update_existing",
                "You may add partnerships but not change them: leave this unticked.",
            )
            return self._upload_page(request, form)
        upload = {"text": form.cleaned_data["file"], "update_existing": update_existing}
        preview = self._upload_preview(upload)
        token = secrets.token_urlsafe(24)
        cache.set(
            _upload_key(request),
            {**upload, "token": token, "digest": preview.digest},
            UPLOAD_SECONDS,
        )
        return self._preview_page(
            request, preview, PartnershipCsvConfirmForm(initial={"token": token})
        )

    def _upload_preview(self, upload: dict):
        return partnerships_csv_preview(
            text=upload["text"],
            name_lookup_rows=name_lookup_rows(data_dir=settings.DATA_DIR),
            update_existing=upload["update_existing"],
        )

    def _upload_csv_confirm(self, request: HttpRequest) -> HttpResponse:
        """The confirming POST: the upload is read again from where it waits (never from
        the page) and checked again; it is loaded only if it would still do what the
        preview said."""
        form = PartnershipCsvConfirmForm(request.POST)
        # The token is read only once it has the shape of one.
        token = request.POST.get("token", "")
        token = token if re.fullmatch(UPLOAD_TOKEN, token) else ""
        key = _upload_key(request)
        upload = cache.get(key) if token else None
        if upload is not None and not secrets.compare_digest(upload["token"], token):
            upload = None  # an older preview, replaced by a later upload
        if upload is None:
            return self._upload_page(
                request,
                PartnershipCsvUploadForm(),
                problem="This preview has expired, a later upload has replaced it, or its file "
                "was already loaded, so nothing was saved. Upload the file again to see what "
                "it would do.",
                status=400,
            )
        if upload["update_existing"] and not self.has_change_permission(request):
            raise PermissionDenied
        preview = self._upload_preview(upload)
        # The choice is about new partnerships: a file that creates none needs none.
        form.fields["publish"].required = bool(preview.count("create"))
        if not form.is_valid():
            return self._preview_page(request, preview, form, status=400)
        if preview.digest != upload["digest"]:
            cache.set(key, {**upload, "digest": preview.digest}, UPLOAD_SECONDS)
            return self._preview_page(request, preview, form, changed=True)
        report = partnerships_load_csv(
            text=upload["text"],
            name_lookup_rows=name_lookup_rows(data_dir=settings.DATA_DIR),
            update_existing=upload["update_existing"],
            publish_new=form.cleaned_data["publish"] == PublishChoice.NOW,
        )
        cache.delete(key)
        return self._upload_page(
            request,
            PartnershipCsvUploadForm(initial={"update_existing": upload["update_existing"]}),
            report=report,
            published=form.cleaned_data["publish"] == PublishChoice.NOW
            if preview.count("create")
            else None,
        )

    def _upload_context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "upload_url": reverse("admin:partnerships_partnership_upload_csv"),
        }

    def _upload_page(self, request, form, *, report=None, published=None, problem="", status=200):
        context = {
            **self._upload_context(request, "Upload partnerships from a CSV file"),
            "form": form,
            "report": report,
            "published": published,
            "problem": problem,
            "counts": _report_counts(report) if report else [],
        }
        return TemplateResponse(
            request, "admin/partnerships/partnership/upload_csv.html", context, status=status
        )

    def _preview_page(self, request, preview, form, *, changed=False, status=200):
        context = {
            **self._upload_context(request, "Check what the CSV file would do"),
            "preview": preview,
            "counts": preview.counts,
            "loading": [plan for plan in preview.plans if plan.action != "refused"],
            "form": form,
            "changed": changed,
        }
        return TemplateResponse(
            request,
            "admin/partnerships/partnership/upload_csv_preview.html",
            context,
            status=status,
        )


def _report_counts(report) -> list[tuple[str, int, int, int]]:
    """(kind, created, updated, unchanged) for each kind of row the load touched,
    partnerships first."""
    kinds = set(report.created) | set(report.updated) | set(report.unchanged) | {"partnerships"}
    ordered = sorted(kinds, key=lambda kind: (kind != "partnerships", kind))
    return [
        (kind, report.created[kind], report.updated[kind], report.unchanged[kind])
        for kind in ordered
    ]


def _upload_key(request: HttpRequest) -> str:
    """Where an upload waits for its confirmation: the cache, one upload for each member
    of staff (a new upload replaces the last, so the cache holds at most one file of at
    most CSV_MAX_BYTES each), with the random token its preview page carries."""
    return f"partnerships:csv-upload:{request.user.pk}"


@admin.register(SavingsRecord)
class SavingsRecordAdmin(StrictNumbers, HistoryInWordsMixin, SimpleHistoryAdmin):
    list_display = [
        "partnership",
        "period",
        "kind",
        "amount_column",
        "origin",
        "evidence",
        "cashable",
        "recurrence",
    ]
    list_filter = ["kind", "origin", "evidence", "recurrence", "cashable", "start_year"]
    list_select_related = ["partnership"]
    search_fields = ["partnership__name", "wording", "note"]
    autocomplete_fields = ["partnership"]

    @admin.display(description="financial years", ordering="start_year")
    def period(self, record: SavingsRecord) -> str:
        return record.period_label

    @admin.display(description="amount", ordering="amount")
    def amount_column(self, record: SavingsRecord) -> str:
        return money_pounds(record.amount, none=NONE)


@admin.register(DataLoad)
class DataLoadAdmin(ReadOnly, admin.ModelAdmin):
    """A log of the reference-data loads; written only by the loading service."""

    list_display = ["__str__", "started_at", "finished_at", "short_fingerprint"]
    list_filter = ["started_at", "finished_at"]
    search_fields = ["fingerprint", "summary"]
    fields = ["started_at", "finished_at", "fingerprint", "summary"]
    readonly_fields = fields

    @admin.display(description="fingerprint")
    def short_fingerprint(self, load: DataLoad) -> str:
        return load.fingerprint[:12]
