"""verify on several machines: two app servers (gunicorn) and two Celery workers, against one PostgreSQL, one
Redis and one S3-compatible server (moto in server mode). Each "machine" has its own local disk for evidence
staging and its own VERIFY_VAR_DIR; they share only what a real deployment shares (the database, Redis, the
bucket, and the import and case-file volumes, see README "Deployment on several machines").

Checked through the API, as a script or another machine would:
- an upload made on one server is processed by either worker and visible on the other;
- take-next from both servers at once never hands out the same incident twice;
- an import's progress (kept in the shared cache, not the database) shows the same on both.
"""

import hashlib
import io
import os
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
import requests
from PIL import Image

from tests import factories
from tests.conftest import need, redis_available
from tests.evidence.conftest import database_url
from tests.imports.conftest import ARIHA_ROWS, verify_csv
from tests.imports.conftest import places as places  # the fixture
from tests.scale import processes
from verify.api import services as api_services
from verify.celery import app
from verify.imports.models import ImportJob
from verify.imports.progress import progress_set
from verify.review import services as review_services

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

PORTS = (8301, 8302)
ALL_QUEUES = "default,processing,fixity,imports"


@pytest.fixture
def deployment(transactional_db, s3_endpoint, tmp_path):
    """The environment of one deployment; each process adds its own local directories."""
    from django.db import connection

    need(connection.vendor == "postgresql", "needs PostgreSQL: the processes share one database")
    need(redis_available(), "Redis is not reachable at CELERY_BROKER_URL")
    bucket = f"verify-scale-{os.urandom(4).hex()}"
    boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    ).create_bucket(Bucket=bucket)
    app.control.purge()  # nothing queued by an earlier run is consumed here
    shared = tmp_path / "shared"
    env = processes.base_env(
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=os.environ["CELERY_BROKER_URL"],
        EVIDENCE_STORAGE="s3",
        EVIDENCE_S3_BUCKET=bucket,
        EVIDENCE_S3_ENDPOINT_URL=s3_endpoint,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        IMPORT_ROOT=str(shared / "imports"),
        CASEFILE_ROOT=str(shared / "casefiles"),
    )

    def machine(name: str) -> dict[str, str]:
        local = tmp_path / name
        return {**env, "VERIFY_VAR_DIR": str(local / "var"), "EVIDENCE_ROOT": str(local / "evidence")}

    return machine


@pytest.fixture
def servers(deployment):
    procs = [processes.start_server(port, deployment(f"web{i}")) for i, port in enumerate(PORTS)]
    urls = [f"http://127.0.0.1:{port}" for port in PORTS]
    try:
        for proc, url in zip(procs, urls, strict=True):
            processes.wait_until_serving(proc, url)
        yield urls
    finally:
        for proc in procs:
            print(processes.stop(proc)[-3000:])


class Workers:
    def __init__(self, deployment):
        self.deployment = deployment
        self.procs: list = []
        self.output: list[str] = []

    def start(self) -> None:
        self.procs = [processes.start_worker(f"scale{i}", ALL_QUEUES, self.deployment(f"worker{i}")) for i in range(2)]

    def stop(self) -> list[str]:
        if not self.output:
            self.output = [processes.stop(proc) for proc in self.procs]
        return self.output


@pytest.fixture
def workers(deployment):
    started = Workers(deployment)
    yield started
    for output in started.stop():
        print(output[-3000:])


def session(user) -> requests.Session:
    _token, secret = api_services.token_create(user=user, name="scale test", scope="read_write", expires_in_days=1)
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {secret}"
    return http


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 64), (200, 90, 30)).save(out, format="JPEG")
    return out.getvalue()


