"""The benefits tracker's pages.

The start page is public. A tracker's own pages are private: reached only with its
secure link, never cached, never indexed; a wrong or revoked link is a plain 404.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from benefits import exports, forms, selectors, services
from benefits.calculations import SAVING_GROUPS, SAVING_KIND_LABELS
from benefits.models import RATING_LABELS, Tracker
from core import secret_links
from core.exports import CONTENT_TYPES
from core.forms import error_links, errors_onto
from core.parsing import ParseError, bad_request, parse_int, parse_year
from core.ratelimit import allowance_refused
from partnerships.charts import bar_chart_svg
from partnerships.models import Council, financial_year_label
from partnerships.rules import SAVINGS_YEARS

SESSION_NEW_LINK = "benefits-new-link"
# Trackers one address may start an hour (core.ratelimit): each one emails the address
# typed, so the limit also stops the form being used to mail strangers.
START_LIMIT = 5
START_SCOPE = "benefits-start"


def _crumbs(*trail):
    return [("Home", reverse("partnerships:map")), *trail]


def _tracker_or_404(token: str) -> Tracker:
    tracker = selectors.tracker_for_token(token=token)
    if tracker is None:
        raise Http404("There is no tracker at this address.")
    return tracker


def _link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("benefits:tracker-results", args=[token]))


@require_http_methods(["GET", "POST"])
def tracker_start(request: HttpRequest) -> HttpResponse:
    """What the tracker is, and the form to start one."""
    form = forms.TrackerStartForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_robot:
        # Thanked as if it had worked (core.honeypot): nothing is made, counted or sent.
        return redirect("benefits:tracker-created")
    if (
        request.method == "POST"
        and form.is_valid()
        and allowance_refused(
            request,
            form,
            scope=START_SCOPE,
            limit=START_LIMIT,
            message=f"We have started {START_LIMIT} trackers from your connection in the last "
            "hour, which is as many as we start. Please send the form again later.",
        )
    ):
        status = 429
    if request.method == "POST" and form.is_valid():  # (not after the refusal just added)
        data = form.cleaned_data
        planned = data["for_what"] == form.PLANNED
        councils = (
            list(Council.objects.filter(pk__in=data["councils"]).order_by("short_name"))
            if planned
            else []
        )
        tracker, token = services.tracker_create(
            partnership=None if planned else data["partnership"],
            name=data["name"].strip(),
            category=data["category"] if planned else None,
            councils=councils,
            first_year=data["first_year"],
            first_year_months=data["first_year_months"],
            creator_name=data["creator_name"],
            creator_email=data["creator_email"],
        )
        services.tracker_link_email(tracker=tracker, link_for=lambda t: _link(request, t))
        # Shown once, on the next page, and then forgotten. The session names the tracker,
        # not its token, which the next page rebuilds (core.secret_links).
        request.session[SESSION_NEW_LINK] = tracker.pk
        return redirect("benefits:tracker-created")
    return render(
        request,
        "benefits/start.html",
        {
            "form": form,
            "errors": error_links(form),
            "breadcrumbs": _crumbs(("Benefits tracker", None)),
        },
        status=status,
    )


def tracker_created(request: HttpRequest) -> HttpResponse:
    """The new tracker's secure link, shown this once."""
    tracker_id = request.session.pop(SESSION_NEW_LINK, None)
    tracker = Tracker.objects.filter(pk=tracker_id).first() if isinstance(tracker_id, int) else None
    token = tracker and secret_links.token_rebuild(
        purpose=Tracker.SECRET_LINK_PURPOSE, salt=tracker.token_salt, digest=tracker.token_digest
    )
    if not token:
        tracker = None
    response = render(
        request,
        "benefits/created.html",
        {
            "tracker": tracker,
            "link": _link(request, token) if tracker else "",
            "figures_url": reverse("benefits:tracker-figures", args=[token]) if tracker else "",
            "breadcrumbs": _crumbs(
                ("Benefits tracker", reverse("benefits:start")), ("Your tracker's link", None)
            ),
        },
    )
    return secret_links.secret_page(response)


