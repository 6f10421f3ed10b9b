"""Settings come from the environment, strictly: a typo fails loudly, and production is safe by default.

Settings are read once per process, so each configuration is imported in a fresh Python process with an
environment built from nothing: no variable leaks in from the shell or from `make test`.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from verify.core.env import env_bool

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET_KEY = secrets.token_urlsafe(45)  # 60 characters
PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
}))
"""


def clean_env(**variables: str) -> dict[str, str]:
    """Only what a process needs to start, plus the given variables."""
    return {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "verify.settings", **variables}


def run_python(code: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env(**variables), capture_output=True, text=True, timeout=60
    )


def settings_with(**variables: str) -> dict:
    result = run_python(PRINT_SETTINGS, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- env_bool ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "True", "TRUE", "yes", "on", " yes "])
def test_env_bool_reads_true_values(monkeypatch, raw):
    monkeypatch.setenv("VERIFY_TEST_FLAG", raw)
    assert env_bool("VERIFY_TEST_FLAG", default=False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_env_bool_reads_false_values(monkeypatch, raw):
    monkeypatch.setenv("VERIFY_TEST_FLAG", raw)
    assert env_bool("VERIFY_TEST_FLAG", default=True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_gives_the_default(monkeypatch, default):
    monkeypatch.delenv("VERIFY_TEST_FLAG", raising=False)
    assert env_bool("VERIFY_TEST_FLAG", default=default) is default


@pytest.mark.parametrize("raw", ["treu", "flase", "2", "enabled", "y"])
def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch, raw):
    monkeypatch.setenv("VERIFY_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=r"VERIFY_TEST_FLAG=.* is not a boolean"):
        env_bool("VERIFY_TEST_FLAG", default=True)


# --- settings, imported in a clean process ------------------------------------------------------


@pytest.mark.parametrize("debug", [{"DEBUG": "0"}, {}], ids=["debug off", "debug unset"])
def test_without_secret_key_the_web_application_refuses_to_start(debug):
    result = run_python("import verify.wsgi", **debug)

    assert result.returncode != 0
    assert "ImproperlyConfigured: The SECRET_KEY setting must not be empty." in result.stderr


def test_without_secret_key_nothing_can_be_signed():
    result = run_python("import django; django.setup(); from django.core import signing; signing.dumps(1)")

    assert result.returncode != 0
    assert "ImproperlyConfigured: The SECRET_KEY setting must not be empty." in result.stderr


def test_makemigrations_check_needs_no_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_settings_load_without_secret_key_in_debug_mode():
    assert settings_with(DEBUG="1")["DEBUG"] is True


def test_a_misspelt_debug_value_fails_loudly():
    result = run_python("from django.conf import settings; settings.DEBUG", DEBUG="treu", SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG='treu' is not a boolean" in result.stderr


def test_without_database_url_the_database_is_sqlite_under_var():
    values = settings_with(SECRET_KEY=PRODUCTION_SECRET_KEY)

    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(values["NAME"]) == ROOT / "var" / "verify.sqlite3"


def test_with_a_postgres_database_url_the_engine_is_postgresql():
    values = settings_with(
        SECRET_KEY=PRODUCTION_SECRET_KEY, DATABASE_URL="postgres://verify:pw@db.internal:5432/verify_prod"
    )

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "verify_prod"
    assert values["HOST"] == "db.internal"


def test_without_a_celery_broker_tasks_run_eagerly_in_process():
    values = settings_with(SECRET_KEY=PRODUCTION_SECRET_KEY)

    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["CELERY_BROKER_URL"] == "memory://"


def test_with_a_celery_broker_tasks_go_to_the_worker():
    values = settings_with(SECRET_KEY=PRODUCTION_SECRET_KEY, CELERY_BROKER_URL="redis://redis:6379/0")

    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://redis:6379/0"


# --- deployment checks ----------------------------------------------------------------------------


def manage_check_deploy(**variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_environment_passes_the_deployment_checks():
    result = manage_check_deploy(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET_KEY, ALLOWED_HOSTS="verify.example.org")

    assert len(PRODUCTION_SECRET_KEY) == 60
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deployment_checks_catch_a_production_setting_turned_off():
    """The check above can fail: the same environment without the HTTPS redirect is refused."""
    result = manage_check_deploy(
        DEBUG="0", SECRET_KEY=PRODUCTION_SECRET_KEY, ALLOWED_HOSTS="verify.example.org", SECURE_SSL_REDIRECT="0"
    )

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
