"""Writes to evidence: storing files, processing them, linking them and recording custody."""

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, BinaryIO

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from verify.evidence import inspection, media, netguard, ocr, storage, webcapture, workcopy
from verify.evidence.models import (
    Acquisition,
    CaptureRole,
    CaptureStatus,
    ClaimEvidence,
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    EvidenceKind,
    FixityStatus,
    IncidentEvidence,
    Keyframe,
    ProcessingStatus,
    VerificationCheck,
    WebCapture,
    WebCaptureItem,
    band_fields,
)
from verify.evidence.processing import ProcessingFailed, image_facts
from verify.incidents import workflow
from verify.lib.hashing import sha256_stream

log = logging.getLogger(__name__)


DOWNLOAD_CHUNK_BYTES = 1024 * 1024


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

    Deduplication never crosses visibility: the same bytes join an existing item only if the uploader can see it;
    otherwise the uploader gets an item of their own for the same stored file, and nothing is revealed about, linked
    to, or written in the log of the hidden one. The row is written only after the file is safely in place, and the
    staged file is always removed: moved to its content address, or discarded. Raises EvidenceRejected with a reason
    a person can act on.
    """
    if staged is None:
        try:
            staged = storage.StagedFile.from_chunks(chunks or [], max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES)
        except storage.FileTooLarge as exc:
            raise EvidenceRejected(str(exc)) from exc
    try:
        if staged.size == 0:
            raise EvidenceRejected(gettext("The file is empty."))
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
        # The hash's uniqueness is the database's to enforce (a concurrent upload may win at any moment): it is
        # handled below as an IntegrityError, not validated here.
        item.full_clean(validate_constraints=False)
        for _attempt in range(3):
            try:
                return _store_or_join(item, staged=staged, incident=incident, user=user)
            except IntegrityError:
                # A concurrent upload stored the same bytes a moment ago: go round again and join (or copy) theirs.
                item.pk, item._state.adding = None, True
        raise EvidenceRejected(gettext("The file could not be stored; please try again."))
    except BaseException:
        # No row, no file: unless another row owns the bytes.
        if staged.committed and not EvidenceItem.objects.filter(sha256=staged.sha256).exists():
            storage.remove_stored(storage.name_for(staged.sha256))
        raise
    finally:
        staged.discard()


@transaction.atomic
def _store_or_join(item: EvidenceItem, *, staged: storage.StagedFile, incident, user) -> StoreResult:
    # Locking the canonical row serialises all stores of these bytes; without one, the unique constraint does.
    canonical = EvidenceItem.objects.select_for_update().filter(sha256=item.sha256, canonical=True).first()
    if canonical is not None:
        existing = EvidenceItem.objects.visible_to(user).filter(sha256=item.sha256).order_by("pk").first()
        if existing is not None:
            _record_reacquisition(existing, upload=item, incident=incident, user=user)
            return StoreResult(existing, False, _link_if(existing, incident, user))
    item.canonical = canonical is None
    if not staged.committed and (item.canonical or not storage.exists(item.storage_name)):
        staged.commit()
    item.save()
    custody_record(
        evidence=item,
        action=CustodyAction.UPLOADED,
        actor=user,
        sha256=staged.sha256,
        filename=item.original_filename,
        size=item.size_bytes,
        mime_type=item.mime_type,
        extension_mismatch=item.extension_mismatch,
    )
    linked = _link_if(item, incident, user)
    transaction.on_commit(partial(evidence_queue_processing, item.pk))
    return StoreResult(item, True, linked)


def _record_reacquisition(existing: EvidenceItem, *, upload: EvidenceItem, incident, user) -> Acquisition:
    """The same bytes uploaded again (to the same incident or another): keep the uploader's source URL and notes
    as a new acquisition of the existing item, with its own custody event. Only ever an item the uploader can
    see (the caller's visible_to), so nothing is written in the log of an item hidden from them."""
    acquisition = Acquisition(
        evidence=existing,
        acquired_by=user,
        original_filename=upload.original_filename,
        source_url=upload.source_url,
        acquisition_notes=upload.acquisition_notes,
        incident=incident,
    )
    acquisition.full_clean()
    acquisition.save()
    custody_record(
        evidence=existing,
        action=CustodyAction.REACQUIRED,
        actor=user,
        acquisition=acquisition.pk,
        filename=upload.original_filename,
        source_url=upload.source_url,
        notes=upload.acquisition_notes,
        incident=incident.reference if incident is not None else "",
    )
    return acquisition


def _link_if(evidence: EvidenceItem, incident, user) -> bool:
    return evidence_link(evidence=evidence, incident=incident, user=user) if incident is not None else False


@transaction.atomic
def evidence_link(*, evidence: EvidenceItem, incident, user) -> bool:
    _, created = IncidentEvidence.objects.get_or_create(
        evidence=evidence, incident=incident, defaults={"linked_by": user}
    )
    if created:
        custody_record(evidence=evidence, action=CustodyAction.LINKED, actor=user, incident=incident.reference)
        workflow.record_change(incident=incident, by=user, change=workflow.Change.EVIDENCE_LINKED, evidence=evidence.pk)
    return created


@transaction.atomic
def evidence_unlink(*, evidence: EvidenceItem, incident, user) -> bool:
    deleted, _ = IncidentEvidence.objects.filter(evidence=evidence, incident=incident).delete()
    if deleted:
        custody_record(evidence=evidence, action=CustodyAction.UNLINKED, actor=user, incident=incident.reference)
        change = workflow.Change.EVIDENCE_UNLINKED
        workflow.record_change(incident=incident, by=user, change=change, evidence=evidence.pk)
    return bool(deleted)


@transaction.atomic
def evidence_links_move(*, source, target, user) -> tuple[int, int]:
    """A merge: move every evidence link of `source` to `target`, with an "unlinked" and (unless `target` already
    had the item) a "linked" custody event for each item. Returns (moved, already linked to the target). The
    workflow's change rule is applied by the merge itself, once."""
    moved = already = 0
    for link in IncidentEvidence.objects.select_for_update().filter(incident=source).select_related("evidence"):
        evidence = link.evidence
        if IncidentEvidence.objects.filter(incident=target, evidence=evidence).exists():
            link.delete()
            already += 1
        else:
            link.incident = target
            link.save(update_fields=["incident"])
            moved += 1
            custody_record(
                evidence=evidence,
                action=CustodyAction.LINKED,
                actor=user,
                incident=target.reference,
                merged_from=source.reference,
            )
        custody_record(
            evidence=evidence,
            action=CustodyAction.UNLINKED,
            actor=user,
            incident=source.reference,
            merged_into=target.reference,
        )
    return moved, already


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
    change = workflow.Change.EVIDENCE_LINKED
    workflow.record_change(incident=claim.incident, by=user, change=change, evidence=evidence.pk, claim=claim.pk)
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
    """Every view of an evidence page and export of its log is on the record. No file is read for either, so no
    hash is recorded: the log holds only hashes that were observed."""
    return custody_record(evidence=evidence, action=action, actor=user, sha256="", **detail)


def custody_baseline(evidence: EvidenceItem) -> str:
    """The hash observed when the bytes were stored: the first custody event, which the database keeps
    append-only, rather than a column that could be updated."""
    first = evidence.custody_events.order_by("at", "pk").values_list("sha256", flat=True).first()
    return first or evidence.sha256


def evidence_stream_download(
    *, evidence: EvidenceItem, fh: BinaryIO, user, integrity_warning: str = ""
) -> "HashingDownload":
    """The file's bytes, hashed as they are served (see HashingDownload)."""
    return HashingDownload(evidence=evidence, fh=fh, user=user, integrity_warning=integrity_warning)


class HashingDownload:
    """An iterable for a streaming response. The server closes it when the response ends, complete or not (the
    client went away); closing writes the "downloaded" event with the hash of the bytes actually served, flags a
    mismatch with the hash first recorded, and marks the item's fixity as changed if so."""

    def __init__(self, *, evidence: EvidenceItem, fh: BinaryIO, user, integrity_warning: str):
        self.evidence, self.fh, self.user, self.integrity_warning = evidence, fh, user, integrity_warning
        self.digest, self.sent, self.complete, self.closed = hashlib.sha256(), 0, False, False

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.fh.read(DOWNLOAD_CHUNK_BYTES):
            self.digest.update(chunk)
            self.sent += len(chunk)
            yield chunk
        self.complete = True

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.fh.close()
        expected = custody_baseline(self.evidence)
        observed = self.digest.hexdigest() if self.complete else ""
        mismatch = self.complete and observed != expected
        with transaction.atomic():
            custody_record(
                evidence=self.evidence,
                action=CustodyAction.DOWNLOADED,
                actor=self.user,
                sha256=observed,
                filename=self.evidence.original_filename,
                expected=expected,
                bytes=self.sent,
                complete=self.complete,
                mismatch=mismatch,
                integrity_warning=self.integrity_warning,
            )
            if mismatch:
                EvidenceItem.objects.filter(pk=self.evidence.pk).update(fixity_status=FixityStatus.CHANGED)


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
        if item.processing_status == ProcessingStatus.PROCESSING and not item.can_be_reprocessed:
            return "already running"  # a duplicate message; the sweep takes over if that run died
        EvidenceItem.objects.filter(pk=item.pk).update(
            processing_status=ProcessingStatus.PROCESSING, processing_queued_at=timezone.now()
        )

    fields: dict[str, Any] = {"processing_error": ""}
    detail: dict[str, Any] = {}
    keyframes: list[Keyframe] = []
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
                **band_fields(facts.perceptual_hash),
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
        elif item.mime_type.startswith(("video/", "audio/")):
            is_video = item.mime_type.startswith("video/")
            with storage.local_copy(item.storage_name) as path:
                media_facts = media.analyse(path, size_bytes=item.size_bytes, is_video=is_video)
            for position, frame in enumerate(media_facts.keyframes):
                name = storage.keyframe_name_for(item.sha256, position)
                storage.put_bytes(name, frame.thumbnail)
                keyframes.append(
                    Keyframe(
                        evidence_id=item.pk,
                        position=position,
                        time_seconds=frame.time_seconds,
                        thumbnail_name=name,
                        perceptual_hash=frame.perceptual_hash,
                        **band_fields(frame.perceptual_hash),
                    )
                )
            fields |= {
                "duration_seconds": media_facts.duration_seconds,
                "media_info": media_facts.as_json(),
                "thumbnail_name": keyframes[0].thumbnail_name if keyframes else "",
            }
            if media_facts.created_at is not None:
                fields["captured_at"] = media_facts.created_at
            if media_facts.latitude is not None:
                fields |= {"gps_latitude": media_facts.latitude, "gps_longitude": media_facts.longitude}
            if media_facts.device:
                fields["device"] = media_facts.device
            detail = media_facts.as_json() | {
                "captured_at": media_facts.created_at.isoformat() if media_facts.created_at else None,
                "gps": [str(media_facts.latitude), str(media_facts.longitude)]
                if media_facts.latitude is not None
                else None,
                "keyframe_hashes": [k.perceptual_hash for k in keyframes],
            }
        if item.is_raster_image or item.mime_type == "application/pdf":
            fields |= _ocr_fields(item)
            detail["ocr"] = fields["ocr_info"]
        status = ProcessingStatus.DONE
    except FileNotFoundError:
        status, fields["processing_error"] = ProcessingStatus.FAILED, "The stored file is missing."
    except ProcessingFailed as exc:
        status, fields["processing_error"] = ProcessingStatus.FAILED, str(exc)[:1000]
    except (DatabaseError, OSError):
        # Transient: the task retries with backoff. Back to pending, or the retry would read it as "already running".
        _back_to_pending(item.pk)
        raise
    except Exception as exc:
        log.exception("Processing evidence %s failed unexpectedly", item.pk)
        status, fields["processing_error"] = ProcessingStatus.FAILED, f"Unexpected error: {exc}"[:1000]

    with transaction.atomic():
        EvidenceItem.objects.filter(pk=item.pk).update(processing_status=status, **fields)
        Keyframe.objects.filter(evidence_id=item.pk).delete()
        if status == ProcessingStatus.DONE:
            Keyframe.objects.bulk_create(keyframes)
        custody_record(
            evidence=item, action=CustodyAction.PROCESSED, result=status, error=fields["processing_error"], **detail
        )
    return status


def _ocr_fields(item: EvidenceItem) -> dict[str, Any]:
    """OCR never fails the processing of a file: a file it cannot read keeps its other facts, with the reason."""
    try:
        with storage.local_copy(item.storage_name) as path:
            result = ocr.pdf_text(path) if item.mime_type == "application/pdf" else ocr.image_text(path)
    except ProcessingFailed as exc:
        return {"ocr_text": "", "ocr_info": {"error": str(exc)[:500]}}
    return {"ocr_text": result.text, "ocr_info": result.as_json()}


def _back_to_pending(evidence_id: int) -> None:
    try:
        EvidenceItem.objects.filter(pk=evidence_id, processing_status=ProcessingStatus.PROCESSING).update(
            processing_status=ProcessingStatus.PENDING
        )
    except DatabaseError:
        log.warning("Evidence %s stays 'processing' until the sweep takes it up.", evidence_id)


def evidence_reprocess(*, evidence: EvidenceItem, user) -> bool:
    """Send a failed, waiting or abandoned item back to the queue. Returns whether it was re-queued."""
    if not evidence.can_be_reprocessed:
        return False
    reset = EvidenceItem.objects.filter(
        pk=evidence.pk,
        processing_status=evidence.processing_status,
        processing_queued_at=evidence.processing_queued_at,
    ).update(processing_status=ProcessingStatus.PENDING, processing_error="", processing_queued_at=timezone.now())
    if reset:
        transaction.on_commit(partial(evidence_queue_processing, evidence.pk))
    return bool(reset)


def evidence_requeue_stuck() -> int:
    """Re-queue items left pending (the broker was down) or abandoned mid-processing (the worker died).

    An abandoned item is first put back to pending, so that the task takes it up instead of reading it as
    "already running". Returns how many were handed to the broker.
    """
    now = timezone.now()
    stuck = EvidenceItem.objects.processing_stuck(
        queued_before=now - timedelta(seconds=settings.EVIDENCE_PROCESSING_RETRY_AFTER),
        # Past the hard time limit the run is over, whatever happened to its worker.
        started_before=now
        - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + settings.EVIDENCE_PROCESSING_RETRY_AFTER),
    )
    queued = 0
    for pk, status, queued_at in stuck.values_list("pk", "processing_status", "processing_queued_at")[:500]:
        # Conditional: a run that started meanwhile keeps the item.
        taken = EvidenceItem.objects.filter(pk=pk, processing_status=status, processing_queued_at=queued_at)
        if status == ProcessingStatus.PROCESSING and not taken.update(processing_status=ProcessingStatus.PENDING):
            continue
        if evidence_queue_processing(pk):
            EvidenceItem.objects.filter(pk=pk, processing_status=ProcessingStatus.PENDING).update(
                processing_queued_at=timezone.now()
            )
            queued += 1
    return queued


