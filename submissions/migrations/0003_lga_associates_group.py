"""The "LGA associates" group was made here, with the custom permission to confirm a
questionnaire and a call to Django's `create_permissions` to make the model permissions
early.

Both now have their own homes: the permission is declared in `Questionnaire.Meta.permissions`
(migration 0011) and the group is made after every `migrate` by `submissions.groups`, once
Django has made the permissions. Databases that ran this migration keep their group,
their permission and every grant; the migration stays, empty, so that the migrations
after it keep their place.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_questionnaire_event"),
        ("partnerships", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
