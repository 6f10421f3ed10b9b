"""The optional read replica (DATABASE_REPLICA_URL, verify/core/routers.py), against a real second database.

The "replica" is a separate PostgreSQL database made as a copy of the test database, then changed on purpose (its
incident titles say "replica"), so that every answer shows which database it was read from. An app server
(gunicorn) runs with both; the map data and timeline must come from the replica, everything else from the primary,
writes must reach only the primary, and the browser that wrote reads from the primary for a while after.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
import requests
from django.test import Client

from tests import factories
from tests.conftest import need
from tests.evidence.conftest import database_url
from tests.scale import processes
from verify.api import services as api_services
from verify.core.routers import PIN_COOKIE
from verify.incidents.models import Incident

pytestmark = [pytest.mark.postgres]

PORT = 8303
ROOT = Path(__file__).resolve().parents[2]


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True, capture_output=True, text=True
    ).stdout


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


@pytest.fixture
def replica(transactional_db):
    """An empty database beside the test database, to be filled with a copy; dropped afterwards."""
    from django.db import connection

    need(connection.vendor == "postgresql", "needs PostgreSQL: the replica is a second PostgreSQL database")
    primary = database_url()
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"] + "_replica"
    server = with_database(primary, "postgres")
    psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(server, f'CREATE DATABASE "{name}"')
    url = with_database(primary, name)

    def copy_primary() -> None:
        dump = subprocess.run(["pg_dump", "--no-owner", primary], check=True, capture_output=True)
        subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1"], input=dump.stdout, check=True, capture_output=True)

    yield url, copy_primary
    psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server_with_replica(replica, tmp_path):
    url, _copy = replica
    env = processes.base_env(
        DATABASE_URL=database_url(),
        DATABASE_REPLICA_URL=url,
        VERIFY_VAR_DIR=str(tmp_path / "var"),
        EVIDENCE_ROOT=str(tmp_path / "evidence"),
        REPLICA_PIN_SECONDS="60",
    )
    proc = processes.start_server(PORT, env)
    base = f"http://127.0.0.1:{PORT}"
    try:
        processes.wait_until_serving(proc, base)
        yield base
    finally:
        print(processes.stop(proc)[-3000:])


def browser_session(user) -> requests.Session:
    """A signed-in browser: the session is made here and stored in the primary, as a sign-in would."""
    client = Client()
    client.force_login(user)
    http = requests.Session()
    http.cookies.set("sessionid", client.cookies["sessionid"].value)
    return http


def titles(http: requests.Session, base: str) -> set[str]:
    response = http.get(f"{base}/map/data/", timeout=30)
    assert response.status_code == 200, response.text
    return {feature["properties"]["title"] for feature in response.json()["features"]}


def test_reads_go_to_the_replica_and_writes_to_the_primary(replica, server_with_replica, researcher):
    url, copy_primary = replica
    base = server_with_replica
    incident = factories.claimed_incident(created_by=researcher, title="Market strike")
    copy_primary()
    psql(url, "UPDATE incidents_incident SET title = 'Market strike (replica)'")
    # An incident the replica has not received yet.
    factories.claimed_incident(created_by=researcher, title="Bakery strike")
    reader = browser_session(researcher)

    # The map data and timeline are read from the replica: its title, and one incident, not two.
    assert titles(reader, base) == {"Market strike (replica)"}
    timeline = reader.get(f"{base}/map/timeline/", timeout=30).json()
    assert sum(bucket["count"] for bucket in timeline["buckets"]) == 1, timeline
    # Other pages are read from the primary.
    token_http = requests.Session()
    _token, secret = api_services.token_create(user=researcher, name="replica", scope="read_write", expires_in_days=1)
    token_http.headers["Authorization"] = f"Bearer {secret}"
    detail = token_http.get(f"{base}/api/v1/incidents/{incident.reference}/", timeout=30).json()
    assert detail["title"] == "Market strike"
    # The API's list is the replica's, like the page's; reading with a token pins nothing either.
    listed = token_http.get(f"{base}/api/v1/incidents/", timeout=30).json()
    assert {row["title"] for row in listed["results"]} == {"Market strike (replica)"}
    assert PIN_COOKIE not in token_http.cookies
    assert PIN_COOKIE not in reader.cookies  # reading pins nothing

    # A write goes to the primary only, and pins the writer's browser to the primary.
    writer = browser_session(researcher)
    writer.headers["Authorization"] = f"Bearer {secret}"
    edited = writer.patch(
        f"{base}/api/v1/incidents/{incident.reference}/",
        json={"title": "Market strike, edited", "version": detail["version"]},
        timeout=30,
    )
    assert edited.status_code == 200, edited.text
    assert Incident.objects.get(pk=incident.pk).title == "Market strike, edited"
    assert psql(url, f"SELECT title FROM incidents_incident WHERE id = {incident.pk}").strip() == (
        "Market strike (replica)"
    )
    assert writer.cookies.get(PIN_COOKIE) == "1"
    del writer.headers["Authorization"]  # from now on, the browser's own session
    assert titles(writer, base) == {"Market strike, edited", "Bakery strike"}
    # Someone who wrote nothing still reads the replica.
    assert titles(reader, base) == {"Market strike (replica)"}


PRINT_DATABASES = """
import json
from django.conf import settings
print(json.dumps({
    "databases": sorted(settings.DATABASES),
    "routers": settings.DATABASE_ROUTERS,
    "pinning": "verify.core.routers.ReplicaPinMiddleware" in settings.MIDDLEWARE,
}))
"""


def _settings(**variables: str) -> subprocess.CompletedProcess:
    env = processes.base_env(**variables)
    return subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_without_a_replica_nothing_changes():
    result = _settings(DATABASE_URL="postgres://u@db/verify")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"databases": ["default"], "routers": [], "pinning": False}


def test_a_replica_adds_the_database_router_and_pinning():
    result = _settings(DATABASE_URL="postgres://u@db/verify", DATABASE_REPLICA_URL="postgres://u@replica/verify")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "databases": ["default", "replica"],
        "routers": ["verify.core.routers.ReplicaRouter"],
        "pinning": True,
    }


def test_a_replica_without_a_primary_is_refused():
    result = _settings(DATABASE_REPLICA_URL=f"postgres://u@replica/{secrets.token_hex(4)}")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL" in result.stderr
