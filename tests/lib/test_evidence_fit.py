"""The rules that warn when evidence does not fit its incident (verify/lib/evidence_fit.py)."""

import datetime

from verify.lib.evidence_fit import OUTSIDE_CIRCLE, TAKEN_AFTER, TAKEN_BEFORE, Fit, fit_warnings

DAY = datetime.date(2015, 11, 29)
ARIHA = (35.81374, 36.60964)


def fit(**kwargs) -> list[Fit]:
    values = {
        "captured_on": DAY,
        "window_start": DAY,
        "window_end": DAY,
        "tolerance_days": 0,
        "photo_position": ARIHA,
        "incident_position": ARIHA,
        "radius_m": 5000,
    }
    return fit_warnings(**(values | kwargs))


def test_a_photo_taken_on_the_day_and_on_the_spot_fits():
    assert fit() == []


def test_a_photo_taken_before_or_after_the_window_is_flagged_with_the_days():
    assert fit(captured_on=datetime.date(2015, 11, 20)) == [Fit(TAKEN_BEFORE, {"days": 9})]
    assert fit(captured_on=datetime.date(2015, 12, 1)) == [Fit(TAKEN_AFTER, {"days": 2})]


def test_the_window_widens_by_the_date_precision():
    assert fit(captured_on=datetime.date(2015, 12, 1), tolerance_days=7) == []
    assert fit(captured_on=datetime.date(2015, 12, 8), tolerance_days=7) == [Fit(TAKEN_AFTER, {"days": 2})]
    # A window of several days: inside it is fine at either end.
    assert fit(captured_on=datetime.date(2015, 12, 3), window_end=datetime.date(2015, 12, 3)) == []


def test_an_unknown_date_or_precision_or_capture_time_says_nothing():
    assert fit(captured_on=datetime.date(2001, 1, 1), tolerance_days=None) == []
    assert fit(captured_on=datetime.date(2001, 1, 1), window_start=None, window_end=None) == []
    assert fit(captured_on=None) == []


def test_a_position_outside_the_precision_circle_is_flagged_with_distance_and_radius():
    # Idlib city is about 14 km north of Ariha: outside a town's 5 km, inside a district's 20 km.
    idlib = (35.9306, 36.6339)
    [warning] = fit(photo_position=idlib)
    assert warning.code == OUTSIDE_CIRCLE
    assert 12_000 < warning.params["distance_m"] < 15_000 and warning.params["radius_m"] == 5000
    assert fit(photo_position=idlib, radius_m=20_000) == []


def test_missing_positions_say_nothing_and_both_rules_report_in_order():
    assert fit(photo_position=None) == fit(incident_position=None) == []
    both = fit(captured_on=datetime.date(2015, 11, 1), photo_position=(36.2, 37.15))
    assert [w.code for w in both] == [TAKEN_BEFORE, OUTSIDE_CIRCLE]
