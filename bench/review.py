"""Review queue benchmark. Prints figures; asserts nothing.

    .venv/bin/python bench/review.py                      # throwaway SQLite database in a temporary directory
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench_review .venv/bin/python bench/review.py

Loads BENCH_QUEUE incidents (default 10,000), all submitted, with two claims each, then times at p50 and p95:
- the queue page (first page, and a filtered page) through Django's test client, against the raw SQL query that
  selects the same rows (the page of 50 oldest submitted incidents, and their count);
- take-next (the service, and the page's POST), against the raw SQL that picks the oldest untaken row
  (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL) in a transaction that is rolled back.
The ratio is page or service time divided by the raw query's time: what Django, the visibility and two-person
rules, the facets, the template and the transition bookkeeping cost on top of the bare selection.
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
os.environ["VERIFY_VAR_DIR"] = tempfile.mkdtemp(prefix="verify-bench-")
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-secret-key-0123456789abcdefghijklmnop")
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
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from verify.claims.models import Claim, Source, Stance
from verify.incidents.models import AttackType, Incident, Status
from verify.review import services
from verify.review.models import StatusTransition

N = int(os.environ.get("BENCH_QUEUE", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
TAKES = int(os.environ.get("BENCH_TAKES", "200"))


def build() -> tuple[User, User]:
    call_command("migrate", verbosity=0)
    call_command("load_gazetteer", verbosity=0)
    author, _ = User.objects.get_or_create(username="bench-author")
    author.groups.add(Group.objects.get(name="Researcher"))
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    existing = Incident.objects.filter(reference__startswith="BQ-")
    if existing.count() == N:
        # A database kept from an earlier run: put every item back in the queue, untaken.
        StatusTransition.objects.filter(incident__in=existing).delete()
        existing.update(status=Status.SUBMITTED, assigned_to=None, assigned_at=None)
        return author, reviewer
    Claim.objects.filter(incident__in=existing).delete()
    existing.delete()
    sources = [
        Source.objects.get_or_create(name=f"Bench source {i}", defaults={"reliability": "B"})[0] for i in range(10)
    ]
    now = timezone.now()
    types = list(AttackType.values)
    incidents = [
        Incident(
            reference=f"BQ-2015-{i:05d}",
            title=f"Queued strike {i}",
            date_start=date(2015, 9, 30) + timedelta(days=i % 400),
            date_end=date(2015, 9, 30) + timedelta(days=i % 400),
            latitude=Decimal("35.8") + Decimal(i % 100) / 1000,
            longitude=Decimal("36.6"),
            attack_type=types[i % len(types)],
            status=Status.SUBMITTED,
            submitted_at=now - timedelta(minutes=N - i),
            created_by=author,
            last_edited_by=author,
        )
        for i in range(N)
    ]
    for incident in incidents:
        incident.refresh_search_text()
    Incident.objects.bulk_create(incidents, batch_size=1000)
    claims = [
        Claim(incident_id=pk, source=sources[(pk + k) % 10], stance=Stance.ALLEGES, killed_min=k, created_by=author)
        for pk in Incident.objects.values_list("pk", flat=True)
        for k in range(2)
    ]
    Claim.objects.bulk_create(claims, batch_size=2000)
    return author, reviewer


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    call()  # warm up
    timings = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        timings.append((time.perf_counter() - t0) * 1000)
    return sorted(timings)


def p50(t: list[float]) -> float:
    return statistics.median(t)


def p95(t: list[float]) -> float:
    return t[max(0, int(len(t) * 0.95) - 1)]


QUEUE_SQL = """
SELECT i.id, i.reference, i.title, i.submitted_at, i.suggested_grade, i.has_disagreements, i.denied_by_party,
       (SELECT COUNT(*) FROM claims_claim c WHERE c.incident_id = i.id) AS claims
FROM incidents_incident i
WHERE i.status = 'submitted' {extra}
ORDER BY i.submitted_at, i.id
LIMIT 50
"""
COUNT_SQL = "SELECT COUNT(*) FROM incidents_incident i WHERE i.status = 'submitted' {extra}"
TAKE_SQL = """
SELECT id FROM incidents_incident
WHERE status = 'submitted' AND assigned_to_id IS NULL AND created_by_id <> %s
ORDER BY submitted_at, id
LIMIT 1 {lock}
"""


def raw_queue(extra: str = "") -> None:
    with connection.cursor() as cursor:
        cursor.execute(QUEUE_SQL.format(extra=extra))
        cursor.fetchall()
        cursor.execute(COUNT_SQL.format(extra=extra))
        cursor.fetchone()


def raw_take(reviewer: User) -> None:
    lock = "FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(TAKE_SQL.format(lock=lock), [reviewer.pk])
            cursor.fetchone()
        transaction.set_rollback(True)


def main() -> None:
    setup_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    # Production uses a hashed manifest built by collectstatic; the benchmark serves the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    _author, reviewer = build()
    client = Client()
    client.force_login(reviewer)
    queued = Incident.objects.filter(status=Status.SUBMITTED).count()
    print(f"review benchmark: {queued} submitted incidents, {connection.vendor}, {REPEAT} runs each, {TAKES} takes")
    print(f"{'measure':<38} {'p50 ms':>8} {'p95 ms':>8} {'raw p50':>8} {'raw p95':>8} {'x p50':>6} {'x p95':>6}")

    def row(label: str, timings: list[float], raw: list[float]) -> None:
        print(
            f"{label:<38} {p50(timings):>8.1f} {p95(timings):>8.1f} {p50(raw):>8.2f} {p95(raw):>8.2f} "
            f"{p50(timings) / p50(raw):>6.0f} {p95(timings) / p95(raw):>6.0f}"
        )

    def page(url: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    row("queue page, first page", timed(page("/review/"), REPEAT), timed(raw_queue, REPEAT))
    row(
        "queue page, attack type filter",
        timed(page("/review/?attack_type=missile"), REPEAT),
        timed(lambda: raw_queue("AND i.attack_type = 'missile'"), REPEAT),
    )
    row("queue page, page 100", timed(page("/review/?page=100"), REPEAT), timed(raw_queue, REPEAT))

    def take_service() -> None:
        assert services.review_take_next(user=reviewer) is not None

    def take_page() -> None:
        response = client.post("/review/take-next/")
        assert response.status_code == 302 and "/incidents/" in response.url, response

    raw = timed(lambda: raw_take(reviewer), TAKES)
    row("take-next (service)", timed(take_service, TAKES), raw)
    row("take-next (page POST, redirect)", timed(take_page, TAKES), raw)
    reset_queries()


if __name__ == "__main__":
    main()
