# ruff: noqa: S105, S603, S607 - a benchmark running fixed local commands with a throwaway password
"""Upload benchmark: a 1 GiB file through the real upload view of a real server process. Prints figures only.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench .venv/bin/python bench/upload.py

What it does, all in one run:
1. Builds a throwaway database (BENCH_DATABASE_URL, created if missing; SQLite in a temporary directory if unset)
   and a researcher account, and writes a BENCH_UPLOAD_MIB (default 1024) MiB file of random bytes behind an
   MP4 header (so it is accepted as video/mp4) in a temporary directory.
2. Times `sha256sum` on that file (best of two, the file being in the page cache both times).
3. Starts gunicorn (one worker) on a free port, signs in over HTTP, uploads a 16 MiB
   warm-up file, then POSTs the file
   as multipart/form-data with a streamed body (never in the client's memory either), timing it until the
   response arrives: streaming, hashing, fsync, type sniffing, the atomic rename and the database row.
4. Reports upload throughput as a ratio of sha256sum's (target >= 0.6), and the server worker's peak memory
   growth: VmHWM after the upload minus VmRSS before it, from /proc (target <= 64 MiB).
"""

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MIB = 1024 * 1024
SIZE_MIB = int(os.environ.get("BENCH_UPLOAD_MIB", "1024"))
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
PASSWORD = "bench-upload-password-2015"
SERVER = os.environ.get("BENCH_SERVER", "gunicorn")  # or "runserver"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def environment(var_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "verify.settings",
        "VERIFY_VAR_DIR": str(var_dir),
        "EVIDENCE_ROOT": str(var_dir / "evidence"),
        "SECRET_KEY": "bench-only-insecure-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "EVIDENCE_MAX_UPLOAD_BYTES": str(4 * 1024**3),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)  # processing runs in-process; for an MP4 it reads no pixels
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        env.pop("DATABASE_URL", None)
    return env


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str]) -> None:
    ensure_database(env.get("DATABASE_URL", ""))
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = (
        "from django.contrib.auth.models import Group, User\n"
        "u, _ = User.objects.get_or_create(username='bench-uploader')\n"
        f"u.set_password({PASSWORD!r}); u.save()\n"
        "u.groups.add(Group.objects.get(name='Researcher'))\n"
    )
    subprocess.run([*manage, "shell", "--no-imports", "-v", "0", "-c", script], cwd=ROOT, env=env, check=True)


def make_file(path: Path) -> None:
    with path.open("wb") as out:
        out.write(MP4_HEADER)
        # Random bytes, as in compressed video; each MiB is new so nothing is deduplicated or compressible.
        for _ in range(SIZE_MIB):
            out.write(os.urandom(MIB))
        out.truncate(SIZE_MIB * MIB)


def time_sha256sum(path: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - t0, out.split()[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


class Session:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3600)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        conn.close()
        return response.status, data

    def sign_in(self) -> None:
        self.request("GET", "/accounts/login/")
        form = urllib.parse.urlencode(
            {"login": "bench-uploader", "password": PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"},
        )
        if status != 302:
            raise RuntimeError(f"sign-in failed with HTTP {status}")


def multipart(path: Path, fields: dict[str, str]) -> tuple[str, int, object]:
    boundary = uuid.uuid4().hex
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        with path.open("rb") as fh:
            while chunk := fh.read(MIB):
                yield chunk
        yield tail

    return f"multipart/form-data; boundary={boundary}", len(head) + path.stat().st_size + len(tail), body()


def upload_once(session: Session, sample: Path) -> tuple[float, dict]:
    fields = {"csrfmiddlewaretoken": session.cookies["csrftoken"], "kind": "video", "sensitivity": "none"}
    content_type, length, body = multipart(sample, fields)
    t0 = time.perf_counter()
    status, data = session.request(
        "POST",
        "/evidence/upload/",
        body,
        {
            "Content-Type": content_type,
            "Content-Length": str(length),
            "Accept": "application/json",
            "X-CSRFToken": session.cookies["csrftoken"],
        },
    )
    seconds = time.perf_counter() - t0
    if status != 200:
        raise RuntimeError(f"upload failed: HTTP {status} {data[:500]!r}")
    return seconds, json.loads(data)["results"][0]


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, int, Session]:
    port = free_port()
    if SERVER == "gunicorn":
        command = [PYTHON, "-m", "gunicorn", "verify.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "-t", "3600"]
    else:
        command = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    worker = worker_pid(server.pid) if SERVER == "gunicorn" else server.pid
    session = Session(port)
    for _ in range(200):
        try:
            session.sign_in()
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    session.request("GET", "/evidence/upload/")  # load every module the upload needs
    return server, worker, session


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="verify-bench-upload-"))
    server = None
    try:
        env = environment(work)
        prepare(env)
        sample = work / "bench-video.mp4"
        make_file(sample)
        mib = sample.stat().st_size / MIB
        server, worker, session = start_server(env)
        # One small upload first, so that one-time costs of a fresh worker (libmagic's database, the first
        # evidence directories, the database connection) are not counted as throughput.
        warmup = work / "warmup.mp4"
        warmup.write_bytes(MP4_HEADER + os.urandom(16 * MIB))
        upload_once(session, warmup)
        rss_before = status_kib(worker, "VmRSS")
        print(
            f"verify upload benchmark: {mib:,.0f} MiB through {SERVER}, {ROUNDS} rounds, database "
            f"{env.get('DATABASE_URL', 'sqlite').split('@')[-1]}"
        )
        print(f"  {'round':<6} {'sha256sum MiB/s':>16} {'upload MiB/s':>13} {'ratio':>6}")
        ratios = []
        for n in range(1, ROUNDS + 1):
            # New bytes at the end each round: a new hash, so every round stores a new file.
            with sample.open("r+b") as fh:
                fh.seek(-32, os.SEEK_END)
                fh.write(os.urandom(32))
            os.sync()  # start each round with no dirty pages from writing the sample waiting to be flushed
            sha_seconds, expected = time_sha256sum(sample)
            upload_seconds, result = upload_once(session, sample)
            if result["status"] != "stored" or result["sha256"] != expected:
                raise RuntimeError(f"upload not stored as expected: {result}")
            ratio = sha_seconds / upload_seconds
            ratios.append(ratio)
            print(f"  {n:<6} {mib / sha_seconds:>16.1f} {mib / upload_seconds:>13.1f} {ratio:>6.2f}")
        hwm_after = status_kib(worker, "VmHWM")
        print(f"  throughput ratio (median of rounds)  {statistics.median(ratios):.2f}   (target >= 0.6)")
        print(f"  server VmRSS before {rss_before / 1024:.1f} MiB, VmHWM after {hwm_after / 1024:.1f} MiB")
        print(f"  peak memory growth                   {(hwm_after - rss_before) / 1024:.1f} MiB (target <= 64)")
        print("  every stored file's SHA-256 matched sha256sum's")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
