"""An item linked both to a restricted incident and to a public one is hidden everywhere from those outside the
restricted incident's groups: the public incident's panel, its map positions, and every evidence count."""

import pytest

from tests import factories
from tests.evidence.conftest import jpeg
from verify.evidence.models import EvidenceItem
from verify.evidence.services import evidence_link, evidence_process, evidence_store_file
from verify.incidents.models import Incident, Status
from verify.review.queries import review_queue

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Detainee photo D-12"


@pytest.fixture
def shared_item(researcher, restricted_incident, incident) -> EvidenceItem:
    item = evidence_store_file(
        user=researcher,
        chunks=[jpeg(seed=81, gps=(35.9, 36.6))],
        original_filename="d12.jpg",
        metadata={"title": SECRET_TITLE, "kind": "photo"},
        incident=incident,
    ).item
    evidence_link(evidence=item, incident=restricted_incident, user=researcher)
    evidence_process(evidence_id=item.pk)
    item.refresh_from_db()
    assert item.has_position
    return item


def test_public_incident_panel_hides_an_item_also_linked_to_a_restricted_incident(
    client, researcher, researcher2, incident, shared_item
):
    client.force_login(researcher2)
    assert client.get(f"/evidence/{shared_item.pk}/").status_code == 404
    page = client.get(incident.get_absolute_url()).content.decode()
    assert SECRET_TITLE not in page
    assert shared_item.sha256[:12] not in page
    assert "evidence-positions" not in page

    client.force_login(researcher)  # a member of the group sees it
    page = client.get(incident.get_absolute_url()).content.decode()
    assert SECRET_TITLE in page and "evidence-positions" in page


def test_evidence_counts_leave_out_hidden_items(researcher, researcher2, reviewer, incident, shared_item):
    visible_one = factories.incident(created_by=researcher)
    evidence_store_file(
        user=researcher,
        chunks=[jpeg(seed=82)],
        original_filename="ok.jpg",
        metadata={"title": "Visible", "kind": "photo"},
        incident=visible_one,
    )
    counts = {i.pk: i.evidence_count for i in Incident.objects.visible_to(researcher2).with_counts(researcher2)}
    assert (counts[incident.pk], counts[visible_one.pk]) == (0, 1)
    counts = {i.pk: i.evidence_count for i in Incident.objects.visible_to(researcher).with_counts(researcher)}
    assert (counts[incident.pk], counts[visible_one.pk]) == (1, 1)

    Incident.objects.filter(pk=incident.pk).update(status=Status.SUBMITTED)
    [row] = review_queue(reviewer)
    assert (row.pk, row.evidence_count) == (incident.pk, 0)
