"""Benchmarks for verify. Prints figures; asserts nothing (speed is measured here, never in the test suite).

    make bench                           # a throwaway SQLite database under a temporary directory
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench make bench

Measures the incident list (first page, a text search, a filtered page) and the detail page over
BENCH_INCIDENTS incidents (default 5,000) with three claims each.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
os.environ["VERIFY_VAR_DIR"] = tempfile.mkdtemp(prefix="verify-bench-")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import setup_test_environment

from verify.claims.models import Claim, Source, Stance
from verify.incidents.models import Incident

N = int(os.environ.get("BENCH_INCIDENTS", "5000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))


def build() -> User:
    call_command("migrate", verbosity=0)
    call_command("load_gazetteer", verbosity=0)
    user = User.objects.create_user("bench", password="bench-password-123")
    user.groups.add(Group.objects.get(name="Researcher"))
    if Incident.objects.count() >= N:
        return user
    sources = [Source.objects.create(name=f"Bench source {i}", reliability="B") for i in range(10)]
    start = date(2015, 9, 30)
    incidents = [
        Incident(
            reference=f"BEN-{2015 + i // 2000}-{i:05d}",
            title=f"Bench strike {i} on market",
            date_start=start + timedelta(days=i % 400),
            date_end=start + timedelta(days=i % 400),
            latitude=Decimal("35.8") + Decimal(i % 100) / 1000,
            longitude=Decimal("36.6"),
            created_by=user,
        )
        for i in range(N)
    ]
    for incident in incidents:
        incident.refresh_search_text()
    Incident.objects.bulk_create(incidents, batch_size=1000)
    claims = [
        Claim(incident=inc, source=sources[(inc.pk + k) % 10], stance=Stance.ALLEGES, killed_min=k, created_by=user)
        for inc in Incident.objects.all()
        for k in range(3)
    ]
    Claim.objects.bulk_create(claims, batch_size=2000)
    return user


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm up
    timings = []
    for _ in range(REPEAT):
        reset_queries()
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    queries = len(connection.queries)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], queries


def main() -> None:
    setup_test_environment()
    from django.conf import settings

    settings.DEBUG = True  # to count queries
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    user = build()
    client = Client()
    client.force_login(user)
    sample = Incident.objects.order_by("pk")[N // 2].reference
    print(f"verify benchmark: {N} incidents, {N * 3} claims, {connection.vendor}, {REPEAT} requests each")
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in [
        ("incident list, first page", "/incidents/"),
        ("incident list, page 100", "/incidents/?page=100"),
        ("incident list, text search", "/incidents/?q=strike+42"),
        ("incident list, filtered", "/incidents/?attack_type=other&date_from=2016-01-01"),
        ("incident detail (3 claims)", f"/incidents/{sample}/"),
        ("dashboard", "/"),
    ]:
        median, p95, queries = measure(client, url)
        print(f"{label:<40} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
