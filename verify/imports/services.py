"""Imports in two phases: check every row (nothing written), then, as the researcher decides, import in one
transaction: the good rows only, or nothing at all.

The job's file is kept in `storage`, its live progress in `progress`; one pass over the file is an `ImportRun`
(`run`, writing in `run_write`), and the downloadable report of a check is in `report`.
"""

import logging
import os
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verify.claims.tasks import queue_recompute
from verify.imports.access import can_import
from verify.imports.detect import detect_format
from verify.imports.errors import ImportRejected
from verify.imports.models import ImportFormat, ImportJob, ImportStatus
from verify.imports.readers import FileUnreadable, read_header
from verify.imports.run import MAX_LISTED_PROBLEMS, ImportRun
from verify.imports.storage import discard_file, import_root, store_upload
from verify.incidents.tasks import queue_duplicates_refresh
from verify.lib.encoding import detect_encoding

logger = logging.getLogger(__name__)

UNEXPECTED = gettext_lazy("An unexpected error stopped the import; it has been logged for the administrators.")


def import_job_create(
    *,
    user,
    chunks: Iterable[bytes],
    filename: str,
    fmt: str,
    mapping: dict[str, str] | None = None,
    start: bool = True,
    allowed_groups: list | None = None,
) -> ImportJob:
    """Store the upload privately, detect its encoding, and queue the check (unless `start` is False)."""
    if not can_import(user):
        raise ImportRejected(_("Your role cannot import records."))
    if fmt not in ImportFormat.values:
        raise ImportRejected(_("Unknown format %(format)s.") % {"format": repr(fmt)})
    stored_name, size = store_upload(chunks)
    path = import_root() / stored_name
    with open(path, "rb") as fh:
        encoding = detect_encoding(fh)
        detected = _format_from_header(fh, encoding, fmt)
    if detected != fmt and detected == ImportFormat.MAPPED_CSV:
        start = False  # the researcher maps the columns first
    fmt = detected
    job = ImportJob(
        created_by=user,
        original_filename=os.path.basename(filename)[:255] or "upload",
        stored_name=stored_name,
        size_bytes=size,
        format=fmt,
        encoding=encoding,
        mapping=mapping or {},
        restricted=bool(allowed_groups),
    )
    try:
        job.full_clean()
        job.save()
        if allowed_groups:
            job.allowed_groups.set(allowed_groups)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if start:
        import_start(job=job)
    return job


def _format_from_header(fh, encoding: str, fmt: str) -> str:
    """The format the file's header shows, when it contradicts the chosen CSV format: an ACLED export chosen as a
    verify CSV is read as ACLED, and a CSV with neither header goes to the mapping page. JSON is left alone."""
    if fmt == ImportFormat.JSON:
        return fmt
    try:
        header = read_header(fh, encoding)
    except FileUnreadable:
        return fmt  # the check reports it, with the row
    detected = detect_format(header)
    if detected is None:
        # A header of one cell is not a table (a binary or HTML file): the check says it is not a verify CSV.
        tabular = sum(1 for h in header if h) >= 2
        return ImportFormat.MAPPED_CSV if fmt == ImportFormat.VERIFY_CSV and tabular else fmt
    if fmt in {ImportFormat.VERIFY_CSV, ImportFormat.ACLED}:
        return detected
    return fmt


def import_queue(task, job_id: int) -> bool:
    """Hand a job's task to the broker. A broker outage must not fail the request nor lose the job: the error is
    logged and the job keeps its status, which the sweep (`import_sweep`) queues again. Returns whether it was
    handed over."""
    try:
        task.apply_async(args=[job_id], retry=False)
    except Exception:
        logger.exception("Could not queue import %s; the sweep will retry.", job_id)
        return False
    return True


def import_start(*, job: ImportJob) -> None:
    from verify.imports.tasks import import_validate_task

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, updated_at=timezone.now())
    job.status = ImportStatus.QUEUED
    transaction.on_commit(lambda: import_queue(import_validate_task, job.pk))


