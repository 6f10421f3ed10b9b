"""A real Celery worker, in its own process, consuming from Redis and writing to the test database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import need, redis_available
from tests.evidence.conftest import database_url, wait_for
from verify.celery import app
from verify.evidence.models import CustodyAction, CustodyEvent, EvidenceItem, FixityStatus
from verify.evidence.services import evidence_store
from verify.evidence.tasks import fixity_check

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    need(redis_available(), "Redis is not reachable at CELERY_BROKER_URL")
    url = database_url()
    need(bool(url), "the worker test needs a database another process can open (PostgreSQL)")
    queue = f"verify-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EVIDENCE_ROOT": str(settings.EVIDENCE_ROOT),
        "DJANGO_SETTINGS_MODULE": "verify.settings",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "verify", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        print(output[-4000:])


def test_real_worker_runs_fixity_check_and_records_custody(worker, researcher):
    item, _ = evidence_store(
        user=researcher,
        chunks=[b"bytes preserved for court"],
        original_filename="statement.txt",
        metadata={"title": "Witness statement", "kind": "testimony"},
    )
    fixity_check.apply_async(args=[item.pk], queue=worker)
    assert wait_for(lambda: CustodyEvent.objects.filter(evidence=item, action=CustodyAction.FIXITY_PASSED).exists())
    item.refresh_from_db()
    assert item.fixity_status == FixityStatus.OK
    assert item.fixity_checked_at is not None


def test_real_worker_flags_a_tampered_file(worker, researcher):
    item, _ = evidence_store(
        user=researcher,
        chunks=iter([b"original"]),
        original_filename="photo.jpg",
        metadata={"title": "Photo", "kind": "photo"},
    )
    path = Path(settings.EVIDENCE_ROOT) / item.storage_name
    path.chmod(0o640)
    path.write_bytes(b"altered!")
    fixity_check.apply_async(args=[item.pk], queue=worker)
    assert wait_for(lambda: EvidenceItem.objects.filter(pk=item.pk, fixity_status=FixityStatus.CHANGED).exists()), (
        "the worker did not record the changed file"
    )
    assert CustodyEvent.objects.filter(evidence=item, action=CustodyAction.FIXITY_FAILED).count() == 1


def test_worker_uses_json_and_late_acks():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert "verify.evidence.tasks.fixity_check" in app.tasks
