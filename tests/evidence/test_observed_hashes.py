"""The custody log records only hashes it observed: a download records the hash of the bytes actually served, and
a file that failed fixity is never served without a visible warning and an explicit confirmation."""

import hashlib

import pytest

from tests.evidence.conftest import jpeg
from verify.evidence import storage
from verify.evidence.models import CustodyAction, EvidenceItem, FixityStatus
from verify.evidence.services import evidence_fixity_check, evidence_store

pytestmark = pytest.mark.django_db


def store(user, content: bytes) -> EvidenceItem:
    item, _ = evidence_store(
        user=user, chunks=[content], original_filename="p.jpg", metadata={"title": "P", "kind": "photo"}
    )
    return item


def tamper(item: EvidenceItem, content: bytes) -> None:
    path = storage.path_for(item.storage_name)
    path.chmod(0o640)
    path.write_bytes(content)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_records_the_hash_of_the_bytes_served(client, researcher):
    item = store(researcher, jpeg(seed=61))
    altered = b"altered on disk, not yet noticed by any fixity check"
    tamper(item, altered)
    client.force_login(researcher)
    served = body(client.get(f"/evidence/{item.pk}/download/"))
    assert served == altered
    event = item.custody_events.get(action=CustodyAction.DOWNLOADED)
    assert event.sha256 == hashlib.sha256(altered).hexdigest()
    assert event.detail["mismatch"] is True and event.detail["expected"] == item.sha256
    item.refresh_from_db()
    assert item.fixity_status == FixityStatus.CHANGED


def test_intact_download_records_no_mismatch(client, researcher):
    content = jpeg(seed=62)
    item = store(researcher, content)
    client.force_login(researcher)
    assert body(client.get(f"/evidence/{item.pk}/download/")) == content
    event = item.custody_events.get(action=CustodyAction.DOWNLOADED)
    assert (event.sha256, event.detail["mismatch"]) == (hashlib.sha256(content).hexdigest(), False)


def test_views_and_exports_record_no_hash_they_never_observed(client, researcher):
    item = store(researcher, jpeg(seed=63))
    client.force_login(researcher)
    client.get(f"/evidence/{item.pk}/")
    client.get(f"/evidence/{item.pk}/custody.csv")
    for action in (CustodyAction.VIEWED, CustodyAction.EXPORTED):
        assert item.custody_events.get(action=action).sha256 == ""


def test_a_file_that_failed_fixity_needs_confirmation_and_carries_a_warning(client, researcher):
    item = store(researcher, jpeg(seed=64))
    tamper(item, b"changed bytes")
    assert evidence_fixity_check(evidence=item) == FixityStatus.CHANGED
    client.force_login(researcher)

    warning = client.get(f"/evidence/{item.pk}/download/")
    assert warning.status_code == 409
    assert warning["X-Verify-Integrity"] == "changed"
    page = warning.content.decode()
    assert "changed bytes" not in page and "Download anyway" in page
    assert not item.custody_events.filter(action=CustodyAction.DOWNLOADED).exists()

    confirmed = client.get(f"/evidence/{item.pk}/download/?confirm=changed")
    assert confirmed.status_code == 200
    assert confirmed["X-Verify-Integrity"] == "changed"
    assert body(confirmed) == b"changed bytes"
    event = item.custody_events.get(action=CustodyAction.DOWNLOADED)
    assert event.detail["integrity_warning"] == "changed"


def test_fixity_compares_with_the_hash_first_recorded_not_the_column(researcher):
    item = store(researcher, jpeg(seed=65))
    forged = b"replacement"
    tamper(item, forged)
    EvidenceItem.objects.filter(pk=item.pk).update(sha256=hashlib.sha256(forged).hexdigest())
    item.refresh_from_db()
    assert evidence_fixity_check(evidence=item) == FixityStatus.CHANGED
