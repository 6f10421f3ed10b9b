"""Several people upload the same file at the same moment: one row, one file, every upload linked."""

import threading

import pytest
from django.db import connection

from tests import factories
from tests.evidence.conftest import jpeg
from verify.evidence import storage
from verify.evidence.models import EvidenceItem, IncidentEvidence
from verify.evidence.services import evidence_store_file


@pytest.mark.django_db(transaction=True)
def test_simultaneous_uploads_of_the_same_bytes_store_one_item(postgres_only, researcher):
    content = jpeg(seed=40, size=(800, 600))
    incidents = [factories.incident(created_by=researcher) for _ in range(6)]
    start = threading.Barrier(len(incidents))
    outcomes, errors = [], []

    def upload(incident) -> None:
        try:
            start.wait()
            result = evidence_store_file(
                user=researcher,
                chunks=[content[:1000], content[1000:]],
                original_filename="same.jpg",
                metadata={"title": "Same photo", "kind": "photo"},
                incident=incident,
            )
            outcomes.append(result)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=[i]) for i in incidents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    item = EvidenceItem.objects.get()
    assert sum(r.created for r in outcomes) == 1
    assert {r.item.pk for r in outcomes} == {item.pk}
    assert IncidentEvidence.objects.filter(evidence=item).count() == len(incidents)
    assert storage.path_for(item.storage_name).read_bytes() == content
    assert list(storage.tmp_dir().iterdir()) == []


def _race(n: int, upload) -> tuple[list, list]:
    start = threading.Barrier(n)
    outcomes, errors = [], []

    def run(i: int) -> None:
        try:
            start.wait()
            outcomes.append(upload(i))
        except Exception as exc:  # collected and reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[i]) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_uploads_never_fail_and_every_link_is_kept(postgres_only, researcher):
    content = jpeg(seed=41, size=(400, 300))
    incidents = [factories.incident(created_by=researcher) for _ in range(24)]

    def store(i: int):
        return evidence_store_file(
            user=researcher,
            chunks=[content],
            original_filename=f"same-{i}.jpg",
            metadata={"title": "Same photo", "kind": "photo"},
            incident=incidents[i],
        )

    outcomes, errors = _race(len(incidents), store)
    assert errors == []
    item = EvidenceItem.objects.get()
    assert {r.item.pk for r in outcomes} == {item.pk}
    assert IncidentEvidence.objects.filter(evidence=item).count() == len(incidents)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_uploads_by_outsiders_of_a_restricted_item_share_one_copy(
    postgres_only, researcher, researcher2, restricted_incident
):
    content = jpeg(seed=42)
    hidden = evidence_store_file(
        user=researcher,
        chunks=[content],
        original_filename="hidden.jpg",
        metadata={"title": "Hidden", "kind": "photo"},
        incident=restricted_incident,
    ).item
    incidents = [factories.incident(created_by=researcher2) for _ in range(12)]

    def store(i: int):
        return evidence_store_file(
            user=researcher2,
            chunks=[content],
            original_filename="mine.jpg",
            metadata={"title": "Mine", "kind": "photo"},
            incident=incidents[i],
        )

    outcomes, errors = _race(len(incidents), store)
    assert errors == []
    copy = EvidenceItem.objects.exclude(pk=hidden.pk).get()
    assert {r.item.pk for r in outcomes} == {copy.pk}
    assert IncidentEvidence.objects.filter(evidence=copy).count() == len(incidents)
    assert not IncidentEvidence.objects.filter(evidence=hidden).exclude(incident=restricted_incident).exists()
    assert storage.path_for(copy.storage_name).read_bytes() == content
