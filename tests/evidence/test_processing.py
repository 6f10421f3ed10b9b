"""Processing by a real Celery worker on Redis: EXIF, GPS, thumbnail, perceptual hash, failures and the sweep."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.evidence.conftest import broker_down, jpeg, upload, wait_for
from verify.evidence import storage
from verify.evidence.models import CustodyAction, EvidenceItem, ProcessingStatus
from verify.evidence.tasks import processing_sweep

worker_db = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def finished(pk: int) -> bool:
    return EvidenceItem.objects.filter(pk=pk, processing_status__in=["done", "failed"]).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_extracts_capture_time_position_camera_and_thumbnail(celery_worker_process, client, researcher):
    client.force_login(researcher)
    photo = jpeg(seed=1, gps=(35.813740, 36.609640), taken="2015:11:29 10:42:00", model="Model 7")
    response = upload(client, [("ariha-market.jpg", photo)])
    item_id = response.json()["results"][0]["id"]
    assert wait_for(lambda: finished(item_id)), "the worker did not process the upload"
    item = EvidenceItem.objects.get(pk=item_id)
    assert item.processing_status == ProcessingStatus.DONE, item.processing_error
    assert item.captured_at == datetime(2015, 11, 29, 10, 42, tzinfo=UTC)
    assert item.gps_latitude == Decimal("35.813740")
    assert item.gps_longitude == Decimal("36.609640")
    assert item.device == "TestCam Model 7"
    assert len(item.perceptual_hash) == 16
    assert item.thumbnail_name and storage.exists(item.thumbnail_name)
    thumb = client.get(f"/evidence/{item.pk}/thumbnail/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    processed = item.custody_events.get(action=CustodyAction.PROCESSED)
    assert processed.detail["result"] == "done" and processed.detail["gps"] == ["35.813740", "36.609640"]
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert "29 Nov 2015 10:42:00" in page and "35.813740, 36.609640" in page and "Done" in page


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_marks_a_corrupt_image_failed_with_the_reason(celery_worker_process, client, researcher):
    client.force_login(researcher)
    broken = jpeg(seed=2, size=(640, 480))[:3000]  # a JPEG header with most of the picture cut off
    item_id = upload(client, [("broken.jpg", broken)]).json()["results"][0]["id"]
    assert wait_for(lambda: finished(item_id))
    item = EvidenceItem.objects.get(pk=item_id)
    assert item.processing_status == ProcessingStatus.FAILED
    assert "could not be decoded" in item.processing_error and "truncated" in item.processing_error
    assert not item.thumbnail_name
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert "Failed" in page and "truncated" in page


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_broker_down_upload_is_accepted_and_the_sweep_processes_it_later(
    celery_worker_process, client, researcher, settings, caplog
):
    client.force_login(researcher)
    with broker_down(), caplog.at_level("ERROR", logger="verify.evidence.services"):
        response = upload(client, [("during-outage.jpg", jpeg(seed=3, gps=(35.0, 36.0)))])
        assert response.status_code == 200
        item_id = response.json()["results"][0]["id"]
    assert f"Could not queue processing of evidence {item_id}" in caplog.text
    item = EvidenceItem.objects.get(pk=item_id)
    assert item.processing_status == ProcessingStatus.PENDING
    assert storage.path_for(item.storage_name).is_file()
    assert not wait_for(lambda: finished(item_id), timeout=3), "nothing should have been queued"

    settings.EVIDENCE_PROCESSING_RETRY_AFTER = 0
    assert processing_sweep() == 1
    assert wait_for(lambda: finished(item_id)), "the sweep's task was not processed by the worker"
    item.refresh_from_db()
    assert item.processing_status == ProcessingStatus.DONE
    assert item.gps_latitude == Decimal("35.000000")
    assert processing_sweep() == 0  # done items are not queued again


@pytest.mark.django_db
def test_processing_twice_changes_nothing_the_second_time(researcher, django_capture_on_commit_callbacks, client):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        item_id = upload(client, [("a.jpg", jpeg(seed=4, gps=(35.5, 36.5)))]).json()["results"][0]["id"]
    from verify.evidence.services import evidence_process

    assert evidence_process(evidence_id=item_id) == ProcessingStatus.DONE
    item = EvidenceItem.objects.get(pk=item_id)
    assert item.custody_events.filter(action=CustodyAction.PROCESSED).count() == 1
    assert item.processing_status == ProcessingStatus.DONE and item.gps_latitude == Decimal("35.500000")


@pytest.mark.django_db
def test_near_duplicate_images_are_flagged(researcher, client, django_capture_on_commit_callbacks, incident):
    from PIL import Image

    client.force_login(researcher)
    original = jpeg(seed=5, size=(640, 480))
    # The same picture, resized and re-encoded: different bytes, same perceptual hash neighbourhood.
    import io

    smaller = io.BytesIO()
    Image.open(io.BytesIO(original)).resize((320, 240)).save(smaller, format="JPEG", quality=60)
    different = jpeg(seed=9, size=(640, 480))
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(client, [("original.jpg", original)], incident=incident.reference).json()["results"][0]
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(client, [("resized.jpg", smaller.getvalue())], incident=incident.reference).json()["results"][0]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, [("other.jpg", different)], incident=incident.reference)
    assert first["status"] == second["status"] == "stored"
    page = client.get(f"/evidence/{first['id']}/").content.decode()
    assert "Possible near duplicates" in page
    assert "resized.jpg" in page and "other.jpg" not in page.split("Possible near duplicates")[1].split("</ul>")[0]
    incident_page = client.get(incident.get_absolute_url()).content.decode()
    assert "Near duplicate of" in incident_page


@pytest.mark.django_db
def test_non_images_are_done_without_metadata(researcher, client, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        item_id = upload(client, [("note.txt", b"typed notes from the call\n")], kind="document").json()["results"][0][
            "id"
        ]
    item = EvidenceItem.objects.get(pk=item_id)
    assert item.processing_status == ProcessingStatus.DONE
    assert not item.thumbnail_name and item.captured_at is None


@pytest.mark.django_db
def test_failed_item_can_be_processed_again_after_the_file_is_restored(
    researcher, client, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    content = jpeg(seed=6)
    with django_capture_on_commit_callbacks(execute=False):
        item_id = upload(client, [("a.jpg", content)]).json()["results"][0]["id"]
    item = EvidenceItem.objects.get(pk=item_id)
    path = storage.path_for(item.storage_name)
    path.rename(path.with_suffix(".away"))
    from verify.evidence.services import evidence_process

    assert evidence_process(evidence_id=item_id) == ProcessingStatus.FAILED
    assert "missing" in EvidenceItem.objects.get(pk=item_id).processing_error
    path.with_suffix(".away").rename(path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/{item_id}/reprocess/")
    assert response.status_code == 302
    assert EvidenceItem.objects.get(pk=item_id).processing_status == ProcessingStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_upload_result_names_near_duplicates_when_processing_ran_in_process(postgres_only, researcher, client):
    import io

    from PIL import Image

    client.force_login(researcher)
    original = jpeg(seed=11, size=(640, 480))
    resized = io.BytesIO()
    Image.open(io.BytesIO(original)).resize((400, 300)).save(resized, format="JPEG", quality=70)
    # Outside a transaction, as in a real request, so the in-process task runs before the response.
    first = upload(client, [("first.jpg", original)]).json()["results"][0]
    second = upload(client, [("second.jpg", resized.getvalue())]).json()["results"][0]
    assert second["status"] == "stored"
    assert f"Looks almost the same as #{first['id']} “first.jpg”" in second["message"]