def test_an_upload_on_one_server_is_processed_by_a_worker_and_seen_on_the_other(servers, workers, researcher):
    workers.start()
    first, second = servers
    http = session(researcher)
    incident = factories.claimed_incident(created_by=researcher)
    data = _jpeg()
    stored = http.post(
        f"{first}/api/v1/evidence/?filename=scale.jpg&kind=photo&incident={incident.reference}",
        data=data,
        headers={"Content-Type": "application/octet-stream"},
        timeout=60,
    )
    assert stored.status_code == 201, stored.text
    pk = stored.json()["evidence"]["id"]

    def processed_on_second():
        seen = http.get(f"{second}/api/v1/evidence/{pk}/", timeout=10).json()
        return seen if seen["processing_status"] == "done" else None

    seen = processes.wait_for(processed_on_second)
    assert seen, http.get(f"{second}/api/v1/evidence/{pk}/", timeout=10).text
    assert seen["sha256"] == hashlib.sha256(data).hexdigest()
    # The bytes come back from the bucket through the other server.
    download = http.get(f"{second}/api/v1/evidence/{pk}/download/", timeout=30)
    assert download.status_code == 200 and download.content == data
    # One of the two workers did it, once.
    logs = workers.stop()
    done_by = [log for log in logs if "verify.evidence.tasks.process_evidence[" in log and " succeeded in " in log]
    assert len(done_by) >= 1, logs


def test_take_next_from_both_servers_never_hands_out_an_incident_twice(servers, researcher2):
    reviewers = [factories.user(f"scale-reviewer-{i}", role="Reviewer") for i in range(4)]
    submitted = set()
    for _ in range(12):
        incident = factories.claimed_incident(created_by=researcher2)
        review_services.incident_submit(incident=incident, user=researcher2)
        submitted.add(incident.reference)
    # Each reviewer takes through both servers in turn, all four at once, until the queue is empty.
    sessions = [session(reviewer) for reviewer in reviewers]

    def take_all(index: int) -> list[str]:
        taken = []
        for attempt in range(40):
            response = sessions[index].post(f"{servers[(index + attempt) % 2]}/api/v1/review/take-next/", timeout=30)
            if response.status_code == 204:
                return taken
            assert response.status_code == 200, response.text
            taken.append(response.json()["reference"])
        return taken

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        handed = [reference for taken in pool.map(take_all, range(len(sessions))) for reference in taken]
    assert len(handed) == len(set(handed)), "an incident was handed out twice"
    assert set(handed) == submitted


def test_an_import_shows_the_same_progress_on_both_servers(servers, workers, researcher, places):
    first, second = servers
    http = session(researcher)
    body = verify_csv(ARIHA_ROWS).encode()
    started = http.post(
        f"{first}/api/v1/imports/?filename=scale.csv&format=verify_csv",
        data=body,
        headers={"Content-Type": "application/octet-stream"},
        timeout=60,
    )
    assert started.status_code == 201, started.text
    pk = started.json()["id"]
    # No worker runs yet: the job waits in the queue. Its live progress is only in the cache; record some, as the
    # worker's check does, and both servers show it.
    job = ImportJob.objects.get(pk=pk)
    progress_set(job, job.size_bytes // 2, 1)
    for url in servers:
        status = http.get(f"{url}/api/v1/imports/{pk}/", timeout=10).json()
        assert (status["status"], status["percent"], status["rows"]) == ("queued", 50, 1), (url, status)

    # The workers check it; either server shows the result; the decision on one is carried out and seen on both.
    workers.start()

    def status_on(url: str, wanted: str):
        status = http.get(f"{url}/api/v1/imports/{pk}/", timeout=10).json()
        return status if status["status"] == wanted else None

    assert processes.wait_for(lambda: status_on(second, "validated")), http.get(f"{second}/api/v1/imports/{pk}/").text
    decided = http.post(f"{second}/api/v1/imports/{pk}/decision/", json={"decision": "import"}, timeout=30)
    assert decided.status_code == 200, decided.text
    for url in servers:
        done = processes.wait_for(lambda url=url: status_on(url, "done"))
        assert done, http.get(f"{url}/api/v1/imports/{pk}/").text
        assert done["percent"] == 100 and done["summary"]
