"""Content-addressed storage of evidence files.

A file is named by its SHA-256 (ab/cd/abcd…). It is first written to a temporary file under EVIDENCE_ROOT/tmp
while it is hashed, then handed to Django's storage API (STORAGES["evidence"]): the filesystem backend moves it
into place with one rename in the same filesystem (the staged file offers temporary_file_path()), so a
half-written file never bears a hash name; an S3-compatible backend (EVIDENCE_STORAGE=s3) receives it in one
upload. There is no other path to the stored bytes.
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
from django.core.files.storage import Storage, storages
from django.utils.translation import gettext as _

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
    """Where a file of the filesystem backend lives (tests and tools; the application goes through `backend()`)."""
    path = (root() / name).resolve()
    if root().resolve() not in path.parents:
        raise ValueError("Evidence path escapes the evidence root.")
    return path


def backend() -> Storage:
    """The evidence storage (STORAGES["evidence"]): the filesystem or an S3-compatible bucket, used only through
    Django's storage API."""
    return storages["evidence"]


def _local_path(name: str) -> Path | None:
    """The file's local path when the backend has one (the filesystem), else None."""
    try:
        return Path(backend().path(name))
    except NotImplementedError:
        return None


def exists(name: str) -> bool:
    return backend().exists(name)


class _BucketStream:
    """An object's bytes as they arrive from the bucket, read(n) and close() only.

    django-storages' S3File downloads the whole object into a SpooledTemporaryFile before the first read, held in
    memory (its max_memory_size is 0: never rolled over to disk): a 256 MiB download grew the server by 427 MiB
    (bench/s3.py). The response body of GetObject streams instead."""

    def __init__(self, body):
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self._body.close()


def _open_reading(name: str) -> BinaryIO:
    store = backend()
    bucket = getattr(store, "bucket", None)
    if bucket is None or _local_path(name) is not None:
        return store.open(name, "rb")
    from storages.utils import clean_name

    key = store._normalize_name(clean_name(name))  # the key S3Storage.open would read
    return _BucketStream(bucket.Object(key).get()["Body"])  # type: ignore[return-value]


@contextmanager
def open_stored(name: str) -> Iterator[BinaryIO]:
    """The stored file for reading, streamed; raises FileNotFoundError when it is gone."""
    if not backend().exists(name):
        raise FileNotFoundError(name)
    fh = _open_reading(name)
    try:
        yield fh
    finally:
        fh.close()


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A local path to the stored file, for tools that need one (Pillow, libmagic, ffmpeg, Tesseract): the file
    itself on the filesystem, a temporary copy (streamed, never held in memory) from a bucket."""
    path = _local_path(name)
    if path is not None:
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
    """An open file handle for a streaming response, which closes it when done (read in pieces, never whole)."""
    if not backend().exists(name):
        raise FileNotFoundError(name)
    return _open_reading(name)


def put_bytes(name: str, data: bytes) -> None:
    """Store a small derived file (a thumbnail, a keyframe) under its content-derived name, replacing an older one."""
    if backend().exists(name):
        backend().delete(name)
    with _Staged(data) as content:
        saved = backend().save(name, content)
    if saved != name:  # a concurrent run stored it a moment ago: the same derived bytes
        backend().delete(saved)


class _Staged(File):
    """Bytes written to a temporary file first, so that the filesystem backend moves them into place with one
    rename (never a half-written file under the final name) and a bucket receives them in one upload."""

    def __init__(self, data: bytes):
        tmp_dir().mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir(), prefix=TMP_PREFIX)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        self._tmp = tmp_name
        super().__init__(open(tmp_name, "rb"), name=os.path.basename(tmp_name))  # noqa: SIM115 (closed in __exit__)

    def temporary_file_path(self) -> str:
        return self._tmp

    def __exit__(self, *args) -> None:
        self.close()
        Path(self._tmp).unlink(missing_ok=True)


class _StagedPath(File):
    """A finished staged file handed to the storage API: renamed into place on the filesystem."""

    def __init__(self, path: Path):
        self._path = path
        super().__init__(path.open("rb"), name=path.name)

    def temporary_file_path(self) -> str:
        return str(self._path)


class FileTooLarge(Exception):
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        super().__init__(_("The file is larger than the limit of %(limit)s bytes.") % {"limit": f"{max_bytes:,}"})


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
        """Move the staged file to its content address through the storage API; returns the storage name."""
        if not self.sha256:
            raise ValueError("finish() the staged file before committing it.")
        name = name_for(self.sha256)
        if backend().exists(name):
            self.discard()  # the same bytes are already there
        else:
            os.chmod(self.path, 0o440)
            content = _StagedPath(self.path)
            try:
                saved = backend().save(name, content)
            finally:
                content.close()
            if saved != name:  # stored concurrently under the same hash: keep one copy
                backend().delete(saved)
            local = _local_path(name)
            if local is not None:
                # The rename is durable only once the directory entry is on disk.
                dir_fd = os.open(local.parent, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            self.path.unlink(missing_ok=True)  # gone after a rename; uploaded, and removed here, for a bucket
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
    backend().delete(name)


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
