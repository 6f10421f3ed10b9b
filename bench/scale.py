"""Scale benchmark for the list, the map data and the CSV export (issue 6). Prints figures; asserts nothing.

    createdb -h 127.0.0.1 -U postgres verify_bench6
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench6 SECRET_KEY=bench-only-secret-key-0123456789 \
        ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 .venv/bin/python bench/scale.py [list] [map] [export]

Migrates the database, loads the gazetteer and tops it up with `seed_bench` to BENCH_INCIDENTS incidents (default
100,000; about three claims each), then measures through Django's test client (no network) as a Viewer (not a
superuser, so the restricted-incident check runs as for most users):
- the filtered incident list, with the raw time of the same SQL run straight on the connection;
- the whole-country map data, with its payload size;
- the CSV export of every incident, with its time and peak memory (Python allocations and process RSS).
"""

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
os.environ["VERIFY_VAR_DIR"] = tempfile.mkdtemp(prefix="verify-bench-")
if not os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set BENCH_DATABASE_URL to a PostgreSQL database (it will be filled with synthetic incidents).")
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django

django.setup()

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from verify.incidents.models import Incident

N = int(os.environ.get("BENCH_INCIDENTS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
LIST_URLS = [
    ("list, first page", "/incidents/"),
    (
        "list, grade + attack type + 2 years",
        "/incidents/?grade=fair&attack_type=airstrike&date_from=2015-01-01&date_to=2016-12-31",
    ),
    ("list, governorate + status", "/incidents/?governorate={gov}&status=verified"),
    ("list, place in another spelling", "/incidents/?place=idleb"),
    ("list, text search", "/incidents/?q=market"),
    ("list, denied by a party, page 20", "/incidents/?denied_by_party=true&page=20"),
    ("list, page 40 (?page=40)", "/incidents/?page=40"),
    ("list, page 2,000 (cursor after row 49,975)", "/incidents/?page=2000&after={deep}"),
]
MAP_URLS = [
    ("map data, whole country (no bbox)", "/map/data/?zoom=7"),
    ("map data, Syria bbox at zoom 7", "/map/data/?zoom=7&bbox=35.5,32.3,42.4,37.4"),
    ("map data, Idlib at zoom 11, grade fair", "/map/data/?zoom=11&bbox=36.4,35.7,36.9,36.0&grade=fair"),
    ("timeline, whole country", "/map/timeline/"),
    ("timeline, whole country, months", "/map/timeline/?interval=month"),
]


def build() -> User:
    call_command("migrate", verbosity=0)
    call_command("load_gazetteer", verbosity=0)
    have = Incident.objects.count()
    if have < N:
        print(f"seeding {N - have:,} incidents…", flush=True)
        call_command("seed_bench", N - have, verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-viewer")
    user.groups.add(Group.objects.get(name="Viewer"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return user


def deep_cursor(user: User, rows: int) -> str:
    """The list's cursor after its `rows`th row (as the "next" links carry it), worked out once, untimed."""
    from verify.core.keyset import Keyset, encode_cursor

    visible = Incident.objects.visible_to(user)
    keys = Keyset(visible, ["-date_start", "-pk"])
    values = visible.order_by(*keys.order_by()).values_list("date_start", "pk")[rows - 1]
    return encode_cursor(values)


def timed_get(client: Client, url: str) -> tuple[float, int]:
    """One request as production serves it: no DEBUG query log, no test instrumentation of templates."""
    t0 = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = (time.perf_counter() - t0) * 1000
    assert response.status_code == 200, (url, response.status_code, body[:300])
    return elapsed, len(body)


def statements_of(client: Client, url: str) -> list[str]:
    """The SQL of one request, recorded in a separate, untimed request."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return [q["sql"] for q in captured.captured_queries]


def raw_sql_ms(statements: list[str]) -> float:
    """The same SELECTs straight on the connection (a server-side cursor's DECLARE is run as its SELECT)."""
    selects = [sql.split(" FOR ", 1)[1] if sql.startswith("DECLARE") else sql for sql in statements]
    selects = [sql for sql in selects if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        for sql in selects:
            cursor.execute(sql)
            cursor.fetchall()
        return (time.perf_counter() - t0) * 1000


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, round(len(timings) * 0.95) - 1)]


def bench_pages(client: Client, rows: list[tuple[str, str]], *, raw: bool) -> None:
    head = f"{'page':<42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>8}"
    print(head + (f" {'raw SQL p50':>12} {'ratio':>6}" if raw else ""))
    for label, url in rows:
        timed_get(client, url)  # warm up
        statements = statements_of(client, url)
        timings, raws = [], []
        for _ in range(REPEAT):
            ms, size = timed_get(client, url)
            timings.append(ms)
            if raw:
                raws.append(raw_sql_ms(statements))
        p50, p95 = percentiles(timings)
        line = f"{label:<42} {p50:>8.1f} {p95:>8.1f} {len(statements):>8} {size / 1024:>8.1f}"
        if raw:
            raw50 = statistics.median(raws)
            line += f" {raw50:>12.1f} {p95 / raw50:>6.1f}"
        print(line, flush=True)


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def bench_export(client: Client) -> None:
    """Time, and the process's resident memory sampled while the export streams (a flat line means streaming)."""
    import gc

    gc.collect()
    start_rss = peak_rss = rss_mib()
    t0 = time.perf_counter()
    response = client.get("/map/export/incidents.csv")
    size = rows = 0
    for i, chunk in enumerate(response.streaming_content):
        size += len(chunk)
        rows += chunk.count(b"\n")
        if i % 5000 == 0:
            peak_rss = max(peak_rss, rss_mib())
    elapsed = time.perf_counter() - t0
    print(
        f"CSV export, all incidents: {rows - 1:,} rows ({size / 2**20:.1f} MiB) in {elapsed:.1f} s; "
        f"process RSS {start_rss:.0f} MiB before, {peak_rss:.0f} MiB at its peak while streaming"
    )


def bench_review() -> None:
    """The review queue (first page, and filtered by attack type) and take-next (the page's POST, which redirects
    to the incident taken) as a Reviewer. The items taken are put back in the queue afterwards."""
    from verify.incidents.models import Status

    settings.MFA_REQUIRED_ROLES = []  # the bench reviewer has no second factor; the pages are timed past that check
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    client = Client()
    client.force_login(reviewer)
    bench_pages(
        client,
        [("review queue, first page", "/review/"), ("review queue, airstrikes", "/review/?attack_type=airstrike")],
        raw=False,
    )
    taken: list[float] = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        response = client.post("/review/take-next/")
        taken.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 302 and "/incidents/" in response.url, response
    p50, p95 = percentiles(taken)
    print(f"{'take-next (page POST, redirect)':<42} {p50:>8.1f} {p95:>8.1f}", flush=True)
    Incident.objects.filter(assigned_to=reviewer).update(status=Status.SUBMITTED, assigned_to=None, assigned_at=None)


def main() -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    # Pages are timed as production serves them (DEBUG off), so the hashed static files must exist.
    call_command("collectstatic", interactive=False, verbosity=0)
    user = build()
    if os.environ.get("BENCH_JIT") == "1":  # as before issue 19's scale work: PostgreSQL's default, JIT on
        with connection.cursor() as cursor:
            cursor.execute("SET jit = on")
    client = Client()
    client.force_login(user)
    from verify.gazetteer.models import Place

    gov = Place.objects.governorates().get(name="Idlib").pk
    n = Incident.objects.count()
    from verify.claims.models import Claim

    print(f"verify scale benchmark: {n:,} incidents, {Claim.objects.count():,} claims, PostgreSQL, {REPEAT} runs each")
    parts = sys.argv[1:] or ["list", "map", "export"]
    if "list" in parts:
        deep = deep_cursor(user, 49_975)
        bench_pages(client, [(label, url.format(gov=gov, deep=deep)) for label, url in LIST_URLS], raw=True)
    if "review" in parts:
        bench_review()
    if "map" in parts:
        # MAP_SUMMARY off: the map and timeline aggregate the incidents on every request (as before issue 19);
        # on: the whole-country grid and the monthly timeline are read from the pre-aggregated counts.
        for summary in (False, True) if os.environ.get("BENCH_MAP_BEFORE", "1") == "1" else (True,):
            settings.MAP_SUMMARY = summary
            print(f"pre-aggregated counts {'on' if summary else 'off'}:")
            bench_pages(client, MAP_URLS, raw=False)
    if "export" in parts:
        settings.DEBUG = False  # DEBUG keeps every query in memory, which would spoil the memory figure
        reset_queries()
        bench_export(client)


if __name__ == "__main__":
    main()
