"""The offline basemap's endpoints (town labels, the self-hosted PMTiles file), what a popup counts, colouring by
suggested grade, the count of incidents without a location, and the one date rule shared by the timeline and the
filters (a bar's count is what selecting it shows). Restricted incidents are never counted for outsiders."""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests import factories
from verify.claims.models import Stance
from verify.gazetteer.models import Place
from verify.incidents.models import Grade

DATA_URL = reverse("maps:data")
TIMELINE_URL = reverse("maps:timeline")
PLACES_URL = reverse("maps:place_labels")
PMTILES_URL = reverse("maps:basemap_pmtiles")
VENDOR = Path(django_settings.BASE_DIR) / "static" / "vendor"


def features(client, **params) -> list[dict]:
    response = client.get(DATA_URL, params)
    assert response.status_code == 200, response.content
    return response.json()["features"]


# --- the vendored layers -----------------------------------------------------------------------------------


def test_the_vendored_governorates_are_syrias_fourteen_with_both_names():
    data = json.loads((VENDOR / "natural-earth-admin1-syria" / "syria-governorates.geojson").read_text())
    names = {f["properties"]["name"]: f["properties"]["name_ar"] for f in data["features"]}
    assert len(names) == 14
    assert names["Aleppo"] == "حلب" and names["Idlib"] == "إدلب"
    for feature in data["features"]:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        ring = feature["geometry"]["coordinates"][0]
        ring = ring[0] if feature["geometry"]["type"] == "MultiPolygon" else ring
        assert all(35 <= lng <= 43 and 32 <= lat <= 38 for lng, lat in ring)


def test_the_vendored_world_atlas_holds_syria():
    world = json.loads((VENDOR / "world-atlas-2.0.2" / "countries-50m.json").read_text())
    names = {g["properties"]["name"] for g in world["objects"]["countries"]["geometries"]}
    assert {"Syria", "Lebanon", "Turkey", "Iraq", "Jordan"} <= names


def test_the_map_page_names_every_basemap_layer(client, viewer, settings):
    settings.MAP_PMTILES_PATH = ""
    client.force_login(viewer)
    html = client.get(reverse("maps:map")).content.decode()
    assert "world-atlas-2.0.2/countries-50m" in html
    assert "natural-earth-admin1-syria/syria-governorates" in html
    assert f'data-places-url="{PLACES_URL}"' in html
    assert 'data-pmtiles-url=""' in html
    assert "protomaps-leaflet" not in html  # not loaded when no PMTiles file is set


# --- town labels -------------------------------------------------------------------------------------------


def test_town_labels_list_towns_largest_first_without_governorates(client, viewer):
    gov = factories.place("Idlib", kind=Place.Kind.GOVERNORATE, name_ar="إدلب")
    factories.place("Ariha", governorate=gov, population=40_000, latitude=Decimal("35.81374"))
    factories.place("Idlib", governorate=gov, name_ar="إدلب", population=165_000)
    factories.place("Kafr Nabl", governorate=gov, kind=Place.Kind.LOCALITY)
    factories.place("Ariha hospital", governorate=gov, kind=Place.Kind.SITE, population=10)
    client.force_login(viewer)
    response = client.get(PLACES_URL)
    assert response.status_code == 200
    places = response.json()["places"]
    assert [p["name"] for p in places] == ["Idlib", "Ariha", "Kafr Nabl"]
    assert places[0] == {"name": "Idlib", "name_ar": "إدلب", "lat": 35.8, "lng": 36.6, "population": 165_000}
    assert places[1]["lat"] == pytest.approx(35.81374)
    assert places[2]["population"] == 0


@pytest.mark.parametrize("url", [PLACES_URL, PMTILES_URL])
def test_basemap_endpoints_need_sign_in_and_a_role(client, outsider, url):
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403


# --- the self-hosted PMTiles file --------------------------------------------------------------------------


