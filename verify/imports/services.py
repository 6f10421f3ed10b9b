"""Imports in two phases: check every row (nothing written), then, as the researcher decides, import in one
transaction: the good rows only, or nothing at all.

A row becomes an incident plus the claim of the row's source. Rows are matched to incidents by reference (an
incident of this database) or external id, and claims by (incident, source, URL, publication date, stance), so
importing the same file again updates what it created and adds nothing.
"""

import csv
import io
import logging
import os
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from verify.claims import services as claim_services
from verify.claims.models import Actor, Claim, Source
from verify.claims.tasks import queue_recompute
from verify.core.choices import Reliability
from verify.gazetteer.geocode import Gazetteer
from verify.gazetteer.models import Place
from verify.imports.models import ImportFormat, ImportJob, ImportStatus
from verify.imports.readers import FileUnreadable, iter_rows
from verify.imports.rows import ParsedRow, RowError, parse_row
from verify.incidents import services as incident_services
from verify.incidents import workflow
from verify.incidents.models import Incident
from verify.incidents.tasks import queue_duplicates_refresh
from verify.lib.csvsafe import escape_cell
from verify.lib.encoding import detect_encoding

logger = logging.getLogger(__name__)

IMPORT_PERMISSIONS = ("incidents.add_incident", "incidents.change_incident", "claims.add_claim", "claims.change_claim")
PROGRESS_EVERY = 200
MAX_LISTED_PROBLEMS = 10_000
MAX_LINKED_REFERENCES = 200
UNEXPECTED = "An unexpected error stopped the import; it has been logged for the administrators."
BATCH_SIZE = 500
# A new incident whose external id a hidden incident already holds keeps it with this separator and a suffix.
HIDDEN_ID_SEPARATOR = "~"
HIDDEN_ID_SUFFIX_LENGTH = 8


class ImportRejected(Exception):
    pass


def can_import(user) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS)


# --- Storage: the uploaded file is private and lives only as long as its job --------------------------------------


def import_root() -> Path:
    return Path(settings.IMPORT_ROOT)


def job_path(job: ImportJob) -> Path:
    path = (import_root() / job.stored_name).resolve()
    if import_root().resolve() not in path.parents:
        raise ValueError("Import path escapes the import root.")
    return path


def _store_upload(chunks: Iterable[bytes]) -> tuple[str, int]:
    import_root().mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.upload"
    path = import_root() / name
    size = 0
    try:
        with open(path, "xb") as out:
            os.chmod(path, 0o600)
            for chunk in chunks:
                size += len(chunk)
                if size > settings.IMPORT_MAX_UPLOAD_BYTES:
                    raise ImportRejected(f"The file is larger than {settings.IMPORT_MAX_UPLOAD_BYTES:,} bytes.")
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise ImportRejected("The file is empty.")
    return name, size


def _discard_file(job: ImportJob) -> None:
    if job.stored_name:
        job_path(job).unlink(missing_ok=True)


# --- Progress: kept in a cache, since the import's own writes stay invisible until its transaction commits -------


def _progress_key(job: ImportJob, phase: str) -> str:
    # A random name: no clash between databases sharing one Redis. One key per phase, so the import does not
    # start from where the check ended.
    return f"import-progress:{job.stored_name}:{phase}"


def progress_set(job: ImportJob, position: int, rows: int, *, phase: str = ImportStatus.VALIDATING) -> None:
    try:
        caches["imports"].set(_progress_key(job, phase), {"position": position, "rows": rows}, timeout=6 * 3600)
    except Exception:
        logger.warning("Could not record progress of import %s", job.pk, exc_info=True)


def _live_progress(job: ImportJob, phase: str) -> dict[str, int] | None:
    try:
        return caches["imports"].get(_progress_key(job, phase))
    except Exception:
        return None


