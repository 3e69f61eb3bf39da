"""The decisions on what a council sent, read from its questionnaire's items (their
`sent_changes`, prefetched by `questionnaire_items`), so the page makes no more queries."""

import datetime

from django import template

from submissions.models import ProposedChange

register = template.Library()

_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


@register.filter
def decided(items) -> list[tuple[ProposedChange, str]]:
    """Each decided change of the items with the name of its partnership, most recently
    decided first."""
    decisions = [
        (change, (item.prefilled or {}).get("name") or item.name or str(change))
        for item in items
        for change in getattr(item, "sent_changes", [])
        if change.status != ProposedChange.Status.PENDING
    ]
    return sorted(decisions, key=lambda d: (d[0].reviewed_at or _EARLIEST, d[0].pk), reverse=True)
