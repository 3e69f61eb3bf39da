"""What other apps may use of the refresh: the review queue of changes to published data
and the councils' refresh contacts. Everything else in `submissions` is its own; the
import contracts in pyproject.toml (import-linter) hold match-making and the benefits
tracker to this module."""

from submissions.models import CouncilContact, ProposedChange
from submissions.services.review import change_propose

__all__ = ["ProposedChange", "change_propose", "council_contact"]


def council_contact(council) -> tuple[str, str] | None:
    """The (name, email) of a council's first active refresh contact, or None."""
    contact = CouncilContact.objects.filter(council=council, active=True).order_by("pk").first()
    return None if contact is None else (contact.name, contact.email)
