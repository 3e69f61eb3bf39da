"""The "LGA associates" group: they phone councils and may see the refresh and confirm a
questionnaire on a council's behalf (`Questionnaire.Meta.permissions`), but never accept
changes or publish.

Made after every `migrate` (which `make run`, CI and the Docker stack's migrate service
all run), by a `post_migrate` receiver connected in `SubmissionsConfig.ready()`: by then
Django has made every model's permissions, the custom one included, so no migration has
to make permissions itself. Permissions staff gave the group by hand are kept.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

GROUP = "LGA associates"
ASSOCIATE_PERMISSIONS = [
    ("submissions", "view_refreshcycle"),
    ("submissions", "view_councilcontact"),
    ("submissions", "view_questionnaire"),
    ("submissions", "view_questionnaireitem"),
    ("submissions", "confirm_questionnaire"),
    ("submissions", "view_proposedchange"),
    ("partnerships", "view_council"),
    ("partnerships", "view_partnership"),
    ("partnerships", "view_publicbody"),
]


def associates_group_ensure(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Make the associates group if it is missing and give it its permissions (those
    whose models exist); other permissions it has are left alone."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {}
    for app_label, codename in ASSOCIATE_PERMISSIONS:
        wanted.setdefault(app_label, []).append(codename)
    permissions = Permission.objects.using(using).none()
    for app_label, codenames in wanted.items():
        permissions = permissions | Permission.objects.using(using).filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.add(*permissions)
