"""OCR with the real Tesseract: images and scanned PDFs read, text layers used, the page cap stated, the text
searchable from the evidence list and the incident's panel, and sent on to claim suggestions."""

import io
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import need
from tests.evidence.conftest import upload
from verify.evidence.models import EvidenceItem, ProcessingStatus

pytestmark = pytest.mark.django_db

WORDS = "SHELLING HIT THE BAKERY"


def text_image(text: str = WORDS, size=(900, 200)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((30, 60), text, fill="black", font=ImageFont.load_default(size=56))
    return image


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def image_pdf(pages: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=100)
    return out.getvalue()


def text_layer_pdf(text: str) -> bytes:
    """A one-page PDF whose text is real text (a text layer), in Helvetica."""
    stream = f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.fixture
def tesseract():
    need(bool(shutil.which("tesseract") and shutil.which("pdftoppm")), "tesseract or pdftoppm is not installed")


def store(client, dcc, name: str, content: bytes, **fields) -> EvidenceItem:
    with dcc(execute=True):
        response = upload(client, [(name, content)], kind="document", **fields)
    [result] = response.json()["results"]
    assert result["status"] == "stored", result
    item = EvidenceItem.objects.get(pk=result["id"])
    assert item.processing_status == ProcessingStatus.DONE, item.processing_error
    return item


def test_text_in_an_image_is_read_and_searchable(
    client, researcher, incident, tesseract, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "sign.png", png(text_image()), incident=incident.reference)
    assert "BAKERY" in item.ocr_text.upper()
    assert item.ocr_info["source"] == "ocr" and "eng" in item.ocr_info["languages"]
    other = store(client, django_capture_on_commit_callbacks, "blank.png", png(text_image("QUIET STREET")))
    listing = client.get("/evidence/", {"q": "bakery"}).content.decode()
    assert item.get_absolute_url() in listing and other.get_absolute_url() not in listing
    # The incident's panel searches its own evidence through the same list.
    panel = client.get(incident.get_absolute_url()).content.decode()
    assert f'name="incident" value="{incident.reference}"' in panel and 'id="evidence-text-q"' in panel
    scoped = client.get("/evidence/", {"q": "bakery", "incident": incident.reference}).content.decode()
    assert item.get_absolute_url() in scoped
    assert (
        item.get_absolute_url()
        not in client.get("/evidence/", {"q": "bakery", "incident": "SYR-1999-0001"}).content.decode()
    )


def test_send_to_claim_suggestions(client, researcher, incident, tesseract, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "sign.png", png(text_image()), incident=incident.reference)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'action="/suggestions/"' in page and "Send to claim suggestions" in page
    # What the button posts: the text and the item's incident, which the suggestion page takes as a report.
    response = client.post("/suggestions/", {"text": item.ocr_text, "incident": incident.reference})
    assert response.status_code == 200
    assert "BAKERY" in response.content.decode().upper()


def test_a_scanned_pdf_is_read_up_to_the_page_cap(
    client, researcher, settings, tesseract, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_OCR_MAX_PAGES = 2
    client.force_login(researcher)
    blank = Image.new("RGB", (60, 80), "white")
    pdf = image_pdf([text_image(), text_image("SECOND PAGE"), *[blank] * 4998])
    item = store(client, django_capture_on_commit_callbacks, "scan.pdf", pdf)
    assert item.ocr_info["source"] == "ocr"
    assert (item.ocr_info["pages"], item.ocr_info["pages_total"]) == (2, 5000)
    assert "BAKERY" in item.ocr_text.upper() and "SECOND" in item.ocr_text.upper()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Only the first 2 of 5000 pages were read." in page


def test_a_pdf_with_a_text_layer_is_not_ocrd(client, researcher, tesseract, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "report.pdf", text_layer_pdf("Ministry statement 2015"))
    assert item.ocr_info["source"] == "pdf_text"
    assert "Ministry statement 2015" in item.ocr_text


def test_without_tesseract_processing_still_succeeds_and_says_so(
    client, researcher, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("PATH", str(tmp_path))
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "sign.png", png(text_image()))
    assert item.perceptual_hash and item.ocr_text == ""
    assert "install tesseract-ocr" in item.ocr_info["error"]
    assert "OCR is not available: install tesseract-ocr." in client.get(item.get_absolute_url()).content.decode()
