"""Content-addressed storage of evidence files on the local filesystem.

A file is named by its SHA-256 (ab/cd/abcd…), written to a temporary file in the same filesystem while it is
hashed, then moved into place atomically, so a half-written file never bears a hash name.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def name_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def path_for(name: str) -> Path:
    path = (root() / name).resolve()
    if root().resolve() not in path.parents:
        raise ValueError("Evidence path escapes the evidence root.")
    return path


class StagedFile:
    """A file streamed to a temporary path while its hash and size are computed."""

    def __init__(self, chunks: Iterable[bytes], *, max_bytes: int):
        tmp_dir = root() / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        self.path = Path(tmp_name)
        self.head = b""
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge(max_bytes)
                    if len(self.head) < 8192:
                        self.head += chunk[: 8192 - len(self.head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            self.discard()
            raise
        self.sha256 = digest.hexdigest()
        self.size = size

    def commit(self) -> str:
        """Move the staged file to its content address; returns the storage name."""
        name = name_for(self.sha256)
        final = path_for(name)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path, 0o440)
        os.replace(self.path, final)
        return name

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class FileTooLarge(Exception):
    def __init__(self, max_bytes: int):
        super().__init__(f"The file is larger than the limit of {max_bytes:,} bytes.")
