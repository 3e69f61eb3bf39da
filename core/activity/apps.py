from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "core.activity"
    label = "activity"
    verbose_name = "Activity"
    default_auto_field = "django.db.models.BigAutoField"
