"""Reads for the questionnaire's pages, each a fixed number of queries whatever the
number of partnerships."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from partnerships.models import Council, PublicBody, PublicBodyKind, Sector, ServiceCategory
from submissions.models import ProposedChange, Questionnaire, QuestionnaireItem


@dataclass
class PartnerChoices:
    """The lists partners and services are chosen from, loaded once per page."""

    councils: list[tuple[int, str, str]]  # id, name, region
    bodies: list[tuple[int, str, str]]  # id, name, sector label
    categories: list[tuple[int, str]]
    names: dict[str, dict[int, str]] = field(default_factory=dict)

    def council_groups(self) -> list[tuple[str, list[tuple[int, str]]]]:
        groups: dict[str, list] = {}
        for pk, name, region in self.councils:
            groups.setdefault(region, []).append((pk, name))
        return sorted(groups.items(), key=lambda group: (group[0] == "Other", group[0]))

    def body_groups(self) -> list[tuple[str, list[tuple[int, str]]]]:
        order = [label for _, label in Sector.choices]
        groups: dict[str, list] = {}
        for pk, name, sector in self.bodies:
            groups.setdefault(sector, []).append((pk, name))
        return sorted(groups.items(), key=lambda g: order.index(g[0]) if g[0] in order else 99)


def partner_choices(*, items: list[QuestionnaireItem]) -> PartnerChoices:
    """Current councils (and any former one already a member of a partnership in the
    questionnaire), every public body, every service category: three queries."""
    member_ids = set()
    for item in items:
        member_ids.update(item.prefilled.get("councils", []))
    sectors = dict(Sector.choices)
    kinds = dict(PublicBodyKind.choices)
    councils = [
        (pk, name if current else f"{name} (former)", region or "Other")
        for pk, name, current, region in Council.objects.filter(
            Q(current=True) | Q(pk__in=member_ids)
        )
        .order_by("short_name")
        .values_list("pk", "short_name", "current", "region__name")
    ]
    bodies = [
        (pk, f"{name} ({kinds.get(kind, kind)})", sectors.get(sector, "Other"))
        for pk, name, kind, sector in PublicBody.objects.order_by("name").values_list(
            "pk", "name", "kind", "sector"
        )
    ]
    categories = list(ServiceCategory.objects.values_list("pk", "name"))
    choices = PartnerChoices(councils=councils, bodies=bodies, categories=categories)
    choices.names = {
        "councils": {pk: name for pk, name, _ in councils},
        "public_bodies": {pk: name for pk, name, _ in bodies},
        "categories": dict(categories),
    }
    return choices


def questionnaire_items(*, questionnaire: Questionnaire) -> list[QuestionnaireItem]:
    """The questionnaire's partnerships, pre-filled ones first (by name), then the new
    collaborations in the order they were added, with their chosen partners."""
    items = list(
        questionnaire.items.select_related("partnership").prefetch_related(
            Prefetch("categories", queryset=ServiceCategory.objects.order_by("position", "name")),
            Prefetch("councils", queryset=Council.objects.order_by("short_name")),
            Prefetch("public_bodies", queryset=PublicBody.objects.order_by("name")),
            Prefetch(
                "proposed_changes",
                queryset=ProposedChange.objects.order_by("created_at", "pk"),
                to_attr="sent_changes",
            ),
        )
    )
    return sorted(
        items,
        key=lambda i: (i.partnership_id is None, i.name.lower() if i.partnership_id else i.pk),
    )
