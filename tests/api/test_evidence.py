"""Evidence through the API: streaming upload with the page's checks and limit, metadata, the download recorded in
the custody log with the hash of the bytes served, and restricted evidence a 404."""

import hashlib
import io

from PIL import Image

from tests import factories
from verify.evidence.models import CustodyAction, CustodyEvent, EvidenceItem


def _jpeg(seed: int = 1) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 40 % 255, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


def _upload(api, data: bytes, query: str):
    return api.post(f"/api/v1/evidence/?{query}", data, content_type="application/octet-stream")


def test_upload_metadata_download_and_custody(db, researcher, viewer, api_as):
    incident = factories.claimed_incident(created_by=researcher)
    data = _jpeg()
    api = api_as(researcher)
    stored = _upload(api, data, f"filename=market.jpg&kind=photo&incident={incident.reference}")
    assert stored.status_code == 201, stored.content
    body = stored.json()
    assert body["status"] == "stored" and body["linked"] is True
    assert body["evidence"]["sha256"] == hashlib.sha256(data).hexdigest()
    pk = body["evidence"]["id"]
    again = _upload(api, data, "filename=copy.jpg&kind=photo")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"

    reader = api_as(viewer)
    assert reader.get(f"/api/v1/evidence/{pk}/").json()["sha256"] == body["evidence"]["sha256"]
    download = reader.get(f"/api/v1/evidence/{pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    event = CustodyEvent.objects.filter(evidence_id=pk, action=CustodyAction.DOWNLOADED).get()
    assert event.actor == viewer and event.sha256 == hashlib.sha256(data).hexdigest()
    log = reader.get(f"/api/v1/evidence/{pk}/custody/").json()["results"]
    assert CustodyAction.DOWNLOADED in [e["action"] for e in log]
    # A viewer cannot upload (read-only token, and no role for it).
    assert _upload(reader, data, "filename=x.jpg&kind=photo").status_code == 403


def test_upload_refusals_are_field_errors(db, researcher, api_as, settings):
    api = api_as(researcher)
    assert "filename" in _upload(api, _jpeg(), "kind=photo").json()["errors"]
    assert "kind" in _upload(api, _jpeg(), "filename=a.jpg&kind=nonsense").json()["errors"]
    refused = _upload(api, b"MZ\x90\x00 not an image", "filename=a.exe&kind=photo")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    too_big = _upload(api, _jpeg(), "filename=a.jpg&kind=photo")
    assert too_big.status_code == 400 and "file" in too_big.json()["errors"]
    assert not EvidenceItem.objects.exists()


def test_restricted_evidence_is_a_404(db, researcher, viewer, desk, api_as):
    hidden = factories.claimed_incident(created_by=researcher, restricted=True, groups=[desk])
    researcher.groups.add(desk)
    made = _upload(api_as(researcher), _jpeg(3), f"filename=h.jpg&kind=photo&incident={hidden.reference}")
    assert made.status_code == 201, made.content
    pk = made.json()["evidence"]["id"]
    reader = api_as(viewer)
    for path in (f"/api/v1/evidence/{pk}/", f"/api/v1/evidence/{pk}/download/", f"/api/v1/evidence/{pk}/custody/"):
        response = reader.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    assert not CustodyEvent.objects.filter(evidence_id=pk, actor=viewer).exists()
