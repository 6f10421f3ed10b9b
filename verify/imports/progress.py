"""Progress of a running job, kept in a cache: the import's own writes stay invisible until its transaction commits."""

import logging
from typing import Any

from django.core.cache import caches

from verify.imports.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)


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
