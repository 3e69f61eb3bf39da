"""The public pages: partnerships, councils and where the data comes from.

Server-rendered and complete without JavaScript; the map on a partnership's page is an
extra drawn by static/js/map.js.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from partnerships import selectors
from partnerships.forms import CouncilFilterForm, PartnershipFilterForm


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Breadcrumbs from the home page (the map); the last one is the page itself."""
    return [("Home", reverse("partnerships:map")), *trail]


def _valid(form, name: str):
    """A filter's cleaned value, or None when it was not given or was not valid (the
    form shows why); the valid filters still apply."""
    if not form.is_bound:
        return None
    form.is_valid()
    return form.cleaned_data.get(name) if name not in form.errors else None


def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    category = _valid(form, "category")
    region = _valid(form, "region")
    council_gss_code = _valid(form, "council")
    sort = _valid(form, "sort") or "name"
    partnerships = selectors.partnership_list(
        category_slug=category.slug if category else None,
        region=region,
        council_gss_code=council_gss_code,
        sort=sort,
    )
    applied = [
        (label, value)
        for label, value in (
            ("Service", category and category.name),
            ("Region", region and region.name),
            ("Council", council_gss_code and form.council_names.get(council_gss_code)),
        )
        if value
    ]
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "form": form,
            "partnerships": list(partnerships),
            "applied_filters": applied,
            "sort": sort,
            "breadcrumbs": _crumbs(("Partnerships", None)),
        },
    )


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get_published(slug=slug)
    if partnership is None:
        raise Http404("There is no published partnership at this address.")
    memberships = partnership.council_memberships.all()
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "highlight_codes": ",".join(m.council.gss_code for m in memberships),
            "breadcrumbs": _crumbs(
                ("Partnerships", reverse("partnerships:partnership-list")),
                (partnership.name, None),
            ),
        },
    )


def council_list(request: HttpRequest) -> HttpResponse:
    form = CouncilFilterForm(request.GET or None)
    region = _valid(form, "region")
    council_type = _valid(form, "type")
    councils = list(selectors.council_list(region=region, council_type=council_type))
    applied = [
        (label, value)
        for label, value in (
            ("Region", region and region.name),
            ("Type", council_type and dict(form.fields["type"].choices).get(council_type)),
        )
        if value
    ]
    return render(
        request,
        "partnerships/council_list.html",
        {
            "form": form,
            "councils": councils,
            "applied_filters": applied,
            "breadcrumbs": _crumbs(("Councils", None)),
        },
    )


def council_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = selectors.council_get(gss_code=gss_code.strip().upper())
    if council is None:
        raise Http404("There is no council with this GSS code.")
    if gss_code != council.gss_code:
        return redirect(council, permanent=True)
    for partnership in council.published_partnerships:
        memberships = partnership.council_memberships.all()
        partnership.partner_memberships = [m for m in memberships if m.council_id != council.pk]
        partnership.led_by_this_council = any(
            m.is_lead for m in memberships if m.council_id == council.pk
        )
    return render(
        request,
        "partnerships/council_detail.html",
        {
            "council": council,
            "partnerships": council.published_partnerships,
            "breadcrumbs": _crumbs(
                ("Councils", reverse("partnerships:council-list")),
                (council.short_name, None),
            ),
        },
    )


def about_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/about_data.html",
        {
            "summary": selectors.reference_data_summary(),
            "breadcrumbs": _crumbs(("About the data", None)),
        },
    )
