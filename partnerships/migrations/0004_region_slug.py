"""Regions get a slug, the value the region filters take in addresses and the API. It is
what slugifying the name gave before (so every address keeps working), stored once
instead of worked out on each request. Filled here; made unique by the next migration
(in a transaction of its own, as Django advises for a unique field added to a table with
rows)."""

from django.db import migrations, models
from django.utils.text import slugify


def slugs_fill(apps, schema_editor):
    Region = apps.get_model("partnerships", "Region")
    regions = list(Region.objects.all())
    for region in regions:
        region.slug = slugify(region.name)
    Region.objects.bulk_update(regions, ["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_map_snapshots"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="slug",
            field=models.SlugField(default="", max_length=100, db_index=False),
            preserve_default=False,
        ),
        migrations.RunPython(slugs_fill, migrations.RunPython.noop),
    ]
