from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Councils and partnerships"

    def ready(self) -> None:
        from partnerships import signals  # noqa: F401  (connects the layers' cache invalidation)
