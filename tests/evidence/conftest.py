"""Helpers for evidence tests: images made with Pillow, multipart uploads, and a real Celery worker."""

import io
import os
import struct
import subprocess
import sys
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image, ImageDraw

from tests.conftest import need, redis_available
from verify.celery import app

ROOT = Path(__file__).resolve().parents[2]


def jpeg(
    *,
    seed: int = 0,
    size: tuple[int, int] = (320, 240),
    gps: tuple[float, float] | None = None,
    taken: str | None = None,
    model: str = "",
) -> bytes:
    """A JPEG with a distinctive picture and, optionally, EXIF capture time, GPS position and camera model."""
    image = Image.new("RGB", size, (30 + seed * 40 % 200, 90, 160))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x = (seed * 53 + i * 47) % size[0]
        draw.rectangle([x, i * 30, x + 60, i * 30 + 50], fill=(250 - i * 30, (seed * 70) % 255, i * 40))
    exif = Image.Exif()
    if model:
        exif[0x010F] = "TestCam"  # Make
        exif[0x0110] = model  # Model
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    if gps:
        lat, lon = gps

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = round((value - d - m / 60) * 3600, 4)
            return (float(d), float(m), s)

        exif.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares ten billion pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def upload(client, files: list[tuple[str, bytes]], *, as_json: bool = True, **fields):
    data = {"kind": "photo", "sensitivity": "none", **fields}
    data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
    headers = {"Accept": "application/json"} if as_json else {}
    return client.post("/evidence/upload/", data, headers=headers)


def tmp_files() -> list[Path]:
    tmp = Path(settings.EVIDENCE_ROOT) / "tmp"
    return list(tmp.iterdir()) if tmp.is_dir() else []


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        return ""
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def postgres_only():
    """Custody events can never be deleted, so tests that commit them need PostgreSQL (whose flush TRUNCATEs)."""
    need(connection.vendor == "postgresql", "needs PostgreSQL: the committed custody log cannot be flushed on SQLite")


ALL_QUEUES = ",".join(queue.name for queue in settings.CELERY_TASK_QUEUES)  # default,processing,fixity,imports


def start_worker() -> subprocess.Popen:
    """A real worker in its own process, consuming every queue on Redis and writing to the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EVIDENCE_ROOT": str(settings.EVIDENCE_ROOT),
        "DJANGO_SETTINGS_MODULE": "verify.settings",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "verify", "worker", "--pool=solo", "-Q", ALL_QUEUES, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    print(output[-6000:])


@pytest.fixture
def celery_worker_process(postgres_only):
    """A real worker consuming every queue (see start_worker).

    The code under test queues tasks exactly as in production (routed by CELERY_TASK_ROUTES), so the worker
    listens on all the queues; they are purged first so that nothing from an earlier run is consumed.
    """
    need(redis_available(), "Redis is not reachable at CELERY_BROKER_URL")
    app.conf.task_always_eager = False
    app.control.purge()
    proc = start_worker()
    try:
        yield proc
    finally:
        stop_worker(proc)


def _reset_producer_pools() -> None:
    # kombu keeps one producer pool per broker URL; forgetting the app's cached one makes the next publish
    # look up the pool for the URL now configured.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_down():
    """Point the app at a closed port, as when Redis is down; restore it afterwards.

    kombu would try to connect again for about six seconds before giving up on each publish; here it gives up after
    one immediate retry. The publish fails with the same error, only sooner.
    """
    previous = app.conf.broker_write_url, app.conf.broker_transport_options
    _reset_producer_pools()
    app.conf.broker_write_url = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    app.conf.broker_transport_options = {
        **previous[1],
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0,
        "interval_max": 0,
    }
    try:
        yield
    finally:
        _reset_producer_pools()
        app.conf.broker_write_url, app.conf.broker_transport_options = previous
