"""System checks of the refresh's configuration (registered in `SubmissionsConfig.ready()`)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

NOBODY_TOLD = "submissions.W001"


@register(Tags.database)
def staff_hear_of_submissions(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    """Warn when a submitted questionnaire's note to staff would go to nobody: no active
    staff user has an email address and REFRESH_STAFF_EMAILS is empty. A database check,
    so it runs with `check --database default` and before `migrate`, not on every
    command."""
    from submissions.services.notify import staff_addresses

    if not databases or "default" not in databases:
        return []  # Django passes the databases only to checks that may query them
    try:
        addresses = staff_addresses()
    except DatabaseError:
        return []  # not migrated yet: nothing to warn about
    if addresses:
        return []
    return [
        Warning(
            "Nobody will hear of submitted questionnaires: no active staff user has an "
            "email address and REFRESH_STAFF_EMAILS is not set.",
            hint="Give a staff user an email address in the admin, or set "
            "REFRESH_STAFF_EMAILS to a comma-separated list of addresses.",
            id=NOBODY_TOLD,
        )
    ]
