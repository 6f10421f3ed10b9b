"""The database narrows the possible duplicates (issue 19): the exact date rule and a per-precision bounding box in
SQL, then the exact rule on the few rows left. On generated data the result equals the rule applied to every pair,
and far fewer rows reach Python than with the old single box wide enough for any precision."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Q

from tests import factories
from verify.core.choices import DatePrecision, LocationPrecision
from verify.incidents.duplicates import (
    FIELDS,
    MAX_RADIUS_M,
    MAX_TOLERANCE_DAYS,
    _coords,
    _window,
    are_possible_duplicates,
    duplicate_candidates,
    duplicate_dismiss,
    duplicates_rebuild,
    duplicates_refresh,
    nearby,
)
from verify.incidents.models import DuplicateCandidate, Incident
from verify.lib.proximity import bounding_box, shift, windows_overlap

pytestmark = pytest.mark.django_db
CENTRES = [(35.8137, 36.6096), (36.2021, 37.1343), (33.5138, 36.2765)]  # Ariha, Aleppo, Damascus


def _generated(user, n: int, seed: int) -> list[Incident]:
    """Incidents crowded around three towns within a few months, with every precision, open and missing dates and
    missing coordinates: many near misses on both rules."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lat, lon = rng.choice(CENTRES)
        spread = rng.choice([0.005, 0.03, 0.15, 0.6])
        start = date(2016, 1, 1) + timedelta(days=rng.randrange(90))
        missing = rng.random()
        no_date, no_place = missing < 0.02, 0.02 <= missing < 0.04
        rows.append(
            Incident(
                reference=f"GEN-{seed}-{i:05d}",
                title=f"Generated {i}",
                created_by=user,
                date_start=None if no_date else start,
                date_end=None if no_date else rng.choice([None, start, start + timedelta(days=rng.randrange(1, 20))]),
                date_precision=rng.choice(list(DatePrecision)).value,
                latitude=None if no_place else Decimal(f"{lat + rng.gauss(0, spread):.6f}"),
                longitude=None if no_place else Decimal(f"{lon + rng.gauss(0, spread):.6f}"),
                location_precision=rng.choice(list(LocationPrecision)).value,
            )
        )
    return Incident.objects.bulk_create(rows)  # no refresh on save: the pairs are worked out below


def _every_pair_by_the_rule() -> set[tuple[int, int]]:
    incidents = list(Incident.objects.filter(merged_into__isnull=True).only(*FIELDS).order_by("pk"))
    margin = settings.DUPLICATE_MARGIN_M
    return {
        (a.pk, b.pk)
        for i, a in enumerate(incidents)
        for b in incidents[i + 1 :]
        if are_possible_duplicates(a, b, margin_m=margin)
    }


def _old_prefilter(incident: Incident) -> int:
    """How many rows the old query loaded into Python: one box and one date range wide enough for any precision."""
    window, coords = _window(incident), _coords(incident)
    if window is None or coords is None:
        return 0
    min_lat, max_lat, min_lon, max_lon = bounding_box(*coords, MAX_RADIUS_M + settings.DUPLICATE_MARGIN_M)
    earliest = shift(window.start, -MAX_TOLERANCE_DAYS)
    return (
        Incident.objects.filter(merged_into__isnull=True)
        .exclude(pk=incident.pk)
        .filter(
            date_start__lte=shift(window.end, MAX_TOLERANCE_DAYS),
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .filter(Q(date_end__gte=earliest) | Q(date_end__isnull=True, date_start__gte=earliest))
        .count()
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_the_indexed_query_finds_exactly_the_pairs_of_the_rule(researcher, seed):
    _generated(researcher, 400, seed)
    expected = _every_pair_by_the_rule()
    assert len(expected) > 200  # the data is not trivially sparse

    duplicates_rebuild()
    stored = set(DuplicateCandidate.objects.values_list("incident_a_id", "incident_b_id"))
    assert stored == expected

    # The incremental refresh (after an edit) agrees with the rebuild.
    DuplicateCandidate.objects.all().delete()
    duplicates_refresh(Incident.objects.values_list("pk", flat=True))
    assert set(DuplicateCandidate.objects.values_list("incident_a_id", "incident_b_id")) == expected


def test_only_rows_within_the_date_rule_and_near_the_box_reach_python(researcher):
    _generated(researcher, 400, 3)
    incidents = list(Incident.objects.only(*FIELDS))
    loaded = old = kept = 0
    for incident in incidents:
        rows = list(nearby(incident))
        for other in rows:  # the date rule is applied exactly in SQL
            assert windows_overlap(_window(incident), _window(other))
        loaded += len(rows)
        kept += sum(are_possible_duplicates(incident, other) for other in rows)
        old += _old_prefilter(incident)
    assert kept > 0
    assert loaded <= 2 * kept, (loaded, kept)  # a box is at most 4/π the area of its circle
    assert old >= 3 * loaded, (old, loaded)


def test_a_dismissed_pair_is_left_out_of_the_query(researcher):
    a = factories.incident(created_by=researcher, location_precision="town")
    b = factories.incident(created_by=researcher, location_precision="town")
    assert [o.pk for o in nearby(a)] == [b.pk]
    duplicate_dismiss(incident=a, other=b, user=researcher)
    assert list(nearby(a)) == []
    assert duplicate_candidates(a, user=researcher) == []