# --- Redacted working copies ------------------------------------------------------------------


def evidence_redact(
    *, evidence: EvidenceItem, user, regions: list, method: str, sensitivity: str = "none"
) -> EvidenceItem:
    """A new item, derived from an image, with rectangles blurred or blacked out. The original's bytes are only
    read; its custody log records the derivation, and the copy's log its origin. The copy is linked to the
    original's incidents. Raises EvidenceRejected with a reason."""
    if not evidence.is_raster_image:
        raise EvidenceRejected(gettext("Only images can be redacted."))
    try:
        with storage.local_copy(evidence.storage_name) as path:
            data = workcopy.redact(path, regions, method)
    except (workcopy.BadRegions, ProcessingFailed) as exc:
        raise EvidenceRejected(str(exc)) from exc
    derivation = {"from": evidence.pk, "from_sha256": evidence.sha256, "method": method, "regions": regions}
    base = evidence.original_filename.rsplit(".", 1)[0] or "image"
    with transaction.atomic():
        stored = evidence_store_file(
            user=user,
            chunks=[data],
            original_filename=f"{base}-redacted.png",
            metadata={
                "title": f"{evidence.title} (redacted)"[:200],
                "kind": evidence.kind,
                "source_url": evidence.source_url,
                "acquisition_notes": evidence.acquisition_notes,
                "sensitivity": sensitivity,
            },
        )
        copy = stored.item
        if copy.derived_from_id is None and copy.pk != evidence.pk:
            EvidenceItem.objects.filter(pk=copy.pk).update(derived_from=evidence, derivation=derivation)
            copy.derived_from, copy.derivation = evidence, derivation
        for link in evidence.incident_links.select_related("incident"):
            evidence_link(evidence=copy, incident=link.incident, user=user)
        custody_record(
            evidence=evidence, action=CustodyAction.REDACTED, actor=user, derived=copy.pk,
            derived_sha256=copy.sha256, method=method, regions=regions,
        )  # fmt: skip
        custody_record(
            evidence=copy, action=CustodyAction.REDACTED, actor=user, derived_from=evidence.pk,
            from_sha256=evidence.sha256, method=method, regions=regions,
        )  # fmt: skip
    return copy


