"""A council's contacts have distinct emails in any case: contacts that differ only in
the case of their email are merged into the first one added (kept active if any of them
was, its blank name or role filled from the others), and each merge is reported."""

import django.db.models.functions.text
from django.db import migrations, models


def contacts_merge_case_duplicates(apps, schema_editor):
    CouncilContact = apps.get_model("submissions", "CouncilContact")
    groups: dict[tuple[int, str], list] = {}
    for contact in CouncilContact.objects.order_by("pk"):
        groups.setdefault((contact.council_id, contact.email.lower()), []).append(contact)
    for (_council_id, email), contacts in groups.items():
        if len(contacts) < 2:
            continue
        kept, others = contacts[0], contacts[1:]
        kept.active = any(c.active for c in contacts)
        kept.name = kept.name or next((c.name for c in others if c.name), "")
        kept.role = kept.role or next((c.role for c in others if c.role), "")
        kept.save(update_fields=["active", "name", "role"])
        CouncilContact.objects.filter(pk__in=[c.pk for c in others]).delete()
        print(
            f"\n  Council contact {kept.pk} ({email}, council {kept.council_id}) kept; "
            f"merged into it, as the same email in another case: "
            + ", ".join(f"{c.pk} ({c.email})" for c in others)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0011_questionnaire_confirm_permission"),
    ]

    operations = [
        migrations.RunPython(contacts_merge_case_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="councilcontact",
            name="contact_one_email_per_council",
        ),
        migrations.AddConstraint(
            model_name="councilcontact",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                models.F("council"),
                name="contact_one_email_per_council",
                violation_error_message=(
                    "This council already has a contact with this email address (in upper "
                    "or lower case)."
                ),
            ),
        ),
    ]
