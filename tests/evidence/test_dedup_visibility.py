"""Deduplication by hash never crosses visibility: the same bytes uploaded by someone who cannot see the stored
item become a separate item of their own, and nothing about the hidden item is revealed or written to its log."""

import json

import pytest

from tests import factories
from tests.evidence.conftest import jpeg, upload
from verify.evidence import storage
from verify.evidence.models import CustodyAction, EvidenceItem, IncidentEvidence
from verify.evidence.services import evidence_process, evidence_store_file

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Witness W-7 at the checkpoint"


def stored_files() -> list:
    return [p for p in storage.root().rglob("*") if p.is_file() and p.relative_to(storage.root()).parts[:1] != ("tmp",)]


def restricted_item(researcher, restricted_incident, content: bytes) -> EvidenceItem:
    result = evidence_store_file(
        user=researcher,
        chunks=[content],
        original_filename="w7.jpg",
        metadata={"title": SECRET_TITLE, "kind": "photo"},
        incident=restricted_incident,
    )
    return result.item


def test_reupload_by_outsider_of_the_group_reveals_and_links_nothing(
    client, researcher, researcher2, viewer, restricted_incident, incident
):
    content = jpeg(seed=71, gps=(36.2, 37.15))
    hidden = restricted_item(researcher, restricted_incident, content)
    evidence_process(evidence_id=hidden.pk)
    events_before = list(hidden.custody_events.values_list("pk", flat=True))

    client.force_login(researcher2)
    response = upload(client, [("mine.jpg", content)], incident=incident.reference, title="My copy")
    assert response.status_code == 200
    [result] = response.json()["results"]
    body = response.content.decode()
    assert result["status"] == "stored"
    assert result["id"] != hidden.pk
    assert SECRET_TITLE not in body and f"/evidence/{hidden.pk}/" not in body
    assert not IncidentEvidence.objects.filter(evidence=hidden, incident=incident).exists()
    assert list(hidden.custody_events.values_list("pk", flat=True)) == events_before

    mine = EvidenceItem.objects.get(pk=result["id"])
    assert (mine.title, mine.uploaded_by, mine.sha256) == ("My copy", researcher2, hidden.sha256)
    assert mine.storage_name == hidden.storage_name
    assert len([p for p in stored_files() if p.parts[-2] != "thumbs" and "thumbs" not in p.parts]) == 1

    client.force_login(viewer)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert SECRET_TITLE not in page
    assert f"/evidence/{hidden.pk}/" not in page


def test_reupload_by_a_member_of_the_group_is_still_deduplicated(client, researcher, restricted_incident, incident):
    content = jpeg(seed=72)
    hidden = restricted_item(researcher, restricted_incident, content)
    client.force_login(researcher)
    [result] = upload(client, [("again.jpg", content)], incident=incident.reference).json()["results"]
    assert (result["status"], result["id"]) == ("duplicate", hidden.pk)
    assert EvidenceItem.objects.count() == 1


def test_a_second_outsider_upload_joins_the_outsiders_copy(client, researcher, researcher2, restricted_incident):
    content = jpeg(seed=73)
    restricted_item(researcher, restricted_incident, content)
    client.force_login(researcher2)
    first = upload(client, [("a.jpg", content)]).json()["results"][0]
    second = upload(client, [("b.jpg", content)]).json()["results"][0]
    assert first["status"] == "stored"
    assert (second["status"], second["id"]) == ("duplicate", first["id"])
    assert EvidenceItem.objects.count() == 2


def test_near_duplicates_never_list_hidden_items(client, researcher, researcher2, restricted_incident, incident):
    content = jpeg(seed=74, size=(640, 480))
    hidden = restricted_item(researcher, restricted_incident, content)
    evidence_process(evidence_id=hidden.pk)
    client.force_login(researcher2)
    [result] = upload(client, [("near.jpg", jpeg(seed=74, size=(320, 240)))], incident=incident.reference).json()[
        "results"
    ]
    assert SECRET_TITLE not in json.dumps(result)
    page = client.get(f"/evidence/{result['id']}/").content.decode()
    assert SECRET_TITLE not in page and f"/evidence/{hidden.pk}/" not in page
    page = client.get(incident.get_absolute_url()).content.decode()
    assert SECRET_TITLE not in page


def test_claim_suggestion_report_does_not_join_a_hidden_item(researcher, researcher2, restricted_incident, incident):
    from verify.suggestions.services import suggestions_accept

    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    hidden = evidence_store_file(
        user=researcher,
        chunks=[pdf],
        original_filename="r.pdf",
        metadata={"title": SECRET_TITLE, "kind": "document"},
        incident=restricted_incident,
    ).item
    events_before = hidden.custody_events.count()
    report = storage.root() / "report.pdf"
    report.write_bytes(pdf)
    source = factories.source()
    _, claims = suggestions_accept(
        user=researcher2,
        incident=incident,
        new_title="",
        accepted=[
            {
                "source": source,
                "stance": "alleges",
                "event_date_precision": "day",
                "credibility": "6",
                "munition": "",
                "excerpt": "Shelling hit the market.",
            }
        ],
        url="https://example.org/report",
        published_on=None,
        report_file=report,
        report_name="report.pdf",
    )
    assert not IncidentEvidence.objects.filter(evidence=hidden, incident=incident).exists()
    assert hidden.custody_events.count() == events_before
    assert not hidden.claim_links.exists()
    copy = EvidenceItem.objects.exclude(pk=hidden.pk).get()
    assert copy.claim_links.count() == len(claims)
    assert copy.custody_events.filter(action=CustodyAction.LINKED, actor=researcher2).exists()