# --- Web capture ------------------------------------------------------------------------------


def capture_policy() -> "netguard.Policy":
    return netguard.Policy(
        allow_private=settings.CAPTURE_ALLOW_PRIVATE,
        allow_domains=tuple(settings.CAPTURE_ALLOW_DOMAINS),
        deny_domains=tuple(settings.CAPTURE_DENY_DOMAINS),
    )


def capture_limits() -> "webcapture.Limits":
    return webcapture.Limits(
        timeout_s=settings.CAPTURE_TIMEOUT,
        request_timeout_s=settings.CAPTURE_REQUEST_TIMEOUT,
        max_bytes=settings.CAPTURE_MAX_BYTES,
        max_redirects=settings.CAPTURE_MAX_REDIRECTS,
        max_requests=settings.CAPTURE_MAX_REQUESTS,
        media_min_bytes=settings.CAPTURE_MEDIA_MIN_BYTES,
    )


def web_capture_request(*, user, urls: list[str], incident=None) -> list[WebCapture]:
    """Record one capture per URL and queue it. Every URL is checked first (scheme, credentials, domain lists);
    if one is refused, none is recorded, and netguard.Refused says which and why."""
    policy = capture_policy()
    for url in urls:
        try:
            netguard.check_url(url, policy)
        except netguard.Refused as exc:
            raise netguard.Refused(exc.code, f"{url[:200]}: {exc}") from exc
    with transaction.atomic():
        captures = [WebCapture.objects.create(requested_url=url, incident=incident, requested_by=user) for url in urls]
    for capture in captures:
        transaction.on_commit(partial(web_capture_queue, capture.pk))
    return captures


