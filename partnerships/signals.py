"""Cache invalidation for the map's layers, the API's boundaries and its cached lists,
and the savings ledger derived from the records (see the last receiver); nothing else
(see STYLE.md). `receivers_connect()`, called in `PartnershipsConfig.ready()`, lists
who sends what to whom.

Every cached layer, boundary, compressed body and API list page is keyed on the map's
data version (`partnerships.map_layers`), so starting a new version when staff save or
delete a council, a partnership, a membership, a savings record, a category, a region
or a public body drops them all.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from partnerships.map_layers import map_data_changed_on_commit
from partnerships.models import (
    Council,
    CouncilStandIn,
    Generation,
    GenerationCouncil,
    MapSnapshot,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsRecord,
    ServiceCategory,
)


def map_layers_invalidate(**kwargs) -> None:
    map_data_changed_on_commit()


def _layers_build_queue() -> None:
    from partnerships.tasks import layers_build

    layers_build.delay()


def layer_files_rebuild(**kwargs) -> None:
    """The map's layer files (`partnerships.layer_files`) hold the councils' names and
    shapes: written again by one task after the commit that changed them, however many
    rows it changed (a load saves hundreds of councils in one transaction)."""
    if kwargs.get("raw"):
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _layers_build_queue for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_layers_build_queue)


def savings_ledger_recount(sender, instance: SavingsRecord, **kwargs) -> None:
    """The ledger (`SavingsYear`) is derived data, like a cache: recounted from the
    records whenever one is saved or deleted, so totals never go stale."""
    from partnerships.services.ledger import ledger_rebuild

    if kwargs.get("raw"):
        return
    if Partnership.objects.filter(pk=instance.partnership_id).exists():
        ledger_rebuild(partnership_ids=[instance.partnership_id])


# Saving or deleting one of these starts a new version of the map's data: the members
# and the partnerships themselves, what the API's cached lists show besides the members
# (public-body members, savings, categories), the regions layer and the public
# bodies' boundaries, the councils of each generation and a year's frozen map. Writes
# that send no signal (bulk updates and inserts) call `map_data_changed` themselves:
# `partnerships_publish`, `reference_data_load`, `map_snapshot_publish`.
LAYER_MODELS = (
    Council,
    Generation,
    GenerationCouncil,
    CouncilStandIn,
    MapSnapshot,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    SavingsRecord,
    ServiceCategory,
    Region,
    PublicBody,
)
LAYER_RELATIONS = (
    Partnership.councils.through,
    Partnership.public_bodies.through,
    Partnership.categories.through,
)


def receivers_connect() -> None:
    """Connect the cache invalidation and the ledger's recount to the models they follow."""
    for model in LAYER_MODELS:
        post_save.connect(map_layers_invalidate, sender=model)
        post_delete.connect(map_layers_invalidate, sender=model)
    for relation in LAYER_RELATIONS:
        m2m_changed.connect(map_layers_invalidate, sender=relation)
    for model in (Council, Generation, GenerationCouncil):
        post_save.connect(layer_files_rebuild, sender=model)
        post_delete.connect(layer_files_rebuild, sender=model)
    post_save.connect(savings_ledger_recount, sender=SavingsRecord)
    post_delete.connect(savings_ledger_recount, sender=SavingsRecord)
