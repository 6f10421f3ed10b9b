"""An item left "processing" by a dead worker is taken up again: by the sweep, or by a researcher's button."""

import signal
import time
from datetime import timedelta

import psycopg
import pytest
from django.utils import timezone

from tests.evidence.conftest import broker_down, database_url, jpeg, start_worker, stop_worker, wait_for
from verify.evidence.models import CustodyAction, EvidenceItem, ProcessingStatus
from verify.evidence.services import evidence_process, evidence_queue_processing, evidence_store
from verify.evidence.tasks import processing_sweep


def store(user, seed: int) -> EvidenceItem:
    item, _ = evidence_store(
        user=user, chunks=[jpeg(seed=seed)], original_filename="p.jpg", metadata={"title": "P", "kind": "photo"}
    )
    return item


def status(item: EvidenceItem) -> str:
    return EvidenceItem.objects.values_list("processing_status", flat=True).get(pk=item.pk)


@pytest.mark.django_db
def test_researcher_can_reprocess_an_item_stuck_in_processing(
    client, researcher, viewer, settings, django_capture_on_commit_callbacks
):
    with broker_down():
        item = store(researcher, 91)
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    EvidenceItem.objects.filter(pk=item.pk).update(
        processing_status=ProcessingStatus.PROCESSING, processing_queued_at=long_ago
    )
    client.force_login(viewer)
    assert "Process again" not in client.get(f"/evidence/{item.pk}/").content.decode()
    assert client.post(f"/evidence/{item.pk}/reprocess/").status_code == 403

    client.force_login(researcher)
    assert "Process again" in client.get(f"/evidence/{item.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/evidence/{item.pk}/reprocess/")
    assert status(item) == ProcessingStatus.DONE


@pytest.mark.django_db
def test_an_item_processing_right_now_cannot_be_started_twice(client, researcher):
    with broker_down():
        item = store(researcher, 92)
    EvidenceItem.objects.filter(pk=item.pk).update(
        processing_status=ProcessingStatus.PROCESSING, processing_queued_at=timezone.now()
    )
    client.force_login(researcher)
    assert "Process again" not in client.get(f"/evidence/{item.pk}/").content.decode()
    client.post(f"/evidence/{item.pk}/reprocess/")
    assert status(item) == ProcessingStatus.PROCESSING


@pytest.mark.postgres
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_processing_the_sweep_gets_the_item_processed_exactly_once(
    celery_worker_process, researcher, settings
):
    with broker_down():
        item = store(researcher, 93)
    assert status(item) == ProcessingStatus.PENDING

    # Hold the custody table: the worker marks the item processing, reads the image, then waits to record the
    # result. It is killed there, mid-processing.
    with psycopg.connect(database_url()) as blocker:
        blocker.execute("LOCK TABLE evidence_custodyevent IN EXCLUSIVE MODE")
        assert evidence_queue_processing(item.pk)
        assert wait_for(lambda: status(item) == ProcessingStatus.PROCESSING, timeout=60)
        time.sleep(1.5)
        celery_worker_process.send_signal(signal.SIGKILL)
        celery_worker_process.wait(timeout=20)
        blocker.rollback()
    time.sleep(0.5)
    assert status(item) == ProcessingStatus.PROCESSING
    assert not item.custody_events.filter(action=CustodyAction.PROCESSED).exists()

    second = start_worker()
    try:
        # The run counts as abandoned once it is past the hard time limit and the retry delay.
        settings.CELERY_TASK_TIME_LIMIT, settings.EVIDENCE_PROCESSING_RETRY_AFTER = 1, 0
        time.sleep(1.5)
        assert processing_sweep() == 1
        assert wait_for(lambda: status(item) == ProcessingStatus.DONE, timeout=60)
    finally:
        stop_worker(second)
    # The killed run's message, redelivered later, changes nothing.
    assert evidence_process(evidence_id=item.pk) == ProcessingStatus.DONE
    assert item.custody_events.filter(action=CustodyAction.PROCESSED).count() == 1
    assert processing_sweep() == 0
