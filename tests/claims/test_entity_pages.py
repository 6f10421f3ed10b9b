"""Source and actor pages: edit, rate, alias, the register's views, the actor register; roles and visibility."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests import factories
from verify.claims import entities
from verify.claims.models import Actor, Source

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_researcher_rates_a_source_and_the_page_says_who_and_why(researcher):
    source = factories.source("SOHR", reliability="F")
    response = client_for(researcher).post(
        reverse("claims:source_rate", args=[source.pk]),
        {"version": source.version, "reliability": "C", "rationale": "Network of contacts; partisan at times."},
    )
    assert response.status_code == 302
    page = client_for(researcher).get(reverse("claims:source_detail", args=[source.pk])).content.decode()
    assert "C – Fairly reliable" in page and "Network of contacts" in page and "by Rita" in page


def test_a_stale_rating_gets_the_conflict_page_and_changes_nothing(researcher, researcher2):
    source = factories.source("SOHR", reliability="F")
    entities.source_rate(source=source, user=researcher2, reliability="B", rationale="First.", expected_version=1)
    response = client_for(researcher).post(
        reverse("claims:source_rate", args=[source.pk]), {"version": 1, "reliability": "A", "rationale": "Second."}
    )
    assert response.status_code == 409
    assert Source.objects.get(pk=source.pk).reliability == "B"


def test_a_stale_edit_gets_the_conflict_page(researcher, researcher2):
    source = factories.source("SOHR")
    entities.source_update(source=source, user=researcher2, data={"notes": "theirs"}, expected_version=1)
    response = client_for(researcher).post(
        reverse("claims:source_edit", args=[source.pk]),
        {"version": 1, "name": "SOHR", "kind": "monitor", "notes": "mine"},
    )
    assert response.status_code == 409
    assert Source.objects.get(pk=source.pk).notes == "theirs"


def test_an_alias_added_on_the_page_is_shown_and_a_taken_one_is_refused(researcher):
    source, other = factories.source("Syrian Network for Human Rights"), factories.source("Other")
    client = client_for(researcher)
    client.post(reverse("claims:source_alias_add", args=[source.pk]), {"name": "SNHR"})
    response = client.post(reverse("claims:source_alias_add", args=[other.pk]), {"name": "S.N.H.R."}, follow=True)
    assert "already a name of Syrian Network for Human Rights" in response.content.decode()
    assert list(source.aliases.values_list("name", flat=True)) == ["SNHR"] and not other.aliases.exists()


@pytest.mark.parametrize("name", ["source_edit", "source_rate"])
def test_a_viewer_may_read_a_source_but_not_change_it(viewer, name):
    source = factories.source("SOHR")
    assert client_for(viewer).get(reverse("claims:source_detail", args=[source.pk])).status_code == 200
    assert client_for(viewer).get(reverse(f"claims:{name}", args=[source.pk])).status_code == 403
    assert (
        client_for(viewer).post(reverse("claims:source_alias_add", args=[source.pk]), {"name": "x"}).status_code == 403
    )


def test_a_source_named_only_in_restricted_work_is_hidden_from_outsiders(researcher, viewer, restricted_incident):
    source = factories.source("Secret witness", restricted_origin=True)
    factories.claim(incident=restricted_incident, source=source)
    for name in ("source_detail", "source_edit", "source_rate"):
        assert client_for(viewer).get(reverse(f"claims:{name}", args=[source.pk])).status_code == 404
    assert "Secret witness" not in client_for(viewer).get(reverse("claims:source_duplicates")).content.decode()


def test_a_source_page_never_counts_claims_on_incidents_the_viewer_cannot_see(researcher, viewer, restricted_incident):
    source = factories.source("SOHR")
    factories.claim(incident=restricted_incident, source=source, killed_min=9, killed_max=9)
    page = client_for(viewer).get(reverse("claims:source_detail", args=[source.pk])).content.decode()
    assert "Restricted strike" not in page and "No claims you can see." in page
    assert (
        client_for(researcher)
        .get(reverse("claims:source_detail", args=[source.pk]))
        .content.decode()
        .count("Restricted strike")
    )


def test_needs_rating_lists_unrated_and_f_rated_sources_only(researcher):
    factories.source("Unrated B", reliability="B")
    factories.source("Rated F", reliability="F")
    rated = factories.source("Rated B")
    entities.source_rate(source=rated, user=researcher, reliability="B", rationale="Good.", expected_version=1)
    page = client_for(researcher).get(reverse("claims:source_list") + "?show=needs_rating").content.decode()
    assert "Unrated B" in page and "Rated F" in page and "Rated B<" not in page


def test_possible_duplicates_pairs_an_initialism_with_its_name(viewer):
    factories.source("SNHR")
    factories.source("Syrian Network for Human Rights")
    factories.source("Airwars")
    page = client_for(viewer).get(reverse("claims:source_duplicates")).content.decode()
    assert "SNHR" in page and "Syrian Network for Human Rights" in page and "Airwars" not in page


def test_actor_register_shows_parents_and_aliases(viewer):
    russia = factories.actor("Armed Forces of the Russian Federation")
    factories.actor("Russian Aerospace Forces", parent=russia)
    entities.actor_alias_add(actor=russia, name="Military Forces of Russia (2000-)")
    page = client_for(viewer).get(reverse("claims:actor_list")).content.decode()
    assert "Military Forces of Russia (2000-)" in page and "Russian Aerospace Forces" in page


def test_a_researcher_adds_an_actor_but_only_an_admin_edits_one(researcher, admin_user):
    response = client_for(researcher).post(
        reverse("claims:actor_create"), {"name": "Syrian Arab Army", "kind": "branch", "party_to_conflict": "on"}
    )
    actor = Actor.objects.get(name="Syrian Arab Army")
    assert response.status_code == 302
    assert client_for(researcher).get(reverse("claims:actor_edit", args=[actor.pk])).status_code == 403
    assert client_for(admin_user).get(reverse("claims:actor_edit", args=[actor.pk])).status_code == 200


def test_the_actor_form_refuses_a_loop_of_parents(admin_user):
    top = factories.actor("Armed Forces")
    branch = factories.actor("Branch", parent=top)
    response = client_for(admin_user).post(
        reverse("claims:actor_edit", args=[top.pk]),
        {"version": top.version, "name": "Armed Forces", "kind": "other", "parent": branch.pk},
    )
    assert response.status_code == 200  # the descendant is not even offered as a parent
    assert Actor.objects.get(pk=top.pk).parent is None


def test_an_actor_named_only_in_restricted_work_is_hidden(researcher, viewer, restricted_incident):
    actor = factories.actor("Secret unit", restricted_origin=True)
    factories.claim(incident=restricted_incident, perpetrator=actor)
    assert client_for(viewer).get(reverse("claims:actor_detail", args=[actor.pk])).status_code == 404
    assert "Secret unit" not in client_for(viewer).get(reverse("claims:actor_list")).content.decode()
    assert client_for(researcher).get(reverse("claims:actor_detail", args=[actor.pk])).status_code == 200


def test_an_outsider_gets_nothing(outsider):
    source, actor = factories.source("SOHR"), factories.actor("Forces")
    assert client_for(outsider).get(reverse("claims:source_detail", args=[source.pk])).status_code == 404
    assert client_for(outsider).get(reverse("claims:actor_detail", args=[actor.pk])).status_code == 404
    assert client_for(outsider).get(reverse("claims:actor_list")).status_code == 403


def test_adding_a_source_under_one_of_its_aliases_opens_the_known_one(researcher):
    from verify.claims import entities

    known = factories.source("Syrian Network for Human Rights")
    entities.source_alias_add(source=known, name="SNHR")
    client = Client()
    client.force_login(researcher)

    response = client.post(reverse("claims:source_create"), {"name": "S.N.H.R.", "kind": "other", "reliability": "F"})

    assert response.status_code == 302 and response.url == reverse("claims:source_detail", args=[known.pk])
    assert Source.objects.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["S.N.H.R. is already in the register as Syrian Network for Human Rights."]


def test_an_alias_can_be_removed_by_a_researcher_and_not_by_a_viewer(researcher, viewer):
    known = factories.source("Syrian Observatory for Human Rights")
    alias = entities.source_alias_add(source=known, name="SOHR")
    url = reverse("claims:source_alias_remove", args=[known.pk, alias.pk])
    as_viewer, as_researcher = Client(), Client()
    as_viewer.force_login(viewer)
    as_researcher.force_login(researcher)

    assert as_viewer.post(url).status_code == 403
    assert known.aliases.count() == 1
    page = as_researcher.get(reverse("claims:source_detail", args=[known.pk])).content.decode()
    assert url in page
    assert as_researcher.post(url).status_code == 302
    assert not known.aliases.exists()
    assert not Source.objects.matching("SOHR").exists()
    assert as_researcher.post(url).status_code == 404  # already gone
