"""The import graph between the apps: the contracts in pyproject.toml, checked with
import-linter. A broken contract names the import that breaks it."""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_the_apps_import_each_other_only_as_the_contracts_allow():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout, result.stdout


def test_each_model_is_registered_by_its_own_apps_admin_modules():
    # No app unregisters another's admin to replace it: the council and partnership
    # pages are partnerships' own, and what the refresh adds to them (its contacts,
    # the history link) comes through partnerships.admin_extensions.
    from django.contrib import admin

    from partnerships.admin import CouncilAdmin, PartnershipAdmin
    from partnerships.models import Council, Partnership
    from sharedmap.apps import AdminConfig
    from submissions.admin.partnership_pages import CouncilContactInline

    assert type(admin.site._registry[Council]) is CouncilAdmin
    assert type(admin.site._registry[Partnership]) is PartnershipAdmin
    assert CouncilContactInline in admin.site._registry[Council].get_inlines(None, None)
    for model, model_admin in admin.site._registry.items():
        app = model._meta.app_label
        module = type(model_admin).__module__
        if module.startswith("django.") or module.startswith("simple_history."):
            continue
        assert module in AdminConfig.ADMIN_MODULES, module
        # An app's admin module registers that app's models (core's kernel apps too).
        assert module.split(".")[0] == app or module.startswith(f"core.{app}"), (model, module)
