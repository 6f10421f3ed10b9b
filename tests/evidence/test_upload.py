"""Uploads through the real view and the streaming handler: stored by hash, duplicates, hostile files."""

import pytest
from django.test import Client

from tests.evidence.conftest import jpeg, png_bomb, tmp_files, upload
from verify.evidence import storage
from verify.evidence.models import CustodyAction, EvidenceItem, IncidentEvidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def stored_files() -> list:
    return [p for p in storage.root().rglob("*") if p.is_file() and p.relative_to(storage.root()).parts[0] != "tmp"]


def test_upload_streams_to_a_hash_named_file_and_logs_custody(client, researcher, incident):
    client.force_login(researcher)
    content = jpeg(seed=1)
    response = upload(client, [("strike.jpg", content)], incident=incident.reference, title="Market, north side")
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "stored"
    item = EvidenceItem.objects.get()
    import hashlib

    assert item.sha256 == hashlib.sha256(content).hexdigest() == result["sha256"]
    assert item.mime_type == "image/jpeg"
    assert item.title == "Market, north side"
    assert item.uploaded_by == researcher
    assert storage.path_for(item.storage_name).read_bytes() == content
    assert storage.path_for(item.storage_name).name == item.sha256
    assert list(item.custody_events.values_list("action", flat=True)) == [CustodyAction.UPLOADED, CustodyAction.LINKED]
    assert IncidentEvidence.objects.filter(incident=incident, evidence=item).exists()
    assert tmp_files() == []


def test_same_file_twice_is_stored_once_and_linked_to_both_incidents(client, researcher):
    from tests import factories

    first, second = factories.incident(created_by=researcher), factories.incident(created_by=researcher)
    client.force_login(researcher)
    content = jpeg(seed=2)
    assert upload(client, [("a.jpg", content)], incident=first.reference).json()["results"][0]["status"] == "stored"
    response = upload(client, [("copy-of-a.jpg", content)], incident=second.reference, title="Another title")
    [result] = response.json()["results"]
    item = EvidenceItem.objects.get()
    assert result["status"] == "duplicate"
    assert result["id"] == item.pk
    assert f"evidence #{item.pk}" in result["message"] and second.reference in result["message"]
    assert item.title == "a.jpg"  # the first upload's record is kept
    assert len(stored_files()) == 1
    assert set(item.incident_links.values_list("incident_id", flat=True)) == {first.pk, second.pk}
    assert item.custody_events.filter(action=CustodyAction.LINKED).count() == 2
    assert tmp_files() == []


