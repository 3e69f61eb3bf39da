"""Cache invalidation for the map's layers, the API's boundaries and its cached lists,
and the savings ledger derived from the records (see the last receiver); nothing else
(see STYLE.md). Connected in `PartnershipsConfig.ready()`.

Every cached layer, boundary, compressed body and API list page is keyed on the map's
data version (`partnerships.map_layers`), so starting a new version when staff save or
delete a council, a partnership, a membership, a savings record, a category, a region
or a public body drops them all.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from partnerships.map_layers import map_data_changed
from partnerships.models import (
    Council,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsRecord,
    ServiceCategory,
)


@receiver(post_save, sender=Council)
@receiver(post_delete, sender=Council)
@receiver(post_save, sender=Partnership)
@receiver(post_delete, sender=Partnership)
@receiver(post_save, sender=PartnershipCouncil)
@receiver(post_delete, sender=PartnershipCouncil)
@receiver(m2m_changed, sender=Partnership.councils.through)
# What the API's cached lists of partnerships and savings show besides the members.
@receiver(post_save, sender=PartnershipPublicBody)
@receiver(post_delete, sender=PartnershipPublicBody)
@receiver(m2m_changed, sender=Partnership.public_bodies.through)
@receiver(m2m_changed, sender=Partnership.categories.through)
@receiver(post_save, sender=SavingsRecord)
@receiver(post_delete, sender=SavingsRecord)
@receiver(post_save, sender=ServiceCategory)
@receiver(post_delete, sender=ServiceCategory)
# The regions layer and the public bodies' boundaries.
@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
@receiver(post_save, sender=PublicBody)
@receiver(post_delete, sender=PublicBody)
def map_layers_invalidate(**kwargs) -> None:
    # Now, so this transaction's own requests see the change; and again after commit,
    # so that a layer another request built from the old rows meanwhile is dropped.
    map_data_changed()
    transaction.on_commit(map_data_changed)


@receiver(post_save, sender=SavingsRecord)
@receiver(post_delete, sender=SavingsRecord)
def savings_ledger_recount(sender, instance: SavingsRecord, **kwargs) -> None:
    """The ledger (`SavingsYear`) is derived data, like a cache: recounted from the
    records whenever one is saved or deleted, so totals never go stale."""
    from partnerships.services.ledger import ledger_rebuild

    if kwargs.get("raw"):
        return
    if Partnership.objects.filter(pk=instance.partnership_id).exists():
        ledger_rebuild(partnership_ids=[instance.partnership_id])
