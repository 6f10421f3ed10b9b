from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from verify.imports import services
from verify.imports.models import ImportJob, ImportStatus


@shared_task(acks_late=True)
def import_validate_task(job_id: int) -> str:
    """Check every row. Safe to run twice: a job already checked or decided is left alone."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status not in {ImportStatus.QUEUED, ImportStatus.VALIDATING}:
        return "skipped"
    return services.import_validate(job=job).status


@shared_task(acks_late=True)
def import_commit_task(job_id: int) -> str:
    """Import in one transaction. The job's status changes in that same transaction, so a redelivered task after a
    crash finds it still 'importing' with nothing written, and a finished one finds it 'done' and stops."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.IMPORTING:
        return "skipped"
    return services.import_commit(job=job).status


@shared_task
def import_sweep() -> int:
    """Queue again the jobs whose task was lost (the broker was down, the worker died).

    A job waiting in the queue for ten minutes is queued again; one checking or importing for longer than a task may
    run (CELERY_TASK_TIME_LIMIT) cannot be running any more. Both tasks are safe to run twice.
    """
    now = timezone.now()
    dead = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    queued = ImportJob.objects.filter(status=ImportStatus.QUEUED, updated_at__lt=now - timedelta(minutes=10))
    queued = queued.exclude(format="mapped_csv", mapping={})  # still waiting for its column mapping
    checking = ImportJob.objects.filter(status=ImportStatus.VALIDATING, updated_at__lt=dead)
    importing = ImportJob.objects.filter(status=ImportStatus.IMPORTING, updated_at__lt=dead)
    count = 0
    for job_id in [*queued.values_list("pk", flat=True), *checking.values_list("pk", flat=True)]:
        count += services.import_queue(import_validate_task, job_id)
    for job_id in importing.values_list("pk", flat=True):
        count += services.import_queue(import_commit_task, job_id)
    return count
