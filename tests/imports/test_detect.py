"""Item 11 of issue 20: the format is detected from the header, the mapping page previews and guesses, and the
problem report names the file's own columns."""

import csv
import io

import pytest
from django.urls import reverse

from tests.imports.conftest import run_import
from tests.imports.test_views import upload
from verify.imports.detect import detect_format, guess_mapping
from verify.imports.models import ImportFormat, ImportJob, ImportStatus
from verify.imports.report import report_csv
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db

ACLED_HEADER = (
    "data_id,event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,admin1,admin2,"
    "location,latitude,longitude,geo_precision,source,notes,fatalities\n"
)
ACLED_ROW = (
    "9001,SYR9001,29 November 2015,2015,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia "
    '(2015-),Civilians (Syria),Idlib,Ariha,Ariha,35.8137,36.6096,1,SOHR,"Russian jets struck the market.",34\n'
)


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


def test_detect_format_from_the_header():
    assert detect_format(ACLED_HEADER.strip().split(",")) == ImportFormat.ACLED
    assert detect_format(["reference", "title", "source"]) == ImportFormat.VERIFY_CSV
    assert detect_format(["Headline", "Dead"]) is None
    # A file with only some ACLED-like names is not taken for ACLED.
    assert detect_format(["event_date", "location", "source", "title"]) == ImportFormat.VERIFY_CSV


def test_an_acled_file_chosen_as_verify_csv_is_read_as_acled(client, researcher, places):
    client.force_login(researcher)
    response = upload(client, (ACLED_HEADER + ACLED_ROW).encode(), fmt="verify_csv")
    job = ImportJob.objects.get()
    assert job.format == ImportFormat.ACLED
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == ImportStatus.VALIDATED and job.rows_bad == 0, job.errors
    page = client.get(response["Location"]).content.decode()
    assert "It is read as such, not as: verify CSV (our own columns)." in page
    assert "ACLED-style CSV" in page


def test_a_verify_file_chosen_as_acled_is_read_as_verify_csv(researcher, places):
    data = b"external_id,title,place\nX-1,Strike on a bakery,Ariha\n"
    checked, job = run_import(researcher, data, fmt="acled")
    assert checked.format == ImportFormat.VERIFY_CSV
    assert job is not None and job.status == ImportStatus.DONE, checked.errors


def test_another_csv_chosen_as_verify_goes_to_the_mapping_page(client, researcher, places):
    client.force_login(researcher)
    response = upload(client, "العنوان,القتلى\nقصف مخبز,7\n".encode(), fmt="verify_csv")
    job = ImportJob.objects.get()
    assert job.format == ImportFormat.MAPPED_CSV and job.status == ImportStatus.QUEUED and job.rows_total == 0
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<option value="العنوان" selected>العنوان</option>' in page


def test_guesses_from_english_and_arabic_headers():
    guess = guess_mapping(["ID", "Headline", "Date", "Town", "Dead", "Wounded", "Link", "Notes", "Lat", "Lng"])
    assert guess == {
        "external_id": "ID",
        "title": "Headline",
        "date_start": "Date",
        "place": "Town",
        "killed_min": "Dead",
        "injured_min": "Wounded",
        "source_url": "Link",
        "summary": "Notes",
        "latitude": "Lat",
        "longitude": "Lng",
    }
    arabic = guess_mapping(["العنوان", "التاريخ", "المدينة", "القتلى", "الجرحى", "المصدر", "الرابط"])
    assert arabic == {
        "title": "العنوان",
        "date_start": "التاريخ",
        "place": "المدينة",
        "killed_min": "القتلى",
        "injured_min": "الجرحى",
        "source": "المصدر",
        "source_url": "الرابط",
    }
    # Our own names win, whatever their case or spacing, and a header is guessed for one column only.
    assert guess_mapping(["Killed Min", "Dead"])["killed_min"] == "Killed Min"
    assert "killed_min" not in guess_mapping(["Town"]) and guess_mapping([]) == {}


def test_the_mapping_page_previews_each_columns_first_values(client, researcher, places):
    client.force_login(researcher)
    data = "Headline,Dead,Town\nStrike on a bakery,7,Ariha\nShelling of a school,=2+3,Idlib\n,,\nThird,1,Saraqib\n"
    upload(client, data.encode(), fmt="mapped_csv")
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:mapping", args=[job.pk])).content.decode()
    assert '<tr data-column="Dead">' in page
    row = page.split('<tr data-column="Dead">')[1].split("</tr>")[0]
    assert [part.split(">")[1] for part in row.split('<bdi class="sample"')[1:]] == ["7</bdi", "=2+3</bdi", "1</bdi"]
    assert '<option value="Dead" selected>Dead</option>' in page
    assert '<option value="Town" selected>Town</option>' in page
    assert '<option value="Headline" selected>Headline</option>' in page


def test_the_problem_report_names_the_files_own_columns(client, researcher, places):
    client.force_login(researcher)
    data = b"Headline,Dead\nStrike on a bakery,many\n"
    upload(client, data, fmt="mapped_csv")
    job = ImportJob.objects.get()
    client.post(reverse("imports:mapping", args=[job.pk]), {"col_title": "Headline", "col_killed_min": "Dead"})
    job.refresh_from_db()
    assert job.rows_bad == 1
    rows = list(csv.DictReader(io.StringIO(report_csv(job).lstrip("\ufeff"))))
    assert [(r["column"], r["verify_column"], r["value"]) for r in rows] == [("Dead", "killed_min", "many")]
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert '<bdi>Dead</bdi> <span class="muted">(<bdi>killed_min</bdi>)</span>' in page
    assert not Incident.objects.exists()


def test_acled_problems_name_acleds_columns(researcher, places):
    bad = ACLED_ROW.replace(",34\n", ",lots\n")
    checked, _ = run_import(researcher, (ACLED_HEADER + bad).encode(), fmt="acled")
    assert {(e["column"], e.get("value")) for e in checked.errors} >= {("killed_min", "lots")}
    rows = list(csv.DictReader(io.StringIO(report_csv(checked).lstrip("\ufeff"))))
    assert ("fatalities", "killed_min") in {(r["column"], r["verify_column"]) for r in rows}