def import_validate(*, job: ImportJob) -> ImportJob:
    """Phase one: read every row, check it, and record what an import would do. Writes nothing else."""
    job.mark(status=ImportStatus.VALIDATING, started_at=timezone.now(), failure="")
    try:
        run = ImportRun(job, write=False)
        run.execute()
    except FileUnreadable as exc:
        job.mark(status=ImportStatus.FAILED, failure=str(exc), finished_at=timezone.now())
        discard_file(job)
        return job
    except Exception:
        logger.exception("Import %s: the check failed", job.pk)
        job.mark(status=ImportStatus.FAILED, failure=UNEXPECTED, finished_at=timezone.now())
        raise
    run.save_results(status=ImportStatus.VALIDATED)
    return job


def import_confirm(
    *, job: ImportJob, good_rows_only: bool, queue: bool = True, resolutions: dict[str, dict[str, int]] | None = None
) -> None:
    """The researcher's decision after the check: import (the good rows, or everything if nothing was bad).

    `resolutions` maps names the check found no match for to chosen entities (see `ImportJob.resolutions`); the
    caller offers only entities the researcher can see, and the import checks that again.
    With `queue` False the caller runs the import itself (the command line without a worker)."""
    from verify.imports.tasks import import_commit_task

    if job.status != ImportStatus.VALIDATED:
        raise ImportRejected(_("This import is not waiting for a decision."))
    if job.rows_bad and not good_rows_only:
        raise ImportRejected(_("Some rows are bad: import the good rows only, or import nothing."))
    if job.rows_good == 0:
        raise ImportRejected(_("There is no good row to import."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.IMPORTING,
        good_rows_only=good_rows_only,
        resolutions=resolutions or {},
        failure="",
        updated_at=timezone.now(),
    )
    if not updated:
        raise ImportRejected(_("This import was already decided."))
    job.status, job.good_rows_only, job.resolutions = ImportStatus.IMPORTING, good_rows_only, resolutions or {}
    if queue:
        transaction.on_commit(lambda: import_queue(import_commit_task, job.pk))


def import_cancel(*, job: ImportJob) -> None:
    """Import nothing. The uploaded file is deleted."""
    if job.status not in {ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.QUEUED}:
        raise ImportRejected(_("This import can no longer be cancelled."))
    job.mark(status=ImportStatus.CANCELLED, finished_at=timezone.now())
    discard_file(job)


def import_commit(*, job: ImportJob) -> ImportJob:
    """Phase two: write in one transaction. With bad rows and not `good_rows_only`, nothing is written."""
    try:
        with transaction.atomic():
            # The job's row stays locked until this transaction ends, so a second delivery of the task (the sweep
            # after a lost worker, a redelivered message) waits here, then finds the job done and writes nothing.
            # A killed worker's connection closes, and PostgreSQL rolls back its work and releases the lock.
            if not ImportJob.objects.select_for_update().filter(pk=job.pk, status=ImportStatus.IMPORTING).exists():
                job.refresh_from_db()
                return job
            run = ImportRun(job, write=True)
            run.execute()
            if run.errors and not job.good_rows_only:
                raise _AbortImport
            run.save_results(status=ImportStatus.DONE)
            references = list(dict.fromkeys(run.touched))
            transaction.on_commit(partial(_after_import, references))
    except _AbortImport:
        job.mark(
            status=ImportStatus.FAILED,
            failure=_("Rows failed during the import and you asked for all or nothing: nothing was imported."),
            errors=[e.__dict__ for e in run.errors[:MAX_LISTED_PROBLEMS]],
            rows_bad=run.rows_bad,
            finished_at=timezone.now(),
        )
    except FileUnreadable as exc:
        job.mark(status=ImportStatus.FAILED, failure=str(exc), finished_at=timezone.now())
    except ImportRejected as exc:
        # A decision that no longer holds (a mapped source merged or hidden since): nothing was written, and the
        # researcher can decide again.
        job.mark(status=ImportStatus.VALIDATED, failure=str(exc))
        return job
    except Exception:
        # Everything was rolled back. The file is kept, so the researcher can decide again.
        logger.exception("Import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING).update(
            status=ImportStatus.VALIDATED,
            failure=_("%(unexpected)s Nothing was imported; you can try again.") % {"unexpected": UNEXPECTED},
        )
        raise
    discard_file(job)
    job.refresh_from_db()
    return job


class _AbortImport(Exception):
    pass


def _after_import(references: list[str]) -> None:
    """Once an import has committed: new incidents and claims were bulk-inserted (no per-row saves), so their
    derived fields (cross-check flags, suggested grades, possible duplicates) are brought up to date in batches."""
    queue_recompute(references)
    queue_duplicates_refresh(references)
