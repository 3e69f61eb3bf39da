"""Celery tasks for this app."""

from celery import shared_task

from partnerships.layer_files import layer_files_build


@shared_task
def ping() -> str:
    """Answer "pong" from whichever worker runs it: a check that the broker and a worker
    are up, used by the tests and by operators (see the README)."""
    return "pong"


@shared_task
def layers_build() -> str:
    """Write the map's layer files for the boundaries now stored (a new version only if
    they changed), queued after a commit that changed councils or generations."""
    return layer_files_build().version
