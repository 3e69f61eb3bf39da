"""Writes to councils, partnerships and savings. Loading lives in `loading`."""

from django.db import transaction
from django.db.models import QuerySet

from partnerships.models import Partnership


@transaction.atomic
def partnerships_publish(*, partnerships: QuerySet[Partnership], published: bool, user=None) -> int:
    """Publish or unpublish partnerships, each change kept in the history with who made
    it; returns how many changed."""
    from simple_history.utils import bulk_update_with_history

    changing = list(partnerships.exclude(published=published))
    for partnership in changing:
        partnership.published = published
    bulk_update_with_history(
        changing,
        Partnership,
        ["published"],
        default_user=user,
        default_change_reason="Published" if published else "Unpublished",
    )
    if changing:
        # A bulk update sends no signal: start a new version of the map's caches, now
        # and after commit.
        from partnerships.map_layers import map_data_changed_on_commit

        map_data_changed_on_commit()
    return len(changing)


@transaction.atomic
def partnership_create(
    *,
    name: str,
    slug: str,
    councils: list,
    public_bodies: list | None = None,
    lead=None,
    categories: list | None = None,
    **fields,
) -> Partnership:
    """Create a partnership with its members (`rules.members_check`)."""
    from partnerships.models import PartnershipCouncil, PartnershipPublicBody
    from partnerships.rules import members_check

    public_bodies = public_bodies or []
    members_check(councils, public_bodies)
    partnership = Partnership(name=name, slug=slug, **fields)
    partnership.full_clean()
    partnership.save()
    for council in dict.fromkeys(councils):
        PartnershipCouncil.objects.create(
            partnership=partnership, council=council, is_lead=council == lead
        )
    for body in dict.fromkeys(public_bodies):
        PartnershipPublicBody.objects.create(
            partnership=partnership, public_body=body, is_lead=body == lead
        )
    if categories:
        partnership.categories.set(categories)
    return partnership
