"""Labels in the exports: a `labels` cell in the CSV (names separated by "; "), a list in the GeoJSON."""

import json

from django.urls import reverse

from tests import factories
from tests.maps.test_exports import csv_rows, download
from verify.incidents import services
from verify.incidents.models import Incident


def tag(incident: Incident, *names: str, user) -> None:
    labels = [services.label_create(user=user, name=name) for name in names]
    services.incident_update(incident=incident, user=user, data={}, expected_version=incident.version, labels=labels)


def test_the_csv_carries_the_labels_on_every_row_of_the_incident(client, viewer, researcher):
    incident = factories.incident(created_by=researcher, title="Double tap on a clinic")
    factories.claim(incident=incident, source=factories.source("Airwars"))
    factories.claim(incident=incident, source=factories.source("SNHR"))
    tag(incident, "medical facility", "=HYPERLINK(1)", "double tap", user=researcher)
    client.force_login(viewer)

    rows = [r for r in csv_rows(client) if r["reference"] == incident.reference]

    assert len(rows) == 2
    # Sorted by name, and a name that looks like a formula is escaped like every other cell.
    assert {r["labels"] for r in rows} == {"'=HYPERLINK(1); double tap; medical facility"}


def test_an_incident_without_labels_has_an_empty_labels_cell(client, viewer, incident):
    client.force_login(viewer)
    assert [r["labels"] for r in csv_rows(client)] == [""]


def test_the_geojson_lists_the_labels(client, viewer, researcher):
    incident = factories.incident(created_by=researcher, title="Tagged")
    tag(incident, "cluster munitions", user=researcher)
    client.force_login(viewer)

    _, body = download(client, reverse("maps:export_geojson"))

    [feature] = json.loads(body)["features"]
    assert feature["properties"]["labels"] == ["cluster munitions"]


def test_the_export_reads_labels_in_a_constant_number_of_queries(
    client, viewer, researcher, django_assert_max_num_queries
):
    for n in range(5):
        tag(factories.incident(created_by=researcher, title=f"Strike {n}"), f"label {n}", user=researcher)
    client.force_login(viewer)
    download(client, reverse("maps:export_csv"))

    with django_assert_max_num_queries(12) as few:
        download(client, reverse("maps:export_csv"))
    for n in range(5, 15):
        tag(factories.incident(created_by=researcher, title=f"Strike {n}"), f"label {n}", user=researcher)
    with django_assert_max_num_queries(len(few.captured_queries)):
        download(client, reverse("maps:export_csv"))
