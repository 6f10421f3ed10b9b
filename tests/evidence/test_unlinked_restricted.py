"""After an item is unlinked from a restricted incident, its page and its custody exports name nothing of that
incident to people who cannot see it."""

import pytest

from tests import factories
from tests.evidence.conftest import jpeg
from verify.evidence.services import evidence_link_claim, evidence_store_file, evidence_unlink

pytestmark = pytest.mark.django_db


@pytest.fixture
def once_restricted(researcher, restricted_incident, incident):
    item = evidence_store_file(
        user=researcher,
        chunks=[jpeg(seed=95)],
        original_filename="p.jpg",
        metadata={"title": "Once restricted", "kind": "photo"},
        incident=restricted_incident,
    ).item
    claim = factories.claim(incident=restricted_incident, source=factories.source("Secret Informant Network"))
    evidence_link_claim(evidence=item, claim=claim, relation="supports", user=researcher)
    evidence_unlink(evidence=item, incident=restricted_incident, user=researcher)
    from verify.evidence.services import evidence_link

    evidence_link(evidence=item, incident=incident, user=researcher)
    return item


def test_page_hides_claims_and_custody_details_of_a_hidden_incident(
    client, researcher2, researcher, restricted_incident, once_restricted
):
    client.force_login(researcher2)
    response = client.get(f"/evidence/{once_restricted.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert restricted_incident.reference not in page
    assert "Secret Informant Network" not in page
    for fmt in ("csv", "json"):
        export = client.get(f"/evidence/{once_restricted.pk}/custody.{fmt}").content.decode()
        assert restricted_incident.reference not in export

    client.force_login(researcher)  # a member of the group still sees everything
    page = client.get(f"/evidence/{once_restricted.pk}/").content.decode()
    assert restricted_incident.reference in page and "Secret Informant Network" in page
