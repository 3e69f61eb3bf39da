from importlib import import_module

from django.contrib.admin.apps import SimpleAdminConfig


class AdminConfig(SimpleAdminConfig):
    """The admin, discovering only the admin modules we use.

    django-leaflet's own admin module needs GeoDjango (GDAL), which this project does not
    use: boundaries are stored as GeoJSON and drawn with django-leaflet's templates.
    """

    ADMIN_MODULES = (
        "django.contrib.auth.admin",
        "core.outbox.admin",
        "partnerships.admin",
        "partnerships.admin_snapshots",
        "submissions.admin.contacts",
        "submissions.admin.cycles",
        "submissions.admin.questionnaires",
        "submissions.admin.review",
        "matchmaking.admin.requests",
        "matchmaking.admin.expert_programme",
        "matchmaking.admin.budgets",
        "core.activity.admin",
        "benefits.admin",
    )

    def ready(self):
        super().ready()
        for module in self.ADMIN_MODULES:
            import_module(module)
