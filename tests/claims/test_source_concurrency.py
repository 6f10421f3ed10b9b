"""Two people adding the same new source at the same moment get one source, not an error."""

import threading

import pytest
from django.db import connection, connections

from tests import factories
from verify.claims import services
from verify.claims.models import Claim, Source


def test_a_source_named_again_in_other_case_is_the_same_source(db):
    first = services.source_create(data={"name": "Syrian  Civil Defence"})
    assert services.source_create(data={"name": "syrian civil defence"}) == first
    assert Source.objects.count() == 1 and first.name == "Syrian Civil Defence"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_naming_the_same_new_source_share_it(researcher, researcher2):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no real race to test")
    incident = factories.incident(created_by=researcher)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def add(user, name: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.claim_create(
                user=user,
                incident=incident,
                data={"stance": "alleges", "credibility": "3"},
                new_source={"name": name, "kind": "ngo", "reliability": "F"},
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    users = [researcher, researcher2, researcher, researcher2]
    names = ["Airwars", "Airwars", "AIRWARS", "airwars "]
    threads = [threading.Thread(target=add, args=(u, n)) for u, n in zip(users, names, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert Source.objects.count() == 1
    assert Claim.objects.filter(incident=incident, source=Source.objects.get()).count() == 4
