"""A worker killed in the middle of an import: nothing is half-written, and after the sweep the file is imported
exactly once, however many times its task is delivered."""

import os
import signal
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import need, redis_available
from tests.evidence.conftest import database_url, wait_for
from tests.imports.conftest import ARIHA_ROWS, verify_csv
from verify.celery import app
from verify.imports import services, tasks
from verify.imports.models import ImportJob, ImportStatus
from verify.imports.progress import progress_get
from verify.incidents.models import Incident

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ROWS = 6000


def start_worker(queue: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "IMPORT_ROOT": str(settings.IMPORT_ROOT),
        "DJANGO_SETTINGS_MODULE": "verify.settings",
    }
    command = [sys.executable, "-m", "celery", "-A", "verify", "worker", "--pool=solo", "-Q", queue]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def queue(monkeypatch):
    need(redis_available(), "Redis is not reachable at CELERY_BROKER_URL")
    need(bool(database_url()), "the worker test needs a database another process can open (PostgreSQL)")
    name = f"verify-test-{uuid.uuid4().hex[:8]}"
    for task in (tasks.import_validate_task, tasks.import_commit_task):
        real = task.apply_async
        monkeypatch.setattr(task, "apply_async", lambda args=None, _real=real, **kw: _real(args=args, queue=name, **kw))
    app.conf.task_always_eager = False
    return name


def status(job_id: int) -> str:
    return ImportJob.objects.get(pk=job_id).status


def test_import_killed_mid_way_is_imported_exactly_once_after_the_sweep(queue, researcher, places):
    rows = [ARIHA_ROWS[2] | {"external_id": f"BULK-{i}", "title": f"Bulk row {i}"} for i in range(ROWS)]
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(rows).encode()], filename="big.csv", fmt="verify_csv"
    )
    first = start_worker(queue)
    second = None
    try:
        assert wait_for(lambda: status(job.pk) == ImportStatus.VALIDATED, timeout=120), status(job.pk)
        job.refresh_from_db()
        services.import_confirm(job=job, good_rows_only=False)
        # Killed once it has written some rows inside the import's transaction.
        assert wait_for(lambda: progress_get(job)["rows"] > 0, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert status(job.pk) == ImportStatus.IMPORTING
        assert wait_for(lambda: not Incident.objects.exists(), timeout=10), "the killed import left rows behind"

        # The sweep finds the job stuck and queues it; twice here, as a redelivered message would also arrive.
        second = start_worker(queue)
        ImportJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61)
        )
        assert tasks.import_sweep() == 1
        assert tasks.import_commit_task.apply_async(args=[job.pk])  # the duplicate delivery
        assert wait_for(lambda: status(job.pk) == ImportStatus.DONE, timeout=180), status(job.pk)
        job.refresh_from_db()
        assert job.summary["incidents_created"] == ROWS
        wait_for(lambda: False, timeout=3)  # let the duplicate run
        assert Incident.objects.count() == ROWS
        assert Incident.objects.values("external_id").distinct().count() == ROWS
    finally:
        stop(first)
        if second is not None:
            stop(second)
