"""The permission to confirm a questionnaire on a council's behalf is declared on the
model (`Questionnaire.Meta.permissions`) instead of being made by migration 0003.

Only the model's options change: Django finds the permission it made then by its
codename, so every grant of it (the LGA associates group's, any user's) stays.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0010_emails_to_outbox"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="questionnaire",
            options={
                "ordering": ["cycle", "council__short_name"],
                "permissions": [
                    (
                        "confirm_questionnaire",
                        "Can confirm a questionnaire on a council's behalf",
                    )
                ],
            },
        ),
    ]
