"""Applying accepted changes from the refresh to the published partnerships.

`PARTNERSHIP_APPLIERS` are registered with the review queue in `SubmissionsConfig.ready()`
(the queue knows only how to apply a savings figure; this module knows the
questionnaire's fields). `change_accept` calls
each applier inside its transaction, so a change is applied whole or not at all;
django-simple-history keeps the partnership's history (its members and savings too),
each record naming the reviewer and the review.

Partners a council typed because they were not in the lists become public bodies of
kind "other" (sector "other"), found again by name next time: they then show on the
partnership's page like any member, and staff can correct their kind and sector in the
admin.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from partnerships.map_layers import map_data_changed
from partnerships.models import (
    Council,
    Partnership,
    PartnershipStatus,
    PublicBody,
    PublicBodyKind,
    Sector,
    ServiceCategory,
)
from partnerships.rules import members_check
from partnerships.services import partnership_create
from submissions.models import ProposedChange
from submissions.services.review import MERGE, savings_record_save

Kind = ProposedChange.Kind

# Plain fields of a partnership a council's update may change.
UPDATE_FIELDS = (
    "description",
    "status",
    "end_year",
    "no_savings_reason",
    "no_savings_reason_other",
)


def _typed_bodies(names: list[str]) -> list[PublicBody]:
    bodies = []
    for name in dict.fromkeys(n.strip()[:200] for n in names or [] if n.strip()):
        body = PublicBody.objects.filter(name__iexact=name).order_by("pk").first()
        if body is None:
            body = PublicBody(name=name, kind=PublicBodyKind.OTHER, sector=Sector.OTHER)
            body.full_clean()
            body.save()
        bodies.append(body)
    return bodies


def _members_set(partnership: Partnership, *, councils=None, public_bodies=None) -> bool:
    """Make the members exactly these (leads kept where they stay); True if any changed."""
    changed = False
    if councils is not None:
        changed |= _memberships_set(partnership.council_memberships, "council", councils)
    if public_bodies is not None:
        changed |= _memberships_set(partnership.body_memberships, "public_body", public_bodies)
    return changed


def _memberships_set(memberships, member: str, members) -> bool:
    """Make a partnership's council or public-body `memberships` (a related manager whose
    rows name their `member`) exactly `members`; True if any changed."""
    gone = memberships.exclude(**{f"{member}_id__in": {m.pk for m in members}})
    changed = bool(gone.delete()[0])
    have = set(memberships.values_list(f"{member}_id", flat=True))
    for each in members:
        if each.pk not in have:
            memberships.create(**{member: each})
            changed = True
    return changed


def _objects(model, ids) -> list:
    ids = [int(i) for i in ids or []]
    found = model.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(f"Some chosen {model._meta.verbose_name_plural} no longer exist.")
    return [found[i] for i in ids]


def _map_changed() -> None:
    # Public-body memberships send no signal the map listens to (partnerships/signals.py
    # covers councils and partnerships), so say so here, now and after commit.
    map_data_changed()
    transaction.on_commit(map_data_changed)


def partnership_update_apply(change: ProposedChange, *, user) -> None:
    """Apply the fields a council changed to the published partnership."""
    partnership = Partnership.objects.select_for_update().get(pk=change.partnership_id)
    proposed = change.proposed
    for name in UPDATE_FIELDS:
        if name in proposed:
            value = proposed[name]
            setattr(partnership, name, "" if value is None and name != "end_year" else value)
    partnership.full_clean()
    partnership.save()
    if "categories" in proposed:
        partnership.categories.set(_objects(ServiceCategory, proposed["categories"]))
    councils = _objects(Council, proposed["councils"]) if "councils" in proposed else None
    bodies = None
    if "public_bodies" in proposed or proposed.get("other_partners"):
        bodies = (
            _objects(PublicBody, proposed["public_bodies"])
            if "public_bodies" in proposed
            else list(partnership.public_bodies.all())
        )
        bodies += [b for b in _typed_bodies(proposed.get("other_partners")) if b not in bodies]
    if councils is not None:
        members_check(councils, bodies if bodies is not None else partnership.public_bodies.all())
    if _members_set(partnership, councils=councils, public_bodies=bodies):
        _map_changed()


def _slug_for(name: str) -> str:
    base = slugify(name)[:190].strip("-") or "partnership"
    taken = set(Partnership.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _partners(proposed: dict) -> tuple[list[Council], list[PublicBody]]:
    """The councils and public bodies a proposed new partnership names, partners typed
    by name included (`_typed_bodies`)."""
    councils = _objects(Council, proposed.get("councils"))
    bodies = _objects(PublicBody, proposed.get("public_bodies"))
    bodies += [b for b in _typed_bodies(proposed.get("other_partners")) if b not in bodies]
    return councils, bodies


def partnership_new_apply(change: ProposedChange, *, user, publish: bool = True) -> None:
    """Create the new collaboration with its partners (and its savings figure, if any)
    and publish it, or keep it unpublished for staff to publish later from the
    partnership admin."""
    proposed = change.proposed
    councils, bodies = _partners(proposed)
    # Made unpublished, so that it reaches the map only once all its members are in.
    partnership = partnership_create(
        name=proposed["name"].strip(),
        slug=_slug_for(proposed["name"]),
        councils=councils,
        public_bodies=bodies,
        categories=_objects(ServiceCategory, proposed.get("categories")),
        description=proposed.get("description") or "",
        status=proposed.get("status") or PartnershipStatus.OPERATIONAL,
        start_year=proposed.get("start_year"),
        no_savings_reason=proposed.get("no_savings_reason") or "",
        no_savings_reason_other=proposed.get("no_savings_reason_other") or "",
        source=change.source,
        published=False,
    )
    if publish:
        partnership.published = True
        partnership.save(update_fields=["published", "updated_at"])
        _map_changed()
    change.partnership = partnership
    change.save(update_fields=["partnership"])
    if proposed.get("savings"):
        savings_record_save(
            partnership=partnership, proposed=proposed["savings"], change=change, user=user
        )


def partnership_merge_apply(change: ProposedChange, *, user, into: Partnership) -> None:
    """Add a proposed new partnership to the published partnership `into` it duplicates,
    instead of publishing a copy: the members and categories it lacks, the savings
    figure (recorded as any accepted figure is, beside the figures it has), and the
    description only if it has none. Nothing it already says is changed or removed."""
    partnership = (
        Partnership.objects.select_for_update()
        .filter(pk=into.pk, published=True, snapshot__isnull=True)
        .first()
    )
    if partnership is None:
        raise ValidationError("A proposal can be merged only into a partnership on the map.")
    proposed = change.proposed
    councils, bodies = _partners(proposed)
    added = _members_add(partnership.council_memberships, "council", councils)
    added |= _members_add(partnership.body_memberships, "public_body", bodies)
    have = set(partnership.categories.values_list("pk", flat=True))
    missing = [c for c in _objects(ServiceCategory, proposed.get("categories")) if c.pk not in have]
    if missing:
        partnership.categories.add(*missing)
    description = (proposed.get("description") or "").strip()
    if description and not partnership.description.strip():
        partnership.description = description
        partnership.full_clean()
        partnership.save()
    if added:
        _map_changed()
    change.partnership = partnership
    change.save(update_fields=["partnership"])
    if proposed.get("savings"):
        savings_record_save(
            partnership=partnership, proposed=proposed["savings"], change=change, user=user
        )


def _members_add(memberships, member: str, members) -> bool:
    """Add to a partnership's council or public-body `memberships` those of `members`
    it has never had (one who left stays as recorded); True if any was added."""
    have = set(memberships.values_list(f"{member}_id", flat=True))
    added = False
    for each in dict.fromkeys(members):
        if each.pk not in have:
            memberships.create(**{member: each})
            added = True
    return added


def partnership_end_apply(change: ProposedChange, *, user) -> None:
    """Record that the partnership has ended, and when."""
    partnership = Partnership.objects.select_for_update().get(pk=change.partnership_id)
    partnership.status = PartnershipStatus.ENDED
    partnership.end_year = change.proposed.get("end_year") or partnership.end_year
    partnership.full_clean()
    partnership.save()


# The kinds of change this module applies: kind -> function(change, *, user), and the
# merge of a proposed new partnership into a published one (MERGE).
PARTNERSHIP_APPLIERS = {
    Kind.PARTNERSHIP_UPDATE: partnership_update_apply,
    Kind.PARTNERSHIP_NEW: partnership_new_apply,
    Kind.PARTNERSHIP_END: partnership_end_apply,
    MERGE: partnership_merge_apply,
}
