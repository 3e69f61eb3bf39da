"""The refresh's three workflows, each as one table of the status moves it allows
(status -> the statuses it may move to), and the one function each is moved through:
it checks the table, saves, and keeps the move in the object's activity log
(`core.activity.workflow.status_move`). A refused move raises a ValidationError."""

from core.activity.workflow import status_move
from submissions.models import ProposedChange, Questionnaire, RefreshCycle

Cycle = RefreshCycle.Status
Q = Questionnaire.Status
Change = ProposedChange.Status

# A cycle is opened once (opening it again only adds what is new) and closed for good.
CYCLE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Cycle.DRAFT: (Cycle.OPEN, Cycle.CLOSED),
    Cycle.OPEN: (Cycle.CLOSED,),
    Cycle.CLOSED: (),
}

# A questionnaire is opened by its link, submitted (by the council, or confirmed by
# staff without being opened) and reviewed; it may be submitted again until the
# deadline, when its answers wait for review again.
QUESTIONNAIRE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Q.NOT_OPENED: (Q.IN_PROGRESS, Q.SUBMITTED),
    Q.IN_PROGRESS: (Q.SUBMITTED,),
    Q.SUBMITTED: (Q.SUBMITTED, Q.REVIEWED),
    Q.REVIEWED: (Q.SUBMITTED,),
}

# The questionnaires whose council has not replied: reminders and chasers go to them,
# and the dashboard lists them.
AWAITING_REPLY = (Q.NOT_OPENED, Q.IN_PROGRESS)

# A proposed change is decided once; spam is a decision too, kept for audit.
CHANGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Change.PENDING: (Change.ACCEPTED, Change.REJECTED, Change.SPAM),
    Change.ACCEPTED: (),
    Change.REJECTED: (),
    Change.SPAM: (),
}


def cycle_move(cycle: RefreshCycle, status: str, **move) -> None:
    """Move a refresh cycle (`status_move`'s arguments)."""
    status_move(cycle, status, table=CYCLE_TRANSITIONS, noun="A cycle", **move)


def questionnaire_move(questionnaire: Questionnaire, status: str, **move) -> None:
    """Move a council's questionnaire (`status_move`'s arguments)."""
    status_move(questionnaire, status, table=QUESTIONNAIRE_TRANSITIONS, **move)


def change_move(change: ProposedChange, status: str, **move) -> None:
    """Decide a proposed change (`status_move`'s arguments)."""
    status_move(change, status, table=CHANGE_TRANSITIONS, noun="A change", **move)
