"""The upload handler streams: a large upload never sits in memory, and its hash is computed on the way in."""

import hashlib
import io
import tracemalloc

import pytest
from django.http.multipartparser import MultiPartParser

from verify.evidence import storage
from verify.evidence.uploads import EvidenceUploadHandler

MIB = 1024 * 1024


class GeneratedBody(io.RawIOBase):
    """A request body produced on demand (like a socket), so the test itself holds no copy of it."""

    def __init__(self, head: bytes, size: int, tail: bytes):
        self.parts = [head, None, tail]
        self.size = size
        self.sent = 0
        self.digest = hashlib.sha256()
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        out = b""
        while (n < 0 or len(out) < n) and self.parts:
            if not self.buffer:
                part = self.parts[0]
                if part is None:
                    if self.sent >= self.size:
                        self.parts.pop(0)
                        continue
                    block = bytes([self.sent // MIB % 251]) * min(MIB, self.size - self.sent)
                    self.sent += len(block)
                    self.digest.update(block)
                    self.buffer = block
                else:
                    self.buffer = self.parts.pop(0)
            take = len(self.buffer) if n < 0 else n - len(out)
            out, self.buffer = out + self.buffer[:take], self.buffer[take:]
        return out


@pytest.mark.parametrize("size", [48 * MIB])
def test_a_large_upload_is_hashed_while_streaming_and_never_held_in_memory(size, settings):
    boundary = "streamingboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="video.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = GeneratedBody(head, size, tail)
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(head) + size + len(tail)),
    }
    handler = EvidenceUploadHandler()
    tracemalloc.start()
    try:
        _, files = MultiPartParser(meta, body, [handler]).parse()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    uploaded = files["files"]
    try:
        assert uploaded.size == size
        assert uploaded.sha256 == body.digest.hexdigest()
        assert uploaded.staged.path.parent == storage.tmp_dir()  # same filesystem as the final path
        assert uploaded.staged.path.stat().st_size == size
        assert peak < 8 * MIB, f"parsing a {size // MIB} MiB upload peaked at {peak / MIB:.1f} MiB of memory"
    finally:
        handler.discard_all()
    assert list(storage.tmp_dir().iterdir()) == []