def test_several_files_in_one_plain_form_post_each_get_a_result(client, researcher, incident):
    client.force_login(researcher)
    response = upload(
        client,
        [("one.jpg", jpeg(seed=3)), ("empty.txt", b""), ("report.pdf", PDF)],
        as_json=False,
        incident=incident.reference,
        kind="document",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "one.jpg</strong>: Stored" in html
    assert "report.pdf</strong>: Stored" in html
    assert "empty.txt</strong>: Rejected" in html and "The file is empty." in html
    assert EvidenceItem.objects.count() == 2
    assert tmp_files() == []


def test_title_defaults_to_the_file_name_and_hostile_names_are_neutralised(client, researcher):
    client.force_login(researcher)
    name = "..\\..\\<img src=x onerror=alert(1)>.txt"
    response = upload(client, [(name, b"a witness statement, typed up\n")], kind="testimony", as_json=False)
    assert response.status_code == 200
    item = EvidenceItem.objects.get()
    assert item.original_filename == "<img src=x onerror=alert(1)>.txt"  # no path left
    assert item.title == item.original_filename
    page = client.get(item.get_absolute_url()).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page


def test_empty_file_is_refused_and_leaves_nothing(client, researcher):
    client.force_login(researcher)
    response = upload(client, [("nothing.jpg", b"")])
    assert response.status_code == 400
    assert response.json()["results"][0]["message"] == "The file is empty."
    assert EvidenceItem.objects.count() == 0
    assert stored_files() == [] and tmp_files() == []


def test_oversize_file_is_refused_while_streaming_and_leaves_nothing(client, researcher, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 10_000
    client.force_login(researcher)
    response = upload(client, [("big.txt", b"x" * 10_001), ("small.txt", b"just under the limit\n")], kind="document")
    results = {r["filename"]: r for r in response.json()["results"]}
    assert results["big.txt"]["status"] == "rejected"
    assert "larger than the limit of 10,000 bytes" in results["big.txt"]["message"]
    assert results["small.txt"]["status"] == "stored"
    assert EvidenceItem.objects.get().original_filename == "small.txt"
    assert tmp_files() == []


def test_decompression_bomb_is_refused(client, researcher):
    client.force_login(researcher)
    response = upload(client, [("innocent.png", png_bomb())])
    [result] = response.json()["results"]
    assert result["status"] == "rejected"
    assert "decompression bomb" in result["message"] or "too large to decode" in result["message"]
    assert EvidenceItem.objects.count() == 0
    assert stored_files() == [] and tmp_files() == []


def test_image_over_the_configured_pixel_limit_is_refused(client, researcher, settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 100 * 100
    client.force_login(researcher)
    [result] = upload(client, [("wide.jpg", jpeg(size=(200, 100)))]).json()["results"]
    assert result["status"] == "rejected"
    assert "200 × 100 pixels" in result["message"]
    assert EvidenceItem.objects.count() == 0


def test_executable_content_is_refused_whatever_its_name(client, researcher):
    client.force_login(researcher)
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200
    [result] = upload(client, [("holiday.jpg", elf)]).json()["results"]
    assert result["status"] == "rejected"
    assert "are not accepted as evidence" in result["message"]
    assert EvidenceItem.objects.count() == 0


def test_wrong_extension_is_recorded_and_shown(client, researcher):
    client.force_login(researcher)
    [result] = upload(client, [("scan.pdf", jpeg(seed=4))]).json()["results"]
    assert result["status"] == "stored"
    item = EvidenceItem.objects.get()
    assert item.mime_type == "image/jpeg"  # sniffed from the bytes, not the name
    assert item.extension_mismatch is True
    assert "Name mismatch" in client.get(item.get_absolute_url()).content.decode()
    assert item.custody_events.get(action=CustodyAction.UPLOADED).detail["extension_mismatch"] is True


def test_matching_extension_is_not_flagged(client, researcher):
    client.force_login(researcher)
    upload(client, [("photo.JPEG", jpeg(seed=5))])
    assert EvidenceItem.objects.get().extension_mismatch is False


def test_bad_metadata_rejects_every_file_and_stores_nothing(client, researcher):
    client.force_login(researcher)
    response = upload(client, [("a.jpg", jpeg(seed=6))], source_url="javascript:alert(1)", kind="")
    assert response.status_code == 400
    [result] = response.json()["results"]
    assert result["status"] == "rejected"
    assert EvidenceItem.objects.count() == 0
    assert tmp_files() == []


def test_interrupted_upload_leaves_no_row_and_no_file(client, researcher):
    client.force_login(researcher)
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="cut.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode() + jpeg(seed=7)[:5000]  # the connection drops here: no closing boundary
    response = client.post(
        "/evidence/upload/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert EvidenceItem.objects.count() == 0
    assert stored_files() == [] and tmp_files() == []


def test_upload_without_csrf_token_is_refused_and_leaves_no_file(researcher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    response = upload(client, [("a.jpg", jpeg(seed=8))])
    assert response.status_code == 403
    assert EvidenceItem.objects.count() == 0
    assert tmp_files() == []


def test_viewer_cannot_upload(client, viewer):
    client.force_login(viewer)
    assert upload(client, [("a.jpg", jpeg(seed=9))]).status_code == 403
    assert client.get("/evidence/upload/").status_code == 403
    assert EvidenceItem.objects.count() == 0


def test_outsider_cannot_upload(client, outsider):
    client.force_login(outsider)
    assert upload(client, [("a.jpg", jpeg(seed=9))]).status_code == 403
    assert EvidenceItem.objects.count() == 0


def test_upload_to_a_restricted_incident_outside_ones_groups_is_a_404(client, researcher2, restricted_incident):
    client.force_login(researcher2)
    response = upload(client, [("a.jpg", jpeg(seed=10))], incident=restricted_incident.reference)
    assert response.status_code == 404
    assert EvidenceItem.objects.count() == 0
    assert tmp_files() == []


def test_standalone_upload_page_offers_the_form(client, researcher, incident):
    client.force_login(researcher)
    page = client.get(f"/evidence/upload/?incident={incident.reference}").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'value="{incident.reference}"' in page
    for label in ["Files to preserve", "Title", "Kind", "Source URL", "Acquisition notes", "Sensitivity"]:
        assert label in page


def test_anonymous_upload_redirects_to_sign_in(client):
    response = upload(client, [("a.jpg", b"x")])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert tmp_files() == []


def test_oversize_last_file_is_rejected_and_the_earlier_files_are_stored(client, researcher, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 10_000
    client.force_login(researcher)
    files = [("one.txt", b"first file\n"), ("two.txt", b"second file\n"), ("big.txt", b"x" * 10_001)]
    response = upload(client, files, kind="document")
    assert response.status_code == 200
    results = {r["filename"]: r for r in response.json()["results"]}
    assert (results["one.txt"]["status"], results["two.txt"]["status"]) == ("stored", "stored")
    assert (results["big.txt"]["status"], results["big.txt"]["reason"]) == ("rejected", "too_large")
    assert sorted(EvidenceItem.objects.values_list("original_filename", flat=True)) == ["one.txt", "two.txt"]
    for item in EvidenceItem.objects.all():
        assert storage.path_for(item.storage_name).is_file()
    assert tmp_files() == []
