"""The public "tell us about a shared service" form: anyone from a council proposes a new
partnership outside the annual cycle. It waits in the same review queue as the
questionnaires' changes, and the proposer is emailed a receipt."""

from django.db import transaction

from core.outbox.services import email_queue
from partnerships.models import Council, PublicBody, ServiceCategory
from submissions.models import ProposedChange
from submissions.services.review import change_propose

# At most this many proposals from one address an hour (core.ratelimit): enough for an
# officer sending several in a sitting, too few to be worth a spammer's while.
RATE_LIMIT = 5
RATE_SCOPE = "proposal"


@transaction.atomic
def proposal_submit(
    *,
    council: Council,
    name: str,
    email: str,
    partnership_name: str,
    description: str,
    councils: list[Council],
    public_bodies: list[PublicBody],
    other_partners: list[str],
    categories: list[ServiceCategory],
    start_year: int | None = None,
    site_url: str = "",
) -> ProposedChange:
    """Put a proposed new partnership in the review queue and email the proposer a
    receipt. The proposer's own council is always one of the partners."""
    partner_councils = [council, *[c for c in councils if c.pk != council.pk]]
    change = change_propose(
        kind=ProposedChange.Kind.PARTNERSHIP_NEW,
        partnership=None,
        proposed={
            "name": partnership_name.strip(),
            "description": description.strip(),
            "start_year": start_year,
            "councils": [c.pk for c in partner_councils],
            "public_bodies": [b.pk for b in public_bodies],
            "other_partners": [p.strip() for p in other_partners if p.strip()],
            "categories": [c.pk for c in categories],
        },
        source=f"Public proposal form, from {council.short_name}",
        submitted_by_name=name.strip(),
        submitted_by_email=email.strip(),
    )
    partners = [c.short_name for c in partner_councils] + [b.name for b in public_bodies]
    partners += change.proposed["other_partners"]
    email_queue(
        key=f"proposal:{change.pk}:receipt",
        to=change.submitted_by_email,
        template="submissions/email/proposal_receipt",
        context={
            "name": change.submitted_by_name,
            "council": council.short_name,
            "partnership": change.proposed["name"],
            "partners": ", ".join(partners),
            "categories": ", ".join(c.name for c in categories) or "not given",
            "description": change.proposed["description"],
            "site_url": site_url,
        },
        kind="proposal-receipt",
        about=change,
    )
    return change
