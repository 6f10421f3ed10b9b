# ruff: noqa: S603, S607 - a benchmark running fixed local commands
"""Case-file benchmark: build a case file of 2 GiB of evidence, against `zip -0` of the same files. Prints figures.

    .venv/bin/python bench/casefile.py            # BENCH_CASEFILE_MIB=2048 BENCH_CASEFILE_FILES=8 by default

What it does, in one process:
1. Builds a throwaway SQLite database and var directory in a temporary directory, a reviewer, an incident with two
   claims, and BENCH_CASEFILE_FILES evidence files of random bytes (behind an MP4 header, so they are accepted as
   video) adding up to BENCH_CASEFILE_MIB MiB, stored through the ordinary evidence service.
2. Reads every stored file once, so both contenders start from the page cache, then times `zip -0 -q` of the
   stored files (best of two) and the case-file build (best of two): streaming every original into the ZIP while
   hashing it (its own SHA-256, the archive's SHA-256, ZIP's CRC-32), the record, the claims, the custody logs,
   report.pdf, the manifest, its signature, the fsync and the rename.
3. Reports throughput as a ratio of zip -0's (target >= 0.5) and the peak memory growth of the build: VmHWM
   after it minus VmRSS before it (the high-water mark is reset through /proc/self/clear_refs; target <= 64 MiB).
   A warm-up build of a 1 MiB incident comes first: the first build in a process imports WeasyPrint and its fonts.
4. The flat-memory check: one build with a single 1 GiB file, its peak growth likewise (target <= 64 MiB).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MIB = 1024 * 1024
TOTAL_MIB = int(os.environ.get("BENCH_CASEFILE_MIB", "2048"))
FILES = int(os.environ.get("BENCH_CASEFILE_FILES", "8"))
FLAT_MIB = int(os.environ.get("BENCH_CASEFILE_FLAT_MIB", "1024"))
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def random_chunks(size: int, seed: int):
    """MP4 header, then pseudo-random bytes (incompressible, cheap to make), 4 MiB at a time."""
    import random

    rng = random.Random(seed)
    yield MP4_HEADER
    left = size - len(MP4_HEADER)
    while left > 0:
        n = min(4 * MIB, left)
        yield rng.randbytes(n)
        left -= n


def setup(var: Path):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "verify.settings",
            "VERIFY_VAR_DIR": str(var),
            "EVIDENCE_ROOT": str(var / "evidence"),
            "CASEFILE_ROOT": str(var / "casefiles"),
            "CASEFILE_SIGNING_KEY": str(var / "signing-key.pem"),
            "SECRET_KEY": "bench-only-insecure-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "1",
            "EVIDENCE_MAX_UPLOAD_BYTES": str(8 * 1024**3),
            "LOG_LEVEL": "WARNING",
            # Requests wait instead of being built at once by the in-process task; the bench builds them itself.
            "CASEFILE_REQUIRE_APPROVAL": "1",
        }
    )
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("casefile_keygen", verbosity=0)


def make_incident(user, files: int, total_mib: int, seed: int):
    from tests import factories
    from verify.evidence import services as evidence_services

    incident = factories.incident(created_by=user, title=f"Bench incident {seed}")
    factories.claim(incident=incident, created_by=user, killed_min=3)
    factories.claim(incident=incident, created_by=user, killed_min=5, killed_max=7)
    size = total_mib * MIB // files
    for i in range(files):
        evidence_services.evidence_store(
            user=user,
            original_filename=f"bench-{seed}-{i}.mp4",
            metadata={"title": f"Bench video {seed}-{i}", "kind": "video"},
            incident=incident,
            chunks=random_chunks(size, seed * 1000 + i),
        )
    return incident


def stored_paths(incident) -> list[Path]:
    from verify.evidence import storage
    from verify.evidence.models import EvidenceItem

    items = EvidenceItem.objects.filter(incident_links__incident=incident)
    return [storage.path_for(item.storage_name) for item in items]


def warm(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as fh:
            while fh.read(16 * MIB):
                pass


def time_zip(paths: list[Path], out: Path) -> float:
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(["zip", "-0", "-q", "-j", str(out), *map(str, paths)], check=True)
    # zip does not fsync; time the flush too so that both contenders pay for durability.
    with out.open("rb") as fh:
        os.fsync(fh.fileno())
    elapsed = time.perf_counter() - start
    out.unlink()
    return elapsed


def time_build(user, incident) -> tuple[float, int, int]:
    """(seconds, peak RSS growth in bytes, case file size)."""
    import gc

    from verify.casefiles import builder, services
    from verify.casefiles.models import CaseFileRequest, State

    request = services.casefile_request_create(user=user, incidents=[incident], language="en")
    CaseFileRequest.objects.filter(pk=request.pk).update(state=State.QUEUED)
    gc.collect()
    before = status_kib("VmRSS")
    reset_peak()
    start = time.perf_counter()
    status = services.casefile_build(request_id=request.pk)
    elapsed = time.perf_counter() - start
    peak = status_kib("VmHWM")
    request.refresh_from_db()
    if status != "ready":
        raise SystemExit(f"The build failed: {request.error_code} {request.error_params}")
    size = request.size_bytes or 0
    builder.path_for(request.file_name).unlink()
    return elapsed, (peak - before) * 1024, size


def main() -> None:
    if not shutil.which("zip"):
        raise SystemExit("zip is not installed (apt-get install zip).")
    with tempfile.TemporaryDirectory(prefix="bench-casefile-") as tmp:
        var = Path(tmp)
        setup(var)
        from django.contrib.auth.models import Group, User

        user = User.objects.create_user("bench-reviewer", password="unused-bench-password")
        user.groups.add(Group.objects.get(name="Reviewer"))
        user = User.objects.get(pk=user.pk)

        print(f"Generating {TOTAL_MIB} MiB of evidence in {FILES} files…", flush=True)
        incident = make_incident(user, FILES, TOTAL_MIB, seed=1)
        paths = stored_paths(incident)
        total = sum(p.stat().st_size for p in paths)
        warm(paths)
        # Warm-up: the first build imports WeasyPrint and loads its fonts (some 25 MiB, once per process).
        time_build(user, make_incident(user, 1, 1, seed=3))

        zip_s = min(time_zip(paths, var / "zip0.zip") for _ in range(2))
        runs = [time_build(user, incident) for _ in range(2)]
        build_s = min(r[0] for r in runs)
        growth = max(r[1] for r in runs)
        size = runs[0][2]
        print(f"Evidence: {total / MIB:,.0f} MiB in {len(paths)} files; case file {size / MIB:,.0f} MiB")
        print(f"zip -0:     {zip_s:6.2f} s  {total / MIB / zip_s:7.1f} MiB/s")
        print(f"case file:  {build_s:6.2f} s  {total / MIB / build_s:7.1f} MiB/s")
        print(f"ratio to zip -0: {zip_s / build_s:.2f} (target >= 0.5)")
        print(f"peak memory growth of the build: {growth / MIB:.1f} MiB (target <= 64)")

        print(f"Flat-memory check: one {FLAT_MIB} MiB file…", flush=True)
        single = make_incident(user, 1, FLAT_MIB, seed=2)
        warm(stored_paths(single))
        seconds, growth, size = time_build(user, single)
        print(f"1 file of {FLAT_MIB} MiB: {seconds:.2f} s, peak memory growth {growth / MIB:.1f} MiB (target <= 64)")


if __name__ == "__main__":
    main()
