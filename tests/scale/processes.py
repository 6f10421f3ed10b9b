"""App server and worker processes for the tests of verify on several machines: each process is started as
production starts it (gunicorn, `celery worker`), with settings read from its own environment."""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def base_env(**variables: str) -> dict[str, str]:
    """What every process of one deployment shares; nothing leaks in from the test run's own settings."""
    keep = ("PATH", "HOME", "LANG", "VERIFY_VAR_DIR")
    return {
        **{name: os.environ[name] for name in keep if name in os.environ},
        "DJANGO_SETTINGS_MODULE": "verify.settings",
        # The test run's own key: sessions made here (force_login) are valid there.
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MFA_REQUIRED_ROLES": "",
        "LOG_LEVEL": "WARNING",
        **variables,
    }


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen:
    """One app server as the image runs it (Dockerfile CMD), smaller: one process of four threads."""
    options = ["--workers", "1", "--threads", "4", "--worker-class", "gthread", "--timeout", "120"]
    return subprocess.Popen(
        [GUNICORN, "verify.wsgi:application", "--bind", f"127.0.0.1:{port}", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def start_worker(name: str, queues: str, env: dict[str, str]) -> subprocess.Popen:
    options = ["--pool=solo", "-n", f"{name}@%h", "-Q", queues, "--loglevel=INFO"]
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "verify", "worker", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(proc: subprocess.Popen) -> str:
    """Stop a process started here and return what it printed."""
    if proc.poll() is None:
        proc.terminate()
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    return output or ""


def wait_until_serving(proc: subprocess.Popen, url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited:\n{stop(proc)[-4000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=15).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{stop(proc)[-4000:]}")


def wait_for(predicate, timeout: float = 90.0, interval: float = 0.3):
    """The predicate's first truthy value, or None after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None
