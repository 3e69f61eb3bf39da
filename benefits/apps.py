from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = "Benefits tracker"

    def ready(self):
        # The project's AdminConfig discovers only the admin modules it lists; the
        # tracker's admin registers itself here so that list need not change.
        from benefits import admin  # noqa: F401
