"""Unit and property tests for verify.lib.proximity: windows widened by precision, places near by radius."""

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from verify.lib.gazetteer import distance_m
from verify.lib.proximity import Window, bounding_box, places_near, widened, windows_overlap

ARIHA = (35.8137, 36.6096)
IDLIB = (35.9306, 36.6339)

dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2040, 12, 31))
tolerances = st.none() | st.integers(min_value=0, max_value=31)
lats = st.floats(min_value=-89, max_value=89, allow_nan=False)
lons = st.floats(min_value=-179, max_value=179, allow_nan=False)
radii = st.integers(min_value=0, max_value=60_000)


@st.composite
def windows(draw):
    start = draw(dates)
    end = draw(st.none() | st.dates(min_value=start, max_value=datetime.date(2040, 12, 31)))
    return widened(start, end, draw(tolerances))


def test_window_rejects_an_end_before_its_start():
    with pytest.raises(ValueError):
        Window(datetime.date(2015, 11, 30), datetime.date(2015, 11, 29))


def test_widened_by_tolerance_and_unknown_dates_give_none():
    day = datetime.date(2015, 11, 29)
    assert widened(day, None, 1) == Window(datetime.date(2015, 11, 28), datetime.date(2015, 11, 30))
    assert widened(None, day, 1) is None
    assert widened(day, day, None) is None


def test_ariha_and_idlib_city_are_near_only_with_a_district_radius():
    assert places_near(*ARIHA, 1_000, *IDLIB, 20_000)
    assert not places_near(*ARIHA, 1_000, *IDLIB, 5_000, margin_m=2_000)
    assert not places_near(None, None, 60_000, *IDLIB, 60_000)


@given(windows(), windows())
def test_overlap_is_symmetric_and_unknown_never_overlaps(a, b):
    assert windows_overlap(a, b) == windows_overlap(b, a)
    if a is None or b is None:
        assert not windows_overlap(a, b)


@given(windows())
def test_a_known_window_overlaps_itself(a):
    assert windows_overlap(a, a) == (a is not None)


@given(dates, dates, tolerances, tolerances)
def test_overlap_matches_the_distance_between_days(day_a, day_b, tol_a, tol_b):
    a, b = widened(day_a, None, tol_a), widened(day_b, None, tol_b)
    if tol_a is None or tol_b is None:
        assert not windows_overlap(a, b)
    else:
        assert windows_overlap(a, b) == (abs((day_a - day_b).days) <= tol_a + tol_b)


@given(dates, tolerances, st.integers(min_value=0, max_value=30))
def test_more_tolerance_never_loses_an_overlap(day, tol, extra):
    assume(tol is not None)
    other = widened(day + datetime.timedelta(days=tol), None, 0)
    assert windows_overlap(widened(day, None, tol), other)
    assert windows_overlap(widened(day, None, tol + extra), other)


@given(lats, lons, radii, lats, lons, radii, st.integers(min_value=0, max_value=10_000))
def test_places_near_is_symmetric_and_grows_with_the_margin(lat_a, lon_a, ra, lat_b, lon_b, rb, margin):
    near = places_near(lat_a, lon_a, ra, lat_b, lon_b, rb, margin)
    assert near == places_near(lat_b, lon_b, rb, lat_a, lon_a, ra, margin)
    if near:
        assert places_near(lat_a, lon_a, ra, lat_b, lon_b, rb, margin + 1_000)
    assert near == (distance_m(lat_a, lon_a, lat_b, lon_b) <= max(ra, rb) + margin)


@given(lats, lons, st.integers(min_value=1, max_value=100_000), st.floats(0, 1), st.floats(0, 360))
def test_bounding_box_contains_every_point_within_reach(lat, lon, reach, fraction, bearing):
    # A point `fraction * reach` away in direction `bearing`, on a sphere (destination-point formula).
    import math

    from verify.lib.gazetteer import EARTH_RADIUS_M

    d = fraction * reach / EARTH_RADIUS_M
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    lat2, lon2 = math.degrees(p2), math.degrees(l2)
    assume(-180 <= lon2 <= 180)
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, reach)
    assert min_lat <= lat2 <= max_lat
    assert min_lon <= lon2 <= max_lon