def web_capture_queue(capture_id: int) -> bool:
    from verify.evidence.tasks import capture_web_page

    try:
        capture_web_page.apply_async(args=[capture_id], retry=False)
    except Exception:
        log.exception("Could not queue web capture %s.", capture_id)
        WebCapture.objects.filter(pk=capture_id, status=CaptureStatus.PENDING).update(
            status=CaptureStatus.FAILED, failure_code="queue", failure_detail="The task queue could not be reached."
        )
        return False
    return True


def _capture_fail(capture_id: int, code: str, detail: str) -> str:
    WebCapture.objects.filter(pk=capture_id).update(
        status=CaptureStatus.FAILED, failure_code=code[:40], failure_detail=detail[:2000]
    )
    return CaptureStatus.FAILED


CAPTURE_KIND_BY_PREFIX = {"image/": EvidenceKind.PHOTO, "video/": EvidenceKind.VIDEO, "audio/": EvidenceKind.AUDIO}


def web_capture_run(*, capture_id: int) -> str:
    """Capture the page, then store every file as an evidence item in one transaction: all of them, or, on any
    failure, none (files already moved into storage for this capture are removed again). Runs once per capture."""
    with transaction.atomic():
        capture = WebCapture.objects.select_for_update().filter(pk=capture_id).first()
        if capture is None:
            return "gone"
        if capture.status != CaptureStatus.PENDING:
            return capture.status
        WebCapture.objects.filter(pk=capture_id).update(status=CaptureStatus.RUNNING)

    workdir = storage.tmp_dir() / f"capture-{capture_id}-{timezone.now():%Y%m%d%H%M%S%f}"
    try:
        try:
            result = webcapture.capture(
                capture.requested_url,
                workdir,
                policy=capture_policy(),
                limits=capture_limits(),
                user_agent=settings.CAPTURE_USER_AGENT,
            )
        except (netguard.Refused, webcapture.CaptureFailed) as exc:
            return _capture_fail(capture_id, exc.code, str(exc))
        except Exception as exc:
            log.exception("Web capture %s failed unexpectedly", capture_id)
            return _capture_fail(capture_id, "unexpected", f"Unexpected error: {exc}")
        try:
            return _capture_store(capture, result)
        except EvidenceRejected as exc:
            return _capture_fail(capture_id, "rejected", str(exc))
    finally:
        webcapture.discard(workdir)


