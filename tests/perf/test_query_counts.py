"""The fixed cost of the list, the map data and the incident page: their query counts do not grow with the number
of incidents (3 or 300), so a page costs the same whatever the size of the database (issue 19, item 6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _incidents(user, n: int) -> list[Incident]:
    made = [factories.claimed_incident(created_by=user) for _ in range(min(n, 3))]
    if n > 3:
        base = made[0]
        Incident.objects.bulk_create(
            Incident(
                reference=f"QC-{i:05d}",
                title=f"Bulk {i}",
                created_by=user,
                date_start=base.date_start,
                latitude=base.latitude,
                longitude=base.longitude,
            )
            for i in range(n - 3)
        )
    return made


def _count(client, url, params=None) -> tuple[int, list[str]]:
    client.get(url, params or {})  # warm: caches, session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize(
    ("name", "params"),
    [("list", {}), ("list", {"q": "strike"}), ("map", {"zoom": 7}), ("timeline", {"interval": "month"})],
)
def test_pages_cost_the_same_number_of_queries_with_3_or_300_incidents(client, researcher, name, params):
    url = {"list": "/incidents/", "map": reverse("maps:data"), "timeline": reverse("maps:timeline")}[name]
    client.force_login(researcher)
    _incidents(researcher, 3)
    few, _sql = _count(client, url, params)
    _incidents(researcher, 297)
    many, sql = _count(client, url, params)
    assert many == few, "\n".join(sql)


def test_the_incident_page_costs_the_same_with_3_or_300_incidents(client, researcher):
    client.force_login(researcher)
    first = _incidents(researcher, 3)[0]
    url = f"/incidents/{first.reference}/"
    few, _sql = _count(client, url)
    _incidents(researcher, 297)
    many, sql = _count(client, url)
    assert many == few, "\n".join(sql)


def test_the_list_reads_permissions_and_the_filter_choices_in_one_query_each(client, researcher):
    client.force_login(researcher)
    _incidents(researcher, 3)
    _n, sql = _count(client, "/incidents/")
    assert sum("auth_permission" in q for q in sql) == 1
    assert sum('FROM "claims_actor"' in q or 'FROM "claims_source"' in q for q in sql) == 1  # the fingerprint
    assert sum(' FROM "review_notification"' in q for q in sql) == 1


def test_cached_filter_choices_change_as_soon_as_a_vocabulary_changes(client, researcher, viewer, desk):
    from verify.incidents.models import Label

    client.force_login(viewer)
    assert "Newly added actor" not in client.get("/incidents/").content.decode()
    factories.actor("Newly added actor")
    Label.objects.create(name="Newly added label")
    factories.place("Newly added governorate", kind="governorate")
    page = client.get("/incidents/").content.decode()
    assert "Newly added actor" in page and "Newly added label" in page and "Newly added governorate" in page
    renamed = factories.actor("Old name")
    client.get("/incidents/")
    renamed.name = "New name"
    renamed.save()
    page = client.get("/incidents/").content.decode()
    assert "New name" in page and "Old name" not in page
    # an actor first named in restricted work is offered only to those who can see a claim naming it
    researcher.groups.add(desk)
    secret = factories.actor("Secret unit", restricted_origin=True)
    hidden = factories.claimed_incident(created_by=researcher, restricted=True, groups=[desk])
    factories.claim(incident=hidden, perpetrator=secret)
    assert "Secret unit" not in client.get("/incidents/").content.decode()
    client.force_login(researcher)
    assert "Secret unit" in client.get("/incidents/").content.decode()


def test_the_incident_page_costs_the_same_with_3_or_300_possible_duplicates(client, researcher):
    """The duplicates panel reads the stored pairs and their incidents in a fixed number of queries."""
    from verify.incidents.duplicates import duplicate_candidates, duplicates_rebuild

    client.force_login(researcher)
    first = _incidents(researcher, 3)[0]
    duplicates_rebuild()
    url = f"/incidents/{first.reference}/"
    few, _sql = _count(client, url)
    _incidents(researcher, 300)  # the same day and place: every one a possible duplicate of `first`
    duplicates_rebuild()
    assert len(duplicate_candidates(first, user=researcher)) >= 300
    many, sql = _count(client, url)
    assert many == few, "\n".join(sql)
