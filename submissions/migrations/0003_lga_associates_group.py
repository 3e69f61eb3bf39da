"""The "LGA associates" group: they phone councils and may see the refresh and confirm a
questionnaire on a council's behalf, but never accept changes or publish.

Made in a migration so that every database has it after `migrate` (which `make run`,
CI and the Docker stack's migrate service all run). The two permissions of the refresh
that are not Django's add/change/delete/view are made here too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "LGA associates"
CUSTOM = [
    ("questionnaire", "confirm_questionnaire", "Can confirm a questionnaire on a council's behalf"),
]
ASSOCIATE_PERMISSIONS = [
    ("submissions", "view_refreshcycle"),
    ("submissions", "view_councilcontact"),
    ("submissions", "view_questionnaire"),
    ("submissions", "view_questionnaireitem"),
    ("submissions", "confirm_questionnaire"),
    ("submissions", "view_proposedchange"),
    ("submissions", "view_changehistory"),
    ("partnerships", "view_council"),
    ("partnerships", "view_partnership"),
    ("partnerships", "view_publicbody"),
]


def make_group(apps, schema_editor):
    # Django makes model permissions after all migrations run; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for model, codename, name in CUSTOM:
        content_type, _ = ContentType.objects.get_or_create(app_label="submissions", model=model)
        Permission.objects.get_or_create(
            codename=codename, content_type=content_type, defaults={"name": name}
        )
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in ASSOCIATE_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_questionnaire_event"),
        ("partnerships", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_group, remove_group)]
