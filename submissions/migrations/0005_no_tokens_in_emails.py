"""Emails no longer keep the secret links' tokens (core.secret_links).

Emails already sent or failed lose their token and link: they are never rendered again,
and the links they carried keep working (only their digests were ever needed to open
them). An email still waiting to be sent is pointed at a link the app can rebuild: a new
link to the same questionnaire (the old one keeps working), or, for a tracker, a
match-making request or an Expert Programme application, a reissued link (the old one
stops working, which its error column says in the admin's list of emails).
"""

import re

from django.db import migrations
from django.db.models import Q

from core import secret_links

SECRET_PATH = re.compile(
    r"/(refresh/q|benefits/t|matchmaking/requests|matchmaking/expert-programme/applications)"
    r"/([^/?#\s]+)"
)
# The models behind each kind of secret address, with the purpose their tokens derive from.
ROWS = {
    "benefits/t": ("benefits", "Tracker", "benefits-tracker"),
    "matchmaking/requests": ("matchmaking", "MatchRequest", "match-request"),
    "matchmaking/expert-programme/applications": (
        "matchmaking",
        "ExpertApplication",
        "expert-application",
    ),
}
REISSUED = "The link was reissued when tokens stopped being stored; the old one no longer works."


def _reference(apps, link: str, match) -> dict | None:
    kind, token = match.group(1), match.group(2)
    digest = secret_links.token_digest(token)
    address = link[: match.start(2)] + secret_links.TOKEN_SLOT + link[match.end(2) :]
    if kind == "refresh/q":
        QuestionnaireLink = apps.get_model("submissions", "QuestionnaireLink")
        old = QuestionnaireLink.objects.filter(token_digest=digest).first()
        if old is None:
            return None
        issued = secret_links.link_issue(purpose="questionnaire")
        new = QuestionnaireLink.objects.create(
            questionnaire_id=old.questionnaire_id,
            token_digest=issued.digest,
            token_salt=issued.salt,
            revoked_at=old.revoked_at,
        )
        return {"model": "submissions.questionnairelink", "pk": new.pk, "address": address}
    app_label, model_name, purpose = ROWS[kind]
    model = apps.get_model(app_label, model_name)
    row = model.objects.filter(token_digest=digest).first()
    if row is None:
        return None
    issued = secret_links.link_issue(purpose=purpose)
    model.objects.filter(pk=row.pk).update(token_digest=issued.digest, token_salt=issued.salt)
    return {"model": f"{app_label}.{model_name.lower()}", "pk": row.pk, "address": address}


def forwards(apps, schema_editor):
    OutboundEmail = apps.get_model("submissions", "OutboundEmail")
    emails = OutboundEmail.objects.filter(Q(context__has_key="token") | Q(context__has_key="link"))
    for email in emails.order_by("pk").iterator():
        context = dict(email.context)
        token = context.pop("token", None)
        link = context.get("link") or ""
        match = SECRET_PATH.search(link)
        if token is None and match is None:
            continue  # an ordinary link, such as staff's link to the review page
        context.pop("link", None)
        fields = ["context"]
        if email.status == "queued":
            reference = _reference(apps, link, match) if match else None
            if reference is None:
                email.status = "failed"
                email.error = "Its secret link no longer exists."
                fields += ["status", "error"]
            else:
                context[secret_links.REFERENCE_KEY] = reference
                if reference["model"] != "submissions.questionnairelink":
                    email.error = REISSUED
                    fields.append("error")
        email.context = context
        email.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0004_secret_link_salt"),
        ("benefits", "0002_secret_link_salt"),
        ("matchmaking", "0003_secret_link_salt"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
