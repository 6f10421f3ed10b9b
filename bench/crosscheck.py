"""Cross-checking benchmarks (issue 4). Prints figures; asserts nothing.

    .venv/bin/python bench/crosscheck.py                  # throwaway SQLite
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/crosscheck.py

Uses the data set of bench/run.py (BENCH_INCIDENTS incidents, default 5,000, three claims each, clustered
around Ariha over 400 days, so many are possible duplicates of each other) and measures: recomputing every
incident's flags and suggestion, the incident page (matrix, suggestion, possible duplicates), the site-wide
possible-duplicates page, and the sources register with its track record.

The recompute is timed twice over the same incidents, from cleared flags: one incident at a time
(incident_recompute, the path of a single edit; BENCH_PER_INCIDENT incidents, default 1,000) and in bulk
(crosscheck_recompute_all: chunks of 500 incidents with their claims loaded at once, the path of imports and
merges), as incidents per second.
"""

import os
import time

import run  # bench/run.py: settings, data set and timing helpers
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from verify.claims.crosscheck import crosscheck_recompute_all, incident_recompute
from verify.incidents.duplicates import duplicate_pairs
from verify.incidents.models import Incident, Status


def main() -> None:
    setup_test_environment()
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    user = run.build()
    Incident.objects.filter(pk__in=Incident.objects.order_by("pk").values("pk")[: run.N // 2]).update(
        status=Status.VERIFIED
    )
    print(f"verify cross-check benchmark: {run.N} incidents, {connection.vendor}, {run.REPEAT} requests each")
    cleared = {"has_disagreements": False, "denied_by_party": False, "suggested_grade": "unassessed"}
    sample = int(os.environ.get("BENCH_PER_INCIDENT", "1000"))
    Incident.objects.update(**cleared, suggestion_reasons=[])
    t0 = time.perf_counter()
    for incident in Incident.objects.order_by("pk")[:sample]:
        incident_recompute(incident)
    each_s = time.perf_counter() - t0
    Incident.objects.update(**cleared, suggestion_reasons=[])
    t0 = time.perf_counter()
    changed = crosscheck_recompute_all(Incident.objects.order_by("pk"))
    recompute_s = time.perf_counter() - t0
    print(
        f"recompute one incident at a time: {sample} in {each_s:.1f} s = {sample / each_s:,.0f} incidents/s "
        f"({each_s / sample * 1000:.2f} ms per incident)"
    )
    print(
        f"recompute in bulk, all incidents: {recompute_s:.1f} s = {run.N / recompute_s:,.0f} incidents/s "
        f"({changed} changed, {recompute_s / run.N * 1000:.2f} ms per incident)"
    )
    t0 = time.perf_counter()
    pairs = len(duplicate_pairs(user=user))
    pairs_s = time.perf_counter() - t0
    print(f"possible-duplicate pairs found: {pairs} in {pairs_s * 1000:.0f} ms")
    client = Client()
    client.force_login(user)
    sample = Incident.objects.order_by("pk")[run.N // 2].reference
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in [
        ("incident detail (matrix, duplicates)", f"/incidents/{sample}/"),
        ("possible duplicates, first page", "/incidents/duplicates/"),
        ("sources register", "/claims/sources/"),
    ]:
        median, p95, queries = run.measure(client, url)
        print(f"{label:<40} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
