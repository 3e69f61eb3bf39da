"""Emails move to the kernel's outbox (core.outbox): every row is copied with its id, key,
status, attempts and error, so nothing already sent is sent again and nothing waiting is
lost. The questionnaire an email concerned becomes its generic reference, its cycle the
group "refresh-cycle:<id>" (submissions.services.email.cycle_email_group); then the old
table goes."""

from django.db import migrations

FIELDS = (
    "id",
    "key",
    "kind",
    "to",
    "template",
    "context",
    "subject",
    "status",
    "attempts",
    "error",
    "created_at",
    "sent_at",
)
GROUP = "refresh-cycle:"


def _created_at_as_given(model):
    # created_at is auto_now_add: keep each row's own date rather than today's.
    model._meta.get_field("created_at").auto_now_add = False


def _sequences_reset(schema_editor, model):
    from django.core.management.color import no_style

    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def emails_copy(apps, schema_editor):
    Old = apps.get_model("submissions", "OutboundEmail")
    New = apps.get_model("outbox", "OutboundEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    questionnaire_type, _ = ContentType.objects.get_or_create(
        app_label="submissions", model="questionnaire"
    )
    _created_at_as_given(New)
    rows = []
    for email in Old.objects.order_by("pk").iterator():
        rows.append(
            New(
                **{name: getattr(email, name) for name in FIELDS},
                content_type=questionnaire_type if email.questionnaire_id else None,
                object_id=email.questionnaire_id,
                group=f"{GROUP}{email.cycle_id}" if email.cycle_id else "",
            )
        )
    New.objects.bulk_create(rows, batch_size=500)
    _sequences_reset(schema_editor, New)


def emails_copy_back(apps, schema_editor):
    Old = apps.get_model("submissions", "OutboundEmail")
    New = apps.get_model("outbox", "OutboundEmail")
    RefreshCycle = apps.get_model("submissions", "RefreshCycle")
    Questionnaire = apps.get_model("submissions", "Questionnaire")
    cycles = set(RefreshCycle.objects.values_list("pk", flat=True))
    questionnaires = set(Questionnaire.objects.values_list("pk", flat=True))
    _created_at_as_given(Old)
    rows = []
    for email in New.objects.select_related("content_type").order_by("pk").iterator():
        cycle_id = None
        if email.group.startswith(GROUP) and email.group[len(GROUP) :].isdigit():
            cycle_id = int(email.group[len(GROUP) :])
        about = email.content_type
        questionnaire_id = (
            email.object_id
            if about is not None
            and (about.app_label, about.model) == ("submissions", "questionnaire")
            else None
        )
        values = {name: getattr(email, name) for name in FIELDS}
        if values["status"] == "sending":
            values["status"] = "queued"  # a state the old table did not have
        rows.append(
            Old(
                **values,
                cycle_id=cycle_id if cycle_id in cycles else None,
                questionnaire_id=questionnaire_id if questionnaire_id in questionnaires else None,
            )
        )
    Old.objects.bulk_create(rows, batch_size=500)
    New.objects.all().delete()
    _sequences_reset(schema_editor, Old)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("submissions", "0009_change_history_to_activity"),
    ]

    operations = [
        migrations.RunPython(emails_copy, emails_copy_back),
        migrations.DeleteModel(name="OutboundEmail"),
    ]
