"""Bad input: each bad row is reported with its reason; the researcher imports the good rows or nothing."""

import csv
import io

import pytest

from tests import factories
from tests.imports.conftest import ARIHA_ROWS, run_import, verify_csv
from verify.claims.models import Claim
from verify.imports import services
from verify.imports.errors import ImportRejected
from verify.imports.models import ImportStatus
from verify.imports.report import report_csv
from verify.imports.storage import job_path
from verify.imports.tasks import import_commit_task
from verify.incidents.columns import VERIFY_CSV_COLUMNS
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db

GOOD = ARIHA_ROWS[0]


def malformed_file() -> bytes:
    rows = [
        GOOD,
        GOOD | {"external_id": "BAD-LAT", "latitude": "200", "longitude": "36.6"},
        GOOD | {"external_id": "BAD-RANGE", "killed_min": "50", "killed_max": "40"},
        GOOD | {"external_id": "BAD-PLACE", "place": "Atlantis", "governorate": ""},
        GOOD | {"external_id": "BAD-DATE", "date_start": "29/11/2015"},
        GOOD | {"external_id": "FUTURE", "date_start": "2999-01-01"},
        GOOD | {"external_id": "BAD-CHOICE", "attack_type": "laser"},
        GOOD | {"external_id": "AMBIGUOUS", "place": "Kafr Zita", "governorate": ""},
        GOOD | {"external_id": "NO-SOURCE", "source": ""},
        GOOD | {"external_id": "NEGATIVE", "injured_min": "-3"},
    ]
    text = verify_csv(rows)
    text += "only,three,cells\r\n"  # a row cut short
    return text.encode()


def errors_by_row(job) -> dict[int, list[tuple[str, str]]]:
    result: dict[int, list[tuple[str, str]]] = {}
    for e in job.errors:
        result.setdefault(e["row"], []).append((e["column"], e["message"]))
    return result


def test_each_bad_row_is_reported_with_its_reason(researcher, places):
    checked, job = run_import(researcher, malformed_file())
    assert job is None, "with bad rows and no decision, nothing is imported"
    assert checked.status == ImportStatus.VALIDATED
    assert (checked.rows_total, checked.rows_bad) == (11, 10)
    errors = errors_by_row(checked)
    assert list(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert errors[3] == [("latitude", "Latitude must be between -90 and 90.")]
    assert errors[4] == [("killed_max", "killed_min (50) is greater than killed_max (40).")]
    assert errors[5][0][0] == "place" and "Unknown place “Atlantis”" in errors[5][0][1]
    assert errors[6][0][0] == "date_start"
    assert errors[7] == [("date_start", "The date is in the future.")]
    assert errors[8] == [
        (
            "attack_type",
            "Unknown value “laser”: use one of airstrike, missile, shelling, barrel_bomb, "
            "cluster_munition, chemical, ground_attack, other.",
        )
    ]
    assert errors[9][0][0] == "place" and "Ambiguous place “Kafr Zita”" in errors[9][0][1]
    assert "Hama" in errors[9][0][1] and "Idlib" in errors[9][0][1]
    assert errors[10] == [("source", "The row asserts facts but names no source: who says this?")]
    assert errors[11][0][0] == "injured_min"
    assert f"3 cells where the header has {len(VERIFY_CSV_COLUMNS)}" in errors[12][0][1]
    assert not Incident.objects.exists()


def test_report_csv_lists_every_bad_row(researcher, places):
    checked, _ = run_import(researcher, malformed_file())
    report = report_csv(checked)
    assert report.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(report.lstrip("\ufeff"))))
    assert [int(r["row"]) for r in rows if r["severity"] == "error"] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert {
        "row": "3",
        "severity": "error",
        "column": "latitude",
        "verify_column": "latitude",
        "value": "200",
        "reason": "Latitude must be between -90 and 90.",
    } in rows
    negative = next(r for r in rows if r["row"] == "11")
    assert negative["value"] == "'-3", "cells of the report are escaped against formula injection"


def test_import_the_good_rows_only(researcher, places):
    _, job = run_import(researcher, malformed_file(), good_rows=True)
    assert job.status == ImportStatus.DONE
    assert list(Incident.objects.values_list("external_id", flat=True)) == ["PARTNER-0001"]
    assert Claim.objects.count() == 1
    assert job.summary["incidents_created"] == 1