@dataclass
class FigureForms:
    details: forms.TrackerDetailsForm
    partners: forms.BasePartnerFormSet
    costs: forms.BaseRowFormSet
    years: forms.BaseYearFormSet
    ratings: forms.RatingFormSet

    def all_valid(self) -> bool:
        details_ok = self.details.is_valid()
        if details_ok:
            self.partners.share_method = self.details.cleaned_data["share_method"]
            self.years.first_year = self.details.cleaned_data["first_year"]
        results = [
            self.partners.is_valid(),
            self.costs.is_valid(),
            self.years.is_valid(),
            self.ratings.is_valid(),
        ]
        return details_ok and all(results)

    def error_list(self) -> list[tuple[str, str]]:
        groups = [self.details]
        groups += [(f"{getattr(f, 'partner_name', '')}: ", f) for f in self.partners]
        groups += [(f"Set-up cost {i + 1}, ", f) for i, f in enumerate(self.costs)]
        groups += [(f"Year row {i + 1}, ", f) for i, f in enumerate(self.years)]
        groups += [(f"{f.aspect_label()}: ", f) for f in self.ratings]
        found = error_links(*groups)
        for formset, anchor in (
            (self.partners, "partners"),
            (self.costs, "setup-costs"),
            (self.years, "years"),
            (self.ratings, "other-benefits"),
        ):
            found += [(anchor, str(error)) for error in formset.non_form_errors()]
        return found


def _initial(tracker: Tracker):
    partners = [
        {
            "partner_id": p.pk,
            "name": p.name,
            "baseline_cost": p.baseline_cost,
            "baseline_fte": p.baseline_fte,
            "agreed_share": p.agreed_share,
        }
        for p in tracker.partners.all()
    ]
    costs = [
        {"kind": c.kind, "year": c.year, "amount": c.amount, "description": c.description}
        for c in tracker.setup_costs.all()
    ]
    years = [
        {
            "year": y.year,
            **{k: getattr(y, k) for k in (*forms.SAVING_FIELDS, "running_costs")},
            "achieved": "achieved" if y.achieved else "expected",
        }
        for y in tracker.years.all()
    ]
    ratings = {r.aspect: r for r in tracker.ratings.all()}
    rating_rows = [
        {
            "aspect": aspect,
            "rating": ratings[aspect].rating if aspect in ratings else None,
            "notes": ratings[aspect].notes if aspect in ratings else "",
        }
        for aspect, _label in forms.BenefitAspect.choices
    ]
    return partners, costs, years, rating_rows


def _next_year(tracker: Tracker, data=None) -> int:
    years = [y.year for y in tracker.years.all()]
    if data is not None:
        for key, value in data.items():
            if key.startswith("years-") and key.endswith("-year"):
                try:
                    years.append(
                        parse_year(
                            value, min_year=SAVINGS_YEARS.earliest, max_year=SAVINGS_YEARS.latest
                        )
                    )
                except ParseError:
                    pass  # the row's own field says what is wrong with it
    return max(years) + 1 if years else tracker.first_year


def _figure_forms(tracker: Tracker, data=None) -> FigureForms:
    partners, costs, years, ratings = _initial(tracker)
    year_formset = forms.YearFormSet(data, initial=years, prefix="years")
    year_formset.suggested_year = _next_year(tracker, data)
    details = forms.TrackerDetailsForm(
        data,
        initial={
            "first_year": tracker.first_year,
            "first_year_months": tracker.first_year_months,
            "share_method": tracker.share_method,
        },
    )
    partner_formset = forms.PartnerFormSet(data, initial=partners, prefix="partners")
    # The partner's name is shown from the saved row, not from what was posted.
    names = {p["partner_id"]: p["name"] for p in partners}
    for form in partner_formset:
        try:
            pid = parse_int(str(form["partner_id"].value()), what="the partner")
        except ParseError:
            pid = None  # refused beside the row when the form is checked
        form.partner_name = names.get(pid, "")
    return FigureForms(
        details=details,
        partners=partner_formset,
        costs=forms.SetupCostFormSet(data, initial=costs, prefix="costs"),
        years=year_formset,
        ratings=forms.RatingFormSet(data, initial=ratings, prefix="ratings"),
    )


