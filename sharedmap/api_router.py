"""The API under /api/: every app's viewsets on one router, the OpenAPI schema and its
documentation pages (served from local static files), and a JSON 404 for any other
address under /api/."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import routers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from partnerships.api import urls as partnerships_api

app_name = "api"


class APIRootView(routers.APIRootView):
    """The Shared Services Map API: read-only open data on councils' shared services.
    Documentation at /api/docs/, OpenAPI schema at /api/schema/."""

    # Endpoints that are not viewsets, listed after the router's own.
    extra_urls = {
        "councils-geojson": "councils-geojson",
        "regions-geojson": "regions-geojson",
        "schema": "schema",
        "docs": "docs",
    }

    def get(self, request, *args, **kwargs):
        self.api_root_dict = {**self.api_root_dict, **self.extra_urls}
        return super().get(request, *args, **kwargs)


class Router(routers.DefaultRouter):
    APIRootView = APIRootView
    # `/api/councils.geojson` is a layer, not the council list in another format.
    include_format_suffixes = False


class NotFoundView(APIView):
    """An address under /api/ that is none of the API's: a 404 in the API's own JSON, as
    the schema documents, rather than the site's HTML page. It also catches a path whose
    id is not of the form its endpoint takes (a letter where digits go, a NUL), so such a
    value never reaches a query."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound("There is nothing at this address in the API; see /api/.")


router = Router()
for prefix, viewset, basename in partnerships_api.ROUTES:
    router.register(prefix, viewset, basename=basename)

# Swagger UI and Redoc (the sidecar's local files) set styles at run time, Redoc through
# <style> elements it writes and a search worker from a blob: URL. Their two pages, and
# only they, allow inline styles and that worker; scripts stay the site's own files.
DOCS_CSP = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("", include(partnerships_api.urlpatterns)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        DOCS_CSP(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/docs.html"
            )
        ),
        name="docs",
    ),
    path(
        "docs/redoc/",
        DOCS_CSP(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    *router.urls,
    # Only addresses ending in "/": one without is first redirected to it, as Django's
    # APPEND_SLASH does for the API's own.
    re_path(r"^[\s\S]*/$", NotFoundView.as_view(), name="not-found"),
]
