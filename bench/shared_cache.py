"""What a shared (Redis) cache costs a request, beside the per-process cache it replaces (issue 19, "Beyond one
machine").

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/shared_cache.py

Times, per call, at p50 and p95 over BENCH_ROUNDS (default 2,000) calls, with LocMem and with Redis:
- one API throttle check (verify.api.throttling.UserRateThrottle: a read and a write of the hit history);
- one read of the cached filter choices (verify.core.cached), the size of a real deployment's (BENCH_CHOICES
  places, actors, sources and labels, default 2,000 of each);
- one import-progress write and read (verify.imports.progress).
No database is used.
"""

import os
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")

import django

django.setup()

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from verify.api.throttling import UserRateThrottle

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2000"))
CHOICES = int(os.environ.get("BENCH_CHOICES", "2000"))


def timed(call, rounds: int = ROUNDS) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main() -> None:
    url = os.environ.get("REDIS_CACHE_URL") or os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        sys.exit("Set CELERY_BROKER_URL (or REDIS_CACHE_URL) to a Redis URL.")
    backends = {
        "LocMem": LocMemCache("bench", {}),
        "Redis": RedisCache(url, {"KEY_PREFIX": "verify-bench"}),
    }
    choices = {
        name: [(i, f"{name} {i} اسم") for i in range(CHOICES)] for name in ("places", "actors", "sources", "labels")
    }
    UserRateThrottle.THROTTLE_RATES = {"user": "1000000/min", "user_write": "1000000/min"}
    # 50 people in turn, so that each one's hit history stays as short as a real minute's (40 hits).
    requests = [
        types.SimpleNamespace(method="GET", auth=None, user=types.SimpleNamespace(is_authenticated=True, pk=n), META={})
        for n in range(50)
    ]
    turn = iter(range(10**9))
    print(f"{ROUNDS} calls each; µs per call, p50 / p95; load {os.getloadavg()[0]:.2f}")
    for name, backend in backends.items():
        throttle = UserRateThrottle()
        throttle.cache = backend
        backend.set("choices", ("fingerprint", choices), 3600)
        results = {
            "API throttle check": timed(lambda t=throttle: t.allow_request(requests[next(turn) % 50], None)),
            "filter choices read": timed(lambda b=backend: b.get("choices")),
            "progress write + read": timed(
                lambda b=backend: (b.set("progress", {"position": 1, "rows": 2}, 60), b.get("progress"))
            ),
        }
        for label, (p50, p95) in results.items():
            print(f"{name:7} {label:24} {p50:8.0f} / {p95:8.0f}")
        if isinstance(backend, RedisCache):
            backend.delete_many(["choices", "progress", *(throttle.get_cache_key(r, None) for r in requests)])


if __name__ == "__main__":
    main()
