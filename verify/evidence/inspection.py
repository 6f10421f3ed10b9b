"""What the bytes are: the sniffed MIME type, the allowlist, extension agreement and image size limits.

No Django models here; the settings give the limits.
"""

import mimetypes
import warnings
from pathlib import Path, PurePath

import magic
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

# Types a browser could execute or render as a page. They are stored (web captures are HTML) but never served
# with their own type: downloads of these are always application/octet-stream.
ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
    "text/css",
    "application/x-shockwave-flash",
}

# Raster formats Pillow decodes: these get size checks, a thumbnail and a perceptual hash.
RASTER_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp"}

# Extensions that mimetypes does not list but that are the same format.
EXTRA_EXTENSIONS = {
    "image/jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "image/tiff": {".tif", ".tiff"},
    "text/plain": {".txt", ".text", ".log", ".md", ".csv", ".json", ".srt", ".vtt"},
    "text/csv": {".csv", ".txt"},
    "application/json": {".json"},
    "video/quicktime": {".mov", ".qt"},
    "video/mp4": {".mp4", ".m4v"},
    "audio/mp4": {".m4a", ".mp4"},
    "audio/x-m4a": {".m4a"},
    "audio/mpeg": {".mp3", ".mpga"},
    "audio/x-wav": {".wav"},
    "audio/ogg": {".ogg", ".oga", ".opus"},
    "video/x-matroska": {".mkv"},
    "text/html": {".html", ".htm", ".mhtml"},
    "application/warc": {".warc"},
}


class Rejected(Exception):
    """The bytes are refused, with a reason a person can act on."""


def sniff_mime(path: Path) -> str:
    return magic.from_file(str(path), mime=True)


def check_allowed(mime_type: str) -> None:
    if mime_type not in settings.EVIDENCE_ALLOWED_MIME_TYPES:
        raise Rejected(_("Files of type %(type)s are not accepted as evidence.") % {"type": mime_type})


def extension_mismatch(filename: str, mime_type: str) -> bool:
    """True when the file name claims a type the content does not have. No extension claims nothing."""
    suffix = PurePath(filename).suffix.lower()
    if not suffix:
        return False
    known = set(mimetypes.guess_all_extensions(mime_type, strict=False)) | EXTRA_EXTENSIONS.get(mime_type, set())
    return suffix not in known


def open_image(path: Path) -> Image.Image:
    """Open a raster image, refusing decompression bombs before any pixel is decoded."""
    limit = settings.EVIDENCE_MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Rejected(_("The image is too large to decode safely (%(error)s).") % {"error": exc}) from exc
    pixels = image.width * image.height
    if pixels > limit:
        image.close()
        raise Rejected(
            _(
                "The image is %(width)s × %(height)s pixels, more than the limit of %(limit)s pixels "
                "(a possible decompression bomb)."
            )
            % {"width": f"{image.width:,}", "height": f"{image.height:,}", "limit": f"{limit:,}"}
        )
    return image


def check_image(path: Path, mime_type: str) -> None:
    """Refuse decompression bombs at upload time; decoding errors are left to processing, which records them."""
    if mime_type not in RASTER_TYPES:
        return
    try:
        image = open_image(path)
    except Rejected:
        raise
    except Exception:
        return
    image.close()


def is_active(mime_type: str) -> bool:
    return mime_type in ACTIVE_TYPES or "html" in mime_type or "script" in mime_type or mime_type.endswith("+xml")
