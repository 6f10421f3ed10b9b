"""S3 against the filesystem: upload and download throughput through the real views. Prints figures only.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench_s3 .venv/bin/python bench/s3.py

For each storage backend (the filesystem, then S3: moto in server mode on a loopback port, as tests/evidence/
test_s3.py uses), starts a real server process (gunicorn, one sync worker; helpers shared with bench/upload.py),
signs in, uploads a BENCH_S3_MIB (default 256) MiB file through the upload view as a streamed multipart body,
then downloads it BENCH_ROUNDS (3) times through the permission-checked streaming download view, reading the
response in 1 MiB pieces and hashing it. Prints MiB/s for each, the S3 / filesystem ratio, and the worker's peak
memory growth (VmHWM after minus VmRSS before; downloads and uploads must stream, so it must stay far below the
file's size).
"""

import hashlib
import http.client
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import upload  # bench/upload.py: server, session, streamed multipart
from upload import MIB, MP4_HEADER, Session, start_server, status_kib

SIZE_MIB = int(os.environ.get("BENCH_S3_MIB", "256"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
BUCKET = "verify-bench-s3"


def download(session: Session, pk: int) -> tuple[float, str, int]:
    conn = http.client.HTTPConnection("127.0.0.1", session.port, timeout=3600)
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    t0 = time.perf_counter()
    conn.request("GET", f"/evidence/{pk}/download/", headers={"Cookie": cookie})
    response = conn.getresponse()
    if response.status != 200:
        raise RuntimeError(f"download failed: HTTP {response.status} {response.read(500)!r}")
    digest, size = hashlib.sha256(), 0
    while chunk := response.read(MIB):
        digest.update(chunk)
        size += len(chunk)
    seconds = time.perf_counter() - t0
    conn.close()
    return seconds, digest.hexdigest(), size


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(MIB):
            digest.update(chunk)
    return digest.hexdigest()


def run_backend(name: str, env: dict[str, str], sample: Path, expected: str) -> dict:
    server, worker, session = start_server(env)
    try:
        warmup = sample.with_name(f"warmup-{name}.mp4")
        warmup.write_bytes(MP4_HEADER + os.urandom(4 * MIB))
        _, first = upload.upload_once(session, warmup)
        download(session, first["id"])
        rss_before = status_kib(worker, "VmRSS")
        up_seconds, result = upload.upload_once(session, sample)
        if result["status"] != "stored" or result["sha256"] != expected:
            raise RuntimeError(f"upload not stored as expected: {result}")
        up_growth = status_kib(worker, "VmHWM") - rss_before
        rss_before = status_kib(worker, "VmRSS")
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
        down = []
        for _ in range(ROUNDS):
            seconds, digest, size = download(session, result["id"])
            if digest != expected or size != sample.stat().st_size:
                raise RuntimeError("the downloaded file differs from the uploaded one")
            down.append(seconds)
        hwm = status_kib(worker, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)
    mib = sample.stat().st_size / MIB
    return {
        "upload": mib / up_seconds,
        "download": mib / statistics.median(down),
        "up_growth": up_growth / 1024,
        "down_growth": (hwm - rss_before) / 1024,
    }


def main() -> None:
    from moto.server import ThreadedMotoServer

    work = Path(tempfile.mkdtemp(prefix="verify-bench-s3-"))
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        env = upload.environment(work)
        env.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
        upload.prepare(env)
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=BUCKET)
        sample = work / "bench-s3.mp4"
        upload.SIZE_MIB = SIZE_MIB
        upload.make_file(sample)
        figures = {}
        for name in ("filesystem", "s3"):
            # New bytes at the end for each backend: a new hash, so the file is stored anew (not a duplicate).
            with sample.open("r+b") as fh:
                fh.seek(-32, os.SEEK_END)
                fh.write(os.urandom(32))
            expected = sha256_of(sample)
            backend_env = {**env, "EVIDENCE_STORAGE": name}
            if name == "s3":
                backend_env.update({"EVIDENCE_S3_BUCKET": BUCKET, "EVIDENCE_S3_ENDPOINT_URL": endpoint})
            else:
                backend_env["EVIDENCE_ROOT"] = str(work / "evidence")
            figures[name] = run_backend(name, backend_env, sample, expected)
        print(f"verify S3 benchmark: {SIZE_MIB} MiB file, gunicorn (1 worker), S3 = moto server on {endpoint}")
        print(
            f"  {'backend':<11} {'upload MiB/s':>13} {'download MiB/s':>15} "
            f"{'memory growth: upload':>22} {'download':>9}"
        )
        for name, f in figures.items():
            print(
                f"  {name:<11} {f['upload']:>13.1f} {f['download']:>15.1f} "
                f"{f['up_growth']:>18.1f} MiB {f['down_growth']:>5.1f} MiB"
            )
        fs, s3 = figures["filesystem"], figures["s3"]
        print(
            f"  S3 / filesystem: upload {s3['upload'] / fs['upload']:.2f}, "
            f"download {s3['download'] / fs['download']:.2f}"
        )
    finally:
        moto.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
