from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_region_slug"),
    ]

    operations = [
        migrations.AlterField(
            model_name="region",
            name="slug",
            field=models.SlugField(
                help_text="What the region filters take in addresses and the API: the name, slugified.",
                max_length=100,
                unique=True,
            ),
        ),
    ]
