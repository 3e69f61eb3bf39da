"""The two workflows of match-making, each as one table of the status moves it allows
(status -> the statuses it may move to). `matchmaking.services` moves requests and
applications only through these, with `core.activity.workflow.status_move`."""

from matchmaking.models import ExpertApplication, MatchRequest

Status = MatchRequest.Status
AppStatus = ExpertApplication.Status

# A request. Confirming the email is the requester's own step (`match_request_confirm`);
# staff move it on from there, and may close it from any status.
REQUEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.EMAIL_CONFIRMED, Status.CLOSED),
    Status.EMAIL_CONFIRMED: (Status.IN_DISCUSSION, Status.INTRODUCED, Status.CLOSED),
    Status.IN_DISCUSSION: (Status.INTRODUCED, Status.CLOSED),
    Status.INTRODUCED: (Status.IN_DISCUSSION, Status.PARTNERSHIP_FORMED, Status.CLOSED),
    Status.PARTNERSHIP_FORMED: (Status.CLOSED,),
    Status.CLOSED: (),
}

# Requests still looking for partners: staff may introduce them, and the ranking counts
# them as councils also asking for the same service.
INTRODUCIBLE = (Status.EMAIL_CONFIRMED, Status.IN_DISCUSSION, Status.INTRODUCED)

# An Expert Programme application: confirmed by the applicant, then awarded or
# declined by staff; an award's work is completed and its outcomes reported.
APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    AppStatus.NEW: (AppStatus.SUBMITTED, AppStatus.DECLINED),
    AppStatus.SUBMITTED: (AppStatus.AWARDED, AppStatus.DECLINED),
    AppStatus.AWARDED: (AppStatus.WORK_COMPLETE,),
    AppStatus.WORK_COMPLETE: (AppStatus.OUTCOMES_REPORTED,),
    AppStatus.DECLINED: (),
    AppStatus.OUTCOMES_REPORTED: (),
}
