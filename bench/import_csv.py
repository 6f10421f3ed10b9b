"""Import a 10,000-row verify CSV with a real Celery worker; print the time and the worker's peak memory.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench_import \
    BENCH_BROKER_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/import_csv.py

BENCH_ROWS (default 10,000) rows: one claim per row, incidents of one to three claims, half the rows without
coordinates (geocoded through the gazetteer), Arabic text in some. The database is created if missing and its
incidents are deleted first. Prints figures; asserts nothing.

After the import commits, its derived fields are brought up to date by follow-up tasks (cross-check flags and
suggested grades, possible duplicates); they run on the same worker, and "derived" is the time until the worker
has drained them.
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "")
if not DATABASE_URL.startswith("postgres") or not BROKER_URL.startswith("redis"):
    sys.exit("Set BENCH_DATABASE_URL (PostgreSQL) and BENCH_BROKER_URL (Redis): the worker runs in its own process.")
VAR = tempfile.mkdtemp(prefix="verify-bench-import-")
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    CELERY_BROKER_URL=BROKER_URL,
    DJANGO_SETTINGS_MODULE="verify.settings",
    VERIFY_VAR_DIR=VAR,
    IMPORT_ROOT=str(Path(VAR) / "imports"),
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-insecure-secret-key-0123456789abcdefghijklmnopqrstu"),
    ALLOWED_HOSTS="localhost",
    LOG_LEVEL="WARNING",
)

import django

django.setup()

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection

from verify.claims.models import Claim
from verify.imports import services
from verify.imports.models import ImportJob, ImportStatus
from verify.incidents.columns import VERIFY_CSV_COLUMNS
from verify.incidents.models import Incident

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
# BENCH_ONE_CLAIM=1: one claim per incident, the shape of an ACLED or Airwars export (BENCH_ROWS=6680).
ONE_CLAIM = os.environ.get("BENCH_ONE_CLAIM") == "1"
# BENCH_ACLED=1: an ACLED export (every column of ACLED's CSV, one event per row), imported as ACLED.
ACLED = os.environ.get("BENCH_ACLED") == "1"
FORMAT = "acled" if ACLED else "verify_csv"
# BENCH_REIMPORT=0: skip the second import of the same file.
REIMPORT = os.environ.get("BENCH_REIMPORT", "1") == "1"
PLACES = [
    ("Ariha", "Idlib"),
    ("Idleb", "Idlib"),
    ("Maarrat an Nu'man", "Idlib"),
    ("Douma", "Rif Dimashq"),
    ("Homs", "Homs"),
    ("Aleppo", "Aleppo"),
    ("Hama", "Hama"),
    ("Jisr ash-Shughur", "Idlib"),
]
SOURCES = ["Local activists", "Amnesty International", "Human Rights Watch", "Syria Civil Defence", "ناشطون محليون"]


def write_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=VERIFY_CSV_COLUMNS)
        writer.writeheader()
        row = incident = 0
        while row < ROWS:
            incident += 1
            place, governorate = PLACES[incident % len(PLACES)]
            day = 1 + incident % 28
            base = {
                "external_id": f"BENCH-{incident:06d}",
                "title": f"Strike {incident} on the market of {place}",
                "summary": "Missiles hit the market at midday; قصف السوق الرئيسي. " * 3,
                "date_start": f"2015-{10 + incident % 3:02d}-{day:02d}",
                "date_precision": "day",
                "governorate": governorate,
                "place": place,
                "attack_type": "missile",
                "target_type": "market",
            }
            if incident % 2:
                base |= {"latitude": f"35.{incident % 1000:03d}", "longitude": f"36.{incident % 997:03d}"}
            for claim in range(1 if ONE_CLAIM else 1 + incident % 3):
                if row == ROWS:
                    break
                writer.writerow(
                    base
                    | {
                        "source": SOURCES[(incident + claim) % len(SOURCES)],
                        "stance": "alleges",
                        "published_on": f"2015-12-{1 + claim:02d}",
                        "killed_min": str(10 + claim),
                        "killed_max": str(20 + claim),
                        "credibility": "3",
                        "excerpt": f"At least {10 + claim} people were killed, the source said.",
                    }
                )
                row += 1


ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
ACLED_SUB_EVENTS = ["Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"]
ACLED_ACTORS = ["Military Forces of Russia (2015-)", "Military Forces of Syria (2000-)", "Unidentified Armed Group"]


def write_acled(path: Path) -> None:
    """ROWS ACLED events (one claim per incident, as in ACLED's Syria export): every column of the export."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for i in range(ROWS):
            place, governorate = PLACES[i % len(PLACES)]
            sub_event = ACLED_SUB_EVENTS[i % len(ACLED_SUB_EVENTS)]
            writer.writerow(
                {
                    "event_id_cnty": f"SYR{100000 + i}",
                    "event_date": f"{1 + i % 28} {['October', 'November', 'December'][i % 3]} 2015",
                    "year": "2015",
                    "time_precision": str(1 + i % 3),
                    "disorder_type": "Political violence",
                    "event_type": "Explosions/Remote violence",
                    "sub_event_type": sub_event,
                    "actor1": ACLED_ACTORS[i % len(ACLED_ACTORS)],
                    "inter1": "8",
                    "actor2": "Civilians (Syria)",
                    "inter2": "7",
                    "interaction": "78",
                    "civilian_targeting": "Civilian targeting",
                    "iso": "760",
                    "region": "Middle East",
                    "country": "Syria",
                    "admin1": governorate,
                    "admin2": governorate,
                    "admin3": place,
                    "location": place,
                    "latitude": f"35.{i % 1000:03d}",
                    "longitude": f"36.{i % 997:03d}",
                    "geo_precision": str(1 + i % 2),
                    "source": "SOHR; Syrian Network for Human Rights" if i % 2 else "Local Coordination Committees",
                    "source_scale": "National",
                    "notes": f"On {1 + i % 28} October 2015, {sub_event.lower()} hit {place}; {i % 12} killed. "
                    "Barrel bombs were reported." * (1 + i % 2),
                    "fatalities": str(i % 12),
                    "tags": "",
                    "timestamp": "1700000000",
                }
            )


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait(job: ImportJob, until: set[str]) -> float:
    started = time.perf_counter()
    while True:
        job.refresh_from_db()
        if job.status in until:
            return time.perf_counter() - started
        time.sleep(0.2)


def drained(queue: str) -> float:
    """Seconds until the queue is empty and the worker has nothing running or reserved."""
    from verify.celery import app

    started = time.perf_counter()
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        while True:
            if not client.llen(queue):
                inspect = app.control.inspect(timeout=1.0)
                busy = [
                    t
                    for reply in (inspect.active() or {}, inspect.reserved() or {})
                    for ts in reply.values()
                    for t in ts
                ]
                if not busy and not client.llen(queue):
                    return time.perf_counter() - started
            time.sleep(0.3)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_gazetteer", verbosity=0)
    Claim.objects.all().delete()
    Incident.history.model.objects.all().delete()
    Incident.objects.all().delete()
    user, _ = User.objects.get_or_create(username="bench-importer")
    user.groups.add(Group.objects.get(name="Researcher"))
    path = Path(VAR) / "bench.csv"
    (write_acled if ACLED else write_csv)(path)
    size_mb = path.stat().st_size / 1024**2

    queue = f"bench-import-{uuid.uuid4().hex[:8]}"
    # The follow-up tasks (cross-check, duplicates) are queued by the import inside the worker, on "imports"
    # (settings.CELERY_TASK_ROUTES): the worker consumes that queue too, on the bench's own broker database.
    worker = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "verify",
            "worker",
            "--pool=solo",
            "-Q",
            f"{queue},imports",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        time.sleep(4)  # let the worker connect
        baseline = peak_rss_mb(worker.pid)
        from verify.imports import tasks

        # The import queues its tasks with apply_async (services.import_queue): route them to this worker's queue.
        for task in (tasks.import_validate_task, tasks.import_commit_task):
            real = task.apply_async
            task.apply_async = lambda args=None, _real=real, **kw: _real(args=args, **(kw | {"queue": queue}))
        from verify.claims.tasks import crosscheck_recompute
        from verify.incidents.tasks import duplicates_refresh_task

        for task in (crosscheck_recompute, duplicates_refresh_task):
            task.delay = lambda refs, task=task: task.apply_async(args=[refs], queue=queue)
        with path.open("rb") as fh:
            job = services.import_job_create(
                user=user, chunks=iter(lambda: fh.read(1 << 20), b""), filename=path.name, fmt=FORMAT
            )
        check_s = wait(job, {ImportStatus.VALIDATED, ImportStatus.FAILED})
        if job.status != ImportStatus.VALIDATED:
            sys.exit(f"check failed: {job.failure}")
        services.import_confirm(job=job, good_rows_only=bool(job.rows_bad))
        import_s = wait(job, {ImportStatus.DONE, ImportStatus.FAILED})
        derived_s = drained(queue)
        peak = peak_rss_mb(worker.pid)
        again = None
        if REIMPORT:  # The same file again: every row matched, nothing written.
            with path.open("rb") as fh:
                again = services.import_job_create(
                    user=user, chunks=iter(lambda: fh.read(1 << 20), b""), filename=path.name, fmt=FORMAT
                )
            recheck_s = wait(again, {ImportStatus.VALIDATED, ImportStatus.FAILED})
            services.import_confirm(job=again, good_rows_only=bool(again.rows_bad))
            reimport_s = wait(again, {ImportStatus.DONE, ImportStatus.FAILED})
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    s = job.summary
    print(f"database: {connection.vendor}, file: {ROWS:,} rows, {FORMAT}, {size_mb:.1f} MB, load {os.getloadavg()}")
    print(
        f"rows bad: {job.rows_bad}; incidents created: {s.get('incidents_created')}; "
        f"claims created: {s.get('claims_created')}"
    )
    print(f"check:  {check_s:6.1f} s")
    print(f"import: {import_s:6.1f} s")
    print(f"derived (cross-check, duplicates), after the import: {derived_s:6.1f} s")
    print(f"total:  {check_s + import_s + derived_s:6.1f} s")
    print(f"worker peak RSS: {peak:.0f} MB (idle worker: {baseline:.0f} MB)")
    if again is None:
        return
    r = again.summary
    print(
        f"re-import of the same file: check {recheck_s:.1f} s, import {reimport_s:.1f} s; incidents "
        f"{r.get('incidents_unchanged')} unchanged, claims {r.get('claims_unchanged')} unchanged, "
        f"{Incident.objects.count()} incidents in the database"
    )


if __name__ == "__main__":
    main()
