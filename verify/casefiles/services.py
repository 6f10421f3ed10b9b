"""Writes for case files: asking for one, deciding on it, building it, retrying it and sweeping old ones."""

import logging
import tempfile
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verify.casefiles import builder, contents, signing
from verify.casefiles.models import CaseFileRequest, ErrorCode, State
from verify.casefiles.report import ReportEvidence, ReportIncident, render_report
from verify.evidence import services as evidence_services
from verify.evidence import storage as evidence_storage
from verify.evidence.models import EvidenceItem, FixityStatus
from verify.incidents.models import Incident

log = logging.getLogger(__name__)

REQUEST_PERM = "casefiles.request_casefile"
APPROVE_PERM = "casefiles.approve_casefilerequest"
PROGRESS_EVERY = 8 * 1024 * 1024


class CaseFileError(Exception):
    """The request cannot be built; `code` and `params` say why (stored on the request)."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code, params)
        self.code, self.params = code, params


class RequestRefused(ValueError):
    pass


def _now():
    return timezone.now()


def casefile_request_create(
    *,
    user,
    incidents: Iterable[Incident],
    filter_query: str = "",
    include_failed_integrity: bool = False,
    note: str = "",
    language: str = "",
) -> CaseFileRequest:
    """Record a request for these incidents (only those the user can see) and queue it, or hold it for an admin."""
    if not user.has_perm(REQUEST_PERM):
        raise RequestRefused(_("You may not request case files."))
    wanted = [i.pk for i in incidents]
    visible = list(Incident.objects.visible_to(user).filter(pk__in=wanted, merged_into__isnull=True))
    if not visible:
        raise RequestRefused(_("There is no incident to put in a case file."))
    if len(visible) > settings.CASEFILE_MAX_INCIDENTS:
        raise RequestRefused(
            _("A case file holds at most %(max)d incidents.") % {"max": settings.CASEFILE_MAX_INCIDENTS}
        )
    approval = settings.CASEFILE_REQUIRE_APPROVAL
    with transaction.atomic():
        request = CaseFileRequest.objects.create(
            requested_by=user,
            filter_query=filter_query,
            include_failed_integrity=include_failed_integrity,
            note=note,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            state=State.AWAITING_APPROVAL if approval else State.QUEUED,
            expires_at=_now() + timedelta(hours=settings.CASEFILE_REQUEST_TTL_HOURS),
        )
        request.incidents.set(visible)
        if not approval:
            transaction.on_commit(partial(casefile_queue, request.pk))
    return request


def casefile_queue(request_id: int) -> bool:
    from verify.casefiles.tasks import build_casefile

    try:
        build_casefile.apply_async(args=[request_id], retry=False)
    except Exception:
        log.exception("Could not queue case file %s; it can be retried from its page.", request_id)
        return False
    return True


@transaction.atomic
def casefile_decide(*, request: CaseFileRequest, user, approve: bool, note: str = "") -> CaseFileRequest:
    """An admin approves (the build is queued) or rejects a request. Nobody approves their own."""
    if not user.has_perm(APPROVE_PERM):
        raise RequestRefused(_("You may not approve case files."))
    fresh = CaseFileRequest.objects.select_for_update().get(pk=request.pk)
    if fresh.state != State.AWAITING_APPROVAL or fresh.expires_at <= _now():
        raise RequestRefused(_("This request is no longer waiting for approval."))
    if fresh.requested_by_id == user.pk:
        raise RequestRefused(_("Someone else must approve your own request."))
    fresh.state = State.QUEUED if approve else State.REJECTED
    fresh.decided_by, fresh.decided_at, fresh.decision_note = user, _now(), note
    fresh.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        transaction.on_commit(partial(casefile_queue, fresh.pk))
    return fresh


@transaction.atomic
def casefile_retry(*, request: CaseFileRequest, user) -> bool:
    """A failed build goes back to the queue (a stale "building" one is marked failed by the sweep first)."""
    updated = CaseFileRequest.objects.filter(pk=request.pk, requested_by=user, state=State.FAILED).update(
        state=State.QUEUED, error_code="", error_params={}, progress_done=0
    )
    if updated:
        transaction.on_commit(partial(casefile_queue, request.pk))
    return bool(updated)


# --- Building ----------------------------------------------------------------------------------------------


def _claim(request_id: int) -> CaseFileRequest | None:
    """Take a queued request for building (or one whose earlier run died, when retried by the task queue)."""
    with transaction.atomic():
        request = CaseFileRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.state not in (State.QUEUED, State.BUILDING):
            return None
        request.state, request.started_at = State.BUILDING, _now()
        request.attempts += 1
        request.progress_done = 0
        request.save(update_fields=["state", "started_at", "attempts", "progress_done"])
    return request


def _fail(request: CaseFileRequest, code: str, params: dict[str, Any]) -> None:
    CaseFileRequest.objects.filter(pk=request.pk).update(
        state=State.FAILED, error_code=code, error_params=params, finished_at=_now()
    )


def casefile_build(*, request_id: int, progress: Callable[[int], None] | None = None) -> str:
    """Build the case file of one request. Returns its final status. Any failure leaves no file and a reason."""
    request = _claim(request_id)
    if request is None:
        return "skipped"
    try:
        _build(request, progress)
    except CaseFileError as exc:
        _fail(request, exc.code, exc.params)
        return State.FAILED
    except BaseException:
        log.exception("Case file %s failed", request.pk)
        _fail(request, ErrorCode.UNEXPECTED, {})
        raise
    return State.READY


def _label(item: EvidenceItem, incident: Incident) -> dict[str, str]:
    return {"title": item.title, "sha256": item.sha256, "incident": incident.reference}


def _preflight(request: CaseFileRequest) -> tuple[list[Incident], dict[int, list[EvidenceItem]], int]:
    user = request.requested_by
    asked = list(request.incidents.order_by("reference"))
    visible = set(Incident.objects.visible_to(user).filter(pk__in=[i.pk for i in asked]).values_list("pk", flat=True))
    for incident in asked:
        if incident.pk not in visible:
            raise CaseFileError(ErrorCode.NO_LONGER_VISIBLE, incident=incident.reference)
    if not asked:
        raise CaseFileError(ErrorCode.NOTHING)
    evidence: dict[int, list[EvidenceItem]] = {}
    total = 0
    for incident in asked:
        items = contents.evidence_links(incident, user)
        for item in items:
            if not request.include_failed_integrity:
                if item.fixity_status == FixityStatus.CHANGED:
                    raise CaseFileError(ErrorCode.FIXITY_FAILED, **_label(item, incident))
                if item.fixity_status == FixityStatus.MISSING or not evidence_storage.exists(item.storage_name):
                    raise CaseFileError(ErrorCode.MISSING, **_label(item, incident))
            total += item.size_bytes
        evidence[incident.pk] = items
    return asked, evidence, total


def _build(request: CaseFileRequest, progress: Callable[[int], None] | None) -> None:
    try:
        key = signing.load_key()
    except signing.NoSigningKey:
        raise CaseFileError(ErrorCode.NO_SIGNING_KEY) from None
    incidents, evidence, total = _preflight(request)
    CaseFileRequest.objects.filter(pk=request.pk).update(progress_total=total)
    user = request.requested_by

    state = {"done": 0, "reported": 0}

    def advance(n: int) -> None:
        state["done"] += n
        if progress is not None:
            progress(state["done"])
        if state["done"] - state["reported"] >= PROGRESS_EVERY:
            state["reported"] = state["done"]
            CaseFileRequest.objects.filter(pk=request.pk).update(progress_done=state["done"])

    writer = builder.CaseFileWriter(label=request.label, progress=advance)
    exported: list[tuple[EvidenceItem, str, str, str]] = []  # item, path, observed sha256, integrity note
    try:
        with translation.override(request.language or None):
            readme = _readme(request, incidents, key)
        writer.add_bytes("README.txt", readme)
        writer.add_bytes("verify-casefile", builder.checker_path().read_bytes(), mode=0o755)
        writer.add_bytes(signing_key_name(), signing.public_key_file(key))
        report_incidents: list[ReportIncident] = []
        for incident in incidents:
            base = f"incident-{incident.reference}"
            writer.add_bytes(f"{base}/record.json", contents.to_json(contents.incident_record(incident)))
            check = contents.crosscheck_for(incident)
            items = evidence[incident.pk]
            claims_json, claims_csv = contents.claims_data(incident, check, {i.pk for i in items})
            writer.add_bytes(f"{base}/claims.json", claims_json)
            writer.add_bytes(f"{base}/claims.csv", claims_csv)
            entry = ReportIncident(incident=incident, check=check)
            for item in items:
                path, observed, integrity = _add_evidence(writer, request, item, incident, base)
                exported.append((item, path, observed, integrity))
                entry.evidence.append(
                    ReportEvidence(
                        item=item, path=path, integrity=integrity, custody=contents.custody_events(item, user)
                    )
                )
            report_incidents.append(entry)
        with tempfile.TemporaryDirectory(dir=builder.tmp_dir()) as tmp:
            pdf = Path(tmp) / "report.pdf"
            meta = {
                "generated_at": _now(),
                "requested_by": user.get_full_name() or user.get_username(),
                "evidence_count": len(exported),
                "fingerprint": signing.fingerprint(key),
            }
            render_report(pdf, label=request.label, language=request.language, incidents=report_incidents, meta=meta)
            with pdf.open("rb") as fh:
                writer.add_file("report.pdf", fh)
        final, digest, size = writer.finish(lambda manifest: signing.sign(key, manifest))
    except BaseException:
        writer.abort()
        raise
    try:
        with transaction.atomic():
            for item, path, observed, integrity in exported:
                extra = {"integrity_failed": integrity} if integrity else {}
                evidence_services.evidence_record_casefile_export(
                    evidence=item,
                    user=user,
                    casefile=request.label,
                    casefile_sha256=digest,
                    path=path,
                    sha256=observed,
                    **extra,
                )
            CaseFileRequest.objects.filter(pk=request.pk).update(
                state=State.READY,
                file_name=final.name,
                sha256=digest,
                size_bytes=size,
                evidence_count=len(exported),
                progress_done=total,
                finished_at=_now(),
                expires_at=_now() + timedelta(hours=settings.CASEFILE_KEEP_HOURS),
                error_code="",
                error_params={},
            )
    except BaseException:
        final.unlink(missing_ok=True)
        raise


def signing_key_name() -> str:
    return "signing-key.pub"


def _add_evidence(
    writer: builder.CaseFileWriter, request: CaseFileRequest, item: EvidenceItem, incident: Incident, base: str
) -> tuple[str, str, str]:
    """The original bytes, verified against the hash first recorded as they stream in, then the item's metadata,
    checks and custody log. Returns (path, hash read, integrity note: empty when intact)."""
    user = request.requested_by
    expected = evidence_services.custody_baseline(item)
    stem = f"{base}/evidence/{item.sha256}"
    path, observed, integrity = "", "", ""
    if item.fixity_status == FixityStatus.CHANGED:
        integrity = "fixity_failed"
    try:
        with evidence_storage.open_stored(item.storage_name) as fh:
            path = f"{stem}.{contents.extension_for(item)}"
            written = writer.add_file(path, fh, count=True)
        observed = written.sha256
    except FileNotFoundError:
        if not request.include_failed_integrity:
            raise CaseFileError(ErrorCode.MISSING, **_label(item, incident)) from None
        path, integrity = "", "missing"
    if observed and observed != expected:
        # Flag it as the fixity sweep would, with a custody event of its own.
        evidence_services.evidence_fixity_check(evidence=item)
        if not request.include_failed_integrity:
            raise CaseFileError(ErrorCode.CHANGED_WHILE_EXPORTING, observed=observed, **_label(item, incident))
        integrity = "changed"
    integrity_data = {
        "intact": not integrity,
        "integrity_failed": integrity or None,
        "recorded_sha256": expected,
        "observed_sha256": observed or None,
        "file": path or None,
    }
    writer.add_bytes(f"{stem}.metadata.json", contents.evidence_metadata(item, user, integrity=integrity_data))
    writer.add_bytes(f"{stem}.checks.json", contents.evidence_checks(item))
    custody_csv, custody_json = contents.evidence_custody(item, user)
    writer.add_bytes(f"{stem}.custody.csv", custody_csv)
    writer.add_bytes(f"{stem}.custody.json", custody_json)
    return path, observed, integrity


def _readme(request: CaseFileRequest, incidents: list[Incident], key) -> bytes:
    from django.template.loader import render_to_string

    text = render_to_string(
        "casefiles/README.txt",
        {
            "request": request,
            "incidents": incidents,
            "fingerprint": signing.fingerprint(key),
            "generated_at": _now(),
            "requested_by": request.requested_by.get_username(),
        },
    )
    return text.encode("utf-8")


# --- Expiry ------------------------------------------------------------------------------------------------


def casefile_sweep() -> dict[str, int]:
    """Expire old requests and remove their files; fail builds abandoned by a dead worker; clear temporary files."""
    counts = {"expired": 0, "abandoned": 0, "tmp": 0}
    for request in CaseFileRequest.objects.expired_now().order_by("pk")[:500]:
        with transaction.atomic():
            locked = CaseFileRequest.objects.select_for_update().filter(pk=request.pk).first()
            if locked is None or locked.expires_at > _now():
                continue
            if locked.file_name:
                builder.path_for(locked.file_name).unlink(missing_ok=True)
            CaseFileRequest.objects.filter(pk=locked.pk).update(state=State.EXPIRED, file_name="")
            counts["expired"] += 1
    stale = _now() - timedelta(seconds=settings.CASEFILE_TASK_TIME_LIMIT + 60)
    counts["abandoned"] = CaseFileRequest.objects.filter(state=State.BUILDING, started_at__lt=stale).update(
        state=State.FAILED, error_code=ErrorCode.INTERRUPTED, error_params={}, finished_at=_now()
    )
    counts["tmp"] = builder.sweep_tmp(older_than_seconds=settings.CASEFILE_TASK_TIME_LIMIT + 60)
    return counts
