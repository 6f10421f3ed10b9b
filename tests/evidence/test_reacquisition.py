"""Uploading bytes already in the archive again (issue 20, item 9): the uploader's new source URL and notes are
kept as a new acquisition of the same item, with its own custody event, whether the re-upload goes to the same
incident or another one; never on an item the uploader cannot see."""

import pytest

from tests.evidence.conftest import jpeg, upload
from verify.evidence.models import Acquisition, CustodyAction, EvidenceItem

pytestmark = pytest.mark.django_db


def first_upload(client, user, incident, content) -> EvidenceItem:
    client.force_login(user)
    response = upload(
        client,
        [("first.jpg", content)],
        incident=incident.reference,
        source_url="https://example.org/a",
        acquisition_notes="From the activists' channel",
    )
    [result] = response.json()["results"]
    assert result["status"] == "stored"
    return EvidenceItem.objects.get(pk=result["id"])


def test_reupload_to_the_same_incident_records_a_new_acquisition_and_custody_event(client, researcher, incident):
    content = jpeg(seed=5)
    item = first_upload(client, researcher, incident, content)
    events_before = item.custody_events.count()

    response = upload(
        client,
        [("copy-from-telegram.jpg", content)],
        incident=incident.reference,
        source_url="https://example.org/b",
        acquisition_notes="Same photo, reposted by a second channel",
    )
    [result] = response.json()["results"]
    assert (result["status"], result["id"]) == ("duplicate", item.pk)
    assert EvidenceItem.objects.filter(sha256=item.sha256).count() == 1

    [acquisition] = Acquisition.objects.filter(evidence=item)
    assert (acquisition.source_url, acquisition.acquisition_notes) == (
        "https://example.org/b",
        "Same photo, reposted by a second channel",
    )
    assert (acquisition.acquired_by, acquisition.incident, acquisition.original_filename) == (
        researcher,
        incident,
        "copy-from-telegram.jpg",
    )
    new_events = list(item.custody_events.order_by("pk"))[events_before:]
    assert [e.action for e in new_events] == [CustodyAction.REACQUIRED]
    event = new_events[0]
    assert event.sha256 == item.sha256 and event.actor == researcher
    assert event.detail["acquisition"] == acquisition.pk
    assert event.detail["notes"] == "Same photo, reposted by a second channel"
    assert event.detail["source_url"] == "https://example.org/b"
    # The first acquisition's description is untouched.
    item.refresh_from_db()
    assert (item.source_url, item.acquisition_notes) == ("https://example.org/a", "From the activists' channel")
    # Both acquisitions are on the item's page.
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Same photo, reposted by a second channel" in page and "From the activists&#x27;" in page


def test_reupload_to_another_incident_links_it_and_records_the_acquisition_before_the_link(
    client, researcher, incident, factories_incident
):
    content = jpeg(seed=6)
    item = first_upload(client, researcher, incident, content)
    upload(client, [("again.jpg", content)], incident=factories_incident.reference, acquisition_notes="Second")
    actions = list(item.custody_events.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == [CustodyAction.REACQUIRED, CustodyAction.LINKED]
    assert Acquisition.objects.get(evidence=item).incident == factories_incident


def test_a_rejected_reupload_records_nothing(client, researcher, incident):
    content = jpeg(seed=7)
    item = first_upload(client, researcher, incident, content)
    events_before = item.custody_events.count()
    response = upload(client, [("bad.jpg", content)], incident=incident.reference, source_url="not a url")
    assert response.status_code == 400
    assert not Acquisition.objects.exists()
    assert item.custody_events.count() == events_before


def test_reupload_by_someone_who_cannot_see_the_item_writes_nothing_on_it(
    client, researcher, researcher2, restricted_incident, incident
):
    content = jpeg(seed=8)
    hidden = first_upload(client, researcher, restricted_incident, content)
    events_before = hidden.custody_events.count()
    client.force_login(researcher2)
    [result] = upload(client, [("mine.jpg", content)], incident=incident.reference, acquisition_notes="Mine").json()[
        "results"
    ]
    assert result["status"] == "stored" and result["id"] != hidden.pk
    assert not Acquisition.objects.exists()
    assert hidden.custody_events.count() == events_before


@pytest.fixture
def factories_incident(researcher):
    from tests import factories

    return factories.incident(created_by=researcher, title="Another strike")
