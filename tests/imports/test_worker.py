"""A real Celery worker, in its own process, checks and imports a file from Redis into the test database."""

import pytest

from tests.evidence.test_worker import wait_for, worker  # noqa: F401 - the fixture that starts the worker
from tests.imports.conftest import ARIHA_ROWS, verify_csv
from verify.imports import services
from verify.imports.models import ImportJob, ImportStatus
from verify.imports.progress import progress_get
from verify.imports.storage import job_path
from verify.incidents.models import Incident

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env(settings, monkeypatch):
    """The worker reads IMPORT_ROOT from its environment, like EVIDENCE_ROOT."""
    monkeypatch.setenv("IMPORT_ROOT", str(settings.IMPORT_ROOT))


def status(job_id: int) -> str:
    return ImportJob.objects.get(pk=job_id).status


def test_real_worker_checks_then_imports(worker_env, worker, researcher, places, monkeypatch):  # noqa: F811
    from verify.imports import tasks

    # Route this test's tasks to the worker's private queue.
    for task in (tasks.import_validate_task, tasks.import_commit_task):
        real = task.apply_async
        routed = lambda args=None, _real=real, **kw: _real(args=args, queue=worker, **kw)  # noqa: E731
        monkeypatch.setattr(task, "apply_async", routed)
    rows = [dict(r) for r in ARIHA_ROWS] * 1 + [
        ARIHA_ROWS[2] | {"external_id": f"BULK-{i}", "title": f"Bulk row {i}"} for i in range(300)
    ]
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(rows).encode()], filename="w.csv", fmt="verify_csv"
    )
    assert wait_for(lambda: status(job.pk) == ImportStatus.VALIDATED), status(job.pk)
    job.refresh_from_db()
    assert (job.rows_total, job.rows_bad) == (303, 0)
    assert job.summary["incidents_created"] == 302
    assert progress_get(job)["percent"] == 100
    assert not Incident.objects.exists()
    services.import_confirm(job=job, good_rows_only=False)
    assert wait_for(lambda: status(job.pk) == ImportStatus.DONE), status(job.pk)
    job.refresh_from_db()
    assert job.summary["incidents_created"] == 302 and job.summary["claims_created"] == 303
    assert Incident.objects.count() == 302
    assert Incident.objects.get(external_id="PARTNER-0001").claims.count() == 2
    assert not job_path(job).exists(), "the uploaded file is deleted once imported"
