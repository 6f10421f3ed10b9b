from celery import shared_task
from django.db import DatabaseError

from verify.incidents.duplicates import REFRESH_BATCH, duplicates_refresh_references


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def duplicates_refresh_task(self, references: list[str]) -> int:
    """Store again the possible duplicates of these incidents. Safe to run twice."""
    try:
        return duplicates_refresh_references(references)
    except DatabaseError as exc:
        raise self.retry(exc=exc) from exc


def queue_duplicates_refresh(references: list[str]) -> None:
    for start in range(0, len(references), REFRESH_BATCH):
        duplicates_refresh_task.delay(references[start : start + REFRESH_BATCH])
