"""Merging sources and actors: everything moves, both histories stay, old names become aliases, incidents follow."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from verify.claims import entities, merging
from verify.claims.crosscheck import incident_recompute
from verify.claims.models import Actor, Claim, Source
from verify.incidents.models import Incident, Status, StatusTransition

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def snhr_pair(researcher):
    full = factories.source("Syrian Network for Human Rights")
    short = factories.source("SNHR", reliability="F")
    entities.source_alias_add(source=short, name="الشبكة السورية")
    return short, full


def test_a_source_merge_moves_claims_keeps_histories_and_turns_names_into_aliases(snhr_pair, incident, admin_user):
    short, full = snhr_pair
    claim = factories.claim(incident=incident, source=short, killed_min=9, killed_max=9)
    merging.source_merge(source=short, into=full, user=admin_user, reason="One organisation.")
    claim.refresh_from_db()
    short.refresh_from_db()
    assert claim.source == full
    assert claim.history.latest().history_change_reason == f"source_merged:{short.pk}"
    assert (short.merged_into, short.merge_note) == (full, "One organisation.")
    assert short.history.latest().history_change_reason == f"merged_into:{full.pk}"
    assert full.history.latest().history_change_reason == f"merged_from:{short.pk}"
    assert list(Source.objects.matching("SNHR")) == [full]
    assert list(Source.objects.matching("الشبكة السورية")) == [full]
    assert sorted(full.aliases.values_list("name", flat=True)) == ["SNHR", "الشبكة السورية"]


def test_the_merged_sources_page_redirects_to_the_kept_one(snhr_pair, admin_user, viewer):
    short, full = snhr_pair
    merging.source_merge(source=short, into=full, user=admin_user, reason="One organisation.")
    response = client_for(viewer).get(reverse("claims:source_detail", args=[short.pk]))
    assert response.status_code == 302 and response.url == reverse("claims:source_detail", args=[full.pk])
    page = client_for(viewer).get(reverse("claims:source_list")).content.decode()
    assert ">SNHR<" not in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_merge_needs_a_reason(snhr_pair, incident, admin_user, reason):
    short, full = snhr_pair
    factories.claim(incident=incident, source=short)
    with pytest.raises(ValidationError, match="why"):
        merging.source_merge(source=short, into=full, user=admin_user, reason=reason)
    assert Claim.objects.get(incident=incident).source == short
    assert Source.objects.get(pk=short.pk).merged_into is None


def test_a_source_cannot_be_merged_into_itself(snhr_pair, admin_user):
    short, _full = snhr_pair
    with pytest.raises(ValidationError, match="itself"):
        merging.source_merge(source=short, into=short, user=admin_user, reason="Why not.")
    assert Source.objects.get(pk=short.pk).merged_into is None


def test_an_actor_cannot_be_merged_into_one_of_its_branches(admin_user, incident):
    russia = factories.actor("Armed Forces of the Russian Federation")
    vks = factories.actor("Russian Aerospace Forces", parent=russia)
    unit = factories.actor("Unit", parent=vks)
    factories.claim(incident=incident, perpetrator=russia)
    with pytest.raises(ValidationError, match="other way round"):
        merging.actor_merge(actor=russia, into=unit, user=admin_user, reason="Same.")
    assert Claim.objects.get(incident=incident).perpetrator == russia
    assert Actor.objects.get(pk=russia.pk).merged_into is None


def test_an_actor_merge_moves_claims_sources_and_branches(admin_user, incident):
    acled = factories.actor("Military Forces of Russia (2000-)")
    russia = factories.actor("Armed Forces of the Russian Federation")
    branch = factories.actor("Some branch", parent=acled)
    ministry = factories.source("Russian MoD", affiliation=acled)
    claim = factories.claim(incident=incident, perpetrator=acled)
    merging.actor_merge(actor=acled, into=russia, user=admin_user, reason="ACLED's name for them.")
    assert Claim.objects.get(pk=claim.pk).perpetrator == russia
    assert Source.objects.get(pk=ministry.pk).affiliation == russia
    assert Actor.objects.get(pk=branch.pk).parent == russia
    assert Actor.objects.matching("Military Forces of Russia (2000-)").get() == russia
    assert Actor.objects.get(pk=acled.pk).history.latest().history_change_reason == f"merged_into:{russia.pk}"


def test_merging_actors_ends_a_false_disagreement_about_the_perpetrator(researcher, admin_user):
    incident = factories.incident(created_by=researcher)
    acled = factories.actor("Military Forces of Russia (2000-)")
    russia = factories.actor("Armed Forces of the Russian Federation")
    factories.claim(incident=incident, perpetrator=acled)
    factories.claim(incident=incident, perpetrator=russia)
    incident_recompute(incident)
    assert Incident.objects.get(pk=incident.pk).has_disagreements
    merging.actor_merge(actor=acled, into=russia, user=admin_user, reason="One force.")
    assert not Incident.objects.get(pk=incident.pk).has_disagreements


def test_a_verified_incident_touched_by_a_merge_goes_back_to_review(snhr_pair, incident, admin_user):
    short, full = snhr_pair
    factories.claim(incident=incident, source=short)
    Incident.objects.filter(pk=incident.pk).update(status=Status.VERIFIED)
    merging.source_merge(source=short, into=full, user=admin_user, reason="One organisation.")
    assert Incident.objects.get(pk=incident.pk).status == Status.SUBMITTED
    transition = StatusTransition.objects.filter(incident=incident).latest("pk")
    assert transition.params == {"change": "source_merged", "merged": "SNHR", "kept": full.name}


def test_many_incidents_are_recomputed_after_the_commit(
    snhr_pair, researcher, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(merging, "MAX_INLINE", 0)
    short, full = snhr_pair
    acled, russia = factories.actor("A"), factories.actor("B")
    incident = factories.incident(created_by=researcher)
    factories.claim(incident=incident, source=short, perpetrator=acled)
    factories.claim(incident=incident, source=full, perpetrator=russia)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        merging.actor_merge(actor=acled, into=russia, user=admin_user, reason="One force.")
    assert callbacks, "the recomputation is queued for after the commit"
    for callback in callbacks:
        callback()
    assert not Incident.objects.get(pk=incident.pk).has_disagreements


def test_merge_pages_need_the_permission_and_offer_no_descendants(researcher, admin_user):
    russia = factories.actor("Armed Forces of the Russian Federation")
    factories.actor("Russian Aerospace Forces", parent=russia)
    source, other = factories.source("SNHR"), factories.source("Syrian Network for Human Rights")
    assert client_for(researcher).get(reverse("claims:source_merge", args=[source.pk])).status_code == 403
    assert client_for(researcher).get(reverse("claims:actor_merge", args=[russia.pk])).status_code == 403
    page = client_for(admin_user).get(reverse("claims:actor_merge", args=[russia.pk])).content.decode()
    assert "Russian Aerospace Forces" not in page
    response = client_for(admin_user).post(
        reverse("claims:source_merge", args=[source.pk]), {"into": other.pk, "reason": "One organisation."}
    )
    assert response.status_code == 302 and Source.objects.get(pk=source.pk).merged_into == other


def test_names_from_restricted_work_do_not_become_aliases_of_a_public_source(incident, admin_user, viewer):
    public = factories.source("Syrian Network for Human Rights")
    secret = factories.source("Witness group of the eastern desk", restricted_origin=True)
    entities.source_alias_add(source=secret, name="Eastern desk contacts")

    merging.source_merge(source=secret, into=public, user=admin_user, reason="The same organisation.")

    public_names = {a.name for a in public.aliases.all()}
    assert "Witness group of the eastern desk" not in public_names
    assert "Eastern desk contacts" not in public_names
    client = Client()
    client.force_login(viewer)
    page = client.get(reverse("claims:source_detail", args=[public.pk])).content.decode()
    assert "eastern desk" not in page.lower()
