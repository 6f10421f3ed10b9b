"""The main map's evidence layer: photos and videos with GPS, linked to their incidents with the distance,
under the same filters, and never a restricted incident's evidence to an outsider."""

from decimal import Decimal

import pytest

from tests import factories
from tests.evidence.conftest import jpeg, upload
from verify.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db


def photo(client, incident, seed: int, gps=(35.8230, 36.6096)) -> EvidenceItem:
    response = upload(client, [(f"p{seed}.jpg", jpeg(seed=seed))], incident=incident.reference)
    item = EvidenceItem.objects.get(pk=response.json()["results"][0]["id"])
    EvidenceItem.objects.filter(pk=item.pk).update(gps_latitude=Decimal(gps[0]), gps_longitude=Decimal(gps[1]))
    return item


def test_layer_data_distance_filters_and_restriction(client, researcher, viewer, desk):
    researcher.groups.add(desk)
    client.force_login(researcher)
    ariha = factories.incident(created_by=researcher, title="Market strike in Ariha")
    other = factories.incident(created_by=researcher, title="Bakery strike elsewhere")
    hidden = factories.incident(created_by=researcher, title="Restricted strike", restricted=True, groups=[desk])
    near = photo(client, ariha, 1)  # about 1 km north of the incident
    far = photo(client, other, 2)
    secret = photo(client, hidden, 3)
    data = client.get("/map/evidence/").json()
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    assert {near.pk, far.pk} <= set(by_id)
    p = by_id[near.pk]["properties"]
    assert by_id[near.pk]["geometry"]["coordinates"] == [36.6096, 35.823]
    assert p["incident"] == ariha.reference and p["incident_position"] == [36.60964, 35.81374]
    assert 1000 < p["distance_m"] < 1050 and p["distance"]
    # The same filters as the incidents.
    filtered = client.get("/map/evidence/", {"q": "Ariha"}).json()
    assert [f["properties"]["id"] for f in filtered["features"]] == [near.pk]
    client.force_login(viewer)
    ids = {f["properties"]["id"] for f in client.get("/map/evidence/").json()["features"]}
    assert secret.pk not in ids and near.pk in ids


def test_map_page_has_the_layer(client, researcher):
    client.force_login(researcher)
    page = client.get("/map/").content.decode()
    assert 'id="map-evidence-layer"' in page and "js/map-evidence.js" in page
    assert page.index("js/map-evidence.js") < page.index("js/map.js")
