"""Content-addressed storage of evidence files.

A file is named by its SHA-256 (ab/cd/abcd…). It is first written to a temporary file under EVIDENCE_ROOT/tmp
while it is hashed, then moved into place: on the filesystem by an atomic rename in the same filesystem, so a
half-written file never bears a hash name; on S3 (EVIDENCE_STORAGE=s3) by one upload of the finished file.
"""

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages

TMP_DIR = "tmp"
TMP_PREFIX = "upload-"


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def tmp_dir() -> Path:
    return root() / TMP_DIR


def name_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def thumbnail_name_for(sha256: str) -> str:
    return f"thumbs/{sha256[:2]}/{sha256[2:4]}/{sha256}.jpg"


def keyframe_name_for(sha256: str, position: int) -> str:
    return f"keyframes/{sha256[:2]}/{sha256[2:4]}/{sha256}-{position:02d}.jpg"


def path_for(name: str) -> Path:
    path = (root() / name).resolve()
    if root().resolve() not in path.parents:
        raise ValueError("Evidence path escapes the evidence root.")
    return path


def _on_s3() -> bool:
    return settings.EVIDENCE_STORAGE == "s3"


def exists(name: str) -> bool:
    if _on_s3():
        return storages["evidence"].exists(name)
    return path_for(name).is_file()


@contextmanager
def open_stored(name: str) -> Iterator[BinaryIO]:
    """The stored file for reading; raises FileNotFoundError when it is gone."""
    if _on_s3():
        if not storages["evidence"].exists(name):
            raise FileNotFoundError(name)
        fh = storages["evidence"].open(name, "rb")
    else:
        fh = path_for(name).open("rb")
    try:
        yield fh
    finally:
        fh.close()


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A local path to the stored file, for libraries that need one (Pillow, libmagic)."""
    if not _on_s3():
        path = path_for(name)
        if not path.is_file():
            raise FileNotFoundError(name)
        yield path
        return
    with open_stored(name) as fh:
        staged = StagedFile.from_chunks(iter(lambda: fh.read(1024 * 1024), b""), max_bytes=2**63)
    try:
        yield staged.path
    finally:
        staged.discard()


def open_for_response(name: str) -> BinaryIO:
    """An open file handle for a streaming response, which closes it when done."""
    if _on_s3():
        return storages["evidence"].open(name, "rb")
    return path_for(name).open("rb")


def put_bytes(name: str, data: bytes) -> None:
    """Store small derived files (thumbnails) atomically under a content-derived name."""
    if _on_s3():
        from django.core.files.base import ContentFile

        if not storages["evidence"].exists(name):
            storages["evidence"].save(name, ContentFile(data))
        return
    final = path_for(name)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir().mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir(), prefix=TMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, 0o440)
        os.replace(tmp_name, final)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


class FileTooLarge(Exception):
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        super().__init__(f"The file is larger than the limit of {max_bytes:,} bytes.")


class StagedFile:
    """A file written chunk by chunk to a temporary path while its hash and size are computed.

    Nothing is ever held in memory beyond one chunk. Until `commit()`, `discard()` (also run by `close()`)
    removes the temporary file.
    """

    def __init__(self, *, max_bytes: int):
        tmp_dir().mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir(), prefix=TMP_PREFIX)
        self.path = Path(tmp_name)
        self.max_bytes = max_bytes
        self.size = 0
        self.sha256 = ""
        self.committed = False
        self._digest = hashlib.sha256()
        self._out: BinaryIO | None = os.fdopen(fd, "wb")

    @classmethod
    def from_chunks(cls, chunks: Iterable[bytes], *, max_bytes: int) -> "StagedFile":
        staged = cls(max_bytes=max_bytes)
        try:
            for chunk in chunks:
                staged.write(chunk)
            staged.finish()
        except BaseException:
            staged.discard()
            raise
        return staged

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise FileTooLarge(self.max_bytes)
        self._digest.update(chunk)
        self._out.write(chunk)

    def finish(self) -> None:
        """Flush the bytes to disk and fix the hash."""
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        self._out = None
        self.sha256 = self._digest.hexdigest()

    def commit(self) -> str:
        """Move the staged file to its content address; returns the storage name."""
        if not self.sha256:
            raise ValueError("finish() the staged file before committing it.")
        name = name_for(self.sha256)
        if _on_s3():
            with self.path.open("rb") as fh:
                if not storages["evidence"].exists(name):
                    storages["evidence"].save(name, File(fh, name=name))
            self.discard()
        else:
            final = path_for(name)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(self.path, 0o440)
            os.replace(self.path, final)
            # The rename is durable only once the directory entry is on disk.
            dir_fd = os.open(final.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        self.committed = True
        return name

    def discard(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        if not self.committed:
            self.path.unlink(missing_ok=True)


def remove_stored(name: str) -> None:
    """Only for undoing a commit whose database row was never written."""
    if _on_s3():
        storages["evidence"].delete(name)
    else:
        path_for(name).unlink(missing_ok=True)


def sweep_tmp(*, older_than_seconds: int) -> int:
    """Remove temporary upload files left by a crashed process. Returns how many were removed."""
    cutoff = time.time() - older_than_seconds
    removed = 0
    if not tmp_dir().is_dir():
        return 0
    for path in tmp_dir().glob(f"{TMP_PREFIX}*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
