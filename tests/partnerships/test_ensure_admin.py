"""`make admin`: one command gives a developer an admin login, and it cannot be used to
plant a default password on a production site."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_PASSWORD = "correct-Horse-battery-staple-42"


def admin_login(client, username: str, password: str) -> bool:
    """Sign in through the admin's own login page (django-axes watches it), as a person
    would; True when it lets them in."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and response["Location"] == "/admin/"


def ensure_admin(**options) -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def no_admin_env(monkeypatch):
    for name in ("ADMIN_USERNAME", "ADMIN_PASSWORD", "ADMIN_EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.django_db
def test_a_developer_gets_admin_admin_and_can_open_the_admin(client, no_admin_env):
    output = ensure_admin()

    assert "Created superuser 'admin'" in output
    assert "with password admin" in output
    assert admin_login(client, "admin", "admin")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_running_it_again_resets_the_password_without_a_second_user(
    client, monkeypatch, no_admin_env
):
    ensure_admin()
    monkeypatch.setenv("ADMIN_PASSWORD", "something-else")

    output = ensure_admin()

    assert "Updated superuser 'admin'" in output
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert not admin_login(client, "admin", "admin")
    assert admin_login(client, "admin", "something-else")


def test_production_settings_refuse_without_a_password_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k not in ("ADMIN_PASSWORD", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="sharedmap.settings.production",
        SECRET_KEY="t3st-Only-9fK2xQ7mZp4LrV8wYc1NbH6sJd0GtE5uAaWq3Ro2Ik7Ul9Ye4Ts8Pn",
        ALLOWED_HOSTS="sharedservices.example.org",
        SITE_URL="https://sharedservices.example.org",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "ensure_admin"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "set ADMIN_PASSWORD" in result.stderr


@pytest.mark.django_db
def test_production_settings_reject_a_weak_password_and_never_print_a_good_one(
    settings, monkeypatch, no_admin_env
):
    settings.SETTINGS_MODULE = "sharedmap.settings.production"
    monkeypatch.setenv("ADMIN_PASSWORD", "admin")

    with pytest.raises(CommandError, match="too short|too common"):
        ensure_admin()
    assert not get_user_model().objects.filter(username="admin").exists()

    monkeypatch.setenv("ADMIN_PASSWORD", STRONG_PASSWORD)
    output = ensure_admin(username="lga-staff")

    assert STRONG_PASSWORD not in output
    assert get_user_model().objects.get(username="lga-staff").check_password(STRONG_PASSWORD)
