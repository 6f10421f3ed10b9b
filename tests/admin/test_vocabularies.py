"""The reference lists a superuser may edit in the admin: edits are recorded as theirs and reach the
cross-check, the author is always the signed-in user, and nothing still referred to can be deleted."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from verify.claims.crosscheck import incident_recompute
from verify.claims.models import Source
from verify.core.models import VersionedModel
from verify.imports.models import SavedMapping
from verify.incidents.models import Grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def su_client(client, superuser):
    client.force_login(superuser)
    return client


def test_a_source_rating_is_recorded_as_the_superusers_and_regrades_its_incidents(
    su_client, superuser, incident, django_capture_on_commit_callbacks
):
    """Sources are versioned, so the admin only shows them; a superuser rates one on its own page."""
    first, second = factories.source(reliability="B"), factories.source(reliability="B")
    factories.claim(incident=incident, source=first, credibility=2)
    factories.claim(incident=incident, source=second, credibility=2)
    incident_recompute(incident)
    incident.refresh_from_db()
    assert incident.suggested_grade == Grade.FAIR

    with django_capture_on_commit_callbacks(execute=True):
        response = su_client.post(
            reverse("claims:source_rate", args=[second.pk]),
            {"version": second.version, "reliability": "F", "rationale": "Cannot be judged after all."},
        )
    assert su_client.get(f"/admin/claims/source/{second.pk}/change/").status_code == 200  # shown read-only
    assert response.status_code == 302
    assert second.history.latest("history_date").history_user == superuser
    incident.refresh_from_db()
    assert incident.suggested_grade == Grade.WEAK


def test_a_saved_mapping_is_always_created_by_the_signed_in_user(su_client, superuser, researcher):
    response = su_client.post(
        "/admin/imports/savedmapping/add/",
        {"name": "Partner layout", "mapping": '{"title": "Title"}', "created_by": researcher.pk},
    )
    assert response.status_code == 302
    assert SavedMapping.objects.get(name="Partner layout").created_by == superuser


def test_a_source_cited_by_a_claim_cannot_be_deleted(su_client, incident):
    source = factories.source()
    factories.claim(incident=incident, source=source)
    url = f"/admin/claims/source/{source.pk}/delete/"
    assert su_client.get(url).status_code == 403
    assert su_client.post(url, {"post": "yes"}).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_source_cited_only_in_past_versions_cannot_be_deleted(su_client, incident, researcher):
    """A deleted claim's history still names its source; deleting it would leave the record pointing nowhere."""
    from verify.claims.services import claim_delete

    source = factories.source()
    claim_delete(claim=factories.claim(incident=incident, source=source), user=researcher)
    assert su_client.post(f"/admin/claims/source/{source.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()


def test_an_unused_place_can_be_deleted(su_client):
    place = factories.place("Nowhere")
    response = su_client.post(f"/admin/gazetteer/place/{place.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not type(place).objects.filter(pk=place.pk).exists()


def test_a_place_in_use_cannot_be_deleted(su_client, researcher):
    place = factories.place("Ariha")
    factories.incident(created_by=researcher, place=place)
    assert su_client.post(f"/admin/gazetteer/place/{place.pk}/delete/", {"post": "yes"}).status_code == 403


def test_no_versioned_model_is_editable_in_the_admin(superuser, rf):
    """A versioned model edited here would need the stale-form check of its own pages (save_versioned with the
    version the form was based on); until the admin does that, such a model may only be looked at."""
    request = rf.get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, VersionedModel):
            assert not model_admin.has_change_permission(request), model
