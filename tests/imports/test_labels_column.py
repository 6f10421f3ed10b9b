"""The `labels` column of an import: names matched ignoring case, unknown ones created, never removed; an export
imports back with its labels."""

import csv
import io

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.imports.conftest import run_import, verify_csv
from verify.incidents import services
from verify.incidents.models import Incident, Label, Status


def row(**fields) -> dict:
    base = {"title": "Strike on the clinic", "date_start": "2015-12-02", "latitude": "35.8", "longitude": "36.6"}
    return base | fields


def names(incident: Incident) -> list[str]:
    return sorted(incident.labels.values_list("name", flat=True))


def test_an_import_tags_new_incidents_with_existing_and_new_labels(researcher):
    medical = services.label_create(user=researcher, name="Medical facility")
    data = verify_csv([row(external_id="X-1", labels="medical FACILITY;  double   tap ;")]).encode()

    checked, job = run_import(researcher, data)

    assert checked.summary["labels_to_create"] == ["double tap"]
    assert job.summary["labels_created"] == ["double tap"]
    incident = Incident.objects.get(external_id="X-1")
    assert names(incident) == ["Medical facility", "double tap"]
    assert Label.objects.filter(name__iexact="medical facility").get() == medical


def test_rows_of_one_incident_add_up_their_labels(researcher):
    data = verify_csv(
        [
            row(external_id="X-1", labels="double tap", source="SNHR"),
            row(external_id="X-1", labels="medical facility", source="SOHR"),
        ]
    ).encode()

    run_import(researcher, data)

    assert names(Incident.objects.get(external_id="X-1")) == ["double tap", "medical facility"]


def exported_rows(user) -> list[dict]:
    client = Client()
    client.force_login(user)
    body = b"".join(client.get(reverse("maps:export_csv")).streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_an_import_adds_labels_to_a_verified_incident_without_reopening_it(researcher):
    incident = factories.incident(created_by=researcher, title="Strike on the clinic")
    Incident.objects.filter(pk=incident.pk).update(status=Status.VERIFIED)
    [exported] = exported_rows(researcher)

    run_import(researcher, verify_csv([exported | {"labels": "double tap"}]).encode())

    incident.refresh_from_db()
    assert names(incident) == ["double tap"]
    assert incident.status == Status.VERIFIED
    assert not incident.transitions.exists()


def test_an_import_never_removes_a_label(researcher):
    data = verify_csv([row(external_id="X-1", labels="double tap")]).encode()
    run_import(researcher, data)

    run_import(researcher, verify_csv([row(external_id="X-1", labels="")]).encode())

    assert names(Incident.objects.get(external_id="X-1")) == ["double tap"]


def test_a_too_long_label_name_is_a_row_error(researcher):
    checked, job = run_import(researcher, verify_csv([row(external_id="X-1", labels="x" * 101)]).encode())

    assert job is None
    assert [e["column"] for e in checked.errors] == ["labels"]
    assert not Label.objects.exists()


def test_a_file_without_a_labels_column_still_matches_rows_without_ids(researcher):
    """content_key leaves the labels out: files written before the column existed re-import onto the same rows."""
    columns = [c for c in verify_csv([{}]).splitlines()[0].split(",") if c != "labels"]
    plain = row()
    run_import(researcher, verify_csv([plain], columns=columns).encode())

    run_import(researcher, verify_csv([plain | {"labels": "double tap"}]).encode())

    [incident] = Incident.objects.all()
    assert names(incident) == ["double tap"]


def test_an_export_imports_back_with_its_labels(researcher):
    incident = factories.incident(created_by=researcher, title="Double tap on a clinic")
    labels = [services.label_create(user=researcher, name=n) for n in ("medical facility", "double tap")]
    services.incident_update(incident=incident, user=researcher, data={}, expected_version=1, labels=labels)
    # As another verify database would read it: the reference is unknown there...
    exported = [r | {"reference": "OTHER-2015-0001"} for r in exported_rows(researcher)]
    # ...and has none of its labels.
    incident.labels.clear()
    Label.objects.all().delete()

    _checked, job = run_import(researcher, verify_csv(exported).encode())

    assert job is not None and job.summary["incidents_created"] == 1
    assert names(Incident.objects.get(external_id="OTHER-2015-0001")) == ["double tap", "medical facility"]
