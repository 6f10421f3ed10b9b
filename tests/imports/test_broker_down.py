"""With the broker down, starting or deciding an import still answers: the job waits, and the sweep queues it."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.evidence.conftest import broker_down
from tests.imports.conftest import ARIHA_ROWS, verify_csv
from verify.celery import app
from verify.imports import services
from verify.imports.models import ImportJob, ImportStatus
from verify.imports.storage import job_path
from verify.imports.tasks import import_sweep
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_for_real():
    """Tasks go to the broker, as in production, rather than running in-process."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def age(job: ImportJob, minutes: int = 11) -> None:
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))


def test_upload_while_the_broker_is_down_waits_for_the_sweep(
    client, researcher, places, queued_for_real, django_capture_on_commit_callbacks, caplog
):
    client.force_login(researcher)
    data = verify_csv(ARIHA_ROWS).encode()
    with broker_down(), django_capture_on_commit_callbacks(execute=True), caplog.at_level("ERROR"):
        response = client.post(
            reverse("imports:start"), {"file": SimpleUploadedFile("p.csv", data), "format": "verify_csv"}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert f"Could not queue import {job.pk}" in caplog.text
    assert job.status == ImportStatus.QUEUED and job_path(job).is_file()
    # The broker is back: the sweep queues the job (run in-process here) and it is checked.
    app.conf.task_always_eager = True
    age(job)
    assert import_sweep() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.rows_total == 3


def test_deciding_while_the_broker_is_down_waits_for_the_sweep(
    client, researcher, places, queued_for_real, django_capture_on_commit_callbacks, settings
):
    client.force_login(researcher)
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(ARIHA_ROWS).encode()], filename="p.csv", fmt="verify_csv", start=False
    )
    services.import_validate(job=job)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING and not Incident.objects.exists()
    app.conf.task_always_eager = True
    age(job, minutes=settings.CELERY_TASK_TIME_LIMIT // 60 + 2)
    assert import_sweep() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Incident.objects.count() == 2


def test_the_sweep_survives_the_broker_being_down(researcher, places, queued_for_real):
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(ARIHA_ROWS).encode()], filename="p.csv", fmt="verify_csv", start=False
    )
    age(job)
    with broker_down():
        assert import_sweep() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
