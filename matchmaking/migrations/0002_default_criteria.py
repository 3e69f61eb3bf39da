"""The Expert Programme's starting criteria; staff edit them in the admin."""

from django.db import migrations

CRITERIA = [
    (
        "Clear improvement",
        "The application says what is to improve in the shared service and why it matters "
        "to residents or to the councils.",
    ),
    (
        "Commitment of the partners",
        "Every partner council backs the work, with named leads and time set aside.",
    ),
    (
        "Right expertise",
        "The expertise asked for fits the improvement, and would not be found within the "
        "partnership.",
    ),
    (
        "Measurable outcomes",
        "Expected savings or service improvements are specific, measurable and dated.",
    ),
    (
        "Value for money",
        "The funding asked for is proportionate to the outcomes expected.",
    ),
]


def add(apps, schema_editor):
    Criterion = apps.get_model("matchmaking", "AssessmentCriterion")
    for position, (title, guidance) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            title=title, defaults={"guidance": guidance, "position": position * 10}
        )


def remove(apps, schema_editor):
    Criterion = apps.get_model("matchmaking", "AssessmentCriterion")
    Criterion.objects.filter(title__in=[title for title, _ in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
