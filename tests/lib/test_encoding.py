"""Encoding detection for uploaded files: the whole file is scanned, in chunks."""

import io

import pytest

from verify.lib import encoding
from verify.lib.encoding import detect_encoding

ARABIC = "قصف سوق أريحا، مقتل 34 مدنياً"
FRENCH = "Frappe aérienne près du marché d'Ariha, ça a touché l'école"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (("title\n" + ARABIC).encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ("title\n" + ARABIC).encode("utf-8"), "utf-8-sig"),
        (("title\n" + ARABIC).encode("cp1256"), "cp1256"),
        (("title\n" + FRENCH).encode("latin-1"), "latin-1"),
        (b"title\nplain ascii\n", "utf-8"),
    ],
)
def test_detects_the_encoding_and_rewinds(data, expected):
    stream = io.BytesIO(data)
    stream.read(3)
    assert detect_encoding(stream) == expected
    assert stream.tell() == 0
    assert stream.read().decode(expected).endswith((ARABIC, FRENCH, "plain ascii\n"))


def test_a_late_non_utf8_byte_is_found(monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK", 1024)
    data = b"title\n" + b"ascii row\n" * 500 + ("\n" + ARABIC).encode("cp1256")
    assert detect_encoding(io.BytesIO(data)) == "cp1256"


def test_utf8_split_across_chunks_is_still_utf8(monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK", 7)
    assert detect_encoding(io.BytesIO(("title\n" + ARABIC * 20).encode("utf-8"))) == "utf-8"
