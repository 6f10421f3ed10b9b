"""The one definition of how a casualty range, a distance and a precision radius read (verify.lib.display)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify.lib.crosscheck import Range
from verify.lib.display import distance_text, radius_text, range_text


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (34, 49, "34–49"),
        (49, 49, "49"),
        (0, 0, "0"),
        (34, None, "at least 34"),
        (None, 15, "up to 15"),
        (0, None, "at least 0"),
        (None, None, ""),
    ],
)
def test_a_casualty_range_reads(low, high, text):
    assert range_text(low, high) == text


@given(st.one_of(st.none(), st.integers(0, 10_000)), st.one_of(st.none(), st.integers(0, 10_000)))
def test_a_range_object_reads_as_its_ends_and_not_stated_when_empty(low, high):
    if low is not None and high is not None and low > high:
        low, high = high, low
    assert str(Range(low, high)) == (range_text(low, high) or "not stated")


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (0, "0 m"),
        (300, "300 m"),
        (299.6, "300 m"),
        (999, "999 m"),
        (999.7, "1.0 km"),  # never "1000 m"
        (1000, "1.0 km"),
        (1234, "1.2 km"),
        (13_456.0, "13.5 km"),
    ],
)
def test_a_distance_reads_in_metres_below_a_kilometre_else_in_kilometres(metres, text):
    assert distance_text(metres) == text


@pytest.mark.parametrize(("metres", "text"), [(10, "± 10 m"), (1_000, "± 1,000 m"), (60_000, "± 60,000 m")])
def test_a_precision_radius_reads_in_metres(metres, text):
    assert radius_text(metres) == text
