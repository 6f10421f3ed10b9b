"""The map data endpoint: valid GeoJSON, the bounding box, server clustering and a constant query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from verify.claims.models import Stance
from verify.incidents.models import Grade

DATA_URL = reverse("maps:data")
TIMELINE_URL = reverse("maps:timeline")
MAP_URL_NAMES = ["maps:map", "maps:data", "maps:timeline", "maps:export_csv", "maps:export_geojson"]


def get_data(client, **params) -> dict:
    response = client.get(DATA_URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def assert_valid_geojson(data: dict) -> None:
    """RFC 7946: a FeatureCollection of Features with Point geometries in [longitude, latitude] order."""
    assert data["type"] == "FeatureCollection"
    assert isinstance(data["features"], list)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lng, lat = feature["geometry"]["coordinates"]
        assert isinstance(lng, float) and isinstance(lat, float)
        assert -180 <= lng <= 180 and -90 <= lat <= 90
        assert isinstance(feature["properties"], dict)


def spread_incidents(researcher, n: int, *, claims: int = 0) -> list:
    """n incidents on a line across Syria from west to east, each with `claims` claims."""
    incidents = []
    for i in range(n):
        incident = factories.incident(
            created_by=researcher,
            latitude=Decimal("34.000000") + Decimal(i % 7) / 10,
            longitude=(Decimal("36.000000") + Decimal(i * 5) / Decimal(n)).quantize(Decimal("0.000001")),
            date_start=date(2015, 1 + i % 12, 1),
            date_end=date(2015, 1 + i % 12, 1),
        )
        for k in range(claims):
            factories.claim(incident=incident, killed_min=k, killed_max=k + 2, perpetrator=factories.actor())
        incidents.append(incident)
    return incidents


def test_map_data_is_valid_geojson_with_what_a_popup_needs(client, viewer, dataset):
    client.force_login(viewer)
    data = get_data(client)

    assert_valid_geojson(data)
    assert data["clustered"] is False
    market = next(f for f in data["features"] if f["id"] == dataset["market"].reference)
    assert market["geometry"]["coordinates"] == [float(dataset["market"].longitude), float(dataset["market"].latitude)]
    props = market["properties"]
    assert props["reference"] == dataset["market"].reference
    assert props["date"] == "2015-11-29"
    assert props["grade"] == Grade.FAIR and props["grade_label"] == "Fair"
    assert props["url"] == dataset["market"].get_absolute_url()
    # "at least 34" and "49" combine to 34–49, as on the incident page; the denial states no figure.
    assert props["killed"] == "34–49"
    assert props["claims"] == 3
    assert props["radius_m"] == dataset["market"].precision_radius_m


def test_incidents_without_coordinates_are_not_on_the_map(client, viewer, dataset):
    client.force_login(viewer)
    refs = {f["id"] for f in get_data(client)["features"]}
    assert dataset["undated"].reference not in refs
    assert dataset["spring"].reference in refs


def test_the_bounding_box_keeps_only_incidents_inside_it(client, viewer, dataset):
    client.force_login(viewer)
    # Around Idlib governorate: Ariha and Idlib inside, Moadamiyeh (near Damascus) outside.
    data = get_data(client, bbox="36.0,35.5,37.0,36.2", zoom=9)

    assert_valid_geojson(data)
    refs = {f["id"] for f in data["features"]}
    assert refs == {dataset["market"].reference, dataset["idlib"].reference, dataset["spring"].reference}
    for feature in data["features"]:
        lng, lat = feature["geometry"]["coordinates"]
        assert 36.0 <= lng <= 37.0 and 35.5 <= lat <= 36.2
    assert data["total"] == 3


def test_an_incident_on_the_edge_of_the_box_is_inside(client, viewer, researcher):
    factories.incident(created_by=researcher, latitude=Decimal("35.000000"), longitude=Decimal("36.000000"))
    client.force_login(viewer)
    assert get_data(client, bbox="36,35,37,36")["total"] == 1
    assert get_data(client, bbox="36.000001,35,37,36")["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "37,35,36,36"},  # west east of east
        {"bbox": "nan,35,37,36"},
        {"zoom": "twelve"},
        {"zoom": "99"},
    ],
)
def test_a_malformed_bbox_or_zoom_is_a_clear_400(client, viewer, params):
    client.force_login(viewer)
    response = client.get(DATA_URL, params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()["error"]


def test_large_results_are_clustered_on_the_server_with_every_incident_counted(client, viewer, researcher, settings):
    settings.MAP_MAX_FEATURES = 10
    incidents = spread_incidents(researcher, 40)
    client.force_login(viewer)

    data = get_data(client, zoom=7, bbox="35,33,42,37")

    assert_valid_geojson(data)
    assert data["clustered"] is True
    assert data["total"] == 40
    assert 1 < len(data["features"]) < 40
    assert sum(f["properties"]["count"] for f in data["features"]) == len(incidents)
    for feature in data["features"]:
        west, south, east, north = feature["properties"]["bounds"]
        lng, lat = feature["geometry"]["coordinates"]
        assert west <= lng <= east and south <= lat <= north  # the centroid lies within its members
        assert sum(feature["properties"]["grades"].values()) == feature["properties"]["count"]


def test_zooming_in_makes_finer_clusters(client, viewer, researcher, settings):
    settings.MAP_MAX_FEATURES = 10
    spread_incidents(researcher, 40)
    client.force_login(viewer)

    coarse = get_data(client, zoom=5, bbox="35,33,42,37")["features"]
    fine = get_data(client, zoom=9, bbox="35,33,42,37")["features"]

    assert len(coarse) < len(fine)


@pytest.mark.parametrize("zoom", [0, 7, 14, 20])
def test_the_cluster_count_is_bounded_whatever_the_zoom_and_box(client, viewer, researcher, settings, zoom):
    settings.MAP_MAX_FEATURES = 5
    settings.MAP_MAX_CLUSTERS = 12
    spread_incidents(researcher, 60)
    client.force_login(viewer)

    data = get_data(client, zoom=zoom, bbox="-180,-90,180,90")

    assert data["clustered"] is True
    assert len(data["features"]) <= 12 * 2  # a grid of 12 cells over the box meets at most twice as many cells
    assert sum(f["properties"]["count"] for f in data["features"]) == 60


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params", "max_features"),
    [
        (DATA_URL, {}, 1000),
        (DATA_URL, {"zoom": 7}, 5),  # clustered
        (DATA_URL, {"perpetrator_named": ""}, 1000),
        (TIMELINE_URL, {}, 1000),
    ],
)
def test_query_count_does_not_grow_with_the_number_of_incidents(
    client, viewer, researcher, settings, url, params, max_features
):
    settings.MAP_MAX_FEATURES = max_features
    client.force_login(viewer)
    spread_incidents(researcher, 6, claims=2)
    client.get(url, params)  # warm the per-process caches
    few = _queries(client, url, params)

    spread_incidents(researcher, 24, claims=3)
    many = _queries(client, url, params)

    assert many == few


def test_casualty_ranges_need_no_query_per_incident(client, viewer, researcher, django_assert_max_num_queries):
    spread_incidents(researcher, 20, claims=3)
    client.force_login(viewer)
    client.get(DATA_URL)
    # Session, user, two for permissions, the grid, the features; on PostgreSQL the grid also sets its working
    # memory inside a savepoint (three statements more).
    with django_assert_max_num_queries(9):
        data = get_data(client)
    assert all(f["properties"]["killed"] for f in data["features"])


def test_timeline_counts_incidents_by_week_or_month(client, viewer, dataset):
    client.force_login(viewer)

    weeks = client.get(TIMELINE_URL, {"interval": "week"}).json()
    months = client.get(TIMELINE_URL, {"interval": "month"}).json()

    assert weeks["interval"] == "week"
    # Two on 29 Nov 2015 (a Sunday: week of the 23rd), one on 23 Dec, one in April 2016; the restricted one and the
    # undated one are not counted.
    assert weeks["buckets"] == [
        {"start": "2015-11-23", "count": 2},
        {"start": "2015-12-21", "count": 1},
        {"start": "2016-03-28", "count": 1},
    ]
    assert months["buckets"] == [
        {"start": "2015-11-01", "count": 2},
        {"start": "2015-12-01", "count": 1},
        {"start": "2016-04-01", "count": 1},
    ]


def test_timeline_follows_the_other_filters_but_not_the_dates(client, viewer, dataset):
    client.force_login(viewer)
    data = client.get(TIMELINE_URL, {"interval": "month", "attack_type": "missile", "date_from": "2016-01-01"}).json()
    assert data["buckets"] == [{"start": "2015-11-01", "count": 1}]


def test_timeline_refuses_an_unknown_interval(client, viewer):
    client.force_login(viewer)
    response = client.get(TIMELINE_URL, {"interval": "fortnight"})
    assert response.status_code == 400


def test_timeline_picks_months_for_long_spans(client, viewer, researcher):
    factories.incident(created_by=researcher, date_start=date(2012, 3, 1), date_end=date(2012, 3, 1))
    factories.incident(created_by=researcher, date_start=date(2019, 3, 1), date_end=date(2019, 3, 1))
    client.force_login(viewer)
    assert client.get(TIMELINE_URL).json()["interval"] == "month"


@pytest.mark.parametrize("url_name", MAP_URL_NAMES)
def test_sign_in_is_required(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", MAP_URL_NAMES)
def test_a_user_without_a_role_is_refused(client, outsider, url_name):
    client.force_login(outsider)
    assert client.get(reverse(url_name)).status_code == 403


def test_denial_only_incident_has_no_casualty_range(client, viewer, researcher):
    incident = factories.incident(created_by=researcher)
    factories.claim(incident=incident, stance=Stance.DENIES)
    client.force_login(viewer)
    feature = get_data(client)["features"][0]
    assert feature["properties"]["killed"] == ""
    assert feature["properties"]["claims"] == 1


def test_popup_figures_read_as_the_claims_state_them(client, viewer, researcher, dataset):
    """A minimum-only figure reads "at least N"; "30" and "at least 40" read "30 to at least 40", not "30–40"."""
    factories.claim(incident=dataset["idlib"], source=factories.source("Civil defence"), injured_min=30, injured_max=30)
    factories.claim(incident=dataset["idlib"], source=factories.source("Medics"), injured_min=40)
    client.force_login(viewer)
    features = {f["id"]: f["properties"] for f in get_data(client)["features"]}
    assert features[dataset["barrels"].reference]["injured"] == "at least 20"
    assert features[dataset["barrels"].reference]["killed"] == "7–9"
    assert features[dataset["idlib"].reference]["injured"] == "30 to at least 40"
    assert features[dataset["market"].reference]["killed"] == "34–49"