@pytest.fixture
def pmtiles(tmp_path, settings) -> bytes:
    body = bytes(range(256)) * 4  # 1,024 bytes, each position recognisable
    path = tmp_path / "region.pmtiles"
    path.write_bytes(body)
    settings.MAP_PMTILES_PATH = str(path)
    return body


def test_no_pmtiles_file_is_a_404(client, viewer, settings):
    settings.MAP_PMTILES_PATH = ""
    client.force_login(viewer)
    assert client.get(PMTILES_URL).status_code == 404
    settings.MAP_PMTILES_PATH = "/nonexistent/region.pmtiles"
    assert client.get(PMTILES_URL).status_code == 404


def test_the_pmtiles_file_is_served_whole_or_by_range(client, viewer, pmtiles):
    client.force_login(viewer)
    whole = client.get(PMTILES_URL)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == pmtiles
    assert whole["Accept-Ranges"] == "bytes"

    part = client.get(PMTILES_URL, HTTP_RANGE="bytes=0-126")  # the PMTiles header, as a reader first asks
    assert part.status_code == 206
    assert part.content == pmtiles[:127]
    assert part["Content-Range"] == "bytes 0-126/1024"

    assert client.get(PMTILES_URL, HTTP_RANGE="bytes=1000-").content == pmtiles[1000:]
    assert client.get(PMTILES_URL, HTTP_RANGE="bytes=-10").content == pmtiles[-10:]
    assert client.get(PMTILES_URL, HTTP_RANGE="bytes=1000-5000").content == pmtiles[1000:]

    refused = client.get(PMTILES_URL, HTTP_RANGE="bytes=2000-3000")
    assert refused.status_code == 416 and refused["Content-Range"] == "bytes */1024"


def test_the_map_page_loads_protomaps_when_a_pmtiles_file_is_set(client, viewer, pmtiles):
    client.force_login(viewer)
    html = client.get(reverse("maps:map")).content.decode()
    assert f'data-pmtiles-url="{PMTILES_URL}"' in html
    assert "protomaps-leaflet-5.1.0/protomaps-leaflet" in html


# --- popups --------------------------------------------------------------------------------------------------


def test_a_popup_counts_only_claims_that_affirm_the_attack(client, viewer, researcher):
    incident = factories.incident(created_by=researcher)
    factories.claim(incident=incident, killed_min=10, killed_max=12)
    factories.claim(incident=incident, stance=Stance.CORROBORATES, killed_min=11, killed_max=11)
    # A denial that gives a figure ("no more than 2 died, and not by us") and a claim with no figure.
    factories.claim(incident=incident, stance=Stance.DENIES, killed_min=0, killed_max=2)
    factories.claim(incident=incident, stance=Stance.ALLEGES)
    client.force_login(viewer)
    (feature,) = features(client)
    p = feature["properties"]
    assert p["killed"] == "10–12"
    assert p["figure_claims"] == 2
    assert p["claims"] == 4
    assert p["disputing"] == 1


def test_a_popup_has_the_suggestion_and_the_flags(client, viewer, researcher):
    incident = factories.incident(created_by=researcher)
    incident.suggested_grade, incident.has_disagreements, incident.denied_by_party = Grade.CONTESTED, True, True
    incident.save()
    client.force_login(viewer)
    (feature,) = features(client)
    p = feature["properties"]
    assert (p["grade"], p["suggested"], p["suggested_label"]) == ("unassessed", "contested", "Contested")
    assert p["disagreements"] is True and p["denied_by_party"] is True


# --- colour by suggested grade -------------------------------------------------------------------------------


def test_server_clusters_count_by_the_grade_asked_for(client, viewer, researcher, settings):
    settings.MAP_MAX_FEATURES = 2
    for _ in range(3):
        made = factories.incident(created_by=researcher)
        made.suggested_grade = Grade.CONTESTED
        made.save()
    client.force_login(viewer)
    (by_grade,) = features(client, zoom="3")
    (by_suggestion,) = features(client, zoom="3", colour="suggested")
    assert by_grade["properties"]["grades"] == {"unassessed": 3}
    assert by_suggestion["properties"]["grades"] == {"contested": 3}


