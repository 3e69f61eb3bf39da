"""Load the real councils, boundaries, public bodies and partnerships shipped in data/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.services.loading import reference_data_load


class Command(BaseCommand):
    help = "Load councils, boundaries, public bodies and known partnerships (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=settings.DATA_DIR)
        parser.add_argument(
            "--force", action="store_true", help="Load even if these files were loaded before."
        )

    def handle(self, *args, data_dir: Path, force: bool, **options):
        report = reference_data_load(
            data_dir=data_dir, force=force, progress=lambda m: self.stdout.write(m)
        )
        for line in report.lines():
            style = self.style.WARNING if line.startswith("Row ") else self.style.SUCCESS
            self.stdout.write(style(line))
