"""Imports through the API: start with the file as the body, status, decision, report; owners only."""

from tests.imports.conftest import ARIHA_ROWS, verify_csv
from tests.imports.conftest import places as places  # the fixture
from verify.imports.models import ImportJob
from verify.imports.tasks import import_commit_task, import_validate_task
from verify.incidents.models import Incident


def test_start_check_decide_and_report(db, researcher, researcher2, viewer, api_as, settings, tmp_path, places):
    settings.IMPORT_ROOT = tmp_path / "imports"
    api = api_as(researcher)
    body = verify_csv(ARIHA_ROWS).encode()
    started = api.post(
        "/api/v1/imports/?filename=a.csv&format=verify_csv", body, content_type="application/octet-stream"
    )
    assert started.status_code == 201, started.content
    pk = started.json()["id"]
    import_validate_task.apply(args=[pk])  # the worker's check, in this process
    status = api.get(f"/api/v1/imports/{pk}/").json()
    assert status["status"] == "validated", status
    assert api.get(f"/api/v1/imports/{pk}/report/").status_code == 200
    # Someone else's import is not there for another researcher; a viewer may not import at all.
    assert api_as(researcher2).get(f"/api/v1/imports/{pk}/").status_code == 404
    assert api_as(viewer).get("/api/v1/imports/").status_code == 403
    decided = api.post(f"/api/v1/imports/{pk}/decision/", {"decision": "import"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "importing"
    again = api.post(f"/api/v1/imports/{pk}/decision/", {"decision": "import"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    import_commit_task.apply(args=[pk])
    assert ImportJob.objects.get(pk=pk).status == "done"
    assert Incident.objects.filter(external_id="PARTNER-0001").exists()


def test_bad_start_is_field_errors(db, researcher, api_as):
    api = api_as(researcher)
    bad = api.post("/api/v1/imports/?format=xlsx", b"x", content_type="application/octet-stream")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"filename", "format"}
    assert not ImportJob.objects.exists()
