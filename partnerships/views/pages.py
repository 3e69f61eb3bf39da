"""The public pages: partnerships, councils and where the data comes from.

Server-rendered and complete without JavaScript; the map on a partnership's page is an
extra drawn by static/js/map/ (partnership-map.js).
"""

import json
from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from partnerships import map_layers, selectors, timeline
from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership
from partnerships.views.map import view_links


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Breadcrumbs from the home page (the map); the last one is the page itself."""
    return [("Home", reverse("partnerships:map")), *trail]


def partnership_list(request: HttpRequest) -> HttpResponse:
    """The filtered partnerships as a table: the same set the map counts, in words."""
    filterset = PartnershipFilter.for_page(request.GET)
    query = filterset.query_string()
    partnerships = selectors.partnership_list(partnerships=filterset.qs)
    sort = filterset.cleaned("sort") or "name"
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "form": filterset.form,
            "partnerships": list(partnerships),
            "applied_filters": filterset.applied(),
            "sort": sort,
            "links": view_links(query),
            "filter_query": query,
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
    """The councils of the period's generation, each with how many of the filtered
    partnerships it counts: the map's shading in words. With any filter set, only the
    councils counting at least one of them."""
    filterset = PartnershipFilter.for_page(request.GET)
    query = filterset.query_string()
    narrowed = any(name != "sort" for name, _value in filterset.applied()) or bool(
        filterset.is_bound and filterset.form.errors
    )
    councils = selectors.council_list(
        partnerships=filterset.qs, period=filterset.period, narrowed=narrowed
    )
    return render(
        request,
        "partnerships/council_list.html",
        {
            "form": filterset.form,
            "councils": councils,
            "period": filterset.period,
            "applied_filters": filterset.applied(),
            "links": view_links(query),
            "filter_query": query,
            "breadcrumbs": _crumbs(("Councils", None)),
        },
    )


def council_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = selectors.council_get(gss_code=gss_code.strip().upper())
    if council is None:
        raise Http404("There is no council with this GSS code.")
    if gss_code != council.gss_code:
        return redirect(council, permanent=True)
    # The page shows no filter form: the filters, the year above all, only choose
    # which of its partnerships it lists.
    filterset = PartnershipFilter(request.GET or None)
    period = filterset.period
    if not council.current and period.is_now:
        # A former council counts nothing now: its page lists what it belonged to in
        # the last year it existed.
        if council.end_date:
            last_day = council.end_date - timedelta(days=1)
            period = timeline.period_for(
                max(timeline.FIRST_YEAR, timeline.current_financial_year(last_day))
            )
        partnerships = timeline.partnerships_running(
            Partnership.objects.filter(published=True), period
        )
    else:
        partnerships = filterset.qs
    rows = map_layers.council_partnerships(
        council=council, partnerships=partnerships, period=period
    )
    for partnership in rows:
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
            "boundary": json.loads(council.latest_boundary) if council.latest_boundary else None,
            "partnerships": rows,
            "period": period,
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
