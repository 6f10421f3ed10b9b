from celery import shared_task
from django.conf import settings

from verify.evidence.models import EvidenceItem
from verify.evidence.services import evidence_fixity_check


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