EXTRA_ROW_LIMITS = {"years": forms.MAX_YEARS, "costs": forms.MAX_SETUP_COSTS}


def _with_extra_row(data, prefix: str, extra: dict | None = None):
    """The posted data with one more (empty) row in a formset, everything typed kept."""
    data = data.copy()
    # ParseError, for the 400 page, if the page sent a count of rows that is not one.
    total = parse_int(
        str(data.get(f"{prefix}-TOTAL_FORMS", "0")),
        what="the number of rows the page sent",
        max_value=EXTRA_ROW_LIMITS[prefix] - 1,
    )
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    for name, value in (extra or {}).items():
        data[f"{prefix}-{total}-{name}"] = value
    return data


def _focus_last_row(formset, field: str) -> None:
    """Put the cursor in the new row, without JavaScript."""
    formset.forms[-1].fields[field].widget.attrs["autofocus"] = True


def _quiet(figure_forms: FigureForms) -> None:
    """Adding a row is not saving: show what was typed without judging it yet."""
    figure_forms.details._errors = ErrorDict()
    for formset in (
        figure_forms.partners,
        figure_forms.costs,
        figure_forms.years,
        figure_forms.ratings,
    ):
        for form in formset:
            form._errors = ErrorDict()


@require_http_methods(["GET", "POST"])
def tracker_figures(request: HttpRequest, token: str) -> HttpResponse:
    """Enter or change the figures: baseline, set-up costs, years, other benefits.
    "Add another" buttons add a row without JavaScript and without losing anything."""
    tracker = _tracker_or_404(token)
    show_errors = False
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "add-year":
            try:
                data = _with_extra_row(
                    request.POST,
                    "years",
                    {"year": str(_next_year(tracker, request.POST)), "achieved": "expected"},
                )
            except ParseError as error:
                return bad_request(request, f"No year row was added: {error}")
            figure_forms = _figure_forms(tracker, data)
            _quiet(figure_forms)
            _focus_last_row(figure_forms.years, "year")
        elif action == "add-cost":
            try:
                data = _with_extra_row(request.POST, "costs")
            except ParseError as error:
                return bad_request(request, f"No set-up cost row was added: {error}")
            figure_forms = _figure_forms(tracker, data)
            _quiet(figure_forms)
            _focus_last_row(figure_forms.costs, "kind")
        else:
            figure_forms = _figure_forms(tracker, request.POST)
            show_errors = True
            if figure_forms.all_valid():
                try:
                    _save(tracker, figure_forms)
                except ValidationError as error:
                    errors_onto(figure_forms.details, error)
                else:
                    messages.success(request, "Your figures are saved.")
                    return secret_links.secret_page(
                        redirect("benefits:tracker-results", token=token)
                    )
    else:
        figure_forms = _figure_forms(tracker)
    response = render(
        request,
        "benefits/figures.html",
        {
            "tracker": tracker,
            "token": token,
            "f": figure_forms,
            "show_errors": show_errors,
            "errors": figure_forms.error_list() if show_errors else [],
            "saving_fields": forms.SAVING_FIELDS,
            "breadcrumbs": _crumbs(
                ("Benefits tracker", reverse("benefits:start")),
                (tracker.name, reverse("benefits:tracker-results", args=[token])),
                ("Figures", None),
            ),
        },
    )
    return secret_links.secret_page(response)


def _save(tracker: Tracker, f: FigureForms) -> None:
    details = f.details.cleaned_data
    zero = Decimal("0")
    services.tracker_figures_update(
        tracker=tracker,
        first_year=details["first_year"],
        first_year_months=details["first_year_months"],
        share_method=details["share_method"],
        partners=[
            services.PartnerFigures(
                partner_id=form.cleaned_data["partner_id"],
                baseline_cost=form.cleaned_data["baseline_cost"] or zero,
                baseline_fte=form.cleaned_data["baseline_fte"] or zero,
                agreed_share=form.cleaned_data["agreed_share"],
            )
            for form in f.partners
        ],
        setup_costs=[
            services.SetupCostFigures(
                kind=row["kind"],
                year=row["year"],
                amount=row["amount"],
                description=row["description"],
            )
            for row in f.costs.rows()
        ],
        years=[
            services.YearFigures(
                year=row["year"],
                **{k: row[k] or zero for k in (*forms.SAVING_FIELDS, "running_costs")},
                achieved=row["achieved"] == "achieved",
            )
            for row in f.years.rows()
        ],
        ratings=[
            services.RatingFigures(
                aspect=form.cleaned_data["aspect"],
                rating=form.cleaned_data["rating"],
                notes=form.cleaned_data["notes"],
            )
            for form in f.ratings
        ],
    )


