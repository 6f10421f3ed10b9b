"""The API's incident list at scale (issue 17): the first page and a deep cursor page, p50/p95, as a ratio to the
raw SQL of the same page (the ratio column is p95 over the raw SQL's p50, as in bench/scale.py). Prints figures;
asserts nothing.

    createdb -h 127.0.0.1 -U postgres verify_bench6
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench6 SECRET_KEY=bench-only-secret-key-0123456789 \
        ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 .venv/bin/python bench/api.py

Seeds like bench/scale.py (BENCH_INCIDENTS, default 100,000), then requests as a Viewer with a read-only token.
The deep page starts after the row at position BENCH_DEEP (default 50,000) of the list's order.
"""

import base64
import json
import os

from django.test import Client
from scale import REPEAT, bench_pages, build

from verify.api import services
from verify.incidents.models import Incident

DEEP = int(os.environ.get("BENCH_DEEP", "50000"))


def cursor_at(position: int, user) -> str:
    row = Incident.objects.visible_to(user).order_by("-date_start", "-pk").values("date_start", "pk")[position]
    value = row["date_start"].isoformat() if row["date_start"] else None
    raw = json.dumps({"o": "-date", "v": value, "pk": row["pk"]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def main() -> None:
    user = build()
    _token, secret = services.token_create(user=user, name="bench", scope="read", expires_in_days=1)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    deep = cursor_at(DEEP, user)
    rows = [
        ("API list, first page", "/api/v1/incidents/"),
        (f"API list, cursor page after row {DEEP:,}", f"/api/v1/incidents/?cursor={deep}"),
        ("API list, filtered first page", "/api/v1/incidents/?grade=fair&attack_type=airstrike"),
    ]
    print(f"{Incident.objects.count():,} incidents, {REPEAT} requests each")
    bench_pages(client, rows, raw=True)
    if os.environ.get("BENCH_JIT_OFF"):
        # PostgreSQL's JIT compiles the list query (its cost estimate is inflated by the evidence-count subquery's
        # visibility check) for ~170 ms of a ~190 ms query on this machine: the same figures with it off.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        print("with SET jit = off:")
        bench_pages(client, rows, raw=True)


if __name__ == "__main__":
    main()
