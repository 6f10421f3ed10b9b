"""Redacted working copies of images: rectangles blurred or blacked out, on a fresh image with no metadata.

Regions are fractions of the upright image (after the EXIF orientation is applied), as drawn on the preview, so
that they do not depend on the size it was shown at. No database access.
"""

import io
import json
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from verify.evidence.inspection import open_image
from verify.evidence.processing import ProcessingFailed

METHODS = ("blur", "black")
MAX_REGIONS = 50


class BadRegions(ValueError):
    pass


def parse_regions(raw: str) -> list[tuple[float, float, float, float]]:
    """A JSON list of [x, y, width, height] fractions, or one "x,y,w,h" a line."""
    raw = (raw or "").strip()
    if not raw:
        raise BadRegions(_("Draw at least one rectangle."))
    try:
        items = (
            json.loads(raw) if raw.startswith("[") else [line.split(",") for line in raw.splitlines() if line.strip()]
        )
        regions = [tuple(float(v) for v in item) for item in items]
    except (ValueError, TypeError) as exc:
        raise BadRegions(_("The rectangles could not be read.")) from exc
    if not regions or len(regions) > MAX_REGIONS:
        raise BadRegions(_("Draw between 1 and %(n)d rectangles.") % {"n": MAX_REGIONS})
    clean = []
    for region in regions:
        if len(region) != 4:
            raise BadRegions(_("Each rectangle needs x, y, width and height."))
        x, y, w, h = region
        if not (0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 and 0 < h <= 1):
            raise BadRegions(_("A rectangle lies outside the image."))
        clean.append((round(x, 5), round(y, 5), round(min(w, 1 - x), 5), round(min(h, 1 - y), 5)))
    return clean


def redact(path: Path, regions: list[tuple[float, float, float, float]], method: str) -> bytes:
    """The redacted image as PNG bytes (lossless, so that nothing of the covered area is left by compression)."""
    if method not in METHODS:
        raise BadRegions(_("Choose blur or black out."))
    try:
        with open_image(path) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except Exception as exc:
        raise ProcessingFailed(_("The image could not be opened: %(error)s") % {"error": exc}) from exc
    width, height = image.size
    draw = ImageDraw.Draw(image)
    for x, y, w, h in regions:
        box = (int(x * width), int(y * height), max(int((x + w) * width), int(x * width) + 1),
               max(int((y + h) * height), int(y * height) + 1))  # fmt: skip
        if method == "black":
            draw.rectangle(box, fill=(0, 0, 0))
        else:
            # Pixelate first, then blur: a plain blur can sometimes be reversed; coarse blocks cannot.
            region = image.crop(box)
            small = region.resize((max(1, region.width // 16), max(1, region.height // 16)), Image.Resampling.BILINEAR)
            region = small.resize(region.size, Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(8))
            image.paste(region, box[:2])
    bare = Image.new("RGB", image.size)
    bare.paste(image)
    out = io.BytesIO()
    bare.save(out, format="PNG", optimize=True)
    return out.getvalue()
