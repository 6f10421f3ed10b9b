"""manage.py import_incidents: the same checks as the page, from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.imports.conftest import ARIHA_ROWS, verify_csv
from verify.claims.models import Claim
from verify.imports.models import ImportJob, ImportStatus
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("import_incidents", *map(str, args), stdout=out)
    return out.getvalue()


def test_imports_a_verify_csv_and_again_without_duplicates(tmp_path, researcher, places):
    path = tmp_path / "partner.csv"
    path.write_text(verify_csv(ARIHA_ROWS), encoding="utf-8")
    output = run(path, "--user", researcher.username)
    assert "incidents 2 created" in output and "claims 3 created" in output
    output = run(path, "--user", researcher.username)
    assert "incidents 0 created, 0 updated, 2 unchanged" in output
    assert Incident.objects.count() == 2 and Claim.objects.count() == 3


def test_bad_rows_import_nothing_unless_asked(tmp_path, researcher, places):
    path = tmp_path / "bad.csv"
    path.write_text(verify_csv([ARIHA_ROWS[0], ARIHA_ROWS[2] | {"killed_min": "9", "killed_max": "1"}]))
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="1 bad row"):
        run(path, "--user", researcher.username, "--report", report)
    assert not Incident.objects.exists()
    assert "killed_min (9) is greater than killed_max (1)" in report.read_text(encoding="utf-8-sig")
    assert ImportJob.objects.get().status == ImportStatus.CANCELLED
    run(path, "--user", researcher.username, "--good-rows")
    assert list(Incident.objects.values_list("external_id", flat=True)) == ["PARTNER-0001"]


def test_dry_run_writes_nothing(tmp_path, researcher, places):
    path = tmp_path / "p.csv"
    path.write_text(verify_csv(ARIHA_ROWS))
    assert "Would create 2" in run(path, "--user", researcher.username, "--dry-run")
    assert not Incident.objects.exists()


def test_mapping_file_and_guessed_formats(tmp_path, researcher, places):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Ref,Headline,Day,Town\nM-1,Strike on the bakery,2015-11-29,Ariha\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"external_id": "Ref", "title": "Headline", "date_start": "Day", "place": "Town"}))
    run(sheet, "--user", researcher.username, "--mapping", mapping)
    assert Incident.objects.get(external_id="M-1").place == places["ariha"]
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps([ARIHA_ROWS[2]]))
    assert "as json" in run(rows, "--user", researcher.username)


def test_clear_errors(tmp_path, researcher, viewer):
    path = tmp_path / "p.csv"
    path.write_text(verify_csv(ARIHA_ROWS))
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.csv", "--user", researcher.username)
    with pytest.raises(CommandError, match="No user"):
        run(path, "--user", "nobody")
    with pytest.raises(CommandError, match="cannot import"):
        run(path, "--user", viewer.username)
    bad_mapping = tmp_path / "m.json"
    bad_mapping.write_text('{"headline": "Headline"}')
    with pytest.raises(CommandError, match="unknown verify columns"):
        run(path, "--user", researcher.username, "--mapping", bad_mapping)


def test_restricted_to_a_group(tmp_path, researcher, desk, places):
    path = tmp_path / "p.csv"
    path.write_text(verify_csv(ARIHA_ROWS))
    with pytest.raises(CommandError, match="No group"):
        run(path, "--user", researcher.username, "--restricted-to", "Nobody")
    run(path, "--user", researcher.username, "--restricted-to", desk.name)
    assert set(Incident.objects.values_list("restricted", flat=True)) == {True}
    assert {g.name for i in Incident.objects.all() for g in i.allowed_groups.all()} == {desk.name}
