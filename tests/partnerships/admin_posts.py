"""What the partnership admin's add and change forms post, for tests that save through it."""

from partnerships.models import ServiceCategory


def rows(prefix: str, items: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        data.update({f"{prefix}-{index}-{key}": value for key, value in item.items()})
    return data


def partnership_post(*, councils=(), bodies=(), savings=(), **fields) -> dict:
    data = {
        "name": "Test Shared Legal Team",
        "slug": "test-shared-legal-team",
        "published": "on",
        "categories": [ServiceCategory.objects.get(slug="legal").pk],
        "status": "operational",
        "start_year": "2020",
        "end_year": "",
        "description": "",
        "website": "",
        "source": "",
        "reported_savings": "",
        "no_savings_reason": "",
        "no_savings_reason_other": "",
        "contact_name": "Private Person",
        "contact_email": "private@example.org",
        "contact_phone": "",
        **fields,
    }
    data |= rows("council_memberships", [{"council": c.pk} for c in councils])
    data |= rows("body_memberships", [{"public_body": b.pk} for b in bodies])
    saving_rows = [
        {
            "kind": "achieved",
            "recurrence": "unknown",
            "cashable": "unknown",
            "origin": "staff",
            "evidence": "as_reported",
            **s,
        }
        for s in savings
    ]
    data |= rows("savings_records", saving_rows)
    return data
