"""The map's side panel for one council: a fragment for the map's script, a page of its
own without JavaScript."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from core.parsing import bad_request
from partnerships import map_layers
from partnerships.filters import PartnershipFilter
from partnerships.views.map import filter_problems
from sharedmap.http import stored_page


@require_safe
@vary_on_headers("HX-Request")
@stored_page
def council_panel(request, gss_code: str):
    """The map's side panel for one council (its partnerships among the filtered ones):
    a fragment when the map's script asks for it with htmx, a page of its own otherwise
    (a link opened without JavaScript)."""
    filterset = PartnershipFilter(request.GET or None)
    if filterset.is_bound and not filterset.is_valid():
        # Never a panel that quietly counts more than the filters asked for.
        return bad_request(
            request, f"The council's panel could not be shown. {filter_problems(filterset)}"
        )
    council = map_layers.council_panel_council(
        gss_code=gss_code.strip().upper(), partnerships=filterset.qs, period=filterset.period
    )
    if council is None:
        raise Http404("No council has that GSS code.")
    fragment = bool(request.htmx)
    template = "partnerships/_council_panel.html" if fragment else "partnerships/council_panel.html"
    query = filterset.query_string()
    return render(
        request,
        template,
        {
            "council": council,
            "standalone": not fragment,
            # Buttons that work only with the map's script.
            "with_buttons": fragment,
            "applied_filters": filterset.applied(),
            "period": filterset.period,
            "filter_query": query,
            "map_url": reverse("partnerships:map")
            + "?"
            + urlencode({"selected": council.gss_code})
            + (f"&{query}" if query else ""),
        },
    )