@dataclass
class ChartRow:
    label: str
    amount: Decimal


def tracker_results(request: HttpRequest, token: str) -> HttpResponse:
    """Savings, costs, net, payback, return and shares, with charts and their tables,
    and how they compare with the map."""
    tracker = _tracker_or_404(token)
    results = services.tracker_results(tracker=tracker)
    comparison = selectors.tracker_comparison(tracker=tracker, results=results)
    charts = {}
    if results.years:
        charts["net"] = bar_chart_svg(
            rows=results.years,
            value=lambda r: r.net,
            description="Net savings each financial year",
            is_money=True,
            horizontal=False,
        )
        charts["cumulative"] = bar_chart_svg(
            rows=results.years,
            value=lambda r: r.cumulative_net,
            description="Cumulative net savings at the end of each financial year",
            is_money=True,
            horizontal=False,
        )
        charts["groups"] = bar_chart_svg(
            rows=[ChartRow(label=label, amount=amount) for _k, label, amount in results.groups],
            value=lambda r: r.amount,
            description="Gross savings by kind of benefit",
            is_money=True,
        )
    proposals = list(tracker.proposals.all())
    response = render(
        request,
        "benefits/results.html",
        {
            "tracker": tracker,
            "token": token,
            "results": results,
            "comparison": comparison,
            "charts": charts,
            "kind_labels": SAVING_KIND_LABELS,
            "group_kinds": {
                key: ", ".join(SAVING_KIND_LABELS[k] for k in kinds)
                for key, _label, kinds in SAVING_GROUPS
            },
            "ratings": [(r, RATING_LABELS.get(r.rating)) for r in tracker.ratings.all()],
            "proposals": proposals,
            "can_submit": bool(tracker.partnership and tracker.partnership.published),
            "has_achieved": any(y.achieved for y in tracker.years.all()),
            "breadcrumbs": _crumbs(
                ("Benefits tracker", reverse("benefits:start")), (tracker.name, None)
            ),
        },
    )
    return secret_links.secret_page(response)


def _file_name(tracker: Tracker, extension: str) -> str:
    return f"benefits-{slugify(tracker.name)[:60] or 'tracker'}.{extension}"


def _attachment(content, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return secret_links.secret_page(response)


def tracker_csv(request: HttpRequest, token: str) -> HttpResponse:
    tracker = _tracker_or_404(token)
    results = services.tracker_results(tracker=tracker)
    return _attachment(
        exports.csv_export(tracker=tracker, results=results),
        content_type=CONTENT_TYPES["csv"],
        name=_file_name(tracker, "csv"),
    )


def tracker_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    tracker = _tracker_or_404(token)
    results = services.tracker_results(tracker=tracker)
    comparison = selectors.tracker_comparison(tracker=tracker, results=results)
    return _attachment(
        exports.xlsx_export(tracker=tracker, results=results, comparison=comparison),
        content_type=CONTENT_TYPES["xlsx"],
        name=_file_name(tracker, "xlsx"),
    )


@require_POST
def tracker_submit(request: HttpRequest, token: str) -> HttpResponse:
    """Send the achieved figures to the LGA's staff for the map."""
    tracker = _tracker_or_404(token)
    try:
        created = services.tracker_submit(tracker=tracker)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            years = ", ".join(financial_year_label(p.year) for p in created)
            messages.success(
                request,
                f"Sent to the LGA's staff for review: achieved savings for {years}. "
                "They appear on the map once accepted.",
            )
        else:
            messages.info(request, "These figures were sent already; nothing new was sent.")
    return secret_links.secret_page(
        redirect(reverse("benefits:tracker-results", args=[token]) + "#submit")
    )
