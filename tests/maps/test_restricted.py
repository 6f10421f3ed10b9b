"""A restricted incident never appears for outsiders: not on the map, not in the timeline, not in any export."""

import csv
import io
import json

import pytest
from django.urls import reverse

MAP_URLS = {
    "map data": reverse("maps:data"),
    "clustered map data": reverse("maps:data"),
    "timeline": reverse("maps:timeline"),
    "csv": reverse("maps:export_csv"),
    "geojson": reverse("maps:export_geojson"),
}


def body_of(response) -> str:
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def shown(client, kind: str, settings) -> set[str]:
    """What the endpoint shows: references, or for the aggregated views the number of incidents counted."""
    if kind == "clustered map data":
        settings.MAP_MAX_FEATURES = 0
    text = body_of(client.get(MAP_URLS[kind], {"interval": "month"} if kind == "timeline" else {}))
    if kind == "map data":
        return {f["id"] for f in json.loads(text)["features"]}
    if kind == "clustered map data":
        return {str(sum(f["properties"]["count"] for f in json.loads(text)["features"]))}
    if kind == "timeline":
        return {str(sum(b["count"] for b in json.loads(text)["buckets"]))}
    if kind == "csv":
        return {row["reference"] for row in csv.DictReader(io.StringIO(text))}
    return {f["id"] for f in json.loads(text)["features"]}


@pytest.mark.parametrize("kind", MAP_URLS)
def test_a_viewer_outside_the_group_never_sees_the_restricted_incident(client, viewer, dataset, kind, settings):
    client.force_login(viewer)
    text = body_of(client.get(MAP_URLS[kind], {"interval": "month"} if kind == "timeline" else {}))
    assert dataset["secret"].reference not in text
    assert "Chemical attack report" not in text
    result = shown(client, kind, settings)
    if kind in ("timeline", "clustered map data"):
        located_or_dated = 4  # market, idlib, barrels, spring; never the restricted one
        assert result == {str(located_or_dated)}
    else:
        assert dataset["secret"].reference not in result
        assert dataset["market"].reference in result


@pytest.mark.parametrize("kind", MAP_URLS)
def test_a_member_of_the_allowed_group_sees_it(client, researcher, dataset, kind, settings):
    client.force_login(researcher)  # in the desk group
    result = shown(client, kind, settings)
    if kind in ("timeline", "clustered map data"):
        assert result == {"5"}
    else:
        assert dataset["secret"].reference in result


@pytest.mark.parametrize("kind", MAP_URLS)
def test_filtering_for_the_restricted_incident_does_not_reveal_it(client, viewer, dataset, kind, settings):
    client.force_login(viewer)
    params = {"q": "Chemical", "attack_type": "chemical"}
    if kind == "timeline":
        params["interval"] = "month"
    text = body_of(client.get(MAP_URLS[kind], params))
    assert dataset["secret"].reference not in text
    if kind == "timeline":
        assert json.loads(text)["buckets"] == []


def test_the_map_page_lists_no_restricted_incident_for_outsiders(client, viewer, dataset):
    client.force_login(viewer)
    response = client.get(reverse("maps:map"))
    assert response.status_code == 200
    assert dataset["secret"].reference not in response.content.decode()
