"""Cache invalidation for the API's boundary responses, and nothing else (see STYLE.md).

The map's data version (`partnerships.map_layers`) already moves when a council or a
partnership changes; a region's or a public body's boundary moves it too, so the
regions layer and the public bodies' boundaries get new ETags.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partnerships.map_layers import map_data_changed
from partnerships.models import PublicBody, Region


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
@receiver(post_save, sender=PublicBody)
@receiver(post_delete, sender=PublicBody)
def boundaries_invalidate(**kwargs) -> None:
    map_data_changed()
    transaction.on_commit(map_data_changed)
