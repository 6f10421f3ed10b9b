"""Facts extracted from an image: EXIF capture time, GPS position and camera, a safe thumbnail, a perceptual hash."""

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import BinaryIO

import exifread
import imagehash
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from verify.evidence.inspection import Rejected, open_image


class ProcessingFailed(Exception):
    """The file cannot be processed, for a reason that retrying will not change."""


@dataclass
class ImageFacts:
    captured_at: datetime | None = None
    capture_offset_known: bool = False
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    device: str = ""
    perceptual_hash: str = ""
    thumbnail: bytes = b""
    width: int = 0
    height: int = 0
    notes: list[str] = field(default_factory=list)


def _ratio(value) -> float:
    # A zero denominator is no value at all (some phones write 0/0 when they have no fix), never zero degrees.
    return float(value.num) / float(value.den)


def _dms(tag) -> float | None:
    values = getattr(tag, "values", None)
    if not values or len(values) < 3:
        return None
    try:
        return _ratio(values[0]) + _ratio(values[1]) / 60 + _ratio(values[2]) / 3600
    except (AttributeError, TypeError, ZeroDivisionError):
        return None


def _decimal6(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def read_exif(fh: BinaryIO, facts: ImageFacts) -> None:
    try:
        tags = exifread.process_file(fh, details=False)
    except Exception as exc:  # exifread raises many kinds of errors on odd files; metadata is optional
        facts.notes.append(f"EXIF could not be read: {exc}")
        return
    stamp = str(tags.get("EXIF DateTimeOriginal") or tags.get("Image DateTime") or "").strip()
    if stamp:
        try:
            naive = datetime.strptime(stamp, "%Y:%m:%d %H:%M:%S")
        except ValueError:
            facts.notes.append(f"Unreadable EXIF capture time {stamp!r}.")
        else:
            offset = str(tags.get("EXIF OffsetTimeOriginal") or "").strip()
            tz = UTC
            if len(offset) == 6 and offset[0] in "+-":
                try:
                    sign = 1 if offset[0] == "+" else -1
                    tz = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
                    facts.capture_offset_known = True
                except ValueError:
                    pass
            facts.captured_at = naive.replace(tzinfo=tz)
            if not facts.capture_offset_known:
                facts.notes.append("The camera recorded no time zone; the capture time is read as UTC.")
    lat, lon = _dms(tags.get("GPS GPSLatitude")), _dms(tags.get("GPS GPSLongitude"))
    if lat is not None and lon is not None:
        if str(tags.get("GPS GPSLatitudeRef", "N")).strip().upper() == "S":
            lat = -lat
        if str(tags.get("GPS GPSLongitudeRef", "E")).strip().upper() == "W":
            lon = -lon
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            facts.latitude, facts.longitude = _decimal6(lat), _decimal6(lon)
        else:
            facts.notes.append(f"GPS position out of range ({lat}, {lon}) ignored.")
    make = str(tags.get("Image Make") or "").strip()
    model = str(tags.get("Image Model") or "").strip()
    device = model if make and model.lower().startswith(make.lower()) else " ".join(p for p in (make, model) if p)
    facts.device = device[:200]


def make_thumbnail(image: Image.Image) -> bytes:
    """A re-encoded JPEG: only pixels survive, never the original's metadata or any embedded content.

    Pillow carries `info` (the JPEG comment, the ICC profile, XMP) through convert() and writes some of it back on
    save, so the pixels are copied into a fresh image that has no metadata at all.
    """
    size = settings.EVIDENCE_THUMBNAIL_SIZE
    thumb = ImageOps.exif_transpose(image)
    thumb = thumb.convert("RGB")
    thumb.thumbnail((size, size))
    bare = Image.new("RGB", thumb.size)
    bare.paste(thumb)
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


def image_facts(path: Path) -> ImageFacts:
    facts = ImageFacts()
    with path.open("rb") as fh:
        read_exif(fh, facts)
    try:
        image = open_image(path)
    except Rejected as exc:
        raise ProcessingFailed(str(exc)) from exc
    except Exception as exc:
        raise ProcessingFailed(_("The image could not be opened: %(error)s") % {"error": exc}) from exc
    with image:
        try:
            image.load()
        except Exception as exc:
            raise ProcessingFailed(_("The image could not be decoded: %(error)s") % {"error": exc}) from exc
        facts.width, facts.height = image.size
        facts.perceptual_hash = str(imagehash.phash(image))
        facts.thumbnail = make_thumbnail(image)
    return facts


def hamming(a: str, b: str) -> int:
    return imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b)
