"""The search-as-you-type that finds councils and partnerships."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from partnerships import selectors

# Most suggestions of each kind the search box offers.
SEARCH_LIMIT = 10


@require_safe
def search(request):
    """Councils and published partnerships whose names contain `q`, for the search box.
    Without JavaScript the box sends `q` to the partnership list instead."""
    return JsonResponse(selectors.name_search(text=request.GET.get("q", ""), limit=SEARCH_LIMIT))
