# ruff: noqa: S603, S607, S310 - a benchmark running fixed local commands against its own server on 127.0.0.1
"""Under load (issue 19, target 5): gunicorn with 2 workers × 4 threads, `wrk -c 8 -d 30s` per page.

    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_h5_100k .venv/bin/python bench/load.py

The database must already hold the incidents (`manage.py seed_bench 100000`); this script migrates nothing and
writes only a Viewer account (`bench-load`, a fresh random password each run). It collects the static files, starts
gunicorn on 127.0.0.1:LOAD_PORT (8500), signs in over HTTP like a browser (the login form with its CSRF token),
then runs wrk with the session cookie against each page and prints requests per second, p50, p99 and errors (socket
errors and non-2xx answers). The server is stopped at the end. LOAD_DURATION (30s), LOAD_CONNECTIONS (8),
LOAD_WORKERS (2) and LOAD_THREADS (4) change the defaults. Prints figures; asserts nothing.
"""

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("LOAD_PORT", "8500"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("LOAD_DURATION", "30s")
CONNECTIONS = os.environ.get("LOAD_CONNECTIONS", "8")
USERNAME = "bench-load"


def environment() -> dict[str, str]:
    url = os.environ.get("LOAD_DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set LOAD_DATABASE_URL to a PostgreSQL database filled with seed_bench.")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        VERIFY_VAR_DIR=env.get("VERIFY_VAR_DIR", tempfile.mkdtemp(prefix="verify-load-")),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    python = str(ROOT / ".venv/bin/python")
    done = subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def prepare(env: dict[str, str]) -> tuple[str, str]:
    """A Viewer with a fresh password, and a visible incident's reference for the incident page."""
    manage(env, "collectstatic", "--noinput", "-v0")
    password = secrets.token_urlsafe(16)
    script = f"""
from django.contrib.auth.models import Group, User
from verify.incidents.models import Incident
user, _ = User.objects.get_or_create(username={USERNAME!r})
user.set_password({password!r}); user.is_active = True; user.save()
user.groups.add(Group.objects.get(name="Viewer"))
print(Incident.objects.visible_to(user).filter(claims__isnull=False).order_by("-date_start", "-pk")
      .values_list("reference", flat=True)[500])
"""
    reference = manage(env, "shell", "-c", script).strip().splitlines()[-1]
    return password, reference


def sign_in(password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        sys.exit("No CSRF token on the login page.")
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "login": USERNAME, "password": password})
    request = urllib.request.Request(f"{BASE}/accounts/login/", data=form.encode(), headers={"Referer": BASE + "/"})
    opener.open(request).read()
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        sys.exit("Signing in gave no session cookie.")
    return session


def wait_for_server(proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit("gunicorn exited.")
        try:
            urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer.")


def wrk(url: str, session: str) -> dict[str, str]:
    out = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            CONNECTIONS,
            "-d",
            DURATION,
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: sessionid={session}",
            BASE + url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = {
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1),  # type: ignore[union-attr]
        "p50": re.search(r"50%\s+(\S+)", out).group(1),  # type: ignore[union-attr]
        "p99": re.search(r"99%\s+(\S+)", out).group(1),  # type: ignore[union-attr]
        "requests": re.search(r"(\d+) requests in", out).group(1),  # type: ignore[union-attr]
    }
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    figures["errors"] = ", ".join(
        part for part in (non2xx and f"{non2xx.group(1)} non-2xx", socket and socket.group(1).strip()) if part
    )
    return figures


def main() -> None:
    env = environment()
    password, reference = prepare(env)
    pages = [
        ("list, first page", "/incidents/"),
        ("list, text search (market)", "/incidents/?q=market"),
        ("map data, whole country", "/map/data/?zoom=7"),
        ("incident page", f"/incidents/{reference}/"),
    ]
    workers, threads = os.environ.get("LOAD_WORKERS", "2"), os.environ.get("LOAD_THREADS", "4")
    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "verify.wsgi:application", "--bind", f"127.0.0.1:{PORT}"]
    gunicorn += ["--workers", workers, "--threads", threads, "--worker-class", "gthread", "--timeout", "120"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_server(server)
        session = sign_in(password)
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        print(f"gunicorn {workers} workers × {threads} threads, wrk -c {CONNECTIONS} -d {DURATION}; load {load}")
        print(f"{'page':<30} {'req/s':>8} {'p50':>9} {'p99':>9} {'requests':>9}  errors")
        for label, url in pages:
            urllib.request.urlopen(urllib.request.Request(BASE + url, headers={"Cookie": f"sessionid={session}"}))
            r = wrk(url, session)
            print(f"{label:<30} {r['rps']:>8} {r['p50']:>9} {r['p99']:>9} {r['requests']:>9}  {r['errors'] or 'none'}")
        with open("/proc/loadavg") as f:
            print("load after:", " ".join(f.read().split()[:3]))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
