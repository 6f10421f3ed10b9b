"""The progress bar follows the rows actually processed: it does not jump to 99 % when the import is decided."""

import pytest

from tests.imports.conftest import ARIHA_ROWS, verify_csv
from verify.imports import run, services
from verify.imports.models import ImportStatus
from verify.imports.progress import progress_get, progress_set
from verify.imports.tasks import import_commit_task, import_validate_task

pytestmark = pytest.mark.django_db

ROWS = [ARIHA_ROWS[2] | {"external_id": f"P-{i}", "title": f"Row {i}"} for i in range(8)]


@pytest.fixture
def percents(monkeypatch):
    """Every progress report of a run, as the status page would show it at that moment."""
    seen: list[tuple[str, int]] = []
    real = progress_set

    def spy(job, *args, **kwargs):
        real(job, *args, **kwargs)
        fresh = type(job).objects.get(pk=job.pk)
        seen.append((fresh.status, progress_get(fresh)["percent"]))

    monkeypatch.setattr(run, "progress_set", spy)  # where the run looks it up
    monkeypatch.setattr(run, "PROGRESS_EVERY", 2)
    return seen


def test_deciding_to_import_starts_the_bar_at_zero(researcher, places):
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(ROWS).encode()], filename="p.csv", fmt="verify_csv", start=False
    )
    import_validate_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert progress_get(job)["percent"] == 100
    services.import_confirm(job=job, good_rows_only=False, queue=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING
    assert progress_get(job)["percent"] == 0


def test_import_progress_counts_rows_written(researcher, places, percents):
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(ROWS).encode()], filename="p.csv", fmt="verify_csv", start=False
    )
    import_validate_task.apply(args=[job.pk])
    percents.clear()
    job.refresh_from_db()
    services.import_confirm(job=job, good_rows_only=False, queue=False)
    import_commit_task.apply(args=[job.pk])
    importing = [p for status, p in percents if status == ImportStatus.IMPORTING]
    assert importing[:4] == [25, 50, 75, 99]  # 2, 4, 6, 8 of the 8 rows; 100 only once done
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and progress_get(job)["percent"] == 100