def progress_get(job: ImportJob) -> dict[str, Any]:
    """What the status page shows: status from the database, live progress from the cache while running.

    The check is measured in bytes read (the number of rows is not known yet); the import in rows written out of
    the rows the check counted. Neither shows 100 % before the database says the phase is over."""
    percent, rows = job.progress_percent, job.rows_total
    if job.status == ImportStatus.IMPORTING:
        live = _live_progress(job, ImportStatus.IMPORTING) or {"rows": 0}
        rows = live["rows"]
        percent = min(99, int(100 * rows / job.rows_total)) if job.rows_total else 0
    elif job.is_running:
        live = _live_progress(job, ImportStatus.VALIDATING) or {"position": 0, "rows": 0}
        rows = live["rows"]
        percent = min(99, int(100 * live["position"] / job.size_bytes)) if job.size_bytes else 0
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": job.get_status_display(),
        "running": job.is_running,
        "percent": percent,
        "rows": rows,
        "rows_bad": job.rows_bad,
        "summary": job.summary,
        "failure": job.failure,
    }


# --- Jobs ---------------------------------------------------------------------------------------------------------


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
        raise ImportRejected("Your role cannot import records.")
    if fmt not in ImportFormat.values:
        raise ImportRejected(f"Unknown format {fmt!r}.")
    stored_name, size = _store_upload(chunks)
    path = import_root() / stored_name
    with open(path, "rb") as fh:
        encoding = detect_encoding(fh)
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
    _mark(job, status=ImportStatus.VALIDATING, started_at=timezone.now(), failure="")
    try:
        run = ImportRun(job, write=False)
        run.execute()
    except FileUnreadable as exc:
        _mark(job, status=ImportStatus.FAILED, failure=str(exc), finished_at=timezone.now())
        _discard_file(job)
        return job
    except Exception:
        logger.exception("Import %s: the check failed", job.pk)
        _mark(job, status=ImportStatus.FAILED, failure=UNEXPECTED, finished_at=timezone.now())
        raise
    run.save_results(status=ImportStatus.VALIDATED)
    return job


def import_confirm(*, job: ImportJob, good_rows_only: bool, queue: bool = True) -> None:
    """The researcher's decision after the check: import (the good rows, or everything if nothing was bad).

    With `queue` False the caller runs the import itself (the command line without a worker)."""
    from verify.imports.tasks import import_commit_task

    if job.status != ImportStatus.VALIDATED:
        raise ImportRejected("This import is not waiting for a decision.")
    if job.rows_bad and not good_rows_only:
        raise ImportRejected("Some rows are bad: import the good rows only, or import nothing.")
    if job.rows_good == 0:
        raise ImportRejected("There is no good row to import.")
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.IMPORTING, good_rows_only=good_rows_only, updated_at=timezone.now()
    )
    if not updated:
        raise ImportRejected("This import was already decided.")
    job.status, job.good_rows_only = ImportStatus.IMPORTING, good_rows_only
    if queue:
        transaction.on_commit(lambda: import_queue(import_commit_task, job.pk))


def import_cancel(*, job: ImportJob) -> None:
    """Import nothing. The uploaded file is deleted."""
    if job.status not in {ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.QUEUED}:
        raise ImportRejected("This import can no longer be cancelled.")
    _mark(job, status=ImportStatus.CANCELLED, finished_at=timezone.now())
    _discard_file(job)


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
        _mark(
            job,
            status=ImportStatus.FAILED,
            failure="Rows failed during the import and you asked for all or nothing: nothing was imported.",
            errors=[e.__dict__ for e in run.errors[:MAX_LISTED_PROBLEMS]],
            rows_bad=run.rows_bad,
            finished_at=timezone.now(),
        )
    except FileUnreadable as exc:
        _mark(job, status=ImportStatus.FAILED, failure=str(exc), finished_at=timezone.now())
    except Exception:
        # Everything was rolled back. The file is kept, so the researcher can decide again.
        logger.exception("Import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING).update(
            status=ImportStatus.VALIDATED, failure=UNEXPECTED + " Nothing was imported; you can try again."
        )
        raise
    _discard_file(job)
    job.refresh_from_db()
    return job


