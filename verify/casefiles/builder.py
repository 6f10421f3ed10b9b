"""Writing a case file: a ZIP streamed to a temporary file, renamed into place only once it is complete.

Entries are stored (ZIP_STORED, ZIP64 forced) through an unseekable sink, so zipfile writes each entry once with a
data descriptor and never seeks back: every byte passes through once, hashed on its way in (the entry's SHA-256
for the manifest, the archive's own SHA-256) and memory holds one chunk at a time, however large the evidence.
"""

import hashlib
import os
import queue
import secrets
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings

CHUNK = 4 * 1024 * 1024
TMP_DIR = "tmp"
TMP_SUFFIX = ".part"
MANIFEST = "MANIFEST.sha256"
SIGNATURE = "MANIFEST.sig"


def root() -> Path:
    return Path(settings.CASEFILE_ROOT)


def tmp_dir() -> Path:
    return root() / TMP_DIR


def checker_path() -> Path:
    return Path(settings.BASE_DIR) / "scripts" / "verify-casefile"


def path_for(name: str) -> Path:
    path = (root() / name).resolve()
    if root().resolve() not in path.parents:
        raise ValueError("Case file path escapes CASEFILE_ROOT.")
    return path


class BackgroundHash:
    """SHA-256 computed in order on a thread of its own. hashlib releases the GIL on large buffers, so the hashing
    runs on another core beside the ZIP's CRC-32 and the write. At most `depth` chunks wait (memory stays bounded)."""

    def __init__(self, depth: int = 4):
        self._digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        self._result: str | None = None
        self._thread = threading.Thread(target=self._run, name="casefile-hash", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            self._digest.update(chunk)

    def update(self, chunk: bytes) -> None:
        if chunk:
            self._queue.put(bytes(chunk))

    def hexdigest(self) -> str:
        if self._result is None:
            self._queue.put(None)
            self._thread.join()
            self._result = self._digest.hexdigest()
        return self._result

    def stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


class _Sink:
    """What zipfile writes to: the open temporary file, hashed as it goes. No seek(), so zipfile streams."""

    def __init__(self, fh: BinaryIO):
        self.fh, self.position, self.digest = fh, 0, BackgroundHash()

    def write(self, data) -> int:
        self.fh.write(data)
        self.digest.update(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        """zipfile leaves a file it was given open; the writer closes the real one."""


@dataclass
class Written:
    path: str
    sha256: str
    size: int


@dataclass
class CaseFileWriter:
    """Add entries, then `finish()` with a signer: the manifest and its signature go last."""

    label: str
    progress: Callable[[int], None] = lambda n: None
    entries: list[Written] = field(default_factory=list)

    def __post_init__(self) -> None:
        tmp_dir().mkdir(parents=True, exist_ok=True)
        self.tmp_path = tmp_dir() / f"{self.label}-{secrets.token_hex(8)}{TMP_SUFFIX}"
        self._fh = self.tmp_path.open("xb")
        self._sink = _Sink(self._fh)
        self._zip = zipfile.ZipFile(self._sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
        self._names: set[str] = set()
        self._date = time.localtime()[:6]

    def _info(self, name: str, mode: int = 0o644) -> zipfile.ZipInfo:
        if name in self._names:
            raise ValueError(f"{name} is already in the case file")
        self._names.add(name)
        info = zipfile.ZipInfo(name, date_time=self._date)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = (0o100000 | mode) << 16
        return info

    def add_bytes(self, name: str, data: bytes, *, mode: int = 0o644, in_manifest: bool = True) -> Written:
        return self.add_stream(name, [data], mode=mode, in_manifest=in_manifest)

    def add_stream(
        self, name: str, chunks: Iterable[bytes], *, mode: int = 0o644, in_manifest: bool = True, count: bool = False
    ) -> Written:
        digest: BackgroundHash | Any = BackgroundHash() if count else hashlib.sha256()
        size = 0
        try:
            with self._zip.open(self._info(name, mode), "w", force_zip64=True) as out:
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                    if count:
                        self.progress(len(chunk))
        finally:
            if count:
                digest.stop()
        written = Written(name, digest.hexdigest(), size)
        if in_manifest:
            self.entries.append(written)
        return written

    def add_file(self, name: str, fh: BinaryIO, **kwargs) -> Written:
        return self.add_stream(name, iter(lambda: fh.read(CHUNK), b""), **kwargs)

    def manifest(self) -> bytes:
        return "".join(f"{e.sha256}  {e.path}\n" for e in sorted(self.entries, key=lambda e: e.path)).encode("utf-8")

    def finish(self, sign: Callable[[bytes], bytes]) -> tuple[Path, str, int]:
        """Write the manifest and its signature, close the archive and move it to its final name (atomic rename).
        Returns (final path, SHA-256 of the case file, size)."""
        manifest = self.manifest()
        self.add_bytes(MANIFEST, manifest, in_manifest=False)
        self.add_bytes(SIGNATURE, sign(manifest), in_manifest=False)
        self._zip.close()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        final = root() / f"{self.label}-{secrets.token_hex(12)}.zip"
        os.chmod(self.tmp_path, 0o440)
        os.replace(self.tmp_path, final)
        dir_fd = os.open(root(), os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return final, self._sink.digest.hexdigest(), self._sink.position

    def abort(self) -> None:
        """Remove the half-written file (an exception mid-stream). A killed process leaves it to the sweep."""
        self._sink.digest.stop()
        self._zip.fp = None  # nothing more is written: no central directory
        try:
            self._fh.close()
        finally:
            self.tmp_path.unlink(missing_ok=True)


def sweep_tmp(*, older_than_seconds: int) -> int:
    """Remove temporary case files left by a killed worker. Returns how many."""
    cutoff = time.time() - older_than_seconds
    removed = 0
    if not tmp_dir().is_dir():
        return 0
    for path in tmp_dir().glob(f"*{TMP_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
