from celery import shared_task
from django.db import DatabaseError

from verify.claims.crosscheck import crosscheck_recompute_all
from verify.incidents.models import Incident

RECOMPUTE_BATCH = 500


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def crosscheck_recompute(self, references: list[str]) -> int:
    """Bring the cross-check flags and suggested grades of these incidents up to date. Safe to run twice."""
    try:
        return crosscheck_recompute_all(Incident.objects.filter(reference__in=references).order_by("pk"))
    except DatabaseError as exc:
        raise self.retry(exc=exc) from exc


def queue_recompute(references: list[str]) -> None:
    """Queue the recomputation in batches, so one task never holds thousands of row locks at once."""
    for start in range(0, len(references), RECOMPUTE_BATCH):
        crosscheck_recompute.delay(references[start : start + RECOMPUTE_BATCH])
