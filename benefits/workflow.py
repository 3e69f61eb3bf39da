"""A benefits tracker's workflow as one table of the status moves it allows: private
until its achieved figures are submitted for the map, and submitted again whenever new
years are sent. Trackers move only through `tracker_move`, which checks the table,
saves and keeps the move in the tracker's activity log (core.activity)."""

from benefits.models import Tracker, TrackerStatus
from core.activity.workflow import status_move

TRACKER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TrackerStatus.PRIVATE: (TrackerStatus.SUBMITTED,),
    TrackerStatus.SUBMITTED: (TrackerStatus.SUBMITTED,),
}


def tracker_move(tracker: Tracker, status: str, **move) -> None:
    """Move a tracker (`status_move`'s arguments)."""
    status_move(tracker, status, table=TRACKER_TRANSITIONS, noun="A tracker", **move)
