"""Writes to evidence: storing files, processing them, linking them and recording custody."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from verify.evidence import inspection, storage
from verify.evidence.models import (
    ClaimEvidence,
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    FixityStatus,
    IncidentEvidence,
    ProcessingStatus,
    VerificationCheck,
)
from verify.evidence.processing import ProcessingFailed, image_facts
from verify.lib.hashing import sha256_stream

log = logging.getLogger(__name__)


class EvidenceRejected(Exception):
    pass


@dataclass
class StoreResult:
    item: EvidenceItem
    created: bool
    linked: bool


def custody_record(
    *, evidence: EvidenceItem, action: str, actor=None, sha256: str | None = None, **detail
) -> CustodyEvent:
    """Append one event. `sha256` is the hash observed at this moment; by default the recorded one, and empty
    when there is no file to hash (a fixity check that found it missing)."""
    return CustodyEvent.objects.create(
        evidence=evidence,
        action=action,
        actor=actor,
        sha256=evidence.sha256 if sha256 is None else sha256,
        detail=detail,
    )


def evidence_store(
    *,
    user,
    original_filename: str,
    metadata: dict[str, Any],
    incident=None,
    staged: storage.StagedFile | None = None,
    chunks: Iterable[bytes] | None = None,
) -> tuple[EvidenceItem, bool]:
    """Store a file once by its content. Returns the item and whether it was new."""
    result = evidence_store_file(
        user=user,
        original_filename=original_filename,
        metadata=metadata,
        incident=incident,
        staged=staged,
        chunks=chunks,
    )
    return result.item, result.created


def evidence_store_file(
    *,
    user,
    original_filename: str,
    metadata: dict[str, Any],
    incident=None,
    staged: storage.StagedFile | None = None,
    chunks: Iterable[bytes] | None = None,
) -> StoreResult:
    """Store a staged (or streamed) file by its content, checking its bytes first.

    The row is written only after the file is safely in place, and the staged file is always removed: moved to
    its content address, or discarded. Raises EvidenceRejected with a reason a person can act on.
    """
    if staged is None:
        try:
            staged = storage.StagedFile.from_chunks(chunks or [], max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES)
        except storage.FileTooLarge as exc:
            raise EvidenceRejected(str(exc)) from exc
    try:
        if staged.size == 0:
            raise EvidenceRejected("The file is empty.")
        existing = EvidenceItem.objects.filter(sha256=staged.sha256).first()
        if existing:
            return StoreResult(existing, False, _link_if(existing, incident, user))
        try:
            mime_type = inspection.sniff_mime(staged.path)
            inspection.check_allowed(mime_type)
            inspection.check_image(staged.path, mime_type)
        except inspection.Rejected as exc:
            raise EvidenceRejected(str(exc)) from exc
        item = EvidenceItem(
            sha256=staged.sha256,
            size_bytes=staged.size,
            mime_type=mime_type,
            original_filename=original_filename[:255],
            extension_mismatch=inspection.extension_mismatch(original_filename, mime_type),
            storage_name=storage.name_for(staged.sha256),
            uploaded_by=user,
            processing_queued_at=timezone.now(),
            **metadata,
        )
        item.full_clean()
        staged.commit()
        try:
            with transaction.atomic():
                item.save()
                custody_record(
                    evidence=item,
                    action=CustodyAction.UPLOADED,
                    actor=user,
                    filename=original_filename,
                    size=item.size_bytes,
                    mime_type=mime_type,
                    extension_mismatch=item.extension_mismatch,
                )
                linked = _link_if(item, incident, user)
                transaction.on_commit(partial(evidence_queue_processing, item.pk))
        except IntegrityError:
            # The same bytes were stored by a concurrent upload a moment ago: theirs is the row.
            existing = EvidenceItem.objects.filter(sha256=staged.sha256).first()
            if existing is None:
                storage.remove_stored(item.storage_name)
                raise
            return StoreResult(existing, False, _link_if(existing, incident, user))
        except BaseException:
            # No row, no file: unless a concurrent upload of the same bytes owns it now.
            if not EvidenceItem.objects.filter(sha256=staged.sha256).exists():
                storage.remove_stored(item.storage_name)
            raise
        return StoreResult(item, True, linked)
    finally:
        staged.discard()


def _link_if(evidence: EvidenceItem, incident, user) -> bool:
    return evidence_link(evidence=evidence, incident=incident, user=user) if incident is not None else False


@transaction.atomic
def evidence_link(*, evidence: EvidenceItem, incident, user) -> bool:
    _, created = IncidentEvidence.objects.get_or_create(
        evidence=evidence, incident=incident, defaults={"linked_by": user}
    )
    if created:
        custody_record(evidence=evidence, action=CustodyAction.LINKED, actor=user, incident=incident.reference)
    return created


@transaction.atomic
def evidence_unlink(*, evidence: EvidenceItem, incident, user) -> bool:
    deleted, _ = IncidentEvidence.objects.filter(evidence=evidence, incident=incident).delete()
    if deleted:
        custody_record(evidence=evidence, action=CustodyAction.UNLINKED, actor=user, incident=incident.reference)
    return bool(deleted)


@transaction.atomic
def evidence_link_claim(*, evidence: EvidenceItem, claim, relation: str, user) -> ClaimEvidence:
    link, created = ClaimEvidence.objects.update_or_create(
        evidence=evidence, claim=claim, defaults={"relation": relation, "linked_by": user}
    )
    custody_record(
        evidence=evidence,
        action=CustodyAction.LINKED,
        actor=user,
        claim=claim.pk,
        incident=claim.incident.reference,
        relation=relation,
        changed=not created,
    )
    return link


def evidence_update(*, evidence: EvidenceItem, user, data: dict[str, Any]) -> list[str]:
    """Change the description of an item (the history keeps every version). Returns the changed fields."""
    changed = [name for name, value in data.items() if getattr(evidence, name) != value]
    if changed:
        for name in changed:
            setattr(evidence, name, data[name])
        evidence._change_reason = "edited"
        evidence.full_clean()
        evidence.save()
    return changed


def verification_check_add(*, evidence: EvidenceItem, kind: str, result: str, note: str, user) -> VerificationCheck:
    check = VerificationCheck(evidence=evidence, kind=kind, result=result, note=note, performed_by=user)
    check.full_clean()
    check.save()
    return check


def evidence_record_access(*, evidence: EvidenceItem, action: str, user, **detail) -> CustodyEvent:
    """Every view of an evidence page, download of an original and export of its log is on the record."""
    return custody_record(evidence=evidence, action=action, actor=user, **detail)


# --- Processing -------------------------------------------------------------------------------


def evidence_queue_processing(evidence_id: int) -> bool:
    """Queue processing; a broker outage must not lose the upload, so the error is logged and the item stays
    pending for the sweep. Returns whether the task was handed to the broker."""
    from verify.evidence.tasks import process_evidence

    try:
        process_evidence.apply_async(args=[evidence_id], retry=False)
    except Exception:
        log.exception("Could not queue processing of evidence %s; the sweep will retry.", evidence_id)
        return False
    return True


def evidence_process(*, evidence_id: int) -> str:
    """Extract metadata, a thumbnail and a perceptual hash. Safe to run twice: a done item is left alone."""
    with transaction.atomic():
        item = EvidenceItem.objects.select_for_update().filter(pk=evidence_id).first()
        if item is None:
            return "gone"
        if item.processing_status == ProcessingStatus.DONE:
            return item.processing_status
        running_since = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        started = item.processing_queued_at
        if item.processing_status == ProcessingStatus.PROCESSING and started and started > running_since:
            return "already running"  # a duplicate message; the sweep takes over if that run died
        EvidenceItem.objects.filter(pk=item.pk).update(
            processing_status=ProcessingStatus.PROCESSING, processing_queued_at=timezone.now()
        )

    fields: dict[str, Any] = {"processing_error": ""}
    detail: dict[str, Any] = {}
    try:
        if item.is_raster_image:
            with storage.local_copy(item.storage_name) as path:
                facts = image_facts(path)
            thumb_name = storage.thumbnail_name_for(item.sha256)
            storage.put_bytes(thumb_name, facts.thumbnail)
            fields |= {
                "captured_at": facts.captured_at,
                "gps_latitude": facts.latitude,
                "gps_longitude": facts.longitude,
                "device": facts.device,
                "perceptual_hash": facts.perceptual_hash,
                "thumbnail_name": thumb_name,
            }
            detail = {
                "captured_at": facts.captured_at.isoformat() if facts.captured_at else None,
                "gps": [str(facts.latitude), str(facts.longitude)] if facts.latitude is not None else None,
                "device": facts.device,
                "perceptual_hash": facts.perceptual_hash,
                "size": [facts.width, facts.height],
                "notes": facts.notes,
            }
        status = ProcessingStatus.DONE
    except FileNotFoundError:
        status, fields["processing_error"] = ProcessingStatus.FAILED, "The stored file is missing."
    except ProcessingFailed as exc:
        status, fields["processing_error"] = ProcessingStatus.FAILED, str(exc)[:1000]
    except (DatabaseError, OSError):
        raise  # transient: the task retries with backoff
    except Exception as exc:
        log.exception("Processing evidence %s failed unexpectedly", item.pk)
        status, fields["processing_error"] = ProcessingStatus.FAILED, f"Unexpected error: {exc}"[:1000]

    with transaction.atomic():
        EvidenceItem.objects.filter(pk=item.pk).update(processing_status=status, **fields)
        custody_record(
            evidence=item, action=CustodyAction.PROCESSED, result=status, error=fields["processing_error"], **detail
        )
    return status


def evidence_reprocess(*, evidence: EvidenceItem, user) -> None:
    """Send a failed or stuck item back to the queue."""
    EvidenceItem.objects.filter(pk=evidence.pk).update(
        processing_status=ProcessingStatus.PENDING, processing_error="", processing_queued_at=timezone.now()
    )
    transaction.on_commit(partial(evidence_queue_processing, evidence.pk))


def evidence_requeue_stuck() -> int:
    """Re-queue items left pending, e.g. after the broker was down. Returns how many were handed to the broker."""
    now = timezone.now()
    stuck = EvidenceItem.objects.processing_stuck(
        queued_before=now - timedelta(seconds=settings.EVIDENCE_PROCESSING_RETRY_AFTER),
        # Well past the hard time limit and the retries' backoff: that worker is gone.
        started_before=now - timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT + 3600),
    )
    queued = 0
    for pk in stuck.values_list("pk", flat=True)[:500]:
        if evidence_queue_processing(pk):
            EvidenceItem.objects.filter(pk=pk).update(processing_queued_at=timezone.now())
            queued += 1
    return queued


# --- Fixity -----------------------------------------------------------------------------------


def evidence_fixity_check(*, evidence: EvidenceItem) -> str:
    """Re-hash the stored file and record the result as a custody event. Returns the fixity status."""
    try:
        with storage.open_stored(evidence.storage_name) as fh:
            observed, _ = sha256_stream(iter(lambda: fh.read(1024 * 1024), b""))
    except FileNotFoundError:
        status, observed = FixityStatus.MISSING, ""
    else:
        status = FixityStatus.OK if observed == evidence.sha256 else FixityStatus.CHANGED
    with transaction.atomic():
        EvidenceItem.objects.filter(pk=evidence.pk).update(fixity_status=status, fixity_checked_at=timezone.now())
        custody_record(
            evidence=evidence,
            action=CustodyAction.FIXITY_PASSED if status == FixityStatus.OK else CustodyAction.FIXITY_FAILED,
            sha256=observed,
            result=status,
            expected=evidence.sha256,
        )
    evidence.fixity_status = status
    return status