def test_import_nothing_deletes_the_file_and_writes_nothing(researcher, places):
    job = services.import_job_create(
        user=researcher, chunks=[malformed_file()], filename="m.csv", fmt="verify_csv", start=False
    )
    services.import_validate(job=job)
    path = job_path(job)
    assert path.exists()
    services.import_cancel(job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert not path.exists()
    assert not Incident.objects.exists()
    with pytest.raises(ImportRejected):
        services.import_confirm(job=job, good_rows_only=True)


def test_all_or_nothing_is_refused_when_rows_are_bad(researcher, places):
    job = services.import_job_create(
        user=researcher, chunks=[malformed_file()], filename="m.csv", fmt="verify_csv", start=False
    )
    services.import_validate(job=job)
    with pytest.raises(ImportRejected, match="import the good rows only, or import nothing"):
        services.import_confirm(job=job, good_rows_only=False, queue=False)


def test_a_row_that_turns_bad_after_the_check_rolls_back_everything(researcher, researcher2, places):
    """All or nothing: the check passed, then someone else edited an incident the file updates; nothing is
    half-saved."""
    existing = factories.incident(created_by=researcher2, external_id="PARTNER-0002")
    rows = [GOOD, ARIHA_ROWS[2]]
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(rows).encode()], filename="r.csv", fmt="verify_csv", start=False
    )
    services.import_validate(job=job)
    job.refresh_from_db()
    assert job.rows_bad == 0 and job.summary["incidents_updated"] == 1
    services.import_confirm(job=job, good_rows_only=False, queue=False)
    Incident.objects.filter(pk=existing.pk).update(version=existing.version + 1)  # edited meanwhile
    import_commit_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "nothing was imported" in job.failure
    assert job.errors[0]["row"] == 3 and "after the check" in job.errors[0]["message"]
    assert not Incident.objects.filter(external_id="PARTNER-0001").exists()
    assert not Claim.objects.exists()


def test_broken_quote_stops_reading_and_is_reported(researcher, places):
    text = verify_csv([GOOD]) + '"unclosed,' + "x" * 200_000 + "\r\n"
    checked, _ = run_import(researcher, text.encode())
    assert checked.rows_bad == 1
    assert "Malformed CSV" in checked.errors[0]["message"]
    assert checked.rows_good == 1


def test_formula_guard_of_the_export_is_undone(researcher, places):
    rows = [GOOD | {"title": '\'=HYPERLINK("x")', "summary": "'-- not a formula", "excerpt": "'@mention"}]
    run_import(researcher, verify_csv(rows).encode())
    incident = Incident.objects.get(external_id="PARTNER-0001")
    assert incident.title == '=HYPERLINK("x")'
    assert incident.summary == "-- not a formula"
    assert incident.claims.get().excerpt == "@mention"


def test_a_quote_before_ordinary_text_is_kept(researcher, places):
    rows = [GOOD | {"title": "'Black Friday' strike"}]
    run_import(researcher, verify_csv(rows).encode())
    assert Incident.objects.get().title == "'Black Friday' strike"


def test_script_in_text_is_stored_as_text_and_escaped_on_display(client, researcher, places):
    rows = [GOOD | {"title": "<script>alert('x')</script>", "summary": "<img src=x onerror=alert(1)>"}]
    run_import(researcher, verify_csv(rows).encode())
    incident = Incident.objects.get()
    assert incident.title == "<script>alert('x')</script>"
    client.force_login(researcher)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html
    assert "<img src=x" not in html


def test_empty_and_header_only_files(researcher, places):
    with pytest.raises(ImportRejected, match="empty"):
        services.import_job_create(user=researcher, chunks=[b""], filename="e.csv", fmt="verify_csv", start=False)
    checked, _ = run_import(researcher, verify_csv([]).encode())
    assert checked.status == ImportStatus.FAILED and "no rows" in checked.failure


def test_too_large_upload_is_refused_and_not_kept(researcher, places, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ImportRejected, match="larger than"):
        services.import_job_create(
            user=researcher, chunks=[b"x" * 600, b"y" * 600], filename="big.csv", fmt="verify_csv", start=False
        )
    assert list(settings.IMPORT_ROOT.iterdir()) == []


def test_viewer_cannot_import(viewer):
    with pytest.raises(ImportRejected, match="cannot import"):
        services.import_job_create(user=viewer, chunks=[b"x"], filename="a.csv", fmt="verify_csv", start=False)


def test_sweep_queues_lost_jobs_again(researcher, places, settings):
    from datetime import timedelta

    from django.utils import timezone

    from verify.imports.models import ImportJob
    from verify.imports.tasks import import_sweep

    lost = services.import_job_create(
        user=researcher, chunks=[verify_csv([GOOD]).encode()], filename="lost.csv", fmt="verify_csv", start=False
    )
    fresh = services.import_job_create(
        user=researcher, chunks=[verify_csv([GOOD]).encode()], filename="new.csv", fmt="verify_csv", start=False
    )
    unmapped = services.import_job_create(
        user=researcher, chunks=[b"a,b\n1,2\n"], filename="m.csv", fmt="mapped_csv", start=False
    )
    long_ago = timezone.now() - timedelta(hours=2)
    ImportJob.objects.filter(pk__in=[lost.pk, unmapped.pk]).update(updated_at=long_ago)
    assert import_sweep.apply().get() == 1
    assert ImportJob.objects.get(pk=lost.pk).status == ImportStatus.VALIDATED
    assert ImportJob.objects.get(pk=fresh.pk).status == ImportStatus.QUEUED
    assert ImportJob.objects.get(pk=unmapped.pk).status == ImportStatus.QUEUED
    # An import lost half-way (nothing was committed) is run again; a finished one is left alone.
    services.import_confirm(job=ImportJob.objects.get(pk=lost.pk), good_rows_only=False, queue=False)
    ImportJob.objects.filter(pk=lost.pk).update(updated_at=long_ago)
    assert import_sweep.apply().get() == 1
    assert ImportJob.objects.get(pk=lost.pk).status == ImportStatus.DONE
    assert Incident.objects.count() == 1
    assert import_sweep.apply().get() == 0
