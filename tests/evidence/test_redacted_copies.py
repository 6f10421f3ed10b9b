"""Redacted working copies: rectangles blacked out or blurred on a new item with its own hash, the original never
changed, the derivation in both custody logs, and the copy shown by default to those who may not see sensitive
originals."""

import hashlib
import io

import pytest
from PIL import Image

from tests.evidence.conftest import jpeg, upload
from verify.evidence import storage
from verify.evidence.models import CustodyAction, EvidenceItem, IncidentEvidence

pytestmark = pytest.mark.django_db


def stored(item: EvidenceItem) -> bytes:
    with storage.open_stored(item.storage_name) as fh:
        return fh.read()


@pytest.fixture
def sensitive(client, researcher, incident, django_capture_on_commit_callbacks) -> EvidenceItem:
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, [("faces.jpg", jpeg(seed=3, size=(400, 300)))], incident=incident.reference,
                          sensitivity="identifies_person")  # fmt: skip
    return EvidenceItem.objects.get(pk=response.json()["results"][0]["id"])


def redact(client, dcc, item, regions="0.25,0.25,0.5,0.5", method="black"):
    with dcc(execute=True):
        return client.post(
            f"/evidence/{item.pk}/redact/", {"regions": regions, "method": method, "sensitivity": "none"}
        )


def test_black_out_makes_a_derived_item_and_leaves_the_original(
    client, researcher, incident, sensitive, django_capture_on_commit_callbacks
):
    before = stored(sensitive)
    response = redact(client, django_capture_on_commit_callbacks, sensitive)
    copy = EvidenceItem.objects.exclude(pk=sensitive.pk).get()
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert copy.derived_from == sensitive and copy.derivation["method"] == "black"
    assert copy.derivation["regions"] == [[0.25, 0.25, 0.5, 0.5]]
    assert copy.sha256 == hashlib.sha256(stored(copy)).hexdigest() != sensitive.sha256
    assert copy.mime_type == "image/png" and copy.sensitivity == "none"
    assert stored(sensitive) == before and hashlib.sha256(before).hexdigest() == sensitive.sha256
    original = Image.open(io.BytesIO(before)).convert("RGB")
    result = Image.open(io.BytesIO(stored(copy))).convert("RGB")
    assert result.size == original.size == (400, 300)
    assert result.getpixel((200, 150)) == (0, 0, 0)  # inside the rectangle
    assert result.getpixel((10, 10)) == original.getpixel((10, 10))  # outside, untouched
    event = sensitive.custody_events.get(action=CustodyAction.REDACTED)
    assert event.actor == researcher and event.detail["derived"] == copy.pk
    assert event.detail["derived_sha256"] == copy.sha256
    assert list(copy.custody_events.values_list("action", flat=True))[:3] == [
        CustodyAction.UPLOADED, CustodyAction.LINKED, CustodyAction.REDACTED,
    ]  # fmt: skip
    assert IncidentEvidence.objects.filter(incident=incident, evidence=copy).exists()
    page = client.get(copy.get_absolute_url()).content.decode()
    assert 'id="derived-from"' in page and sensitive.get_absolute_url() in page


def test_blur_changes_only_the_rectangle(client, sensitive, django_capture_on_commit_callbacks):
    redact(client, django_capture_on_commit_callbacks, sensitive, regions="[[0.5, 0, 0.5, 1]]", method="blur")
    copy = EvidenceItem.objects.exclude(pk=sensitive.pk).get()
    original = Image.open(io.BytesIO(stored(sensitive))).convert("RGB")
    result = Image.open(io.BytesIO(stored(copy))).convert("RGB")
    inside = [(x, y) for x in range(210, 400, 7) for y in range(0, 300, 7)]
    assert sum(result.getpixel(p) != original.getpixel(p) for p in inside) > len(inside) // 4  # flat areas stay
    assert all(result.getpixel((x, y)) == original.getpixel((x, y)) for x in range(0, 190, 9) for y in range(0, 300, 9))


@pytest.mark.parametrize("regions", ["", "1.2,0,0.5,0.5", "0,0,0,0.5", "a,b,c,d", "0.1,0.1,0.2"])
def test_bad_rectangles_are_refused(client, sensitive, regions, django_capture_on_commit_callbacks):
    response = redact(client, django_capture_on_commit_callbacks, sensitive, regions=regions)
    assert response.status_code == 400
    assert EvidenceItem.objects.count() == 1
    assert not sensitive.custody_events.filter(action=CustodyAction.REDACTED).exists()


def test_viewers_see_the_redacted_copy_by_default(client, viewer, sensitive, django_capture_on_commit_callbacks):
    client.force_login(viewer)
    assert client.get(f"/evidence/{sensitive.pk}/download/").status_code == 403
    assert client.get(f"/evidence/{sensitive.pk}/thumbnail/").status_code == 404
    client.force_login(sensitive.uploaded_by)
    redact(client, django_capture_on_commit_callbacks, sensitive)
    copy = EvidenceItem.objects.exclude(pk=sensitive.pk).get()
    assert client.get(f"/evidence/{sensitive.pk}/download/").status_code == 200  # a researcher sees the original
    client.force_login(viewer)
    download = client.get(f"/evidence/{sensitive.pk}/download/")
    assert download.status_code == 302 and download["Location"] == f"/evidence/{copy.pk}/download/"
    thumb = client.get(f"/evidence/{sensitive.pk}/thumbnail/")
    with storage.open_stored(copy.thumbnail_name) as fh:
        assert b"".join(thumb.streaming_content) == fh.read()
    page = client.get(sensitive.get_absolute_url()).content.decode()
    assert 'id="redacted-default"' in page and f"/evidence/{copy.pk}/download/" in page
    assert f"/evidence/{sensitive.pk}/download/" not in page
    assert client.get(f"/evidence/{sensitive.pk}/redact/").status_code == 403


def test_only_images_can_be_redacted(client, researcher, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    response = upload(client, [("report.pdf", pdf)], kind="document")
    pk = response.json()["results"][0]["id"]
    assert client.get(f"/evidence/{pk}/redact/").status_code == 404
