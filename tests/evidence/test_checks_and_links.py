"""Verification checks, links to claims, the incident page's evidence panel, and the fixity command."""

import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests import factories
from tests.evidence.conftest import jpeg
from verify.evidence import storage
from verify.evidence.models import ClaimEvidence, CustodyAction, EvidenceItem, FixityStatus, VerificationCheck
from verify.evidence.services import evidence_process, evidence_store

pytestmark = pytest.mark.django_db


def store(user, content: bytes, name: str, *, incident=None, kind: str = "photo") -> EvidenceItem:
    item, _ = evidence_store(
        user=user, chunks=[content], original_filename=name, metadata={"title": name, "kind": kind}, incident=incident
    )
    return item


def test_researcher_records_a_verification_check(client, researcher, incident):
    item = store(researcher, jpeg(seed=1), "p.jpg", incident=incident)
    client.force_login(researcher)
    response = client.post(
        f"/evidence/{item.pk}/checks/",
        {"kind": "geolocated", "result": "pass", "note": "Minaret matches <b>imagery</b>"},
    )
    assert response.status_code == 302
    check = VerificationCheck.objects.get()
    assert (check.kind, check.result, check.performed_by) == ("geolocated", "pass", researcher)
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert "Geolocated" in page and "Minaret matches &lt;b&gt;imagery&lt;/b&gt;" in page
    assert "1/1 passed" in client.get(incident.get_absolute_url()).content.decode()


def test_invalid_check_is_refused(client, researcher, incident):
    item = store(researcher, jpeg(seed=2), "p.jpg", incident=incident)
    client.force_login(researcher)
    client.post(f"/evidence/{item.pk}/checks/", {"kind": "geolocated", "result": "probably"})
    assert not VerificationCheck.objects.exists()


def test_viewer_cannot_record_checks_or_link_claims(client, researcher, viewer, incident):
    item = store(researcher, jpeg(seed=3), "p.jpg", incident=incident)
    claim = factories.claim(incident=incident)
    client.force_login(viewer)
    assert client.post(f"/evidence/{item.pk}/checks/", {"kind": "geolocated", "result": "pass"}).status_code == 403
    assert client.post(f"/evidence/{item.pk}/claims/", {"claim": claim.pk, "relation": "supports"}).status_code == 403
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert "Record check" not in page and "Link to claim" not in page
    assert not VerificationCheck.objects.exists() and not ClaimEvidence.objects.exists()


def test_item_is_linked_to_claims_it_supports_or_contradicts(client, researcher, incident):
    item = store(researcher, jpeg(seed=4), "p.jpg", incident=incident)
    alleging = factories.claim(incident=incident, stance="alleges")
    denying = factories.claim(incident=incident, stance="denies")
    client.force_login(researcher)
    client.post(f"/evidence/{item.pk}/claims/", {"claim": alleging.pk, "relation": "supports"})
    client.post(f"/evidence/{item.pk}/claims/", {"claim": denying.pk, "relation": "contradicts"})
    links = dict(ClaimEvidence.objects.values_list("claim_id", "relation"))
    assert links == {alleging.pk: "supports", denying.pk: "contradicts"}
    # Linking again changes the relation rather than failing.
    client.post(f"/evidence/{item.pk}/claims/", {"claim": denying.pk, "relation": "supports"})
    assert ClaimEvidence.objects.get(claim=denying).relation == "supports"
    assert item.custody_events.filter(action=CustodyAction.LINKED).count() == 4  # incident + three claim links


def test_claims_of_other_incidents_cannot_be_linked(client, researcher, incident):
    item = store(researcher, jpeg(seed=5), "p.jpg", incident=incident)
    elsewhere = factories.claim(incident=factories.incident(created_by=researcher))
    client.force_login(researcher)
    client.post(f"/evidence/{item.pk}/claims/", {"claim": elsewhere.pk, "relation": "supports"})
    assert not ClaimEvidence.objects.exists()


