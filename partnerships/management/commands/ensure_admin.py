"""Create or update a superuser for logging in to /admin/, in one step.

Locally (`make admin`) the password defaults to "admin" and is printed. With the
production settings the command refuses to run unless ADMIN_PASSWORD is set, checks it
against the password validators, and never prints it.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

PRODUCTION_SETTINGS = "sharedmap.settings.production"
LOCAL_PASSWORD = "admin"


class Command(BaseCommand):
    help = (
        "Create or update a superuser (username from ADMIN_USERNAME, default 'admin'; "
        "password from ADMIN_PASSWORD, default 'admin' except in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))
        parser.add_argument("--email", default=os.environ.get("ADMIN_EMAIL", ""))

    def handle(self, *args, username: str, email: str, **options):
        production = settings.SETTINGS_MODULE == PRODUCTION_SETTINGS
        password = os.environ.get("ADMIN_PASSWORD", "")
        if production and not password:
            raise CommandError(
                "Refusing to create an admin with a default password under the production "
                "settings: set ADMIN_PASSWORD in the environment."
            )
        password = password or LOCAL_PASSWORD

        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(**{User.USERNAME_FIELD: username})
            if production:
                # Django's own password rules apply to real deployments only; locally
                # "admin" is the documented convenience.
                try:
                    validate_password(password, user=user)
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from error
            if email:
                user.email = email
            user.is_staff = True
            user.is_superuser = True
            user.is_active = True
            user.set_password(password)
            user.full_clean()
            user.save()

        verb = "Created" if created else "Updated"
        shown = "(from ADMIN_PASSWORD)" if production else password
        self.stdout.write(self.style.SUCCESS(f"{verb} superuser {username!r}."))
        self.stdout.write(f"Log in at /admin/ as {username} with password {shown}")
