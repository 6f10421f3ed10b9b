from celery import shared_task
from django.conf import settings

from verify.casefiles.services import casefile_build, casefile_sweep


@shared_task(
    acks_late=True,
    time_limit=settings.CASEFILE_TASK_TIME_LIMIT,
    soft_time_limit=settings.CASEFILE_TASK_TIME_LIMIT - 60,
)
def build_casefile(request_id: int) -> str:
    """Build one case file. A run killed midway leaves only a temporary file (removed by the sweep) and the request
    in "building" until the sweep marks it failed; the requester can then retry it."""
    return casefile_build(request_id=request_id)


@shared_task
def casefile_sweep_task() -> dict:
    """Remove expired case files, fail abandoned builds, clear temporary files."""
    return casefile_sweep()
