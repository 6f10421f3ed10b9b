"""Streaming SHA-256: files are never read whole into memory."""

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1024 * 1024


def sha256_stream(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def iter_file(fh: BinaryIO, chunk_size: int = CHUNK_SIZE) -> Iterable[bytes]:
    while chunk := fh.read(chunk_size):
        yield chunk


def sha256_path(path: Path) -> tuple[str, int]:
    with path.open("rb") as fh:
        return sha256_stream(iter_file(fh))
