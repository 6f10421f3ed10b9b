"""Even a superuser only looks at workflow and integrity records in the admin: status, grade, version, storage
names, hashes, fixity and custody change only through the services, nothing there is deleted, and history
cannot be reverted."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from verify.evidence.models import CustodyEvent, FixityStatus
from verify.incidents.models import Grade, Incident, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def su_client(client, superuser):
    client.force_login(superuser)
    return client


def test_superuser_cannot_point_a_thumbnail_at_an_original_or_touch_integrity_fields(su_client, restricted_world):
    item = restricted_world["evidence"]
    before = {f: getattr(item, f) for f in ["thumbnail_name", "storage_name", "sha256", "fixity_status"]}
    response = su_client.post(
        f"/admin/evidence/evidenceitem/{item.pk}/change/",
        {
            "title": item.title,
            "kind": item.kind,
            "sensitivity": item.sensitivity,
            "thumbnail_name": item.storage_name,
            "storage_name": "elsewhere",
            "sha256": "0" * 64,
            "fixity_status": FixityStatus.OK,
        },
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert {f: getattr(item, f) for f in before} == before


def test_the_evidence_change_page_has_no_inputs(su_client, restricted_world):
    item = restricted_world["evidence"]
    body = su_client.get(f"/admin/evidence/evidenceitem/{item.pk}/change/").content.decode()
    for name in ["thumbnail_name", "storage_name", "sha256", "fixity_status", "processing_status", "title"]:
        assert f'name="{name}"' not in body


def test_superuser_cannot_set_status_grade_or_version_of_an_incident(su_client, restricted_world):
    incident = restricted_world["incident"]
    response = su_client.post(
        f"/admin/incidents/incident/{incident.pk}/change/",
        {"title": incident.title, "status": Status.VERIFIED, "grade": Grade.CONFIRMED, "version": 99},
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert (incident.status, incident.grade, incident.version) == (Status.DRAFT, Grade.UNASSESSED, 1)


def test_superuser_cannot_add_a_custody_event(su_client, restricted_world):
    item = restricted_world["evidence"]
    before = CustodyEvent.objects.count()
    assert su_client.get("/admin/evidence/custodyevent/add/").status_code == 403
    response = su_client.post(
        "/admin/evidence/custodyevent/add/", {"evidence": item.pk, "action": "fixity_passed", "sha256": item.sha256}
    )
    assert response.status_code == 403
    assert CustodyEvent.objects.count() == before


@pytest.mark.parametrize(
    "model_key", ["incident", "claim", "evidence", "comment"], ids=["incident", "claim", "evidence", "comment"]
)
def test_superuser_cannot_delete_workflow_records(su_client, restricted_world, model_key):
    obj = restricted_world[model_key]
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/delete/"
    assert su_client.get(url).status_code == 403
    assert su_client.post(url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_superuser_cannot_bulk_delete_from_a_list(su_client, restricted_world):
    incident = restricted_world["incident"]
    su_client.post(
        "/admin/incidents/incident/", {"action": "delete_selected", "_selected_action": [incident.pk], "post": "yes"}
    )
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert incident.evidence_links.exists()


def test_an_incident_refuses_to_be_deleted(restricted_world):
    incident = restricted_world["incident"]
    with pytest.raises(ValidationError):
        incident.delete()
    assert incident.evidence_links.exists()


def test_history_can_be_read_but_not_reverted(su_client, restricted_world, researcher):
    from verify.incidents import services

    incident = restricted_world["incident"]
    first = incident.history.earliest("history_date")
    services.incident_update(
        incident=incident, user=researcher, data={"title": "Renamed"}, expected_version=incident.version
    )
    url = f"/admin/incidents/incident/{incident.pk}/history/{first.history_id}/"
    page = su_client.get(url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode()
    assert su_client.post(url, {"title": first.title}).status_code == 403
    incident.refresh_from_db()
    assert incident.title == "Renamed"


def test_history_of_a_record_the_user_cannot_see_is_a_404(rf, researcher2, restricted_world):
    """simple-history falls back to the last historical row; the admin must not, whoever gets in."""
    request = rf.get("/")
    request.user = researcher2
    for key in ["incident", "claim", "evidence"]:
        obj = restricted_world[key]
        model_admin = admin.site._registry[type(obj)]
        with pytest.raises(Exception) as caught:
            model_admin.history_view(request, str(obj.pk))
        assert caught.typename == "Http404"


def test_every_workflow_admin_hides_what_the_user_cannot_see(rf, researcher2, restricted_world):
    """Only superusers get in, but each ModelAdmin still applies the site's visibility, so widening the door
    later cannot expose restricted rows through the custody log, checks, comments or links."""
    from verify.evidence.models import IncidentEvidence

    item = restricted_world["evidence"]
    hidden = [
        restricted_world["incident"],
        restricted_world["claim"],
        item,
        restricted_world["comment"],
        item.custody_events.first(),
        IncidentEvidence.objects.get(evidence=item),
    ]
    request = rf.get("/")
    request.user = researcher2
    for obj in hidden:
        model_admin = admin.site._registry[type(obj)]
        assert not model_admin.get_queryset(request).filter(pk=obj.pk).exists(), type(obj)
