"""ChangeHistory goes: django-simple-history keeps every change to published data (it
was written beside it). Rows written before simple-history was installed exist nowhere
else, so every row is kept as an ActivityEntry on its partnership (or on the object it
was about), with who, when, and its before and after in the entry's detail."""

from django.db import migrations


def history_copy(apps, schema_editor):
    ChangeHistory = apps.get_model("submissions", "ChangeHistory")
    ActivityEntry = apps.get_model("activity", "ActivityEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ChangeHistory.objects.exists():
        return
    partnership_type, _ = ContentType.objects.get_or_create(
        app_label="partnerships", model="partnership"
    )
    entries = []
    for row in ChangeHistory.objects.order_by("pk").iterator():
        if row.partnership_id:
            content_type, object_id = partnership_type, row.partnership_id
        else:
            app_label, _, model = row.object_type.partition(".")
            if not row.object_id.isdigit() or not model:
                continue  # nothing to hang it on
            content_type, _ = ContentType.objects.get_or_create(
                app_label=app_label, model=model.lower()
            )
            object_id = int(row.object_id)
        entries.append(
            ActivityEntry(
                content_type=content_type,
                object_id=object_id,
                verb="published_data_changed",
                description=f"{row.action.capitalize()}: {row.object_label}"[:300],
                user_id=row.changed_by_id,
                actor=row.changed_by_label[:200],
                detail={
                    "object": f"{row.object_type} {row.object_id}",
                    "before": row.before,
                    "after": row.after,
                    "proposed_change": row.proposed_change_id,
                },
                at=row.changed_at,
            )
        )
    ActivityEntry.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("submissions", "0008_questionnaire_events_to_activity"),
    ]

    operations = [
        migrations.RunPython(history_copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="ChangeHistory"),
    ]
