"""Serving originals and thumbnails, the custody log and its exports, and who may see what."""

import csv
import io
import json

import pytest
from django.db import DatabaseError, connection, transaction

from tests.evidence.conftest import jpeg
from verify.evidence.models import AppendOnlyError, CustodyAction, CustodyEvent, EvidenceItem
from verify.evidence.services import evidence_process, evidence_store

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>document.title='pwned'</script>web capture</body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def store(user, content: bytes, name: str, *, incident=None, kind: str = "photo", **metadata) -> EvidenceItem:
    item, _ = evidence_store(
        user=user,
        chunks=[content],
        original_filename=name,
        metadata={"title": name, "kind": kind, **metadata},
        incident=incident,
    )
    return item


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_is_an_attachment_with_nosniff_and_is_logged(client, researcher, incident):
    content = jpeg(seed=1)
    item = store(researcher, content, "photo.jpg", incident=incident)
    client.force_login(researcher)
    response = client.get(f"/evidence/{item.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="photo.jpg"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"
    assert body(response) == content
    event = item.custody_events.get(action=CustodyAction.DOWNLOADED)
    assert event.actor == researcher and event.sha256 == item.sha256


@pytest.mark.parametrize(
    ("name", "content", "sniffed"), [("capture.html", HTML, "text/html"), ("map.svg", SVG, "image/svg+xml")]
)
def test_html_and_svg_are_served_as_attachments_never_inline(client, researcher, name, content, sniffed):
    item = store(researcher, content, name, kind="web_capture")
    assert item.mime_type == sniffed
    client.force_login(researcher)
    response = client.get(f"/evidence/{item.pk}/download/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == content
    # No thumbnail for active content, and the page never embeds it.
    assert client.get(f"/evidence/{item.pk}/thumbnail/").status_code == 404
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert "<script>alert" not in page and "document.title" not in page


def test_viewer_can_view_and_download_and_each_is_logged(client, researcher, viewer, incident):
    item = store(researcher, jpeg(seed=2), "photo.jpg", incident=incident)
    client.force_login(viewer)
    assert client.get(f"/evidence/{item.pk}/").status_code == 200
    response = client.get(f"/evidence/{item.pk}/download/")
    assert response.status_code == 200
    body(response)  # the download is logged when the stream ends, with the hash of the bytes served
    actions = list(item.custody_events.filter(actor=viewer).values_list("action", flat=True))
    assert actions == [CustodyAction.VIEWED, CustodyAction.DOWNLOADED]


def test_outsider_gets_404_everywhere(client, researcher, outsider, incident):
    item = store(researcher, jpeg(seed=3), "photo.jpg", incident=incident)
    evidence_process(evidence_id=item.pk)
    client.force_login(outsider)
    for url in ["", "download/", "thumbnail/", "custody.csv", "custody.json"]:
        assert client.get(f"/evidence/{item.pk}/{url}").status_code == 404, url
    assert client.get("/evidence/").status_code == 403
    assert not item.custody_events.filter(actor=outsider).exists()


def test_restricted_incidents_evidence_is_404_outside_its_groups(client, researcher, researcher2, restricted_incident):
    item = store(researcher, jpeg(seed=4), "secret.jpg", incident=restricted_incident)
    evidence_process(evidence_id=item.pk)
    client.force_login(researcher2)
    for url in ["", "download/", "thumbnail/", "custody.csv"]:
        assert client.get(f"/evidence/{item.pk}/{url}").status_code == 404, url
    assert "secret.jpg" not in client.get("/evidence/").content.decode()
    client.force_login(researcher)  # in the allowed group
    assert client.get(f"/evidence/{item.pk}/download/").status_code == 200


def test_thumbnail_is_a_reencoded_jpeg_shown_inline(client, researcher):
    item = store(researcher, jpeg(seed=5, size=(1600, 1200), gps=(35.8, 36.6)), "big.jpg")
    evidence_process(evidence_id=item.pk)
    client.force_login(researcher)
    response = client.get(f"/evidence/{item.pk}/thumbnail/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "Content-Disposition" not in response or "attachment" not in response["Content-Disposition"]
    from PIL import Image

    thumb = Image.open(io.BytesIO(body(response)))
    assert max(thumb.size) <= 480
    assert not thumb.getexif().get_ifd(0x8825)  # the GPS position does not leak into the thumbnail
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert f'src="/evidence/{item.pk}/thumbnail/"' in page


def test_missing_file_download_raises_an_integrity_alert(client, researcher):
    from verify.evidence import storage

    item = store(researcher, b"statement text\n", "statement.txt", kind="testimony")
    storage.path_for(item.storage_name).unlink()
    client.force_login(researcher)
    assert client.get(f"/evidence/{item.pk}/download/").status_code == 404
    item.refresh_from_db()
    assert item.fixity_status == "missing"
    assert "Integrity alert" in client.get(f"/evidence/{item.pk}/").content.decode()


def test_custody_log_is_shown_and_exported_as_csv_and_json(client, researcher, incident):
    item = store(
        researcher, b'=HYPERLINK("http://evil")\n', "=cmd|' /C calc'!A0.txt", incident=incident, kind="document"
    )
    client.force_login(researcher)
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert "Chain of custody" in page and "Uploaded" in page and "Linked" in page

    response = client.get(f"/evidence/{item.pk}/custody.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["action"] for r in rows] == ["uploaded", "linked", "viewed", "exported"]
    uploaded = rows[0]
    assert uploaded["sha256"] == item.sha256
    assert uploaded["actor"] == researcher.username
    # The hostile file name sits inside the detail cell; no cell may start a formula.
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value

    data = json.loads(client.get(f"/evidence/{item.pk}/custody.json").content)
    assert data["evidence"]["sha256"] == item.sha256
    assert [e["action"] for e in data["events"]][:2] == ["uploaded", "linked"]
    assert data["events"][-1]["action"] == "exported"


def test_csv_cells_starting_a_formula_are_escaped():
    from verify.evidence.exports import safe_cell

    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("+1") == "'+1"
    assert safe_cell("-1") == "'-1"
    assert safe_cell("@x") == "'@x"
    assert safe_cell("plain") == "plain"


def test_custody_update_and_delete_fail_in_the_database(researcher):
    item = store(researcher, b"chain of custody\n", "c.txt", kind="document")
    event = item.custody_events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_custodyevent SET action = 'viewed' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_custodyevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        CustodyEvent.objects.filter(pk=event.pk).update(action="viewed")
    event.refresh_from_db()
    assert event.action == CustodyAction.UPLOADED


def test_custody_model_refuses_changes(researcher):
    item = store(researcher, b"chain of custody 2\n", "c.txt", kind="document")
    event = item.custody_events.get()
    event.action = CustodyAction.VIEWED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_evidence_list_filters(client, researcher, incident):
    photo = store(researcher, jpeg(seed=6), "market.jpg", incident=incident)
    store(researcher, b"transcript of the interview\n", "interview.txt", kind="testimony")
    client.force_login(researcher)
    page = client.get("/evidence/?kind=photo").content.decode()
    assert "market.jpg" in page and "interview.txt" not in page
    page = client.get(f"/evidence/?q={photo.sha256[:10]}").content.decode()
    assert "market.jpg" in page and "interview.txt" not in page
    page = client.get(f"/evidence/?q={incident.reference}").content.decode()
    assert "market.jpg" in page and "interview.txt" not in page
    page = client.get("/evidence/?unlinked=true").content.decode()
    assert "interview.txt" in page and "market.jpg" not in page


def test_evidence_list_query_count_does_not_grow_with_items(client, researcher, incident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(researcher)
    counts = []
    for batch in range(2):
        for seed in range(3):
            store(researcher, jpeg(seed=20 + batch * 5 + seed), f"p{batch}{seed}.jpg", incident=incident)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/evidence/")
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], "the evidence list's queries grow with the number of items"
    page = response.content.decode()
    assert page.count("/download/") == 0  # the list links to pages, never to the files
    assert all(f"p{b}{s}.jpg" in page for b in range(2) for s in range(3))


def test_processing_status_endpoint_reports_only_visible_items(client, researcher, researcher2, restricted_incident):
    public = store(researcher, b"public statement\n", "public.txt", kind="document")
    hidden = store(researcher, jpeg(seed=50), "hidden.jpg", incident=restricted_incident)
    client.force_login(researcher2)
    data = client.get(f"/evidence/status/?id={public.pk}&id={hidden.pk}&id=abc").json()
    assert data == {str(public.pk): {"status": "pending", "label": "Pending"}}
    assert not public.custody_events.filter(actor=researcher2).exists()
