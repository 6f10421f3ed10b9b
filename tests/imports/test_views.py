"""The import pages: who may use them, the check-then-decide flow, the mapping page and the report download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from tests.imports.conftest import ARIHA_ROWS, verify_csv
from verify.imports.models import ImportJob, ImportStatus, SavedMapping
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db
START = reverse("imports:start")


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Tasks are queued on commit; inside a test's transaction, run them at once (eagerly)."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


def upload(client, data: bytes, fmt="verify_csv", name="partner.csv", **extra):
    return client.post(START, {"file": SimpleUploadedFile(name, data), "format": fmt, **extra})


@pytest.mark.parametrize("role", ["viewer", "outsider"])
def test_viewers_and_outsiders_cannot_import(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(START).status_code == 403
    assert upload(client, b"title\nx\n").status_code == 403
    assert client.get(reverse("suggestions:report")).status_code == 403
    assert not ImportJob.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(START)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_researcher_uploads_checks_and_imports(client, researcher, places):
    client.force_login(researcher)
    response = upload(client, verify_csv(ARIHA_ROWS).encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    # Eager tasks in tests: the check already ran.
    page = client.get(response["Location"]).content.decode()
    assert "Checked: waiting for your decision" in page
    assert "Import all 3 rows" in page and "Import nothing" in page
    assert not Incident.objects.exists()
    client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Incident.objects.count() == 2
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    strike = Incident.objects.get(external_id="PARTNER-0001")
    assert f'href="{strike.get_absolute_url()}"' in page


def test_status_endpoint_reports_progress_as_json(client, researcher, places):
    client.force_login(researcher)
    upload(client, verify_csv(ARIHA_ROWS).encode())
    job = ImportJob.objects.get()
    data = client.get(reverse("imports:status", args=[job.pk])).json()
    assert data["status"] == "validated" and data["percent"] == 100 and data["rows"] == 3
    assert data["running"] is False


def test_bad_rows_are_shown_and_good_rows_can_be_imported(client, researcher, places):
    client.force_login(researcher)
    rows = [ARIHA_ROWS[0], ARIHA_ROWS[0] | {"external_id": "B", "latitude": "200", "longitude": "1"}]
    upload(client, verify_csv(rows).encode())
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Import the 1 good row" in page and "Latitude must be between -90 and 90." in page
    report = client.get(reverse("imports:report", args=[job.pk]))
    assert report["Content-Type"].startswith("text/csv") and "attachment" in report["Content-Disposition"]
    assert "3,error,latitude,latitude,200" in report.content.decode()
    client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import"})
    assert list(Incident.objects.values_list("external_id", flat=True)) == ["PARTNER-0001"]


def test_import_nothing(client, researcher, places):
    client.force_login(researcher)
    upload(client, verify_csv(ARIHA_ROWS).encode())
    job = ImportJob.objects.get()
    client.post(reverse("imports:decide", args=[job.pk]), {"decision": "nothing"})
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and not Incident.objects.exists()


def test_another_researchers_import_is_a_404(client, researcher, researcher2, places):
    client.force_login(researcher)
    upload(client, verify_csv(ARIHA_ROWS).encode())
    job = ImportJob.objects.get()
    client.force_login(researcher2)
    for name in ("imports:detail", "imports:status", "imports:report", "imports:mapping"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import"}).status_code == 404
    assert not Incident.objects.exists()


def test_mapping_page_maps_and_saves_the_mapping(client, researcher, places):
    client.force_login(researcher)
    data = b"Ref,Headline,Day,Town,Dead,Reported by\nQ-1,Strike on a bakery,2015-11-29,Ariha,7,Civil Defence\n"
    response = upload(client, data, fmt="mapped_csv")
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<option value="Headline">Headline</option>' in page
    mapping = {
        "col_external_id": "Ref",
        "col_title": "Headline",
        "col_date_start": "Day",
        "col_place": "Town",
        "col_killed_min": "Dead",
        "col_killed_max": "Dead",
        "col_source": "Reported by",
    }
    client.post(response["Location"], mapping | {"save_as": "Civil Defence sheet"})
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.rows_bad == 0, job.errors
    saved = SavedMapping.objects.get(name="Civil Defence sheet")
    assert saved.mapping["title"] == "Headline" and saved.mapping["killed_min"] == "Dead"
    # Next time the saved mapping is preselected.
    upload(client, data, fmt="mapped_csv", saved_mapping=saved.pk)
    second = ImportJob.objects.latest("pk")
    page = client.get(reverse("imports:mapping", args=[second.pk])).content.decode()
    assert '<option value="Headline" selected>Headline</option>' in page


def test_mapping_requires_a_title_column(client, researcher, places):
    client.force_login(researcher)
    upload(client, b"a,b\n1,2\n", fmt="mapped_csv")
    job = ImportJob.objects.get()
    response = client.post(reverse("imports:mapping", args=[job.pk]), {"col_external_id": "a"})
    assert response.status_code == 200 and "Choose the column that holds the title" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and job.rows_total == 0


def test_import_link_in_the_navigation_only_for_researchers(client, researcher, viewer):
    client.force_login(researcher)
    assert f'href="{START}"' in client.get(reverse("dashboard")).content.decode()
    client.force_login(viewer)
    assert f'href="{START}"' not in client.get(reverse("dashboard")).content.decode()


def test_uploaded_files_are_private(client, researcher, places, settings):
    client.force_login(researcher)
    upload(client, verify_csv(ARIHA_ROWS).encode())
    job = ImportJob.objects.get()
    assert str(settings.IMPORT_ROOT) not in client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    path = settings.IMPORT_ROOT / job.stored_name
    assert path.exists() and (path.stat().st_mode & 0o077) == 0


def test_hostile_file_name_is_kept_as_text(client, researcher, places, settings):
    client.force_login(researcher)
    upload(client, verify_csv(ARIHA_ROWS).encode(), name="../../<img src=x onerror=alert(1)>.csv")
    job = ImportJob.objects.get()
    assert job.original_filename == "<img src=x onerror=alert(1)>.csv"
    assert (settings.IMPORT_ROOT / job.stored_name).is_file() and "/" not in job.stored_name
    html = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;.csv" in html


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "no 'title' column"),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "no 'title' column"),
        (b"\x00\x00\x00", "no 'title' column"),
    ],
)
def test_files_that_are_not_csv_get_a_clear_error(client, researcher, places, payload, message):
    client.force_login(researcher)
    upload(client, payload, name="incidents.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and message in job.failure
    assert escape(message) in client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert not Incident.objects.exists()


def test_import_page_lists_jobs_in_constant_queries(client, researcher, places, django_assert_max_num_queries):
    client.force_login(researcher)
    for _ in range(3):
        upload(client, verify_csv(ARIHA_ROWS).encode())
    with django_assert_max_num_queries(9):  # 9: one is the unread-notifications count in the header
        response = client.get(START)
    assert response.content.decode().count("partner.csv") == 3


def test_restricted_import_is_invisible_outside_its_groups(client, researcher, researcher2, desk, places):
    researcher.groups.add(desk)
    client.force_login(researcher)
    response = upload(client, verify_csv(ARIHA_ROWS).encode(), restricted="on")
    assert "Restricted incidents need at least one group" in response.content.decode()
    upload(client, verify_csv(ARIHA_ROWS).encode(), restricted="on", allowed_groups=[desk.pk])
    job = ImportJob.objects.get()
    assert (
        "New incidents restricted to Sensitive desk"
        in client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    )
    client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import"})
    strike = Incident.objects.get(external_id="PARTNER-0001")
    assert strike.restricted and list(strike.allowed_groups.all()) == [desk]
    assert client.get(strike.get_absolute_url()).status_code == 200
    client.force_login(researcher2)
    assert client.get(strike.get_absolute_url()).status_code == 404
    # Nor can the outsider update it, or learn that it exists, by importing its reference.
    row = ARIHA_ROWS[0] | {"reference": strike.reference, "external_id": "", "title": "Overwritten"}
    upload(client, verify_csv([row]).encode())
    second = ImportJob.objects.latest("pk")
    # The reference is unknown to the outsider: it names a new incident, as another database's reference would.
    assert second.rows_bad == 0 and second.summary["incidents_created"] == 1
    strike.refresh_from_db()
    assert strike.title != "Overwritten"


def test_a_file_waiting_for_its_mapping_links_to_the_mapping_page(client, researcher, places):
    client.force_login(researcher)
    upload(client, b"a,b\n1,2\n", fmt="mapped_csv")
    job = ImportJob.objects.get()
    html = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert reverse("imports:mapping", args=[job.pk]) in html
    assert 'data-running="0"' in html and "import-progress.js" not in html
