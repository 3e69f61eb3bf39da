"""The public pages: partnerships, councils and where the data comes from.

Server-rendered and complete without JavaScript; the map on a partnership's page is an
extra drawn by static/js/map/ (partnership-map.js).
"""

import json
from datetime import timedelta

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from core.forms import error_links
from core.parsing import ParseError, bad_request, parse_int
from partnerships import map_layers, selectors, timeline
from partnerships.filters import SORT_CHOICES, PartnershipFilter
from partnerships.forms import COUNCIL_ORDERS, CouncilListForm
from partnerships.models import Partnership
from partnerships.views.map import view_links
from sharedmap.http import stored_page


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Breadcrumbs from the home page (the map); the last one is the page itself."""
    return [("Home", reverse("partnerships:map")), *trail]


# Rows on a page of the partnership list: a page costs the same however many there are.
PARTNERSHIP_LIST_PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    """`?page=` as a whole number from 1 (1 when absent); ParseError otherwise."""
    text = request.GET.get("page", "")
    if text == "":
        return 1
    return parse_int(text, what="The page number", min_value=1, max_value=100_000)


@stored_page
def partnership_list(request: HttpRequest) -> HttpResponse:
    """The filtered partnerships as a table, a page at a time: the same set the map
    counts, in words."""
    filterset = PartnershipFilter.for_page(request.GET)
    query = filterset.query_string()
    paginator = Paginator(
        selectors.partnership_list(partnerships=filterset.qs), PARTNERSHIP_LIST_PAGE_SIZE
    )
    try:
        number = _page_number(request)
    except ParseError as error:
        return bad_request(request, f"The list could not be shown. {error}")
    if number > paginator.num_pages:
        return bad_request(
            request,
            f"There is no page {number} of this list: it has {paginator.num_pages} "
            f"page{'s' if paginator.num_pages != 1 else ''}.",
        )
    page = paginator.page(number)
    sort = filterset.cleaned("sort") or "name"
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "form": filterset.form,
            "partnerships": list(page.object_list),
            "page": page,
            "page_links": _page_links(page, query),
            "applied_filters": filterset.applied(),
            "sort": sort,
            "columns": sort_headings(query, "sort", sort, PARTNERSHIP_COLUMNS, dict(SORT_CHOICES)),
            "links": view_links(query),
            "filter_query": query,
            "breadcrumbs": _crumbs(("Partnerships", None)),
        },
    )


def _page_links(page, query: str) -> list[tuple[str, str | None, bool]]:
    """(text, address or None for a gap, is the current page) for the list's page
    navigation: first, last and two either side of the current page, with the filters."""
    last = page.paginator.num_pages
    if last == 1:
        return []
    shown = sorted({1, last, *range(max(1, page.number - 2), min(last, page.number + 2) + 1)})
    links: list[tuple[str, str | None, bool]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            links.append(("…", None, False))
        parts = [part for part in (query, f"page={number}" if number > 1 else "") if part]
        address = reverse("partnerships:partnership-list") + (
            "?" + "&".join(parts) if parts else ""
        )
        links.append((str(number), address, number == page.number))
        previous = number
    return links


@stored_page
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


@stored_page
def council_list(request: HttpRequest) -> HttpResponse:
    """The councils of the period's generation, each with how many of the filtered
    partnerships it counts: the map's shading in words. With any filter set, only the
    councils counting at least one of them."""
    filterset = PartnershipFilter.for_page(request.GET)
    query = filterset.query_string()
    narrowed = bool(filterset.applied()) or bool(filterset.is_bound and filterset.form.errors)
    listing = CouncilListForm(request.GET, narrowed=narrowed)
    order = listing.order_in_force
    councils = selectors.council_list(
        partnerships=filterset.qs,
        period=filterset.period,
        narrowed=listing.show_in_force == "in",
        order=order,
    )
    return render(
        request,
        "partnerships/council_list.html",
        {
            "form": filterset.form,
            "listing": listing,
            "problems": error_links(filterset.form, listing),
            "by_region": order.removeprefix("-") == "region",
            "columns": sort_headings(
                query,
                "order",
                order,
                COUNCIL_COLUMNS,
                COUNCIL_ORDERS,
                keep={"show": listing.show_in_force},
            ),
            "councils": councils,
            "period": filterset.period,
            "applied_filters": filterset.applied(),
            "links": view_links(query),
            "filter_query": query,
            "breadcrumbs": _crumbs(("Councils", None)),
        },
    )


# The lists' sortable columns: (sort value, heading, read largest first the first time).
COUNCIL_COLUMNS = (
    ("name", "Council", False),
    ("region", "Region", False),
    ("type", "Type", False),
    ("partnerships", "Partnerships", True),
)
PARTNERSHIP_COLUMNS = (
    ("name", "Partnership", False),
    ("start", "Started", False),
    ("savings", "Achieved savings", True),
)


def sort_headings(
    query: str,
    param: str,
    order: str,
    columns: tuple[tuple[str, str, bool], ...],
    words: dict[str, str],
    keep: dict[str, str] | None = None,
) -> dict[str, dict]:
    """For each sortable column of a list, drawn by partnerships/_sort_heading.html: its
    heading's link (the same filters, `keep` too, with `param` sorting by it; again, the
    other way), whether the list is sorted by it and which way (for aria-sort), and the
    words of `words` (the sort's choices) that say what the link does."""
    column, descending = order.removeprefix("-"), order.startswith("-")
    headings = {}
    for name, heading, largest_first in columns:
        sorted_here = name == column
        if sorted_here:
            target = name if descending else f"-{name}"
        else:
            target = f"-{name}" if largest_first else name
        params = QueryDict(query, mutable=True)
        params.update(keep or {})
        params[param] = target
        headings[name] = {
            "heading": heading,
            "href": f"?{params.urlencode()}",
            "aria_sort": ("descending" if descending else "ascending") if sorted_here else "",
            "action": str(words[target]).lower(),
        }
    return headings


@stored_page
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


@stored_page
def about_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/about_data.html",
        {
            "summary": selectors.reference_data_summary(),
            "breadcrumbs": _crumbs(("About the data", None)),
        },
    )
