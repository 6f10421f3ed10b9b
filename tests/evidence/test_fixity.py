from io import BytesIO

import pytest

from verify.evidence import storage
from verify.evidence.models import CustodyAction, CustodyEvent, EvidenceItem, FixityStatus
from verify.evidence.services import evidence_fixity_check, evidence_store
from verify.evidence.tasks import fixity_sweep
from verify.lib.hashing import iter_file

pytestmark = pytest.mark.django_db


def store(user, content: bytes, name: str = "report.txt", incident=None) -> EvidenceItem:
    item, _ = evidence_store(
        user=user,
        chunks=iter_file(BytesIO(content), chunk_size=7),
        original_filename=name,
        metadata={"title": name, "kind": "document"},
        incident=incident,
    )
    return item


def test_stored_file_is_named_by_its_sha256_and_logged(researcher):
    item = store(researcher, b"first-hand account of the strike\n")
    path = storage.path_for(item.storage_name)
    assert path.name == item.sha256
    assert path.read_bytes() == b"first-hand account of the strike\n"
    assert list(item.custody_events.values_list("action", flat=True)) == [CustodyAction.UPLOADED]


def test_same_bytes_are_stored_once_and_linked_to_each_incident(researcher):
    from tests import factories

    first, second = factories.incident(created_by=researcher), factories.incident(created_by=researcher)
    a = store(researcher, b"same bytes", incident=first)
    b = store(researcher, b"same bytes", name="copy.txt", incident=second)
    assert a.pk == b.pk
    assert EvidenceItem.objects.count() == 1
    assert set(a.incident_links.values_list("incident_id", flat=True)) == {first.pk, second.pk}


def test_fixity_passes_for_an_intact_file(researcher):
    item = store(researcher, b"intact")
    assert evidence_fixity_check(evidence=item) == FixityStatus.OK
    event = item.custody_events.get(action=CustodyAction.FIXITY_PASSED)
    assert event.sha256 == item.sha256


def test_fixity_catches_a_file_altered_on_disk(researcher):
    item = store(researcher, b"original bytes")
    path = storage.path_for(item.storage_name)
    path.chmod(0o640)
    path.write_bytes(b"tampered bytes")
    assert evidence_fixity_check(evidence=item) == FixityStatus.CHANGED
    item.refresh_from_db()
    assert item.fixity_status == FixityStatus.CHANGED
    event = item.custody_events.get(action=CustodyAction.FIXITY_FAILED)
    assert event.sha256 != item.sha256
    assert event.detail["result"] == "changed"


def test_fixity_catches_a_missing_file(researcher):
    item = store(researcher, b"will vanish")
    storage.path_for(item.storage_name).unlink()
    assert evidence_fixity_check(evidence=item) == FixityStatus.MISSING
    assert EvidenceItem.objects.fixity_alerts().filter(pk=item.pk).exists()
    event = item.custody_events.get(action=CustodyAction.FIXITY_FAILED)
    assert event.sha256 == "" and event.detail == {"result": "missing", "expected": item.sha256}


def test_sweep_checks_least_recently_checked_first(researcher):
    old = store(researcher, b"statement a\n")
    new = store(researcher, b"statement b\n")
    evidence_fixity_check(evidence=old)
    assert list(EvidenceItem.objects.fixity_due().values_list("pk", flat=True)) == [new.pk, old.pk]
    assert fixity_sweep(limit=1) == 1  # eager in tests: runs the check on `new` now
    assert CustodyEvent.objects.filter(evidence=new, action=CustodyAction.FIXITY_PASSED).exists()
    assert not CustodyEvent.objects.filter(evidence=old, action=CustodyAction.FIXITY_PASSED).count() > 1


def test_empty_file_is_refused_and_leaves_nothing(researcher):
    from verify.evidence.services import EvidenceRejected

    with pytest.raises(EvidenceRejected):
        store(researcher, b"")
    assert EvidenceItem.objects.count() == 0
    assert not any(p.is_file() for p in storage.root().rglob("*"))


def test_fixity_dashboard_alert_is_visible(client, researcher):
    item = store(researcher, b"to be changed")
    storage.path_for(item.storage_name).unlink()
    evidence_fixity_check(evidence=item)
    client.force_login(researcher)
    response = client.get("/")
    assert b"Evidence integrity alert" in response.content
    assert item.title.encode() in response.content
