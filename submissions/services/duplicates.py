"""Proposed new partnerships that may already be on the map.

A council that resubmits its questionnaire, or a member of the public who does not find
a partnership under the name they know, proposes again what is published already. The
review page flags each pending new partnership that matches a published one, so that
staff can merge it into that one instead of publishing a copy (`change_accept`'s
`merge_into`).

A match is a published partnership with the same set of member councils and at least one
service category in common, or a similar name: names are compared with case,
punctuation and the words every partnership's name shares ("shared", "partnership", …)
left out, and are similar when difflib's ratio reaches NAME_RATIO or one is contained in
the other.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from partnerships.models import Partnership, PartnershipCouncil
from submissions.models import ProposedChange

# How alike two normalised names must be (difflib.SequenceMatcher.ratio) to be flagged:
# "Richmond Housing Partnership" and "Shared Richmond housing service" score 0.68 as
# typed, 1.0 once normalised; "Revenues and benefits" and "Revenue and benefits" 0.97;
# unrelated names of one service ("Adur legal", "Mole Valley legal") 0.52.
NAME_RATIO = 0.85
# Words that say nothing of which partnership a name is.
COMMON_WORDS = frozenset(
    {"shared", "share", "partnership", "partnerships", "the", "and", "of", "service", "services"}
)
# A name contained in another counts only if it says this much, so that "HR" is not
# found inside every partnership with an HR team.
CONTAINED_MIN_LENGTH = 6

SAME_MEMBERS = "the same member councils and a shared service"
SIMILAR_NAME = "a similar name"


@dataclass
class PartnershipMatch:
    """A published partnership a proposed new one may duplicate, and why."""

    partnership: Partnership
    reasons: list[str] = field(default_factory=list)


def name_normalised(name: str) -> str:
    """The words of a name that tell partnerships apart, lower case, without punctuation."""
    words = re.findall(r"[a-z0-9]+", (name or "").lower().replace("&", " and "))
    return " ".join(word for word in words if word not in COMMON_WORDS)


def names_similar(first: str, second: str) -> bool:
    """Whether two normalised names (`name_normalised`) may name the same partnership."""
    if not first or not second:
        return False
    if first == second:
        return True
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= CONTAINED_MIN_LENGTH and f" {shorter} " in f" {longer} ":
        return True
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    # The cheap upper bounds first: most pairs are refused without the full ratio.
    return (
        matcher.real_quick_ratio() >= NAME_RATIO
        and matcher.quick_ratio() >= NAME_RATIO
        and matcher.ratio() >= NAME_RATIO
    )


def _ids(value) -> set[int]:
    if not isinstance(value, list):
        return set()
    return {v for v in value if isinstance(v, int) and not isinstance(v, bool)}


def changes_matches_attach(*, changes: list[ProposedChange]) -> None:
    """Give each change `.matches`: the published partnerships (`PartnershipMatch`) a
    pending new partnership may duplicate; empty for every other change. Four queries
    whatever the number of changes (none without a pending new partnership): the
    published names, the members and categories of the partnerships sharing a council
    with one of the proposals, and the matched partnerships themselves."""
    proposals = []
    for change in changes:
        change.matches = []
        if change.kind == ProposedChange.Kind.PARTNERSHIP_NEW and (
            change.status == ProposedChange.Status.PENDING
        ):
            proposals.append(change)
    if not proposals:
        return
    published = Partnership.objects.filter(published=True, snapshot__isnull=True)
    names = {
        pk: name_normalised(name) for pk, name in published.values_list("pk", "name").iterator()
    }
    wanted = set().union(*(_ids(c.proposed.get("councils")) for c in proposals))
    members, categories = defaultdict(set), defaultdict(set)
    if wanted:
        # Only a partnership with one of the proposed councils can have the same members.
        sharing = published.filter(council_memberships__council_id__in=wanted).values("pk")
        current = Q(left_year__isnull=True)
        for partnership_id, council_id in PartnershipCouncil.objects.filter(
            current, partnership_id__in=sharing
        ).values_list("partnership_id", "council_id"):
            members[partnership_id].add(council_id)
        through = Partnership.categories.through
        for partnership_id, category_id in through.objects.filter(
            partnership_id__in=sharing
        ).values_list("partnership_id", "servicecategory_id"):
            categories[partnership_id].add(category_id)

    found: dict[int, dict[int, list[str]]] = {}
    for change in proposals:
        reasons = defaultdict(list)
        councils = _ids(change.proposed.get("councils"))
        services = _ids(change.proposed.get("categories"))
        if councils:
            for partnership_id, have in members.items():
                if have == councils and categories[partnership_id] & services:
                    reasons[partnership_id].append(SAME_MEMBERS)
        name = name_normalised(change.proposed.get("name") or "")
        for partnership_id, other in names.items():
            if names_similar(name, other):
                reasons[partnership_id].append(SIMILAR_NAME)
        found[change.pk] = reasons
    matched = set().union(*(set(reasons) for reasons in found.values()))
    if not matched:
        return
    partnerships = Partnership.objects.in_bulk(matched)
    for change in proposals:
        change.matches = sorted(
            (
                PartnershipMatch(partnership=partnerships[pk], reasons=reasons)
                for pk, reasons in found[change.pk].items()
                if pk in partnerships
            ),
            key=lambda match: (-len(match.reasons), match.partnership.name, match.partnership.pk),
        )
