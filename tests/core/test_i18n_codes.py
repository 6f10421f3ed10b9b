"""Codes, not sentences: verify/lib says what it found as codes with parameters, and the Django layer puts every
code into words, in the reader's language, when it is shown. Under English the words are exactly the reference
English of verify/lib, so nothing a reader saw before has changed."""

import datetime

import pytest
from django.utils import formats, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.claims import reasons
from verify.core import display as shown
from verify.core.history import REASON_CODES
from verify.core.history import reason_text as history_text
from verify.incidents.models import Incident
from verify.incidents.workflow import Change, change_text
from verify.lib import crosscheck, display
from verify.lib.crosscheck import ClaimFacts, Range, find_disagreements, summary, summary_line

DAY = datetime.date(2016, 1, 31)

SAMPLES = {
    display.RANGE_AT_LEAST: {"low": 34},
    display.RANGE_UP_TO: {"high": 15},
    display.RANGE_EXACT: {"low": 49},
    display.RANGE_BETWEEN: {"low": 34, "high": 49},
    display.RANGE_TO_AT_LEAST: {"low": 30, "high": 40},
    display.DISTANCE_METRES: {"metres": 300},
    display.DISTANCE_KILOMETRES: {"km": 1.234},
    display.RADIUS_METRES: {"metres": 5000},
}


def test_every_display_code_has_words_and_they_match_the_reference_english():
    assert set(SAMPLES) == display.CODES
    with translation.override("en"):
        for code, params in SAMPLES.items():
            assert shown.parts_text((code, params)) == display.english((code, params))
    with translation.override("ar"):
        for code, params in SAMPLES.items():
            assert shown.parts_text((code, params))


@given(st.one_of(st.none(), st.integers(0, 100_000)), st.one_of(st.none(), st.integers(0, 100_000)))
def test_a_range_reads_as_the_reference_english(low, high):
    if low is not None and high is not None and low > high:
        low, high = high, low
    with translation.override("en"):
        assert shown.range_text(low, high) == display.range_text(low, high)


@given(st.floats(0, 500_000, allow_nan=False), st.integers(1, 100_000))
def test_a_distance_and_a_radius_read_as_the_reference_english(metres, radius):
    with translation.override("en"):
        assert shown.distance_text(metres) == display.distance_text(metres)
        assert shown.radius_text(radius) == display.radius_text(radius)


def test_numbers_follow_the_readers_locale_at_the_time_they_are_shown(settings):
    """The same call gives each reader their own format. Django's own Arabic formats use a decimal comma (verify's
    keep the point, see verify/formats), which shows the number went through the reader's locale."""
    settings.FORMAT_MODULE_PATH = None
    formats.reset_format_cache()
    try:
        with translation.override("en"):
            english = shown.distance_text(1234)
        with translation.override("ar"):
            arabic = shown.distance_text(1234)
    finally:
        formats.reset_format_cache()
    assert english == "1.2 km"
    assert arabic != english and "1,2" in arabic


def test_verify_keeps_the_decimal_point_in_arabic():
    with translation.override("ar"):
        assert "1.2" in shown.distance_text(1234)


def test_dates_are_shown_with_the_month_in_the_readers_language():
    incident = Incident(date_start=datetime.date(2016, 1, 5), date_end=datetime.date(2016, 2, 3))
    with translation.override("en"):
        assert incident.date_display == "05 Jan 2016 – 03 Feb 2016"
    with translation.override("ar"):
        arabic = incident.date_display
    assert "Jan" not in arabic and "2016" in arabic


def claim(id: int, source: str, **kwargs) -> ClaimFacts:
    return ClaimFacts(id=id, source_name=source, **kwargs)


def every_kind_of_disagreement() -> list[ClaimFacts]:
    """Claims that between them disagree in every way verify.lib.crosscheck knows."""
    return [
        claim(
            1,
            "A",
            killed=Range(10, 12),
            injured=Range(1, 2),
            perpetrator="X",
            munition="Cluster bomb",
            event_date=DAY,
            date_tolerance_days=1,
            lat=35.0,
            lon=36.0,
            radius_m=100,
            military_objective_present=True,
        ),
        claim(
            2,
            "B",
            killed=Range(40, 50),
            injured=Range(5, 6),
            perpetrator="Y",
            munition="Unguided rocket",
            event_date=DAY + datetime.timedelta(days=9),
            date_tolerance_days=0,
            lat=35.2,
            lon=36.2,
            radius_m=5000,
            military_objective_present=False,
            stance="corroborates",
        ),
        claim(3, "C", killed=Range(45, None), injured=Range(6, None)),  # open-ended: different counts
        claim(4, "Ministry", source_is_belligerent=True, stance="denies"),
        claim(5, "Other ministry", stance="alternative"),
        claim(6, "D", stance="acknowledges"),
    ]


def test_every_disagreement_code_is_found_and_put_into_words():
    found = find_disagreements(every_kind_of_disagreement())
    assert {d.code for d in found} == crosscheck.DISAGREEMENT_CODES
    with translation.override("en"):
        for d in found:
            assert reasons._disagreement(d.code, d.params) == d.message  # no fallback to the English message
            assert reasons.disagreement_text(d) == d.message
    with translation.override("ar"):
        for d in found:
            assert reasons._disagreement(d.code, d.params)


def test_an_unknown_disagreement_code_shows_its_message_rather_than_breaking():
    d = crosscheck.Disagreement("future", (1, 2), "Something new", code="future", params={})
    assert reasons.disagreement_text(d) == "Something new"


facts = st.builds(
    ClaimFacts,
    id=st.integers(1, 50),
    source_name=st.sampled_from(["A", "B", "C", "Ministry"]),
    source_is_belligerent=st.booleans(),
    stance=st.sampled_from(sorted(crosscheck.STANCES)),
    independent=st.booleans(),
    killed=st.builds(lambda a, b: Range(*sorted((a, b))), st.integers(0, 60), st.integers(0, 60))
    | st.just(Range())
    | st.builds(lambda a: Range(a, None), st.integers(0, 60)),
    injured=st.just(Range()) | st.builds(lambda a: Range(None, a), st.integers(0, 60)),
)


@settings(max_examples=200)
@given(st.lists(facts, max_size=6, unique_by=lambda c: c.id))
def test_the_summary_line_reads_as_the_reference_english(claims):
    with translation.override("en"):
        assert reasons.summary_text(summary(claims)) == summary_line(claims)


def test_every_history_reason_code_is_put_into_words():
    samples = {code: f"{code}:7" for code in REASON_CODES}
    samples["labels"] = "labels:+1"
    samples["status"] = "status:verified"
    with translation.override("en"):
        for code, reason in samples.items():
            words = history_text(reason, None)
            assert words and words != reason, code


@pytest.mark.parametrize("change", [v for k, v in vars(Change).items() if k.isupper()])
def test_every_change_code_of_the_workflow_is_put_into_words(change):
    params = {"fields": ["title"], "source": "A", "merged": "SYR-1", "kept": "SYR-2", "job": 3}
    assert change_text(change, params) != change