class _AbortImport(Exception):
    pass


def _mark(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


# --- One pass over the file -------------------------------------------------------------------------------------


class ImportRun:
    """Reads the job's file once. Without `write` it only predicts; with it, it writes through the services."""

    def __init__(self, job: ImportJob, *, write: bool, on_progress: Callable[[int, int], None] | None = None):
        self.job, self.write, self.user = job, write, job.created_by
        phase = ImportStatus.IMPORTING if write else ImportStatus.VALIDATING
        self.on_progress = on_progress or (lambda position, rows: progress_set(job, position, rows, phase=phase))
        self.gazetteer = Gazetteer()
        self.visible = set(Incident.objects.visible_to(self.user).values_list("pk", flat=True))
        self._load_known_incidents()
        # Only the names this user may see: a hidden one is predicted as new, like any unknown name.
        self.sources = {s.name.casefold(): s for s in Source.objects.visible_to(self.user)}
        self.actors: dict[str, Actor] = {}
        for actor in Actor.objects.visible_to(self.user):
            self.actors[actor.name.casefold()] = actor
            if actor.short_name:
                self.actors.setdefault(actor.short_name.casefold(), actor)
        self.places: dict[int, Place] = {}
        # Incident key -> (first row, incident pk or None when it is new, a digest of its incident fields).
        self.seen: dict[str, tuple[int, int | None, int]] = {}
        self.claim_keys: dict[tuple, int] = {}
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.rows_total = self.rows_bad = 0
        self.counts = dict.fromkeys(
            ("incidents_created", "incidents_updated", "incidents_unchanged", "claims_created", "claims_updated",
             "claims_unchanged"), 0)  # fmt: skip
        self.new_sources: set[str] = set()
        self.new_actors: set[str] = set()
        self.ignored_columns_noted = False
        self.touched: list[str] = []  # references of the incidents imported, for links on the result page
        self.group_ids = list(job.allowed_groups.values_list("pk", flat=True)) if job.restricted else []
        self.restricted_origin = bool(self.group_ids)  # names first given by a restricted import stay restricted
        self.targets: dict[str, Incident | int] = {}  # incident key -> the incident pending, or its id once saved
        self.next_numbers: dict[int, int] = {}
        self.pending_incidents: list[Incident] = []
        self.pending_claims: list[Claim] = []
        self.created_ids: set[int] = set()  # incidents this import created (their claims change nothing reviewed)
        self.claims: dict[tuple, Claim] = {}
        self.claims_loaded: set[int] = set()
        self.existing_claim_keys: dict[int, set[tuple]] = {}
        self.checked_versions: dict[str, int] = {}
        self.savepoint: str | None = None

    def _load_known_incidents(self) -> None:
        """References and external ids of the incidents this user can see, in one pass over all incidents.

        An incident the user cannot see is simply not known here: its reference or external id gets exactly the
        answer an unknown one gets (a new incident), so the check confirms nothing about it and never writes to
        it. External ids are unique in the database, so a new incident whose external id a hidden one holds
        stores it with a short suffix (`HIDDEN_ID_SEPARATOR`), and later imports find it again by the plain id.
        """
        self.references, self.titles, self.external_ids, self.external_titles = {}, {}, {}, {}
        self.hidden_external_ids: set[str] = set()
        rows = list(Incident.objects.values_list("pk", "reference", "external_id", "title", "merged_into_id"))
        merged = {pk: merged_into for pk, _, _, _, merged_into in rows if merged_into}
        aliases: dict[str, tuple[int, str]] = {}
        for pk, reference, external_id, title, _ in rows:
            target, hops = pk, 0
            while target in merged and hops < 20:
                target, hops = merged[target], hops + 1
            if target not in self.visible:
                if external_id:
                    self.hidden_external_ids.add(external_id)
                continue
            self.references[reference], self.titles[reference] = target, title
            if external_id:
                self.external_ids[external_id], self.external_titles[external_id] = target, title
                base, sep, tail = external_id.rpartition(HIDDEN_ID_SEPARATOR)
                if sep and len(tail) == HIDDEN_ID_SUFFIX_LENGTH:
                    aliases[base] = (target, title)
        for base, (target, title) in aliases.items():
            if base not in self.external_ids:
                self.external_ids[base], self.external_titles[base] = target, title

    def execute(self) -> None:
        job = self.job
        with open(job_path(job), "rb") as fh:
            position = 0
            for raw in iter_rows(fh, fmt=job.format, encoding=job.encoding, mapping=job.mapping):
                self.rows_total += 1
                position = raw.position
                if raw.problems:
                    self._bad([RowError(raw.number, column, message) for column, message in raw.problems])
                else:
                    self._row(raw.number, raw.values)
                if self.rows_total % PROGRESS_EVERY == 0:
                    self.on_progress(position, self.rows_total)
            if self.write:
                self.flush()
            self.on_progress(position, self.rows_total)
        if self.rows_total == 0:
            raise FileUnreadable("The file has a header but no rows.")

    def _bad(self, errors: list[RowError]) -> None:
        self.rows_bad += 1
        self.errors.extend(errors)

    def _row(self, number: int, values: dict[str, str]) -> None:
        if values.get("status") or values.get("grade"):
            self._note_ignored_columns(number)
        parsed = parse_row(
            number,
            values,
            gazetteer=self.gazetteer,
            known_references=self.titles,
            known_external_ids=self.external_titles,
        )
        if isinstance(parsed, list):
            self._bad(parsed)
            return
        self._note_repeated_incident(parsed)
        if not self.write:
            self._predict(parsed)
            self.warnings.extend(parsed.warnings)
            return
        # New records are checked in full before anything is kept. Changes to existing ones go through the services;
        # the first of them opens a savepoint, so a row that fails half-way is undone alone (and an unchanged row,
        # the common case of a re-import, costs no savepoint at all).
        self.savepoint, counts = None, dict(self.counts)
        try:
            self._write(parsed)
        except ValidationError as exc:
            if self.savepoint:
                transaction.savepoint_rollback(self.savepoint)
                self.counts = counts
                self.targets.pop(parsed.key, None)
                self.flush()  # then forget cached objects that the rollback may have made stale
                self.claims.clear()
                self.claims_loaded.clear()
            self._bad([RowError(number, column, message) for column, message in _messages(exc)])
            return
        if self.savepoint:
            transaction.savepoint_commit(self.savepoint)
        self.warnings.extend(parsed.warnings)

    def _before_change(self) -> None:
        if self.savepoint is None:
            self.savepoint = transaction.savepoint()

    def _note_ignored_columns(self, number: int) -> None:
        if not self.ignored_columns_noted:
            self.ignored_columns_noted = True
            self.warnings.append(
                RowError(
                    number,
                    "status",
                    "The status and grade columns are not imported: an imported record starts as a draft and is "
                    "graded in review.",
                )
            )

    def _incident_pk(self, parsed: ParsedRow) -> int | None:
        if parsed.key in self.seen:
            return self.seen[parsed.key][1]
        return self.references.get(parsed.reference) if parsed.reference else self.external_ids.get(parsed.external_id)

    def _note_repeated_incident(self, parsed: ParsedRow) -> None:
        first = self.seen.get(parsed.key)
        if first and first[2] != _digest(parsed.incident):
            parsed.warnings.append(
                RowError(
                    parsed.number,
                    "",
                    f"The incident columns differ from row {first[0]} of the same incident; "
                    f"row {first[0]}'s values were kept.",
                )
            )

    def _predict(self, parsed: ParsedRow) -> None:
        pk = self._incident_pk(parsed)
        if parsed.key not in self.seen:
            self.counts["incidents_updated" if pk else "incidents_created"] += 1
            self.seen[parsed.key] = (parsed.number, pk, _digest(parsed.incident))
            if pk:
                self.checked_versions[str(pk)] = Incident.objects.values_list("version", flat=True).get(pk=pk)
        if parsed.claim is None:
            return
        source = self.sources.get(parsed.source_name.casefold())
        if source is None:
            self.new_sources.add(parsed.source_name)
        if parsed.perpetrator_name and parsed.perpetrator_name.casefold() not in self.actors:
            self.new_actors.add(parsed.perpetrator_name)
        source_key = source.pk if source else parsed.source_name.casefold()
        key = (parsed.key, source_key, parsed.claim["url"], parsed.claim["published_on"], parsed.claim["stance"])
        exists = key in self.claim_keys or (
            pk is not None and source is not None and key[1:] in self._existing_claim_keys(pk)
        )
        self.claim_keys[key] = parsed.number
        self.counts["claims_updated" if exists else "claims_created"] += 1

    # Writing. New incidents and claims are validated one by one (the model's field and clean() rules; the foreign
    # keys are objects loaded here) and inserted in batches with their history, which is what makes 10,000 rows
    # take seconds rather than minutes. Changes to existing records go through the services, one by one.

    def _write(self, parsed: ParsedRow) -> None:
        data = dict(parsed.incident)
        data["place"] = self._place(data.pop("place_id"))
        incident = self.targets.get(parsed.key)
        if isinstance(incident, int):  # imported earlier in this run and already flushed
            incident = Incident.objects.get(pk=incident)
        pk = self._incident_pk(parsed) if incident is None else incident.pk
        new_incident = None
        if incident is None and pk is None:
            external_id = self._free_external_id(parsed.external_id)
            new_incident = Incident(**data, external_id=external_id, created_by=self.user)
            _validate(new_incident)
        if parsed.claim is not None:
            # Checked before anything is kept, so a bad claim never leaves its incident half-imported.
            _validate(Claim(incident=new_incident or incident, **parsed.claim))
        if new_incident is not None:
            incident = self._add_incident(new_incident)
            self.counts["incidents_created"] += 1
        elif incident is None:
            incident = Incident.objects.select_related("last_edited_by").get(pk=pk)
            checked = self.job.checked_versions.get(str(pk))
            if checked is not None and checked != incident.version:
                editor = incident.last_edited_by
                who = (editor.get_full_name() or editor.username) if editor else "someone"
                raise ValidationError(
                    f"{incident.reference} was changed by {who} after the check "
                    f"(version {checked}, now {incident.version}); it was not overwritten. Check the file again."
                )
            # Only a real change is saved: an unchanged re-import leaves versions and history alone.
            changed = False
            if _differs(incident, data):
                self._before_change()
                changed = incident_services.incident_update(
                    incident=incident, user=self.user, data=data, expected_version=incident.version
                )
            self.counts["incidents_updated" if changed else "incidents_unchanged"] += 1
            self.touched.append(incident.reference)
        self.targets[parsed.key] = incident
        self.seen.setdefault(parsed.key, (parsed.number, incident.pk, _digest(parsed.incident)))
        if parsed.claim is not None:
            self._write_claim(incident, parsed)
        if len(self.pending_incidents) >= BATCH_SIZE or len(self.pending_claims) >= BATCH_SIZE:
            self.flush()

    def _free_external_id(self, external_id: str) -> str:
        if external_id not in self.hidden_external_ids:
            return external_id
        suffix = HIDDEN_ID_SEPARATOR + uuid.uuid4().hex[:HIDDEN_ID_SUFFIX_LENGTH]
        return external_id[: Incident._meta.get_field("external_id").max_length - len(suffix)] + suffix

    def _add_incident(self, incident: Incident) -> Incident:
        year = (incident.date_start or timezone.localdate()).year
        if year not in self.next_numbers:
            self.next_numbers[year] = int(incident_services.next_reference(year=year).rsplit("-", 1)[1])
        incident.reference = f"{settings.VERIFY_REFERENCE_PREFIX}-{year}-{self.next_numbers[year]:04d}"
        self.next_numbers[year] += 1
        incident.last_edited_by = self.user
        incident.restricted = bool(self.group_ids)
        self.pending_incidents.append(incident)
        self.touched.append(incident.reference)
        return incident

    def _write_claim(self, incident: Incident, parsed: ParsedRow) -> None:
        data = dict(parsed.claim)
        data["source"] = self._source(parsed.source_name)
        data["perpetrator"] = self._actor(parsed.perpetrator_name) if parsed.perpetrator_name else None
        key = self._claim_key(incident, data)
        if key not in self.claims and incident.pk is not None and incident.pk not in self.claims_loaded:
            self.claims_loaded.add(incident.pk)
            for claim in Claim.objects.filter(incident=incident).order_by("-pk"):
                self.claims[self._claim_key(incident, vars(claim) | {"source": claim.source_id})] = claim
        existing = self.claims.get(key)
        if existing is None:
            claim = Claim(incident=incident, created_by=self.user, last_edited_by=self.user, **data)
            _validate(claim)
            self.pending_claims.append(claim)
            self.claims[key] = claim
            self.counts["claims_created"] += 1
        elif existing.pk is None:  # the same claim twice in this file: the later row wins
            for name, value in data.items():
                setattr(existing, name, value)
            _validate(existing)
        else:
            changed = False
            if _differs(existing, data):
                self._before_change()
                changed = claim_services.claim_update(
                    claim=existing, user=self.user, data=data, expected_version=existing.version
                )
            self.counts["claims_updated" if changed else "claims_unchanged"] += 1

    @staticmethod
    def _claim_key(incident: Incident, claim: dict[str, Any]) -> tuple:
        source = claim["source"]
        return (
            incident.pk or id(incident),
            source if isinstance(source, int) else source.pk,
            claim["url"],
            claim["published_on"],
            claim["stance"],
        )

    def flush(self) -> None:
        reason = f"imported:{self.job.pk}"
        if self.pending_incidents:
            bulk_create_with_history(
                self.pending_incidents, Incident, default_user=self.user, default_change_reason=reason
            )
            Incident.allowed_groups.through.objects.bulk_create(
                [
                    Incident.allowed_groups.through(incident_id=incident.pk, group_id=group_id)
                    for incident in self.pending_incidents
                    for group_id in self.group_ids
                ]
            )
            for incident in self.pending_incidents:
                self.created_ids.add(incident.pk)
                self.external_ids[incident.external_id] = incident.pk
                self.visible.add(incident.pk)
                self.claims_loaded.add(incident.pk)  # it has no claims but those pending here
            self.pending_incidents = []
        if self.pending_claims:
            for claim in self.pending_claims:
                claim.incident = claim.incident  # picks up the incident's new primary key
            bulk_create_with_history(self.pending_claims, Claim, default_user=self.user, default_change_reason=reason)
            # New claims on records that existed before this import are a substantive change: the workflow's rule
            # (a verified record goes back to review) applies as it does on the page.
            for incident_id in sorted({c.incident_id for c in self.pending_claims} - self.created_ids):
                workflow.record_change(
                    incident=Incident.objects.get(pk=incident_id),
                    by=self.user,
                    change=workflow.Change.IMPORTED,
                    job=self.job.pk,
                )
            self.pending_claims = []
        # Keep ids, not objects, so memory stays flat however long the file: a later row of an incident flushed
        # here reloads it, and its claims, from the database.
        for key, incident in self.targets.items():
            if not isinstance(incident, int):
                self.targets[key] = incident.pk
        self.claims.clear()
        self.claims_loaded.clear()

    def _existing_claim_keys(self, incident_pk: int) -> set[tuple]:
        """(source, url, published_on, stance) of an existing incident's claims, read once per incident."""
        if incident_pk not in self.existing_claim_keys:
            self.existing_claim_keys[incident_pk] = set(
                Claim.objects.filter(incident_id=incident_pk).values_list("source_id", "url", "published_on", "stance")
            )
        return self.existing_claim_keys[incident_pk]

    def _place(self, place_id: int | None) -> Place | None:
        if place_id is None:
            return None
        if place_id not in self.places:
            self.places[place_id] = Place.objects.get(pk=place_id)
        return self.places[place_id]

    def _source(self, name: str) -> Source:
        key = name.casefold()
        if key not in self.sources:
            self.sources[key] = claim_services.source_create(
                data={
                    "name": name,
                    "reliability": Reliability.F,
                    "notes": f"Added by the import of {self.job.original_filename}: rate its reliability.",
                    "restricted_origin": self.restricted_origin,
                },
                user=self.user,
            )
            self.new_sources.add(name)
        return self.sources[key]

    def _actor(self, name: str) -> Actor:
        key = name.casefold()
        if key not in self.actors:
            self.actors[key] = claim_services.actor_create(
                data={
                    "name": name,
                    "description": f"Added by the import of {self.job.original_filename}.",
                    "restricted_origin": self.restricted_origin,
                }
            )
            self.new_actors.add(name)
        return self.actors[key]

    def save_results(self, *, status: str) -> None:
        summary = dict(self.counts)
        summary["sources_created" if self.write else "sources_to_create"] = sorted(self.new_sources)
        summary["actors_created" if self.write else "actors_to_create"] = sorted(self.new_actors)
        if self.write:
            summary["references"] = self.touched[:MAX_LINKED_REFERENCES]
        _mark(
            self.job,
            status=status,
            rows_total=self.rows_total,
            rows_bad=self.rows_bad,
            progress_bytes=self.job.size_bytes,
            summary=summary,
            errors=[e.__dict__ for e in self.errors[:MAX_LISTED_PROBLEMS]],
            warnings=[w.__dict__ for w in self.warnings[:MAX_LISTED_PROBLEMS]],
            finished_at=timezone.now() if status == ImportStatus.DONE else None,
            **({} if self.write else {"checked_versions": self.checked_versions}),
        )


def _validate(instance) -> None:
    """The model's own rules without a query per row: foreign keys hold objects loaded by the run, the database
    constraints are checked by the row form and enforced again by the database at insert."""
    foreign_keys = [f.name for f in instance._meta.fields if f.is_relation]
    instance.clean_fields(exclude=foreign_keys)
    instance.clean()


def _digest(fields: dict[str, Any]) -> int:
    return hash(tuple(sorted(fields.items())))


def _differs(instance, data: dict[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in data.items())


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(field if field != "__all__" else "", m) for field, ms in exc.message_dict.items() for m in ms]
    return [("", m) for m in exc.messages]


# --- The downloadable report --------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    return escape_cell(str(value))


def report_csv(job: ImportJob) -> str:
    """Every bad row and every warning, with its reason; cells escaped against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "severity", "column", "value", "reason"])
    problems = [("error", e) for e in job.errors] + [("warning", w) for w in job.warnings]
    for severity, problem in sorted(problems, key=lambda p: (p[1]["row"], p[0])):
        writer.writerow([problem["row"], severity, problem["column"], _cell(problem.get("value", "")),
                         _cell(problem["message"])])  # fmt: skip
    return "\ufeff" + out.getvalue()


def _after_import(references: list[str]) -> None:
    """Once an import has committed: new incidents and claims were bulk-inserted (no per-row saves), so their
    derived fields (cross-check flags, suggested grades, possible duplicates) are brought up to date in batches."""
    queue_recompute(references)
    queue_duplicates_refresh(references)
