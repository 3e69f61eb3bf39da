from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Annual refresh"

    def ready(self) -> None:
        from submissions.admin.partnership_pages import partnership_pages_extend
        from submissions.groups import associates_group_ensure
        from submissions.services.apply import PARTNERSHIP_APPLIERS
        from submissions.services.review import applier_register

        # The review queue applies accepted partnership updates, new partnerships and
        # endings with the refresh's own appliers.
        for kind, applier in PARTNERSHIP_APPLIERS.items():
            applier_register(kind=kind, applier=applier)
        partnership_pages_extend()
        # After Django's own post_migrate receiver (auth, earlier in INSTALLED_APPS) has
        # made this app's permissions.
        post_migrate.connect(
            associates_group_ensure, sender=self, dispatch_uid="submissions.associates_group"
        )
