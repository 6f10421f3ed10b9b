"""Guess the text encoding of an uploaded file: UTF-8 (with or without BOM), Windows-1256 or Latin-1.

The whole file is scanned in chunks, so a stray Arabic byte on row 9,000 is not missed and memory stays flat.
No Django here.
"""

import codecs
import re
from typing import BinaryIO

UTF8_BOM = codecs.BOM_UTF8
CHUNK = 1 << 20

# Arabic letters in Windows-1256 occupy most of 0xC1–0xFE; in Latin-1 the same bytes are accented Latin letters.
# Telling them apart: Arabic text is mostly runs of these bytes, while Latin-1 text has an accented letter here and
# there between ASCII letters ("Ã©" never appears in either, that is the UTF-8 case, handled first).
_ARABIC = re.compile(r"[\u0621-\u064a]")
_HIGH = re.compile(rb"[\x80-\xff]")


def detect_encoding(stream: BinaryIO) -> str:
    """Return a Python codec name for the stream, and leave the stream at its start.

    `utf-8-sig` when the file starts with a BOM (the codec strips it), `utf-8` when every byte decodes as UTF-8,
    otherwise `cp1256` when the non-ASCII bytes read as Arabic words, else `latin-1` (which decodes anything).
    """
    stream.seek(0)
    head = stream.read(len(UTF8_BOM))
    if head == UTF8_BOM:
        stream.seek(0)
        return "utf-8-sig"
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    arabic = high = 0
    while chunk := stream.read(CHUNK):
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if not utf8:
            high += len(_HIGH.findall(chunk))
            arabic += len(_ARABIC.findall(chunk.decode("cp1256", errors="replace")))
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    stream.seek(0)
    if utf8:
        return "utf-8"
    return "cp1256" if high and arabic / high >= 0.6 else "latin-1"