def test_gps_photo_appears_on_the_incident_map_with_its_distance(client, researcher):
    incident = factories.incident(created_by=researcher, latitude=Decimal("35.813740"), longitude=Decimal("36.609640"))
    # About 0.009° of latitude north: roughly a kilometre.
    item = store(researcher, jpeg(seed=6, gps=(35.822740, 36.609640)), "north.jpg", incident=incident)
    evidence_process(evidence_id=item.pk)
    client.force_login(researcher)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "1.0 km from the incident" in page
    positions = json.loads(re.search(r'id="evidence-positions"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert positions == [
        {"title": "north.jpg", "url": f"/evidence/{item.pk}/", "lat": 35.82274, "lng": 36.60964, "distance": "1.0 km"}
    ]


def test_incident_page_shows_upload_form_to_researchers_only(client, researcher, viewer, incident):
    client.force_login(researcher)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert 'href="#upload-evidence"' in page and 'id="upload-evidence"' in page
    assert f'name="incident" value="{incident.reference}"' in page
    assert "js/upload.js" in page
    client.force_login(viewer)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "upload-evidence" not in page


def test_incident_page_evidence_panel_query_count_is_flat(client, researcher, incident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(researcher)
    counts = []
    for batch in range(3):
        for seed in range(3):
            name = f"{batch}-{seed}.jpg"
            evidence_process(
                evidence_id=store(researcher, jpeg(seed=10 + batch * 5 + seed), name, incident=incident).pk
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(incident.get_absolute_url())
        counts.append(len(queries.captured_queries))
    # The first count may lack the near-duplicate query (it runs once any two items are near duplicates, as they
    # are from the second batch on): 6 and 9 items are compared.
    assert counts[0] <= counts[1] == counts[2], "the evidence panel's queries grow with the number of items"
    assert response.content.decode().count("/thumbnail/") == 9


def test_fixity_command_catches_a_file_altered_on_disk(researcher, capsys):
    intact = store(researcher, b"intact statement\n", "a.txt", kind="testimony")
    altered = store(researcher, b"original statement\n", "b.txt", kind="testimony")
    path = storage.path_for(altered.storage_name)
    path.chmod(0o640)
    path.write_bytes(b"doctored statement\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("fixity_check")
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "1 changed, 1 ok" in out
    assert f"#{altered.pk}" in err
    intact.refresh_from_db()
    altered.refresh_from_db()
    assert intact.fixity_status == FixityStatus.OK and altered.fixity_status == FixityStatus.CHANGED
    assert altered.custody_events.get(action=CustodyAction.FIXITY_FAILED).detail["result"] == "changed"


def test_fixity_command_checks_least_recently_checked_first(researcher, capsys):
    first = store(researcher, b"first statement\n", "a.txt", kind="testimony")
    second = store(researcher, b"second statement\n", "b.txt", kind="testimony")
    call_command("fixity_check", limit=1)
    call_command("fixity_check", limit=1)
    call_command("fixity_check", limit=1)
    counts = {i.pk: i.custody_events.filter(action=CustodyAction.FIXITY_PASSED).count() for i in (first, second)}
    assert sorted(counts.values()) == [1, 2]
    assert "1 ok" in capsys.readouterr().out


def test_changed_file_alert_is_on_the_evidence_page_and_dashboard(client, researcher):
    item = store(researcher, b"will be doctored\n", "c.txt", kind="document")
    path = storage.path_for(item.storage_name)
    path.chmod(0o640)
    path.write_bytes(b"doctored\n")
    with pytest.raises(SystemExit):
        call_command("fixity_check")
    client.force_login(researcher)
    assert "Integrity alert" in client.get(f"/evidence/{item.pk}/").content.decode()
    assert "Evidence integrity alert" in client.get("/").content.decode()


def test_stale_temporary_files_are_swept(researcher, settings):
    import os
    import time

    storage.tmp_dir().mkdir(parents=True, exist_ok=True)
    stale = storage.tmp_dir() / "upload-crashed"
    fresh = storage.tmp_dir() / "upload-in-progress"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 3 * 24 * 3600
    os.utime(stale, (old, old))
    call_command("evidence_sweep")
    assert not stale.exists() and fresh.exists()


def test_researcher_edits_the_description_and_history_keeps_the_old_one(client, researcher, viewer, incident):
    item = store(researcher, jpeg(seed=30), "IMG_0042.jpg", incident=incident)
    client.force_login(viewer)
    assert client.get(f"/evidence/{item.pk}/edit/").status_code == 403
    client.force_login(researcher)
    data = {"title": "Market, looking north", "kind": "photo", "sensitivity": "graphic", "source_url": ""}
    response = client.post(f"/evidence/{item.pk}/edit/", data | {"acquisition_notes": "From an activist."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.sensitivity) == ("Market, looking north", "graphic")
    assert list(item.history.values_list("title", flat=True)) == ["Market, looking north", "IMG_0042.jpg"]
    response = client.post(f"/evidence/{item.pk}/edit/", data | {"source_url": "javascript:alert(1)"})
    assert response.status_code == 200 and "Enter a valid URL" in response.content.decode()
    item.refresh_from_db()
    assert item.source_url == ""


def test_item_is_linked_to_another_incident_and_unlinked(client, researcher, incident):
    other = factories.incident(created_by=researcher)
    item = store(researcher, jpeg(seed=31), "p.jpg", incident=incident)
    client.force_login(researcher)
    client.post(f"/evidence/{item.pk}/incidents/", {"incident": other.reference})
    assert set(item.incident_links.values_list("incident_id", flat=True)) == {incident.pk, other.pk}
    client.post(f"/evidence/{item.pk}/incidents/{incident.reference}/unlink/")
    assert set(item.incident_links.values_list("incident_id", flat=True)) == {other.pk}
    actions = list(item.custody_events.values_list("action", flat=True))
    assert actions == ["uploaded", "linked", "linked", "unlinked"]
    assert EvidenceItem.objects.filter(pk=item.pk).exists()  # the file and the record stay


def test_cannot_link_to_an_incident_one_cannot_see(client, researcher2, restricted_incident, researcher):
    item = store(researcher2, jpeg(seed=32), "p.jpg")
    client.force_login(researcher2)
    assert (
        client.post(f"/evidence/{item.pk}/incidents/", {"incident": restricted_incident.reference}).status_code == 404
    )
    assert not item.incident_links.exists()


def test_unlinking_from_a_restricted_incident_is_refused_to_researchers(client, researcher, restricted_incident):
    item = store(researcher, jpeg(seed=33), "p.jpg", incident=restricted_incident)
    client.force_login(researcher)
    client.post(f"/evidence/{item.pk}/incidents/{restricted_incident.reference}/unlink/")
    assert item.incident_links.filter(incident=restricted_incident).exists()
