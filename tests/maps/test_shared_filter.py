"""One FilterSet: the list, the map data, the timeline and both exports show the same incidents for the same
query string, and a bad filter value is refused rather than silently dropped."""

import csv
import io
import json

import pytest
from django.urls import reverse

from verify.claims.filters import IncidentFilter
from verify.incidents.models import Incident


def list_refs(client, query: dict) -> set[str]:
    response = client.get(reverse("incidents:list"), query)
    assert response.status_code == 200
    return {i.reference for i in response.context["page"].object_list}


def map_refs(client, query: dict) -> set[str]:
    response = client.get(reverse("maps:data"), query)
    assert response.status_code == 200
    data = response.json()
    assert data["clustered"] is False
    return {f["properties"]["reference"] for f in data["features"]}


def csv_refs(client, query: dict) -> set[str]:
    response = client.get(reverse("maps:export_csv"), query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["reference"] for row in csv.DictReader(io.StringIO(text))}


def geojson_refs(client, query: dict) -> set[str]:
    response = client.get(reverse("maps:export_geojson"), query)
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    return {f["properties"]["reference"] for f in data["features"]}


def located(refs: set[str]) -> set[str]:
    """The map shows only incidents with coordinates."""
    return set(Incident.objects.filter(reference__in=refs, latitude__isnull=False).values_list("reference", flat=True))


QUERIES = {
    "everything": lambda d, p: {},
    "grade fair": lambda d, p: {"grade": "fair"},
    "place in another spelling": lambda d, p: {"place": "Idleb"},
    "place in Arabic": lambda d, p: {"place": "إدلب"},
    "place, accents dropped": lambda d, p: {"place": "ariha"},
    "governorate": lambda d, p: {"governorate": p["idlib_gov"].pk},
    "perpetrator": lambda d, p: {"perpetrator": d["syria"].pk},
    "source": lambda d, p: {"source": d["amnesty"].pk},
    "attack type": lambda d, p: {"attack_type": "missile"},
    "target type": lambda d, p: {"target_type": "market"},
    "status": lambda d, p: {"status": "draft"},
    "date range": lambda d, p: {"date_from": "2015-12-01", "date_to": "2015-12-31"},
    "has disagreements": lambda d, p: {"has_disagreements": "true"},
    "denied by a party": lambda d, p: {"denied_by_party": "true"},
    "free text": lambda d, p: {"q": "barrel"},
    "combined": lambda d, p: {"perpetrator": d["russia"].pk, "date_from": "2015-11-01", "grade": "fair"},
}


@pytest.mark.parametrize("name", QUERIES)
def test_list_map_and_exports_show_the_same_incidents_for_a_query_string(client, viewer, dataset, places, name):
    query = QUERIES[name](dataset, places)
    client.force_login(viewer)
    expected = {i.reference for i in IncidentFilter(query, queryset=Incident.objects.visible_to(viewer)).qs}

    listed = list_refs(client, query)
    assert listed == expected
    assert csv_refs(client, query) == listed
    assert geojson_refs(client, query) == listed
    assert map_refs(client, query) == located(listed)


def test_each_filter_narrows_to_the_incidents_it_describes(client, viewer, dataset, places):
    client.force_login(viewer)
    ref = {k: v.reference for k, v in dataset.items() if isinstance(v, Incident)}
    assert list_refs(client, {"place": "Idleb"}) == {ref["idlib"], ref["market"], ref["spring"]}  # governorate too
    assert list_refs(client, {"place": "Mouadamiyeh"}) == {ref["barrels"]}  # the restricted one stays hidden
    assert list_refs(client, {"perpetrator": dataset["russia"].pk}) == {ref["market"]}
    assert list_refs(client, {"perpetrator": dataset["syria"].pk}) == {ref["idlib"], ref["barrels"]}
    assert list_refs(client, {"source": dataset["ministry"].pk}) == {ref["market"]}
    assert list_refs(client, {"date_from": "2015-12-01", "date_to": "2015-12-31"}) == {ref["barrels"]}
    assert list_refs(client, {"denied_by_party": "true"}) == {ref["market"]}
    assert list_refs(client, {"grade": "fair"}) == {ref["market"]}


def test_an_incident_with_two_claims_by_the_perpetrator_is_listed_once(client, viewer, dataset):
    client.force_login(viewer)
    response = client.get(reverse("incidents:list"), {"perpetrator": dataset["russia"].pk})
    assert [i.reference for i in response.context["page"].object_list] == [dataset["market"].reference]


@pytest.mark.parametrize("url_name", ["maps:data", "maps:timeline", "maps:export_csv", "maps:export_geojson"])
@pytest.mark.parametrize("query", [{"grade": "excellent"}, {"perpetrator": "999999"}, {"governorate": "x"}])
def test_a_bad_filter_value_is_refused_not_ignored(client, viewer, dataset, url_name, query):
    client.force_login(viewer)
    response = client.get(reverse(url_name), query)
    assert response.status_code == 400
    assert next(iter(query)) in response.content.decode()


@pytest.mark.parametrize("url_name", ["maps:data", "maps:export_csv", "maps:export_geojson"])
def test_an_impossible_date_is_refused(client, viewer, dataset, url_name):
    client.force_login(viewer)
    response = client.get(reverse(url_name), {"date_from": "2015-13-45"})
    assert response.status_code == 400
    assert "date_from" in response.content.decode()
