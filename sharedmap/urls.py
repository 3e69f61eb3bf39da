from django.contrib import admin
from django.urls import include, path

from sharedmap.health import health

admin.site.site_header = "Shared Services Map administration"
admin.site.site_title = "Shared Services Map admin"
admin.site.index_title = "Curate councils, partnerships and savings"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Answered by sharedmap.health.HealthMiddleware before the host check; named here
    # so that reverse("health") finds it.
    path("health/", health, name="health"),
    path("api/", include("sharedmap.api_router")),
    path("refresh/", include("submissions.urls")),
    path("matchmaking/", include("matchmaking.urls")),
    path("benefits/", include("benefits.urls")),
    # The start page, accessibility statement, privacy notice and cookies page.
    path("", include("sharedmap.pages")),
    path("", include("partnerships.urls")),
]
