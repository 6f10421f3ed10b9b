"""Saved searches (issue 20, item 12): name the list's filter, private or shared with one of your groups; only the
owner deletes; an invalid filter is refused; a shared search shows each user only what they may see."""

import pytest
from django.contrib.auth.models import Group

from tests import factories
from verify.incidents.models import SavedSearch

pytestmark = pytest.mark.django_db


def _save(client, name, query, group=""):
    return client.post("/incidents/searches/save/", {"name": name, "query": query, "group": group})


def test_a_private_search_is_saved_without_empty_or_paging_parameters_and_listed_for_its_owner_only(
    client, researcher, researcher2
):
    client.force_login(researcher)
    response = _save(client, "Verified airstrikes", "status=verified&q=&attack_type=airstrike&page=3")
    search = SavedSearch.objects.get()
    assert search.query == "status=verified&attack_type=airstrike" and search.group is None
    assert response.status_code == 302 and response["Location"] == "/incidents/?status=verified&attack_type=airstrike"
    assert (
        f'href="{search.get_absolute_url().replace("&", "&amp;")}"'
        in client.get("/incidents/searches/").content.decode()
    )
    # the same name again replaces it rather than making a second one
    _save(client, "verified airstrikes", "status=verified")
    assert SavedSearch.objects.get().query == "status=verified"
    client.force_login(researcher2)
    assert "Verified airstrikes" not in client.get("/incidents/searches/").content.decode()


def test_a_search_shared_with_a_group_is_listed_for_its_members_and_shows_only_what_each_may_see(
    client, researcher, researcher2, viewer, desk
):
    team = Group.objects.create(name="Idlib team")
    researcher.groups.add(team, desk)
    viewer.groups.add(team)
    secret = factories.claimed_incident(created_by=researcher, title="Secret strike", restricted=True, groups=[desk])
    factories.claimed_incident(created_by=researcher, title="Open strike")
    client.force_login(researcher)
    _save(client, "Strikes", "q=strike", group=team.pk)
    assert "Secret strike" in client.get(SavedSearch.objects.get().get_absolute_url()).content.decode()
    client.force_login(viewer)
    page = client.get("/incidents/searches/").content.decode()
    assert "Strikes" in page and "shared with Idlib team" in page
    opened = client.get(SavedSearch.objects.get().get_absolute_url()).content.decode()
    assert "Open strike" in opened and "Secret strike" not in opened and secret.reference not in opened
    client.force_login(researcher2)  # not in the team
    assert "Strikes" not in client.get("/incidents/searches/").content.decode()


def test_sharing_with_a_group_you_are_not_in_or_an_invalid_filter_is_refused(client, researcher):
    other = Group.objects.create(name="Not mine")
    client.force_login(researcher)
    assert _save(client, "Theirs", "status=verified", group=other.pk).status_code == 302
    assert _save(client, "Bad", "date_from=not-a-date").status_code == 302
    assert _save(client, "", "status=verified").status_code == 302
    assert not SavedSearch.objects.exists()
    messages = [str(m) for m in client.get("/incidents/searches/").context["messages"]]
    assert any("not valid" in m for m in messages)


def test_only_the_owner_deletes_a_search(client, researcher, viewer):
    team = Group.objects.create(name="Team")
    researcher.groups.add(team)
    viewer.groups.add(team)
    client.force_login(researcher)
    _save(client, "Shared", "status=verified", group=team.pk)
    search = SavedSearch.objects.get()
    client.force_login(viewer)
    assert client.post(f"/incidents/searches/{search.pk}/delete/").status_code == 404
    assert client.get(f"/incidents/searches/{search.pk}/delete/").status_code == 405
    client.force_login(researcher)
    assert client.post(f"/incidents/searches/{search.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()


def test_users_who_may_not_see_incidents_cannot_save(client, outsider):
    client.force_login(outsider)
    assert _save(client, "X", "status=verified").status_code == 403
    assert not SavedSearch.objects.exists()


def test_the_list_links_to_the_searches_page_with_its_filter(client, researcher):
    client.force_login(researcher)
    html = client.get("/incidents/?status=verified").content.decode()
    assert 'href="/incidents/searches/?query=status%3Dverified"' in html
    page = client.get("/incidents/searches/?query=status%3Dverified")
    assert page.status_code == 200 and 'value="status=verified"' in page.content.decode()
