"""A form submitted twice (a double click, a resent request) creates one incident, claim or comment: the second
POST carries the same one-time key and is sent to what the first one created."""

import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from verify.claims.models import Claim
from verify.incidents.models import Incident
from verify.review.models import Comment

pytestmark = pytest.mark.django_db
KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


def key_from(client, url: str) -> str:
    match = KEY.search(client.get(url, headers={"X-Requested-With": "claim-entry"} if "claims/new" in url else {})
                       .content.decode())  # fmt: skip
    assert match, "the form carries no one-time key"
    return match.group(1)


INCIDENT = {
    "title": "Shelling of the bakery",
    "date_start": "2016-02-01",
    "date_precision": "day",
    "latitude": "35.8",
    "longitude": "36.6",
    "location_precision": "town",
    "attack_type": "shelling",
    "target_type": "market",
}


def test_incident_form_posted_twice_creates_one_incident(client, researcher):
    client.force_login(researcher)
    url = reverse("incidents:create")
    data = {**INCIDENT, "idempotency_key": key_from(client, url)}
    first = client.post(url, data)
    second = client.post(url, data)
    assert Incident.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == Incident.objects.get().get_absolute_url()
    # A fresh form has a fresh key and creates a second incident.
    client.post(url, {**INCIDENT, "idempotency_key": key_from(client, url)})
    assert Incident.objects.count() == 2


def test_claim_posted_twice_creates_one_claim_page_and_inline(client, researcher, incident):
    from tests import factories

    client.force_login(researcher)
    source = factories.source()
    url = reverse("incidents:claim_create", args=[incident.reference])
    data = {"source": source.pk, "stance": "alleges", "credibility": "3", "event_date_precision": "day",
            "location_precision": "town", "idempotency_key": key_from(client, url)}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Claim.objects.count() == 1
    inline = {**data, "idempotency_key": key_from(client, url)}
    for _ in range(2):
        response = client.post(url, inline, headers={"X-Requested-With": "claim-entry"})
        assert response.status_code == 200
    assert Claim.objects.count() == 2


def test_comment_posted_twice_creates_one_comment(client, researcher, incident):
    client.force_login(researcher)
    page = client.get(incident.get_absolute_url()).content.decode()
    key = KEY.findall(page)[-1]
    url = reverse("review:comment", args=[incident.reference])
    for _ in range(2):
        assert client.post(url, {"body": "Checked the video.", "idempotency_key": key}).status_code == 302
    assert Comment.objects.filter(incident=incident).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_key_create_one_incident(researcher):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no real race to test")
    data = {**INCIDENT, "idempotency_key": "a" * 32}
    barrier = threading.Barrier(2)
    results: list = []

    def post() -> None:
        try:
            client = Client()
            client.force_login(researcher)
            barrier.wait(timeout=10)
            results.append(client.post(reverse("incidents:create"), data))
        except BaseException as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    assert Incident.objects.count() == 1
    assert {r["Location"] for r in results} == {Incident.objects.get().get_absolute_url()}
