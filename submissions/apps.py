from django.apps import AppConfig
from django.db.models.signals import post_migrate
from simple_history.signals import pre_create_historical_record


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Annual refresh"

    def ready(self) -> None:
        from submissions import checks  # noqa: F401 - registers the refresh's system checks
        from submissions.admin.partnership_pages import partnership_pages_extend
        from submissions.groups import associates_group_ensure
        from submissions.services.apply import PARTNERSHIP_APPLIERS
        from submissions.services.review import applier_register, history_names_the_review

        # The review queue applies accepted partnership updates, new partnerships and
        # endings with the refresh's own appliers.
        for kind, applier in PARTNERSHIP_APPLIERS.items():
            applier_register(kind=kind, applier=applier)
        partnership_pages_extend()
        # The history records an accepted change leaves name its reviewer and review.
        pre_create_historical_record.connect(
            history_names_the_review, dispatch_uid="submissions.history_names_the_review"
        )
        # After Django's own post_migrate receiver (auth, earlier in INSTALLED_APPS) has
        # made this app's permissions.
        post_migrate.connect(
            associates_group_ensure, sender=self, dispatch_uid="submissions.associates_group"
        )
