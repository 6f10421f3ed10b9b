"""A researcher imports a CSV through the page while a real worker checks and imports it, watches the progress
and opens an imported incident."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_signin import sign_in
from tests.evidence.test_worker import worker  # noqa: F401 - starts a real Celery worker
from tests.imports.conftest import ARIHA_ROWS, places, verify_csv  # noqa: F401 - the places fixture
from verify.incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def import_root(settings, tmp_path, monkeypatch):
    settings.IMPORT_ROOT = tmp_path / "imports"
    monkeypatch.setenv("IMPORT_ROOT", str(settings.IMPORT_ROOT))  # read by the worker process


def test_researcher_imports_a_csv_watches_progress_and_opens_an_incident(
    import_root,
    worker,  # noqa: F811
    browser_page,
    researcher,
    places,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    from verify.imports import tasks

    # Route this test's tasks to the worker's private queue (the import queues them with apply_async).
    for task in (tasks.import_validate_task, tasks.import_commit_task):
        real = task.apply_async
        routed = lambda args=None, _real=real, **kw: _real(args=args, **(kw | {"queue": worker}))  # noqa: E731
        monkeypatch.setattr(task, "apply_async", routed)
    rows = ARIHA_ROWS + [
        ARIHA_ROWS[2] | {"external_id": f"EXTRA-{i}", "title": f"Shelling report {i}"} for i in range(40)
    ]
    path = tmp_path / "partner-sheet.csv"
    path.write_bytes(verify_csv(rows).encode())

    page = browser_page
    sign_in(page, "rita", "pw-for-tests-123")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("verify CSV (our own columns)").check()
    page.get_by_role("button", name="Upload and check").click()

    # The page follows the worker by itself (no reload here): first the check, then the decision.
    expect(page.get_by_role("heading", name=re.compile("Status"))).to_be_visible()
    decide = page.get_by_role("button", name="Import all 43 rows")
    expect(decide).to_be_visible(timeout=60_000)
    expect(page.get_by_text("42 new, 0 to update")).to_be_visible()
    assert not Incident.objects.exists()
    decide.click()
    expect(page.get_by_role("heading", name="Status: Imported")).to_be_visible(timeout=60_000)
    assert Incident.objects.count() == 42

    strike = Incident.objects.get(external_id="PARTNER-0001")
    page.get_by_role("link", name=strike.reference).click()
    expect(page.get_by_role("heading", name="Missile strike on Ariha market")).to_be_visible()
    expect(page.get_by_text("Amnesty International").first).to_be_visible()
