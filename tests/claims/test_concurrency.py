"""Two researchers adding claims to one incident at the same moment: the flags must reflect both claims."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tests import factories
from verify.claims import services
from verify.claims.models import Claim
from verify.incidents.models import Incident


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_leave_the_flags_computed_from_both(researcher, researcher2):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no real race to test")
    incident = factories.incident(created_by=researcher)
    first_saved = threading.Event()
    errors: list[BaseException] = []

    def add(user, killed: int, *, hold: bool) -> None:
        try:
            source = factories.source()
            data = {
                "source": source,
                "stance": "alleges",
                "killed_min": killed,
                "killed_max": killed,
                "credibility": "2",
            }
            if hold:
                with transaction.atomic():
                    services.claim_create(user=user, incident=Incident.objects.get(pk=incident.pk), data=data)
                    first_saved.set()
                    time.sleep(0.5)  # the other claim is written meanwhile, then waits for this commit
            else:
                assert first_saved.wait(timeout=10)
                services.claim_create(user=user, incident=Incident.objects.get(pk=incident.pk), data=data)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add, args=(researcher, 3), kwargs={"hold": True}),
        threading.Thread(target=add, args=(researcher2, 30), kwargs={"hold": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert Claim.objects.filter(incident=incident).count() == 2
    fresh = Incident.objects.get(pk=incident.pk)
    assert fresh.has_disagreements  # 3 vs 30: seen only if the second recompute saw the first claim
    assert fresh.suggested_grade == "fair"