def test_an_unknown_colour_is_a_400(client, viewer):
    client.force_login(viewer)
    response = client.get(DATA_URL, {"colour": "purple"})
    assert response.status_code == 400
    assert "colour" in response.json()["error"]


# --- incidents without a location ----------------------------------------------------------------------------


def test_the_map_counts_the_incidents_without_a_location_but_never_restricted_ones(client, viewer, researcher, desk):
    factories.incident(created_by=researcher)
    factories.incident(created_by=researcher, latitude=None, longitude=None)
    factories.incident(created_by=researcher, latitude=None, longitude=None, restricted=True, groups=[desk])
    client.force_login(viewer)
    data = client.get(DATA_URL).json()
    assert (data["total"], data["unlocated"]) == (1, 1)
    # The list link of "1 more has no location" shows exactly that one.
    listed = client.get(reverse("incidents:list"), {"located": "false"})
    assert listed.status_code == 200
    assert listed.context["filter"].qs.count() == 1

    researcher.groups.add(desk)
    client.force_login(researcher)
    assert client.get(DATA_URL).json()["unlocated"] == 2


# --- one date rule ------------------------------------------------------------------------------------------


def listed_count(client, **params) -> int:
    response = client.get(reverse("incidents:list"), params)
    assert response.status_code == 200
    return response.context["filter"].qs.count()


@pytest.mark.parametrize("interval", ["week", "month"])
def test_every_bar_counts_what_selecting_it_shows(client, viewer, researcher, desk, interval):
    """Windows that start before a bar, end after it, span it, or have no end; and a restricted one."""
    factories.incident(created_by=researcher, date_start=date(2015, 10, 28), date_end=date(2015, 12, 3))
    factories.incident(created_by=researcher, date_start=date(2015, 11, 30), date_end=date(2015, 11, 30))
    factories.incident(created_by=researcher, date_start=date(2015, 11, 15), date_end=None)
    factories.incident(created_by=researcher, date_start=date(2015, 12, 31), date_end=date(2016, 1, 2))
    factories.incident(created_by=researcher, date_start=None, date_end=None)
    factories.incident(
        created_by=researcher, date_start=date(2015, 11, 2), date_end=date(2015, 11, 20), restricted=True, groups=[desk]
    )
    client.force_login(viewer)
    buckets = client.get(TIMELINE_URL, {"interval": interval}).json()["buckets"]
    assert buckets
    for bucket in buckets:
        start = date.fromisoformat(bucket["start"])
        if interval == "week":
            end = start + timedelta(days=6)
        else:
            end = date(start.year + start.month // 12, start.month % 12 + 1, 1) - timedelta(days=1)
        window = {"date_from": start.isoformat(), "date_to": end.isoformat()}
        shown = client.get(DATA_URL, window).json()
        assert bucket["count"] == listed_count(client, **window) == shown["total"] + shown["unlocated"], bucket


def test_the_timeline_counts_a_long_window_in_every_month_it_covers(client, viewer, researcher):
    factories.incident(created_by=researcher, date_start=date(2015, 10, 28), date_end=date(2015, 12, 3))
    factories.incident(created_by=researcher, date_start=date(2015, 11, 15), date_end=None)
    client.force_login(viewer)
    buckets = client.get(TIMELINE_URL, {"interval": "month"}).json()["buckets"]
    assert buckets == [
        {"start": "2015-10-01", "count": 1},
        {"start": "2015-11-01", "count": 2},
        {"start": "2015-12-01", "count": 1},
    ]


def test_from_includes_a_one_day_incident_with_no_end_date(client, viewer, researcher):
    factories.incident(created_by=researcher, date_start=date(2015, 11, 15), date_end=None)
    client.force_login(viewer)
    assert listed_count(client, date_from="2015-11-15") == 1
    assert listed_count(client, date_from="2015-11-16") == 0
