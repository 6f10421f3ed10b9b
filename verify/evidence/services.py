"""Writes to evidence: storing files, linking them and recording custody."""

from collections.abc import Iterable
from typing import Any

import magic
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from verify.evidence import storage
from verify.evidence.models import CustodyAction, CustodyEvent, EvidenceItem, FixityStatus, IncidentEvidence
from verify.lib.hashing import sha256_path


class EvidenceRejected(Exception):
    pass


def custody_record(*, evidence: EvidenceItem, action: str, actor=None, sha256: str = "", **detail) -> CustodyEvent:
    return CustodyEvent.objects.create(
        evidence=evidence, action=action, actor=actor, sha256=sha256 or evidence.sha256, detail=detail
    )


def evidence_store(
    *, user, chunks: Iterable[bytes], original_filename: str, metadata: dict[str, Any], incident=None
) -> tuple[EvidenceItem, bool]:
    """Store a file once by its content. Returns the item and whether it was new.

    The row is written only after the file is safely in place; if anything fails the staged file is removed.
    """
    staged = storage.StagedFile(chunks, max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES)
    try:
        if staged.size == 0:
            raise EvidenceRejected("The file is empty.")
        existing = EvidenceItem.objects.filter(sha256=staged.sha256).first()
        if existing:
            staged.discard()
            if incident is not None:
                evidence_link(evidence=existing, incident=incident, user=user)
            return existing, False
        mime_type = magic.from_buffer(staged.head, mime=True)
        item = EvidenceItem(
            sha256=staged.sha256,
            size_bytes=staged.size,
            mime_type=mime_type,
            original_filename=original_filename[:255],
            storage_name=storage.name_for(staged.sha256),
            uploaded_by=user,
            **metadata,
        )
        item.full_clean()
        staged.commit()
        try:
            with transaction.atomic():
                item.save()
                custody_record(evidence=item, action=CustodyAction.UPLOADED, actor=user, filename=original_filename)
                if incident is not None:
                    evidence_link(evidence=item, incident=incident, user=user)
        except BaseException:
            # No row, no file: unless a concurrent upload of the same bytes owns it now.
            if not EvidenceItem.objects.filter(sha256=staged.sha256).exists():
                storage.path_for(item.storage_name).unlink(missing_ok=True)
            raise
        return item, True
    except BaseException:
        staged.discard()
        raise


@transaction.atomic
def evidence_link(*, evidence: EvidenceItem, incident, user) -> bool:
    _, created = IncidentEvidence.objects.get_or_create(
        evidence=evidence, incident=incident, defaults={"linked_by": user}
    )
    if created:
        custody_record(evidence=evidence, action=CustodyAction.LINKED, actor=user, incident=incident.reference)
    return created


def evidence_fixity_check(*, evidence: EvidenceItem) -> str:
    """Re-hash the stored file and record the result as a custody event. Returns the fixity status."""
    path = storage.path_for(evidence.storage_name)
    if not path.exists():
        status, observed = FixityStatus.MISSING, ""
    else:
        observed, _ = sha256_path(path)
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
