from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from verify.evidence import storage
from verify.evidence.models import EvidenceItem
from verify.evidence.services import (
    evidence_fixity_check,
    evidence_process,
    evidence_requeue_stuck,
    web_capture_run,
)


@shared_task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def fixity_check(self, evidence_id: int) -> str:
    """Re-hash one stored file. Safe to run twice: each run simply records one more check."""
    item = EvidenceItem.objects.filter(pk=evidence_id).first()
    if item is None:
        return "gone"
    try:
        return evidence_fixity_check(evidence=item)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def fixity_sweep(limit: int | None = None) -> int:
    """Check the least recently checked files first."""
    ids = list(EvidenceItem.objects.fixity_due().values_list("pk", flat=True)[: limit or settings.FIXITY_BATCH_SIZE])
    for pk in ids:
        fixity_check.delay(pk)
    return len(ids)


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def process_evidence(evidence_id: int) -> str:
    """EXIF, GPS, thumbnail and perceptual hash. Idempotent: a processed item is left as it is.

    Files that cannot be processed are marked failed with the reason (no retry can fix them); database and
    storage errors are retried with exponential backoff.
    """
    return evidence_process(evidence_id=evidence_id)


@shared_task
def processing_sweep() -> int:
    """Re-queue items stuck in pending (e.g. queued while the broker was down) and clear stale upload files."""
    storage.sweep_tmp(older_than_seconds=settings.EVIDENCE_TMP_MAX_AGE)
    return evidence_requeue_stuck()


@shared_task(acks_late=False)
def capture_web_page(capture_id: int) -> str:
    """Capture one web page in headless Chromium. Runs once: a capture already started or finished is left."""
    return web_capture_run(capture_id=capture_id)
