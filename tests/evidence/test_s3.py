"""The same evidence paths against a real S3-compatible HTTP server (moto in server mode on a loopback port):
upload, processing, download (streamed), fixity and web capture, through django-storages' S3 backend."""

import hashlib
import os

import boto3
import pytest
from django.http import StreamingHttpResponse

from tests.evidence.conftest import jpeg, upload
from verify.evidence import storage, webcapture
from verify.evidence.models import CustodyAction, EvidenceItem, FixityStatus, ProcessingStatus
from verify.evidence.services import evidence_fixity_check

pytestmark = pytest.mark.django_db

BUCKET = "verify-evidence-test"


@pytest.fixture
def s3(settings, s3_endpoint, monkeypatch):
    """Evidence stored in a fresh bucket of the S3 server; the local disk keeps only the staging directory."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    bucket = f"{BUCKET}-{os.urandom(4).hex()}"
    client.create_bucket(Bucket=bucket)
    settings.EVIDENCE_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    client.bucket = bucket
    return client


def keys(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])}


def test_upload_processing_download_and_fixity_on_s3(client, researcher, s3, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    content = jpeg(seed=5, gps=(35.81, 36.61))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, [("s3.jpg", content)])
    item = EvidenceItem.objects.get(pk=response.json()["results"][0]["id"])
    assert item.storage_name in keys(s3)
    body = s3.get_object(Bucket=s3.bucket, Key=item.storage_name)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == item.sha256
    assert not storage.path_for(item.storage_name).exists()  # nothing on local disk but the staging area
    assert not list(storage.tmp_dir().glob("upload-*"))
    # Processing read it back from the bucket and wrote the thumbnail there.
    item.refresh_from_db()
    assert item.processing_status == ProcessingStatus.DONE, item.processing_error
    assert item.gps_latitude is not None and item.thumbnail_name in keys(s3)
    # The download streams from the bucket.
    download = client.get(f"/evidence/{item.pk}/download/")
    assert isinstance(download, StreamingHttpResponse)
    assert b"".join(download.streaming_content) == content
    event = item.custody_events.filter(action=CustodyAction.DOWNLOADED).get()
    assert event.sha256 == item.sha256 and event.detail["complete"] and not event.detail["mismatch"]
    # Fixity: intact, then changed behind the application's back, then missing.
    assert evidence_fixity_check(evidence=item) == FixityStatus.OK
    s3.put_object(Bucket=s3.bucket, Key=item.storage_name, Body=b"tampered")
    assert evidence_fixity_check(evidence=item) == FixityStatus.CHANGED
    s3.delete_object(Bucket=s3.bucket, Key=item.storage_name)
    assert evidence_fixity_check(evidence=item) == FixityStatus.MISSING


def test_identical_bytes_are_one_object(client, researcher, s3, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    content = jpeg(seed=6)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, [("a.jpg", content)])
        upload(client, [("b.jpg", content)])
    assert EvidenceItem.objects.count() == 1
    originals = [k for k in keys(s3) if not k.startswith("thumbs/")]
    assert originals == [storage.name_for(hashlib.sha256(content).hexdigest())]


def test_web_capture_on_s3(client, researcher, s3, settings, django_capture_on_commit_callbacks):
    from tests.evidence.test_web_capture import Site

    if not webcapture.chromium_available():
        from tests.conftest import need

        need(False, "Chromium is not installed")
    settings.CAPTURE_ALLOW_PRIVATE = True
    settings.CAPTURE_MEDIA_MIN_BYTES = 1000
    site = Site(b"")
    try:
        client.force_login(researcher)
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/evidence/captures/new/", {"urls": site.url("/page.html")})
    finally:
        site.server.shutdown()
        site.server.server_close()
    items = EvidenceItem.objects.filter(web_captures__isnull=False).distinct()
    assert items.count() >= 5
    for item in items:
        body = s3.get_object(Bucket=s3.bucket, Key=item.storage_name)["Body"].read()
        assert hashlib.sha256(body).hexdigest() == item.sha256