def _capture_store(capture: WebCapture, result: "webcapture.CaptureResult") -> str:
    committed: list[str] = []
    skipped: list[dict] = []
    try:
        with transaction.atomic():
            for captured in result.files:
                try:
                    staged = storage.StagedFile.from_chunks(
                        _file_chunks(captured.path), max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES
                    )
                except storage.FileTooLarge as exc:
                    raise EvidenceRejected(str(exc)) from exc
                source = captured.url or result.final_url
                kind = EvidenceKind.WEB_CAPTURE
                if captured.role == CaptureRole.MEDIA:
                    mime = inspection.sniff_mime(staged.path)
                    kind = next((k for p, k in CAPTURE_KIND_BY_PREFIX.items() if mime.startswith(p)), kind)
                metadata = {
                    "title": f"{(result.title or result.final_url)[:160]} · {captured.role}"[:200],
                    "kind": kind,
                    "source_url": source if len(source) <= 1000 else "",
                    "acquisition_notes": f"Web capture #{capture.pk} of {result.requested_url[:500]} "
                    f"at {result.captured_at:%Y-%m-%d %H:%M:%S} UTC",
                }
                try:
                    stored = evidence_store_file(
                        user=capture.requested_by,
                        staged=staged,
                        original_filename=captured.filename,
                        metadata=metadata,
                        incident=capture.incident,
                    )
                except EvidenceRejected as exc:
                    if captured.role != CaptureRole.MEDIA:
                        raise
                    skipped.append({"url": captured.url[:500], "reason": str(exc)[:300]})
                    continue
                if stored.created:
                    committed.append(stored.item.storage_name)
                WebCaptureItem.objects.create(
                    capture=capture, evidence=stored.item, role=captured.role, url=captured.url
                )
                custody_record(
                    evidence=stored.item,
                    action=CustodyAction.CAPTURED,
                    actor=capture.requested_by,
                    capture=capture.pk,
                    role=captured.role,
                    requested_url=result.requested_url[:1000],
                    final_url=result.final_url[:1000],
                    url=captured.url[:1000],
                    captured_at=result.captured_at.isoformat() if result.captured_at else None,
                    user_agent=result.user_agent,
                )
            WebCapture.objects.filter(pk=capture.pk).update(
                status=CaptureStatus.DONE,
                final_url=result.final_url,
                redirects=result.redirects,
                http_status=result.http_status,
                title=result.title,
                user_agent=result.user_agent[:500],
                captured_at=result.captured_at,
                blocked=result.blocked[:200] + [{"skipped": s} for s in skipped],
                requests=result.requests,
                bytes_fetched=result.bytes_fetched,
            )
    except BaseException:
        for name in committed:
            sha = name.rsplit("/", 1)[-1]
            if not EvidenceItem.objects.filter(sha256=sha).exists():
                storage.remove_stored(name)
        raise
    return CaptureStatus.DONE


