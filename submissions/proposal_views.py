"""The public "tell us about a shared service" pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.forms import error_links
from core.ratelimit import allowance_refused, allowance_return, client_address
from submissions.proposal_forms import ProposalForm
from submissions.services.proposal import (
    RATE_LIMIT,
    RATE_SCOPE,
    proposal_submit,
)


@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    """Anyone from a council proposes a new shared service; staff review it."""
    status = 200
    form = ProposalForm(request.POST or None)
    if request.method == "POST":
        if form.is_robot:
            return redirect("submissions:proposal-thanks")  # thanked, and nothing kept
        if not form.is_valid():
            status = 400
        elif allowance_refused(
            request,
            form,
            scope=RATE_SCOPE,
            limit=RATE_LIMIT,
            message=f"We have received {RATE_LIMIT} proposals from your connection in the last "
            "hour, which is as many as we accept. Your text is kept below: please send it "
            "again later, or email it to us.",
        ):
            status = 429
        else:
            data = form.cleaned_data
            try:
                proposal_submit(
                    council=data["council"],
                    name=data["name"],
                    email=data["email"],
                    partnership_name=data["partnership_name"],
                    description=data["description"],
                    councils=list(data["councils"]),
                    public_bodies=list(data["public_bodies"]),
                    other_partners=form.partner_lines(),
                    categories=list(data["categories"]),
                    start_year=data["start_year"],
                    site_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except Exception:
                allowance_return(scope=RATE_SCOPE, address=client_address(request))
                raise
            request.session["proposal_sent_to"] = data["email"]
            return redirect("submissions:proposal-thanks")
    context = {"form": form, "errors": error_links(form) if form.is_bound else []}
    return render(request, "submissions/proposal_form.html", context, status=status)


@require_http_methods(["GET"])
def proposal_thanks(request: HttpRequest) -> HttpResponse:
    """The receipt page after a proposal is sent."""
    sent_to = request.session.pop("proposal_sent_to", "")
    context = {"sent_to": sent_to, "form_url": reverse("submissions:proposal-new")}
    return render(request, "submissions/proposal_thanks.html", context)
