"""Possible-duplicates benchmark (issue 11, item 18). Prints figures; asserts nothing.

    .venv/bin/python bench/duplicates.py                  # throwaway SQLite
    BENCH_INCIDENTS=60000 BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/duplicates.py

Uses the dense data set of bench/run.py (BENCH_INCIDENTS incidents, default 5,000, on 100 spots around Ariha over
400 days, so most have possible duplicates) and measures: rebuilding every stored pair, refreshing one incident
after an edit, the site-wide list (first and a later page) and the incident page with its duplicates panel.
"""

import time

import run  # bench/run.py: settings, data set and timing helpers
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from verify.incidents.duplicates import duplicates_rebuild, duplicates_refresh
from verify.incidents.models import DuplicateCandidate, Incident


def main() -> None:
    setup_test_environment()
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    user = run.build()
    t0 = time.perf_counter()
    pairs = duplicates_rebuild()
    rebuild_s = time.perf_counter() - t0
    sample = Incident.objects.order_by("pk")[run.N // 2]
    t0 = time.perf_counter()
    duplicates_refresh([sample.pk])
    refresh_ms = (time.perf_counter() - t0) * 1000
    client = Client()
    client.force_login(user)
    print(f"verify duplicates benchmark: {run.N} incidents, {connection.vendor}, {run.REPEAT} requests each")
    print(f"duplicates_rebuild: {rebuild_s:.1f} s for {pairs} pairs ({DuplicateCandidate.objects.count()} stored)")
    print(f"duplicates_refresh of one incident: {refresh_ms:.0f} ms")
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in [
        ("possible duplicates, first page", "/incidents/duplicates/"),
        ("possible duplicates, page 10", "/incidents/duplicates/?page=10"),
        ("incident page (duplicates panel)", sample.get_absolute_url()),
    ]:
        median, p95, queries = run.measure(client, url)
        print(f"{label:<40} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
