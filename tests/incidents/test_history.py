"""The readable change history: which field changed, from what, to what, and who changed it."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.incidents.test_views import incident_data
from verify.claims import services as claim_services
from verify.claims.history import incident_history
from verify.incidents import services
from verify.incidents.models import AttackType


def change_entries(incident):
    return [entry for entry in incident_history(incident) if entry.kind == "~"]


def claim_change_entries(incident):
    """Changes to the claims only: a claim edit may also update the incident's suggested grade (its own entry)."""
    return [entry for entry in change_entries(incident) if entry.what.startswith("Claim")]


def test_service_edit_records_the_field_and_the_old_and_new_values(researcher, incident):
    old_title = incident.title

    services.incident_update(incident=incident, user=researcher, data={"title": "Corrected title"}, expected_version=1)

    [entry] = change_entries(incident)
    assert entry.changes == [("title", old_title, "Corrected title")]
    assert entry.what == f"Incident {incident.reference}"
    assert entry.reason == "Edited: title"


def test_service_edit_records_who_made_it(researcher2, incident):
    services.incident_update(incident=incident, user=researcher2, data={"title": "Corrected title"}, expected_version=1)

    [entry] = change_entries(incident)
    assert entry.who == researcher2.get_username()


def test_claim_service_edit_records_who_made_it(researcher2, incident):
    claim = factories.claim(incident=incident, excerpt="Before")

    claim_services.claim_update(claim=claim, user=researcher2, data={"excerpt": "After"}, expected_version=1)

    [entry] = claim_change_entries(incident)
    assert entry.who == researcher2.get_username()


def test_edit_through_the_page_records_the_field_values_and_the_user(researcher, researcher2, incident):
    client = Client()
    client.force_login(researcher2)
    old_title = incident.title

    response = client.post(
        reverse("incidents:edit", args=[incident.reference]), incident_data(title="Title from Rami", version=1)
    )

    assert response.status_code == 302
    [entry] = change_entries(incident)
    assert entry.who == "rami"
    changes = {field: (old, new) for field, old, new in entry.changes}
    assert changes["title"] == (old_title, "Title from Rami")


def test_history_shows_choice_labels_and_leaves_out_the_version(researcher, incident):
    services.incident_update(
        incident=incident,
        user=researcher,
        data={"attack_type": AttackType.BARREL_BOMB, "latitude": Decimal("35.9"), "longitude": Decimal("36.6")},
        expected_version=1,
    )

    [entry] = change_entries(incident)
    changes = {field: (old, new) for field, old, new in entry.changes}
    assert changes["attack type"] == ("Other", "Barrel bomb")
    assert changes["latitude"] == ("35.81374", "35.9")  # numbers as numbers, not the stored "35.900000"
    assert "version" not in changes
    assert "updated_at" not in changes


def test_history_names_a_place_by_its_name(researcher, incident):
    place = factories.place("Arīḩā")

    services.incident_update(incident=incident, user=researcher, data={"place": place}, expected_version=1)

    [entry] = change_entries(incident)
    assert ("place", "—", "Arīḩā") in entry.changes


def test_history_lists_each_edit_newest_first(researcher, incident):
    first_title = incident.title
    services.incident_update(incident=incident, user=researcher, data={"title": "Second"}, expected_version=1)
    services.incident_update(incident=incident, user=researcher, data={"title": "Third"}, expected_version=2)

    entries = change_entries(incident)

    assert [entry.changes for entry in entries] == [
        [("title", "Second", "Third")],
        [("title", first_title, "Second")],
    ]


def test_saving_without_changes_adds_no_entry(researcher, incident):
    services.incident_update(incident=incident, user=researcher, data={"title": incident.title}, expected_version=1)

    assert change_entries(incident) == []
    assert [entry.kind for entry in incident_history(incident)] == ["+"]


def test_history_includes_the_claims_changes(researcher, incident):
    claim = factories.claim(incident=incident, excerpt="Before", killed_min=10)

    claim_services.claim_update(claim=claim, user=researcher, data={"killed_min": 12}, expected_version=1)

    [entry] = claim_change_entries(incident)
    assert entry.what.startswith(f"Claim #{claim.pk}")
    assert ("killed min", "10", "12") in entry.changes


def test_detail_page_shows_the_change_with_old_and_new_values(client, viewer, researcher, incident):
    old_title = incident.title
    services.incident_update(incident=incident, user=researcher, data={"title": "Corrected title"}, expected_version=1)
    client.force_login(viewer)

    content = client.get(incident.get_absolute_url()).content.decode()

    history = content[content.index("Change history") :]
    assert f'<th scope="row">title</th><td>{old_title}</td><td>Corrected title</td>' in history
