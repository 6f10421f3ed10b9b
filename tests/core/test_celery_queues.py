"""Each kind of work goes to its own Celery queue, so a large import cannot hold up an evidence upload."""

import pytest

from verify.celery import app

ROUTES = {
    "verify.evidence.tasks.process_evidence": "processing",
    "verify.evidence.tasks.processing_sweep": "processing",
    "verify.evidence.tasks.fixity_check": "fixity",
    "verify.evidence.tasks.fixity_sweep": "fixity",
    "verify.evidence.tasks.capture_web_page": "processing",
    "verify.imports.tasks.import_validate_task": "imports",
    "verify.imports.tasks.import_commit_task": "imports",
    "verify.imports.tasks.import_sweep": "imports",
    "verify.claims.tasks.crosscheck_recompute": "imports",
    "verify.incidents.tasks.duplicates_refresh_task": "imports",
    "verify.accounts.tasks.audit_prune": "default",
    "verify.suggestions.tasks.report_sweep": "default",
    "verify.casefiles.tasks.build_casefile": "imports",
    "verify.casefiles.tasks.casefile_sweep_task": "imports",
}


def test_every_task_is_listed_here():
    app.loader.import_default_modules()  # what a worker does at start: find every app's tasks module
    ours = {name for name in app.tasks if name.startswith("verify.")}
    assert ours == set(ROUTES), "A new task: decide its queue and add it to ROUTES."


@pytest.mark.parametrize(("task", "queue"), ROUTES.items())
def test_task_goes_to_its_queue(task, queue):
    route = app.amqp.router.route({}, task)
    assert route["queue"].name == queue
