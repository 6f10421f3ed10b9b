import os
import shutil
from functools import cache

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User

from tests import factories
from tests.shared_rows import SharedRows

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes", "on"}
CHROMIUM = "/usr/bin/chromium"


def need(available: bool, reason: str) -> None:
    """Skip a test whose outside service is missing, or fail it when CI says services are required."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def redis_available() -> bool:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def pytest_sessionstart(session) -> None:
    """With REQUIRE_SERVICES=1 the run fails at once, before any test, if a required part is missing."""
    if not REQUIRE_SERVICES:
        return
    problems = []
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point to PostgreSQL")
    if not redis_available():
        problems.append(f"Redis is not reachable at CELERY_BROKER_URL={os.environ.get('CELERY_BROKER_URL')!r}")
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) or shutil.which("chromium") is None:
        problems.append(f"Chromium is not installed at {CHROMIUM}")
    if problems:
        pytest.exit("REQUIRE_SERVICES=1: " + "; ".join(problems), returncode=3)


# Argon2 costs tens of milliseconds a password; every test user has one.
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _geonames_parsed_once():
    """The GeoNames extract is an 80 MB JSON file: parsed once per run, not once per gazetteer load."""
    from verify.gazetteer import services as gazetteer_services

    parsed = cache(lambda read=gazetteer_services.syrian_places: tuple(read()))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gazetteer_services, "syrian_places", parsed)
        yield


@pytest.fixture(scope="session")
def _shared_rows(django_db_setup, django_db_blocker):
    rows = SharedRows(django_db_blocker, password_hashers=TEST_PASSWORD_HASHERS)
    yield rows
    rows.close()


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request) -> None:
    """Before a test's own transaction opens, open or close the one holding the shared gazetteer or demo rows."""
    if fixturedef.argname == "_django_db_helper":
        request.getfixturevalue("_shared_rows").prepare_for(request)


@pytest.fixture
def gazetteer(db, _shared_rows):
    """The whole offline gazetteer: loaded once for a run of consecutive tests that ask for it (see shared_rows)."""
    return _shared_rows.result("gazetteer")


@pytest.fixture
def demo(db, _shared_rows):
    """The demo case file, gazetteer included, shared like `gazetteer`."""
    return _shared_rows.result("demo")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    if settings.STORAGES["evidence"]["BACKEND"].endswith("FileSystemStorage"):
        # The evidence storage follows EVIDENCE_ROOT, as it does when both come from the environment.
        evidence = settings.STORAGES["evidence"]
        evidence = {**evidence, "OPTIONS": {**evidence["OPTIONS"], "location": settings.EVIDENCE_ROOT}}
        settings.STORAGES = {**settings.STORAGES, "evidence": evidence}
    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS
    # Tests sign reviewers and admins in with force_login; tests/accounts turns these protections back on.
    settings.MFA_REQUIRED_ROLES = []
    settings.SENSITIVE_ACTION_REAUTHENTICATION = False
    # Production uses a hashed manifest built by collectstatic; tests serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def clear_caches() -> None:
    """Empty every cache. A Redis cache loses only its own prefixed keys: FLUSHDB would also empty the broker's
    queues, which may share its Redis database."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    for name in django_settings.CACHES:
        backend = caches[name]
        if isinstance(backend, RedisCache):
            client = backend._cache.get_client(write=True)
            for key in client.scan_iter(match=f"{backend.key_prefix}:*", count=1000):
                client.delete(key)
        else:
            backend.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A test that renders a page in Arabic leaves Arabic active in its thread: no later test inherits it."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps sign-in rate limits and used TOTP codes in the cache, DRF its API throttles: no test inherits
    another's."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def researcher(db) -> User:
    return factories.user("rita", role="Researcher")


@pytest.fixture
def researcher2(db) -> User:
    return factories.user("rami", role="Researcher")


@pytest.fixture
def reviewer(db) -> User:
    return factories.user("ravi", role="Reviewer")


@pytest.fixture
def viewer(db) -> User:
    return factories.user("vera", role="Viewer")


@pytest.fixture
def outsider(db) -> User:
    """Signed in, but in no role at all."""
    return factories.user("otto", role=None)


@pytest.fixture
def admin_user(db) -> User:
    return factories.user("ada", role="Admin")


@pytest.fixture
def desk(db) -> Group:
    """A group allowed to see restricted incidents."""
    return Group.objects.create(name="Sensitive desk")


@pytest.fixture
def incident(researcher):
    return factories.incident(created_by=researcher)


@pytest.fixture
def restricted_incident(researcher, desk):
    researcher.groups.add(desk)
    return factories.incident(created_by=researcher, title="Restricted strike", restricted=True, groups=[desk])


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in ordinary tests; the worker tests turn this off and start a real worker."""
    from verify.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3-compatible server (moto in server mode) on a loopback port, for the S3 storage tests."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
