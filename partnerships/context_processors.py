"""Values every page's template needs."""

from django.conf import settings


def site(request):
    return {"MAP_TILE_URL": settings.MAP_TILE_URL}
