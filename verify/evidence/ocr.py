"""Text from images and scanned PDFs with Tesseract (English and Arabic), and the text layer of other PDFs.

No database access. A PDF is rendered page by page with poppler's pdftoppm, up to EVIDENCE_OCR_MAX_PAGES pages;
the cap is recorded with the text, so that a 5,000-page PDF says that only its first pages were read.
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from verify.evidence.processing import ProcessingFailed

MAX_TEXT_CHARS = 1_000_000


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def pdf_renderer_available() -> bool:
    return shutil.which("pdftoppm") is not None


@dataclass
class OcrResult:
    text: str = ""
    source: str = ""  # "ocr" or "pdf_text"
    pages: int = 0
    pages_total: int = 0
    languages: str = ""
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "pages": self.pages,
            "pages_total": self.pages_total,
            "languages": self.languages,
            "chars": len(self.text),
            "notes": self.notes,
        }


def _exec(argv: list[str], timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, timeout=timeout, check=False)  # noqa: S603 (fixed argv, no shell)


def _languages() -> str:
    wanted = [lang for lang in settings.EVIDENCE_OCR_LANGUAGES.split("+") if lang]
    try:
        listed = _exec(["tesseract", "--list-langs"], 30).stdout.decode("utf-8", "replace").split()
    except (OSError, subprocess.TimeoutExpired):
        listed = []
    found = [lang for lang in wanted if lang in listed]
    return "+".join(found or wanted[:1] or ["eng"])


def _tesseract(image: Path, languages: str) -> str:
    try:
        result = _exec(["tesseract", str(image), "stdout", "-l", languages], settings.EVIDENCE_OCR_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise ProcessingFailed(_("Tesseract took too long on one page.")) from exc
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ProcessingFailed(_("Tesseract could not read the image: %(error)s") % {"error": error[0][:300]})
    return result.stdout.decode("utf-8", "replace").strip()


def image_text(path: Path) -> OcrResult:
    if not tesseract_available():
        raise ProcessingFailed(_("OCR is not available: install tesseract-ocr."))
    languages = _languages()
    return OcrResult(text=_tesseract(path, languages)[:MAX_TEXT_CHARS], source="ocr", pages=1, pages_total=1,
                     languages=languages)  # fmt: skip


def pdf_text(path: Path) -> OcrResult:
    """The text layer when the PDF has one; otherwise OCR of its first pages."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    cap = settings.EVIDENCE_OCR_MAX_PAGES
    try:
        reader = PdfReader(str(path))
        total = len(reader.pages)
        layer = "\n".join((reader.pages[i].extract_text() or "") for i in range(min(total, cap)))
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ProcessingFailed(_("The PDF could not be read: %(error)s") % {"error": str(exc)[:300]}) from exc
    result = OcrResult(pages_total=total, pages=min(total, cap))
    if total > cap:
        result.notes.append(f"Only the first {cap} of {total} pages were read (EVIDENCE_OCR_MAX_PAGES).")
    if len("".join(layer.split())) >= 20:
        result.text, result.source = layer.strip()[:MAX_TEXT_CHARS], "pdf_text"
        return result
    if not tesseract_available() or not pdf_renderer_available():
        raise ProcessingFailed(_("OCR is not available: install tesseract-ocr and poppler-utils."))
    result.source, result.languages = "ocr", _languages()
    texts = []
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        for page in range(1, result.pages + 1):
            prefix = Path(tmp) / f"p{page}"
            try:
                argv = ["pdftoppm", "-r", "200", "-f", str(page), "-l", str(page), "-png", "-singlefile"]
                rendered = _exec([*argv, str(path), str(prefix)], settings.EVIDENCE_OCR_TIMEOUT)
            except subprocess.TimeoutExpired:
                result.notes.append(f"Page {page} took too long to render.")
                continue
            image = prefix.with_suffix(".png")
            if rendered.returncode != 0 or not image.exists():
                result.notes.append(f"Page {page} could not be rendered.")
                continue
            texts.append(_tesseract(image, result.languages))
            image.unlink()
    result.text = "\n\n".join(t for t in texts if t)[:MAX_TEXT_CHARS]
    return result
