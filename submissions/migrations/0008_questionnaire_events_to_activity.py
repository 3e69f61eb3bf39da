"""Questionnaire events move to the shared activity log (core.activity): each event
becomes an ActivityEntry on its questionnaire, with the same who, what and when; then
the old table goes."""

from django.db import migrations

LABELS = {
    "opened": "Opened",
    "item_saved": "Saved a partnership",
    "item_added": "Added a new collaboration",
    "item_removed": "Removed a new collaboration",
    "submitted": "Submitted",
    "confirmed": "Confirmed by staff on the council's behalf",
}


def view_grants_copy(apps, old_app_label, old_codename):
    """Whoever could see the old log (a group or a user given its view permission) can
    see the activity log: the old permission goes with its model."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = Permission.objects.filter(
        content_type__app_label=old_app_label, codename=old_codename
    ).first()
    if old is None or not (old.group_set.exists() or old.user_set.exists()):
        return
    entry_type, _ = ContentType.objects.get_or_create(app_label="activity", model="activityentry")
    new, _ = Permission.objects.get_or_create(
        content_type=entry_type,
        codename="view_activityentry",
        defaults={"name": "Can view activity entry"},
    )
    for group in old.group_set.all():
        group.permissions.add(new)
    for user in old.user_set.all():
        user.user_permissions.add(new)


def events_copy(apps, schema_editor):
    view_grants_copy(apps, "submissions", "view_questionnaireevent")
    QuestionnaireEvent = apps.get_model("submissions", "QuestionnaireEvent")
    ActivityEntry = apps.get_model("activity", "ActivityEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not QuestionnaireEvent.objects.exists():
        return
    questionnaire_type, _ = ContentType.objects.get_or_create(
        app_label="submissions", model="questionnaire"
    )
    entries = []
    for event in QuestionnaireEvent.objects.order_by("pk").iterator():
        detail = {}
        if event.detail:
            detail["note"] = event.detail
        if event.item_id:
            detail["item"] = event.item_id
        entries.append(
            ActivityEntry(
                content_type=questionnaire_type,
                object_id=event.questionnaire_id,
                verb=event.action,
                description=LABELS.get(event.action, event.action),
                user_id=event.by_user_id,
                actor=", ".join(p for p in (event.by_name, event.by_email) if p)[:200],
                detail=detail or None,
                at=event.at,
            )
        )
    ActivityEntry.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("submissions", "0007_change_history_name"),
    ]

    operations = [
        migrations.RunPython(events_copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="QuestionnaireEvent"),
    ]
