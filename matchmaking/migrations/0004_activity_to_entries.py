"""Match-making activity moves to the shared activity log (core.activity): each row
becomes an ActivityEntry on its request or application (the one key it had), with the
same who, what and when; then the old table, with its two nullable keys, goes."""

from django.db import migrations
from django.utils.text import slugify

# The codes of the actions the services wrote, by how their words begin.
VERBS = [
    ("Email confirmed", "email_confirmed"),
    ("Status:", "status_changed"),
    ("Council shortlisted", "council_shortlisted"),
    ("Suggestion ", "suggestion_changed"),
    ("Council removed", "council_removed"),
    ("Duplicate merged in", "duplicate_merged"),
    ("Work complete", "work_complete"),
]


def _verb(action: str) -> str:
    for start, verb in VERBS:
        if action.startswith(start):
            return verb
    return slugify(action).replace("-", "_")[:50] or "action"


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


def activity_copy(apps, schema_editor):
    view_grants_copy(apps, "matchmaking", "view_activity")
    Activity = apps.get_model("matchmaking", "Activity")
    ActivityEntry = apps.get_model("activity", "ActivityEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Activity.objects.exists():
        return
    request_type, _ = ContentType.objects.get_or_create(
        app_label="matchmaking", model="matchrequest"
    )
    application_type, _ = ContentType.objects.get_or_create(
        app_label="matchmaking", model="expertapplication"
    )
    entries = []
    for row in Activity.objects.order_by("pk").iterator():
        # The old table allowed both keys or neither: a row about both is kept on each,
        # a row about nothing has no page to be shown on and is not copied.
        targets = [
            (content_type, object_id)
            for content_type, object_id in (
                (request_type, row.match_request_id),
                (application_type, row.application_id),
            )
            if object_id
        ]
        for content_type, object_id in targets:
            entries.append(
                ActivityEntry(
                    content_type=content_type,
                    object_id=object_id,
                    verb=_verb(row.action),
                    description=row.action[:300],
                    user_id=row.user_id,
                    actor=row.actor_label[:200],
                    detail={"note": row.detail} if row.detail else None,
                    at=row.created_at,
                )
            )
    ActivityEntry.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("matchmaking", "0003_secret_link_salt"),
    ]

    operations = [
        migrations.RunPython(activity_copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="Activity"),
    ]
