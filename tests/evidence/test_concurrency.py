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
