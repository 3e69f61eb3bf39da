"""Cache invalidation for the map's layers, and nothing else (see STYLE.md)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from partnerships.map_layers import map_data_changed
from partnerships.models import Council, Partnership, PartnershipCouncil


@receiver(post_save, sender=Council)
@receiver(post_delete, sender=Council)
@receiver(post_save, sender=Partnership)
@receiver(post_delete, sender=Partnership)
@receiver(post_save, sender=PartnershipCouncil)
@receiver(post_delete, sender=PartnershipCouncil)
@receiver(m2m_changed, sender=Partnership.councils.through)
def map_layers_invalidate(**kwargs) -> None:
    # Now, so this transaction's own requests see the change; and again after commit,
    # so that a layer another request built from the old rows meanwhile is dropped.
    map_data_changed()
    transaction.on_commit(map_data_changed)
