"""Two deliveries of the same import task at once (a redelivered message, the sweep): one imports, one waits and
then finds the job done."""

import threading

import pytest
from django.db import connection, connections

from tests.imports.conftest import ARIHA_ROWS, verify_csv
from verify.imports import services
from verify.imports.models import ImportJob, ImportStatus
from verify.incidents.models import Incident


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_of_one_import_write_it_once(researcher, places):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no real race to test")
    rows = [ARIHA_ROWS[2] | {"external_id": f"P-{i}", "title": f"Row {i}"} for i in range(300)]
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(rows).encode()], filename="p.csv", fmt="verify_csv", start=False
    )
    services.import_validate(job=job)
    services.import_confirm(job=ImportJob.objects.get(pk=job.pk), good_rows_only=False, queue=False)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            services.import_commit(job=ImportJob.objects.select_related("created_by").get(pk=job.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
    assert Incident.objects.count() == 300
