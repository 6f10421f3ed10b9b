"""With Redis configured every cache is shared: separate processes (as several web processes, machines and workers
are) see one another's throttle hits, import progress and cached values. Without Redis each process keeps its own.

Each process here is a fresh Python interpreter with settings read from its own environment, as gunicorn's
workers and Celery's are; none of them touches a database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need, redis_available

ROOT = Path(__file__).resolve().parents[2]

PRINT_CACHES = """
import json
from django.conf import settings
print(json.dumps({name: [c["BACKEND"], c.get("LOCATION", "")] for name, c in settings.CACHES.items()}))
"""

# One API request's throttling, by the API's own throttle classes, for user 4242 at a rate of 3 a minute.
THROTTLE = """
import django, json, sys, types
django.setup()
from verify.api.throttling import UserRateThrottle
UserRateThrottle.THROTTLE_RATES = {"user": "3/min", "user_write": "3/min"}
request = types.SimpleNamespace(
    method="GET", auth=None, user=types.SimpleNamespace(is_authenticated=True, pk=4242), META={}
)
print(json.dumps([UserRateThrottle().allow_request(request, None) for _ in range(int(sys.argv[1]))]))
"""

PROGRESS_SET = """
import django
django.setup()
from verify.imports.models import ImportJob
from verify.imports.progress import progress_set
progress_set(ImportJob(stored_name="shared-cache-test.csv"), 512, 7)
"""

PROGRESS_GET = """
import django, json
django.setup()
from verify.imports.models import ImportJob, ImportStatus
from verify.imports.progress import _live_progress
print(json.dumps(_live_progress(ImportJob(stored_name="shared-cache-test.csv"), ImportStatus.VALIDATING)))
"""

# The cached filter choices' mechanism: whoever computes first, the others read its value.
CACHED = """
import django, json, sys
django.setup()
from verify.core import cached
print(json.dumps(cached.by_fingerprint("shared-test", ("7", "2026-11-30"), lambda: sys.argv[1])))
"""


def run(code: str, *args: str, **variables: str) -> str:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "verify.settings",
        "SECRET_KEY": "shared-cache-test-key",
        "VERIFY_VAR_DIR": os.environ.get("VERIFY_VAR_DIR", str(ROOT / "var")),
        **variables,
    }
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_without_redis_every_cache_is_local_to_its_process():
    caches = json.loads(run(PRINT_CACHES))
    assert set(caches) == {"default", "imports"}
    assert {backend for backend, _ in caches.values()} == {"django.core.cache.backends.locmem.LocMemCache"}


def test_a_redis_broker_carries_every_cache():
    caches = json.loads(run(PRINT_CACHES, CELERY_BROKER_URL="redis://127.0.0.1:6379/5"))
    assert caches == {
        name: ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/5"]
        for name in ("default", "imports")
    }


def test_redis_cache_url_wins_over_the_broker():
    caches = json.loads(
        run(PRINT_CACHES, CELERY_BROKER_URL="redis://127.0.0.1:6379/5", REDIS_CACHE_URL="redis://cache:6379/1")
    )
    assert {location for _, location in caches.values()} == {"redis://cache:6379/1"}
    # A broker that is not Redis does not make the caches local when Redis is named for them.
    caches = json.loads(run(PRINT_CACHES, CELERY_BROKER_URL="amqp://rabbit//", REDIS_CACHE_URL="redis://cache/1"))
    assert {backend for backend, _ in caches.values()} == {"django.core.cache.backends.redis.RedisCache"}


@pytest.fixture
def redis_env():
    need(redis_available(), "Redis is not reachable at CELERY_BROKER_URL")
    from tests.conftest import clear_caches

    clear_caches()
    yield {"CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"]}
    clear_caches()


def test_processes_share_api_throttle_hits(redis_env):
    assert json.loads(run(THROTTLE, "2", **redis_env)) == [True, True]
    # Another process: one request left of the three, then refused.
    assert json.loads(run(THROTTLE, "2", **redis_env)) == [True, False]


def test_without_redis_throttle_hits_stay_in_their_process():
    # The contrast that makes the test above meaningful: local caches do not see each other's hits.
    assert json.loads(run(THROTTLE, "2")) == [True, True]
    assert json.loads(run(THROTTLE, "2")) == [True, True]


def test_processes_share_import_progress(redis_env):
    run(PROGRESS_SET, **redis_env)
    assert json.loads(run(PROGRESS_GET, **redis_env)) == {"position": 512, "rows": 7}


def test_processes_share_cached_values(redis_env):
    assert json.loads(run(CACHED, "first", **redis_env)) == "first"
    # Same fingerprint in another process (with its own str hash seed): the first process's value.
    assert json.loads(run(CACHED, "second", **redis_env)) == "first"


def test_the_test_suite_clears_only_its_own_keys(redis_env):
    import redis

    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    client.set("not-a-cache-key", b"1")
    try:
        from django.core.cache import cache

        from tests.conftest import clear_caches

        cache.set("ours", 1)
        clear_caches()
        assert cache.get("ours") is None
        assert client.get("not-a-cache-key") == b"1"  # e.g. the broker's queues, in the same database
    finally:
        client.delete("not-a-cache-key")
