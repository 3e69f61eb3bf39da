"""Write the map's layer files for the boundaries as loaded (`partnerships.layer_files`)."""

from django.core.management.base import BaseCommand

from partnerships.layer_files import layer_files_build, layer_files_root


class Command(BaseCommand):
    help = "Write the map's council shapes as versioned files (run after loading the data)."

    def handle(self, *args, **options):
        manifest = layer_files_build()
        count = sum(len(d) for layers in manifest.files.values() for d in layers.values())
        self.stdout.write(
            f"Layer files: version {manifest.version}, {count} files in {layer_files_root()}"
        )
