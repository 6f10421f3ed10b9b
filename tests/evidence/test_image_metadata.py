"""What processing takes from an image's metadata, and what it must never pass on."""

import io
from decimal import Decimal

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from tests.evidence.conftest import jpeg
from verify.evidence.processing import image_facts, make_thumbnail


def jpeg_with_gps(tmp_path, lat: tuple, lon: tuple):
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: lat, 3: "E", 4: lon})
    path = tmp_path / "gps.jpg"
    Image.new("RGB", (64, 48), (10, 20, 30)).save(path, format="JPEG", exif=exif.tobytes())
    return path


def test_gps_with_a_zero_denominator_is_no_position(tmp_path):
    zero = (IFDRational(0, 0),) * 3
    facts = image_facts(jpeg_with_gps(tmp_path, zero, zero))
    assert (facts.latitude, facts.longitude) == (None, None)


def test_gps_with_one_zero_denominator_among_valid_values_is_no_position(tmp_path):
    lat = (IFDRational(36, 1), IFDRational(12, 0), IFDRational(0, 1))
    lon = (IFDRational(37, 1), IFDRational(9, 1), IFDRational(0, 1))
    facts = image_facts(jpeg_with_gps(tmp_path, lat, lon))
    assert (facts.latitude, facts.longitude) == (None, None)


def test_real_gps_still_read(tmp_path):
    path = tmp_path / "g.jpg"
    path.write_bytes(jpeg(seed=5, gps=(36.2, 37.15)))
    facts = image_facts(path)
    assert facts.latitude == Decimal("36.200000")


def test_thumbnail_carries_no_comment_and_no_icc_profile():
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(
        out, format="JPEG", comment=b"Call me on +963 944 123 456", icc_profile=icc
    )
    source = out.getvalue()
    assert b"+963 944 123 456" in source and b"ICC_PROFILE" in source
    with Image.open(io.BytesIO(source)) as image:
        image.load()
        thumb = make_thumbnail(image)
    assert b"+963 944 123 456" not in thumb
    assert b"ICC_PROFILE" not in thumb
    assert b"\xff\xfe" not in thumb.split(b"\xff\xda", 1)[0]  # no COM segment before the image data
    with Image.open(io.BytesIO(thumb)) as small:
        assert "icc_profile" not in small.info and "comment" not in small.info
