from celery import shared_task

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
