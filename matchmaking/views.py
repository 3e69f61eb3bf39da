"""Public pages of match-making and the Expert Programme.

Server-rendered and complete without JavaScript. Requests and applications are reached
only through the secret link emailed to the person who made them: a wrong or missing
token is a 404, never a hint that something exists. No page shows a requester's name or
email, not even their own.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.forms import errors_onto
from core.ratelimit import allowance_refused, allowance_return, client_address
from core.secret_links import secret_page
from matchmaking import selectors, services
from matchmaking.forms import (
    ExpertApplicationForm,
    MatchRequestForm,
    OutcomeReportForm,
)
from matchmaking.models import ExpertApplication, MatchRequest

# Each address may send this many forms an hour, counted by core.ratelimit (each sends an
# email, so the limit also stops the forms being used to mail strangers). Forms sent back
# with errors do not count: a person correcting slips is never locked out.
RATE_LIMIT = 10
TOO_MANY = (
    "Too many forms sent from your connection in the last hour. Everything you typed is "
    "kept below: please send it again later, or email the LGA's shared services team."
)


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("partnerships:map")), *trail]


def _allowance_refused(request: HttpRequest, form, scope: str) -> bool:
    return allowance_refused(request, form, scope=scope, limit=RATE_LIMIT, message=TOO_MANY)


def _form_post(request: HttpRequest, form, *, scope: str, act, done: str) -> HttpResponse | int:
    """A public form's POST. A robot is thanked (sent to `done`) and nothing is made,
    counted or sent (core.honeypot); a valid form within the address's allowance `scope`
    is `act(cleaned_data)` (one service call) and goes to `done`, its refusal put on the
    form and the allowance given back. Otherwise the status to show the form again with:
    429 when the allowance refused it, else 400."""
    if form.is_robot:
        return redirect(done)
    refused = False
    if form.is_valid() and not (refused := _allowance_refused(request, form, scope)):
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            allowance_return(scope=scope, address=client_address(request))
            errors_onto(form, error)
        else:
            return redirect(done)
    return 429 if refused else 400


def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "matchmaking/start.html",
        {"breadcrumbs": _crumbs(("Match-making", None))},
    )


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = MatchRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _form_post(
            request,
            form,
            scope="matchmaking-request",
            act=lambda data: services.match_request_create(
                council=data["council"],
                requester_name=data["requester_name"],
                requester_role=data["requester_role"],
                requester_email=data["requester_email"],
                categories=data["categories"],
                reach=data["reach"],
                council_types=data["council_types"],
                description=data["description"],
                funding_wanted=data["funding_wanted"],
                expert_days_requested=data["expert_days_requested"],
                mediation_requested=data["mediation_requested"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("matchmaking:request-page", args=[token])
                ),
            ),
            done="matchmaking:request-sent",
        )
        if isinstance(status, HttpResponse):
            return status
    return render(
        request,
        "matchmaking/request_form.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(
                ("Match-making", reverse("matchmaking:start")), ("Ask for a match", None)
            ),
        },
        status=status,
    )


def request_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "matchmaking/sent.html",
        {
            "what": "request",
            "breadcrumbs": _crumbs(
                ("Match-making", reverse("matchmaking:start")), ("Check your email", None)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def request_page(request: HttpRequest, token: str) -> HttpResponse:
    match_request = selectors.match_request_get_by_token(token=token)
    if match_request is None:
        raise Http404("There is no request at this address.")
    if request.method == "POST":
        if match_request.status == MatchRequest.Status.NEW:
            services.match_request_confirm(match_request=match_request)
        return redirect("matchmaking:request-page", token=token)
    response = render(
        request,
        "matchmaking/request_page.html",
        {
            "match_request": match_request,
            "breadcrumbs": _crumbs(
                ("Match-making", reverse("matchmaking:start")),
                (f"Request {match_request.reference}", None),
            ),
        },
    )
    return secret_page(response)


def programme_start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "matchmaking/programme_start.html",
        {
            "breadcrumbs": _crumbs(
                ("Match-making", reverse("matchmaking:start")), ("Expert Programme", None)
            )
        },
    )


@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    if "partnership" in request.GET:
        initial["partnership"] = request.GET["partnership"]
    form = ExpertApplicationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = _form_post(
            request,
            form,
            scope="matchmaking-application",
            act=lambda data: services.application_create(
                partnership=data["partnership"],
                council=data["council"],
                applicant_name=data["applicant_name"],
                applicant_role=data["applicant_role"],
                applicant_email=data["applicant_email"],
                improvement=data["improvement"],
                expertise_needed=data["expertise_needed"],
                funding_requested=data["funding_requested"],
                outcomes_expected=data["outcomes_expected"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("matchmaking:application-page", args=[token])
                ),
            ),
            done="matchmaking:application-sent",
        )
        if isinstance(status, HttpResponse):
            return status
    return render(
        request,
        "matchmaking/application_form.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(
                ("Match-making", reverse("matchmaking:start")),
                ("Expert Programme", reverse("matchmaking:programme")),
                ("Apply", None),
            ),
        },
        status=status,
    )


def application_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "matchmaking/sent.html",
        {
            "what": "application",
            "breadcrumbs": _crumbs(
                ("Match-making", reverse("matchmaking:start")),
                ("Expert Programme", reverse("matchmaking:programme")),
                ("Check your email", None),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def application_page(request: HttpRequest, token: str) -> HttpResponse:
    application = selectors.application_get_by_token(token=token)
    if application is None:
        raise Http404("There is no application at this address.")
    Status = ExpertApplication.Status
    form = None
    if application.status in (Status.WORK_COMPLETE, Status.OUTCOMES_REPORTED):
        form = OutcomeReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            if application.status == Status.NEW:
                services.application_confirm(application=application)
            return redirect("matchmaking:application-page", token=token)
        if form is None:
            return redirect("matchmaking:application-page", token=token)
        status = _form_post(
            request,
            form,
            scope="matchmaking-outcomes",
            act=lambda data: services.outcome_report(
                application=application,
                service_improvements=data["service_improvements"],
                savings_amount=data["savings_amount"],
                savings_year=data["savings_year"],
                savings_kind=data["savings_kind"],
                savings_cashable=data["savings_cashable"],
                savings_recurrence=data["savings_recurrence"] or "unknown",
            ),
            done=reverse("matchmaking:application-page", args=[token]) + "#outcomes",
        )
        if isinstance(status, HttpResponse):
            return status
    response = render(
        request,
        "matchmaking/application_page.html",
        {
            "application": application,
            "form": form,
            "breadcrumbs": _crumbs(
                ("Match-making", reverse("matchmaking:start")),
                ("Expert Programme", reverse("matchmaking:programme")),
                (f"Application {application.reference}", None),
            ),
        },
        status=status,
    )
    return secret_page(response)