def _file_chunks(path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            yield chunk


# --- Fixity -----------------------------------------------------------------------------------


def evidence_fixity_check(*, evidence: EvidenceItem) -> str:
    """Re-hash the stored file and record the result as a custody event. Returns the fixity status."""
    try:
        with storage.open_stored(evidence.storage_name) as fh:
            observed, _ = sha256_stream(iter(lambda: fh.read(1024 * 1024), b""))
    except FileNotFoundError:
        status, observed = FixityStatus.MISSING, ""
    expected = custody_baseline(evidence)
    if observed:
        status = FixityStatus.OK if observed == expected else FixityStatus.CHANGED
    with transaction.atomic():
        EvidenceItem.objects.filter(pk=evidence.pk).update(fixity_status=status, fixity_checked_at=timezone.now())
        custody_record(
            evidence=evidence,
            action=CustodyAction.FIXITY_PASSED if status == FixityStatus.OK else CustodyAction.FIXITY_FAILED,
            sha256=observed,
            result=status,
            expected=expected,
        )
    evidence.fixity_status = status
    return status


# --- Case files ---------------------------------------------------------------------------------


def evidence_record_casefile_export(
    *, evidence: EvidenceItem, user, casefile: str, casefile_sha256: str, path: str, sha256: str, **detail
) -> CustodyEvent:
    """An item exported in a case file (verify.casefiles): `sha256` is the hash of the bytes read into the archive,
    `casefile_sha256` the finished case file's own, so that a copy handed over can be matched with this record."""
    return custody_record(
        evidence=evidence,
        action=CustodyAction.EXPORTED,
        actor=user,
        sha256=sha256,
        casefile=casefile,
        casefile_sha256=casefile_sha256,
        path=path,
        **detail,
    )
