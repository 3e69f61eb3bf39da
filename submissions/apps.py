from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Annual refresh"

    def ready(self) -> None:
        from submissions.admin.partnership_pages import partnership_pages_extend

        partnership_pages_extend()
