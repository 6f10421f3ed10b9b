"""The whole-country map grid and the monthly timeline read from the pre-aggregated counts give exactly what the
incidents give, for every reader (restricted incidents counted only for those who may see them), and stay exact
after every kind of write (issue 19, item 3). The counts are kept by PostgreSQL triggers; on SQLite the map and
timeline are always answered from the incidents, which the last test checks."""

import json
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from verify.incidents.models import Grade, Incident
from verify.maps import queries, summary
from verify.maps.queries import BBox

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the counts are kept on PostgreSQL")

SYRIA = BBox(35.5, 32.3, 42.5, 37.4)
BOXES = [None, SYRIA, BBox(36.0, 35.0, 37.0, 36.5), BBox(36.1234, 33.3333, 36.9876, 36.0101), BBox(0, 0, 1, 1)]


def _make(n: int, user, desk: Group, seed: int = 5) -> list[Incident]:
    rng = random.Random(seed)
    incidents = []
    for i in range(n):
        located = rng.random() < 0.9
        incidents.append(
            Incident(
                reference=f"MAP-{seed}-{i:05d}",
                title=f"Map {i}",
                created_by=user,
                grade=rng.choice(Grade.values),
                date_start=date(2014, 1, 1) + timedelta(days=rng.randrange(1500)) if rng.random() < 0.95 else None,
                # some exactly on a base-cell edge (x.05, x.10): the cell arithmetic must agree there too
                latitude=Decimal(f"{rng.uniform(32.5, 37.2):.6f}") if rng.random() < 0.8 else Decimal("35.050000"),
                longitude=Decimal(f"{rng.uniform(35.8, 42.2):.6f}") if rng.random() < 0.8 else Decimal("36.100000"),
                restricted=rng.random() < 0.15,
            )
            if located
            else Incident(reference=f"MAP-{seed}-{i:05d}", title=f"Map {i}", created_by=user, restricted=False)
        )
    incidents = Incident.objects.bulk_create(incidents)
    restricted = [i for i in incidents if i.restricted]
    Incident.allowed_groups.through.objects.bulk_create(
        Incident.allowed_groups.through(incident_id=i.pk, group_id=desk.pk) for i in restricted[::2]
    )
    return incidents


def _key(rows):
    return sorted((r["cell_y"], r["cell_x"], tuple(sorted(r.items()))) for r in rows)


def _assert_same(users):
    for user in users:
        visible = Incident.objects.visible_to(user)
        for bbox in BOXES:
            for k in (1, 3, 14, 40, 255):
                counted = summary.grid_clusters(user, bbox, k)
                live = queries.grid_clusters(queries.in_bbox(visible, bbox), k)
                if counted is None:  # a box edge cuts a base cell: answered from the incidents
                    assert bbox is not None
                    continue
                assert _key(counted) == _key(live), (user, bbox, k)
        assert summary.monthly(user) is not None
        # The timeline from the counts (by start month, plus the windows that run into later months) and from the
        # incidents alone.
        counted = queries.timeline(visible, interval="month", unfiltered_for=user)["buckets"]
        live = queries.timeline(visible, interval="month")["buckets"]
        assert counted == live


@postgres_only
def test_counts_equal_the_live_grid_and_timeline_for_every_reader_after_every_write(
    researcher, viewer, admin_user, desk
):
    researcher.groups.add(desk)
    users = [researcher, viewer, admin_user]
    incidents = _make(800, researcher, desk)
    _assert_same(users)
    # edits one by one, in bulk, restricting, merging, deleting
    first = incidents[0]
    first.grade, first.latitude, first.longitude = Grade.CONFIRMED, Decimal("36.2"), Decimal("37.1")
    first.save()
    Incident.objects.filter(pk__in=[i.pk for i in incidents[10:200]]).update(grade=Grade.FAIR)
    Incident.objects.filter(pk__in=[i.pk for i in incidents[200:260]]).update(restricted=True)
    Incident.objects.filter(pk__in=[i.pk for i in incidents[260:300]]).update(merged_into=incidents[1])
    Incident.objects.filter(pk__in=[i.pk for i in incidents[300:340]]).update(date_start=date(2016, 2, 29))
    # windows that run over several months: counted in each (the filters' overlap rule)
    Incident.objects.filter(pk__in=[i.pk for i in incidents[300:320]]).update(date_end=date(2016, 5, 3))
    Incident.objects.filter(pk__in=[i.pk for i in incidents[340:380]]).update(latitude=None, longitude=None)
    Incident.objects.filter(pk__in=[i.pk for i in incidents[400:500]]).delete()
    _make(100, researcher, desk, seed=6)
    _assert_same(users)


@postgres_only
def test_the_whole_country_map_uses_the_counts_and_hides_restricted_incidents_from_outsiders(
    client, researcher, viewer, desk, settings
):
    settings.MAP_MAX_FEATURES = 0
    researcher.groups.add(desk)
    _make(300, researcher, desk)
    assert summary.grid_clusters(viewer, None, 10) is not None
    seen = {}
    for user in (viewer, researcher):
        client.force_login(user)
        data = json.loads(client.get(reverse("maps:data"), {"zoom": 7}).content)
        seen[user] = sum(f["properties"]["count"] for f in data["features"])
        assert seen[user] == Incident.objects.visible_to(user).filter(latitude__isnull=False).count()
        timeline = json.loads(client.get(reverse("maps:timeline"), {"interval": "month"}).content)
        # No window here runs over a month's end, so each incident is in one bar.
        assert sum(b["count"] for b in timeline["buckets"]) == (
            Incident.objects.visible_to(user).filter(date_start__isnull=False).count()
        )
    assert seen[viewer] < seen[researcher]


def test_without_postgresql_or_with_filters_the_map_is_answered_from_the_incidents(researcher, desk):
    _make(50, researcher, desk)
    if connection.vendor != "postgresql":
        assert summary.grid_clusters(researcher, None, 10) is None
        assert summary.monthly(researcher) is None
    assert not queries.unfiltered(queries.QueryDict("grade=good"))
    assert queries.unfiltered(queries.QueryDict("grade="))
    visible = Incident.objects.visible_to(researcher)
    data = queries.map_data(visible, bbox=None, zoom=7, unfiltered_for=researcher)
    assert data["total"] == visible.filter(latitude__isnull=False).count()
