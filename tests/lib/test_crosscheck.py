"""Unit and property tests for verify.lib.crosscheck. Plain Python: no database."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify.lib.crosscheck import (
    ClaimFacts,
    Disagreement,
    Range,
    best_figure,
    combined_range,
    dates_disagree,
    figures_differ,
    find_disagreements,
    munitions_agree,
    places_disagree,
    ranges_overlap,
    summary_line,
)

ARIHA = (35.8126, 36.6084)
RUSSIA = "Russian Aerospace Forces"
MOD = "Russian Ministry of Defence"


def claim(id: int, source: str = "Source", **kwargs) -> ClaimFacts:
    return ClaimFacts(id=id, source_name=source, **kwargs)


def ariha_claims() -> list[ClaimFacts]:
    day = datetime.date(2016, 1, 31)
    return [
        claim(
            1,
            "Local activists",
            killed=Range(34, None),
            perpetrator=RUSSIA,
            event_date=day,
            date_tolerance_days=0,
            lat=ARIHA[0],
            lon=ARIHA[1],
            radius_m=500,
        ),
        claim(
            2,
            "Amnesty International",
            killed=Range(49, 49),
            perpetrator="  russian aerospace FORCES ",
            military_objective_present=True,
            event_date=day,
            date_tolerance_days=1,
        ),
        claim(3, MOD, source_is_belligerent=True, stance="denies"),
    ]


# --- Range -----------------------------------------------------------------------------------------------


def test_range_rejects_low_above_high():
    with pytest.raises(ValueError):
        Range(5, 4)


@pytest.mark.parametrize(
    ("r", "text"),
    [(Range(34, None), "at least 34"), (Range(49, 49), "49"), (Range(34, 49), "34–49"), (Range(None, 10), "up to 10")],
)
def test_range_text(r, text):
    assert str(r) == text


def test_range_not_stated():
    assert not Range().stated
    assert str(Range()) == "not stated"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Range(34, None), Range(49, 49), True),
        (Range(34, 34), Range(49, 49), False),
        (Range(None, None), Range(49, 49), True),
        (Range(None, 10), Range(11, None), False),
        (Range(None, 10), Range(10, None), True),
        (Range(10, 20), Range(20, 30), True),
        (Range(10, 20), Range(21, 30), False),
        (Range(50, None), Range(49, 49), False),
    ],
)
def test_ranges_overlap_examples(a, b, expected):
    assert ranges_overlap(a, b) is expected
    assert ranges_overlap(b, a) is expected


def test_combined_range_uses_open_ends_as_best_figures():
    assert combined_range([Range(34, None), Range(49, 49), Range()]) == Range(34, 49)
    assert combined_range([Range(None, 10), Range(12, 15)]) == Range(10, 15)
    assert combined_range([Range(60, None), Range(49, 49)]) == Range(49, 60)


def test_combined_range_none_when_nothing_stated():
    assert combined_range([]) is None
    assert combined_range([Range(), Range()]) is None


# --- dates and places ------------------------------------------------------------------------------------


def test_dates_disagree_examples():
    d = datetime.date(2016, 1, 31)
    assert not dates_disagree(d, 0, d + datetime.timedelta(days=1), 1)
    assert dates_disagree(d, 0, d + datetime.timedelta(days=2), 1)
    assert not dates_disagree(d, 1, d + datetime.timedelta(days=2), 1)
    assert not dates_disagree(None, 0, d, 0)
    assert not dates_disagree(d, None, d + datetime.timedelta(days=400), 0)


def test_places_disagree_examples():
    # Ariha to Idlib city is roughly 13 km.
    idlib = (35.9306, 36.6339)
    assert places_disagree(*ARIHA, 500, *idlib, 500)
    assert not places_disagree(*ARIHA, 10_000, *idlib, 5_000)
    assert not places_disagree(*ARIHA, 500, *idlib, 500, margin_m=20_000)
    assert not places_disagree(None, None, 500, *idlib, 500)
    assert not places_disagree(*ARIHA, None, *idlib, 500)


# --- find_disagreements ----------------------------------------------------------------------------------


def test_ariha_example():
    found = find_disagreements(ariha_claims())
    assert [d.kind for d in found] == ["figures", "denial", "denial"]
    assert found[0] == Disagreement(
        "figures", (1, 2), "Local activists: at least 34 killed vs Amnesty International: 49 killed (different counts)"
    )
    assert found[0].column == "killed"
    found = found[1:]
    assert found[0].column == "stance"
    assert found[0] == Disagreement(
        "denial",
        (1, 3),
        "Russian Ministry of Defence (party to the conflict) denies the attack; Local activists alleges it",
    )
    assert found[1].claim_ids == (2, 3)
    assert all(MOD in d.message for d in found)
    assert summary_line(ariha_claims()) == (
        "34–49 killed according to 2 sources; denied by Russian Ministry of Defence (party to the conflict)"
    )


def test_order_is_deterministic_whatever_the_input_order():
    claims = ariha_claims()
    assert find_disagreements(reversed(claims)) == find_disagreements(claims)
    assert summary_line(reversed(claims)) == summary_line(claims)


def test_exact_figures_that_differ_disagree():
    found = find_disagreements([claim(1, "A", killed=Range(34, 34)), claim(2, "B", killed=Range(49, 49))])
    assert found == [Disagreement("casualties", (1, 2), "A: 34 killed vs B: 49 killed")]


def test_injured_are_compared_separately():
    found = find_disagreements(
        [
            claim(1, "A", killed=Range(3, 3), injured=Range(10, None)),
            claim(2, "B", killed=Range(3, 3), injured=Range(2, 5)),
        ]
    )
    assert found == [Disagreement("casualties", (1, 2), "A: at least 10 injured vs B: 2–5 injured")]


def test_perpetrators():
    found = find_disagreements([claim(1, "A", perpetrator=RUSSIA), claim(2, "B", perpetrator="Syrian Arab Air Force")])
    assert found == [
        Disagreement(
            "perpetrator",
            (1, 2),
            "A names Russian Aerospace Forces as the perpetrator; B names Syrian Arab Air Force",
        )
    ]
    assert find_disagreements([claim(1, perpetrator=RUSSIA), claim(2, perpetrator=None)]) == []
    assert find_disagreements([claim(1, perpetrator=RUSSIA), claim(2, perpetrator="   ")]) == []


@pytest.mark.parametrize("stance", ["alleges", "corroborates", "acknowledges"])
def test_alternative_account_contradicts_affirming_claims(stance):
    found = find_disagreements([claim(1, "A", stance=stance), claim(2, "B", stance="alternative")])
    assert found == [Disagreement("denial", (1, 2), f"B gives an alternative account of the event; A {stance} it")]


def test_denials_do_not_contradict_each_other_or_responsibility_denials():
    claims = [claim(1, stance="denies"), claim(2, stance="alternative"), claim(3, stance="denies_responsibility")]
    assert find_disagreements(claims) == []
    assert find_disagreements([claim(1, stance="alleges"), claim(2, stance="denies_responsibility")]) == []


def test_unknown_stance_is_rejected():
    with pytest.raises(ValueError):
        claim(1, stance="maybe")


def test_munitions_compared_only_when_both_stated():
    found = find_disagreements([claim(1, "A", munition="Cluster bomb"), claim(2, "B", munition="Unguided rocket")])
    assert found == [Disagreement("munition", (1, 2), "A says Cluster bomb was used; B says Unguided rocket")]
    assert find_disagreements([claim(1, munition="RBK-500"), claim(2, munition=" rbk-500")]) == []
    assert find_disagreements([claim(1, munition="RBK-500"), claim(2)]) == []


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("Missiles", "Three missiles", True),
        ("Barrel bomb", "Barrel bombs dropped from helicopters", True),
        ("RBK-500 cluster bomb", "rbk 500", True),
        ("Cluster munitions", "Unguided rocket", False),
        ("Missile", "Barrel bomb", False),
        ("", "Anything", True),
        (None, "Anything", True),
    ],
)
def test_munitions_agree_when_one_description_contains_the_other(a, b, agree):
    assert munitions_agree(a, b) is agree
    assert munitions_agree(b, a) is agree


@given(st.text(max_size=30), st.text(max_size=30))
def test_munitions_agree_is_symmetric_and_reflexive(a, b):
    assert munitions_agree(a, b) == munitions_agree(b, a)
    assert munitions_agree(a, a)


@pytest.mark.parametrize(
    ("a", "b", "differ"),
    [
        (Range(34, None), Range(49, 49), True),  # a floor and a different count
        (Range(34, None), Range(34, 49), False),  # same best figure
        (Range(30, 40), Range(35, 35), False),  # closed ranges that overlap agree
        (Range(34, 34), Range(49, 49), False),  # no overlap: that is a "casualties" disagreement instead
        (Range(None, 10), Range(5, 5), True),
        (Range(), Range(5, 5), False),
    ],
)
def test_figures_differ(a, b, differ):
    assert figures_differ(a, b) is differ
    assert figures_differ(b, a) is differ


def test_dates_beyond_their_precision():
    d = datetime.date(2016, 1, 31)
    a = claim(1, "A", event_date=d, date_tolerance_days=1)
    b = claim(2, "B", event_date=d + datetime.timedelta(days=3), date_tolerance_days=1)
    assert find_disagreements([a, b]) == [
        Disagreement("date", (1, 2), "A dates it 2016-01-31 (± 1 day); B dates it 2016-02-03 (± 1 day)")
    ]
    vague = claim(2, "B", event_date=d + datetime.timedelta(days=3), date_tolerance_days=None)
    assert find_disagreements([a, vague]) == []


def test_places_beyond_their_precision():
    a = claim(1, "A", lat=ARIHA[0], lon=ARIHA[1], radius_m=500)
    b = claim(2, "B", lat=35.9306, lon=36.6339, radius_m=500)
    [d] = find_disagreements([a, b])
    assert d.kind == "place"
    assert d.claim_ids == (1, 2)
    assert d.message.startswith("A and B place it 13.")
    assert find_disagreements([a, b], place_margin_m=20_000) == []


def test_military_objective():
    found = find_disagreements(
        [claim(1, "A", military_objective_present=False), claim(2, "B", military_objective_present=True)]
    )
    assert found == [
        Disagreement("military_objective", (1, 2), "B says a military objective was present; A says none was")
    ]
    assert find_disagreements([claim(1, military_objective_present=True), claim(2)]) == []


def test_disagreements_are_grouped_by_kind_then_pair():
    claims = [
        claim(3, "C", killed=Range(1, 1), munition="x"),
        claim(1, "A", killed=Range(2, 2), munition="y"),
        claim(2, "B", killed=Range(3, 3)),
    ]
    assert [(d.kind, d.claim_ids) for d in find_disagreements(claims)] == [
        ("casualties", (1, 2)),
        ("casualties", (1, 3)),
        ("casualties", (2, 3)),
        ("munition", (1, 3)),
    ]


# --- summary_line ----------------------------------------------------------------------------------------


def test_derived_claims_do_not_count_as_sources():
    claims = [
        *ariha_claims(),
        claim(4, "Newspaper quoting activists", killed=Range(80, 80), independent=False),
    ]
    assert summary_line(claims) == (
        "34–49 killed according to 2 sources; denied by Russian Ministry of Defence (party to the conflict)"
    )


def test_same_source_counted_once_and_singular():
    claims = [claim(1, "Amnesty", killed=Range(49, 49)), claim(2, "amnesty ", killed=Range(50, 50))]
    assert summary_line(claims) == "49–50 killed according to 1 source"


def test_summary_with_injured_and_several_deniers():
    claims = [
        claim(1, "A", killed=Range(5, 5), injured=Range(12, None)),
        claim(2, "Ministry", source_is_belligerent=True, stance="denies", killed=Range(0, 0)),
        claim(3, "Pundit", stance="alternative", independent=False),
        claim(4, "Ministry", source_is_belligerent=True, stance="denies"),
        claim(5, "Militia", source_is_belligerent=True, stance="alternative"),
    ]
    assert summary_line(claims) == (
        "5 killed and at least 12 injured according to 1 source; "
        "denied by Ministry (party to the conflict), Pundit and Militia (party to the conflict)"
    )


def test_summary_states_figures_as_the_claims_do():
    """A minimum stays a minimum: "30" and "at least 40" never become "30–40", nor "at least 40" alone "40"."""
    thirty, forty = claim(1, "A", injured=Range(30, 30)), claim(2, "B", injured=Range(40, None))
    assert summary_line([thirty, forty]) == "30 to at least 40 injured according to 2 sources"
    assert summary_line([forty]) == "at least 40 injured according to 1 source"
    assert summary_line([claim(1, "A", killed=Range(None, 15))]) == "up to 15 killed according to 1 source"
    # A closed figure at or above the minimum closes the top: "at least 34" and "49" read 34–49.
    assert summary_line([claim(1, "A", killed=Range(34, None)), claim(2, "B", killed=Range(49, 49))]) == (
        "34–49 killed according to 2 sources"
    )
    assert summary_line([forty, claim(2, "C", injured=Range(40, 40))]) == "40 injured according to 2 sources"


def test_summary_without_figures():
    assert summary_line([]) == "No casualty figures reported"
    assert summary_line([claim(1, "A")]) == "No casualty figures reported"
    assert summary_line([claim(1, "A"), claim(2, MOD, source_is_belligerent=True, stance="denies")]) == (
        "No casualty figures reported; denied by Russian Ministry of Defence (party to the conflict)"
    )


def test_summary_only_injured():
    assert summary_line([claim(1, "A", injured=Range(7, 9))]) == "7–9 injured according to 1 source"


# --- properties ------------------------------------------------------------------------------------------

figures = st.integers(min_value=0, max_value=10_000)


@st.composite
def ranges(draw):
    low = draw(st.none() | figures)
    high = draw(st.none() | figures)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Range(low, high)


dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2040, 12, 31))
tolerances = st.none() | st.integers(min_value=0, max_value=365)
lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
radii = st.none() | st.integers(min_value=0, max_value=100_000)


@given(ranges(), ranges())
def test_ranges_overlap_is_symmetric(a, b):
    assert ranges_overlap(a, b) == ranges_overlap(b, a)


@given(ranges())
def test_range_overlaps_itself_and_not_stated(r):
    assert ranges_overlap(r, r)
    assert ranges_overlap(r, Range())


@given(st.lists(ranges()))
def test_combined_range_contains_every_stated_figure(rs):
    combined = combined_range(rs)
    stated = [f for r in rs for f in (r.low, r.high) if f is not None]
    if not stated:
        assert combined is None
        return
    assert combined is not None
    assert all(combined.low <= f <= combined.high for f in stated)
    assert combined == Range(min(stated), max(stated))


@given(dates, tolerances, dates, tolerances)
def test_dates_disagree_is_symmetric(da, ta, db, tb):
    assert dates_disagree(da, ta, db, tb) == dates_disagree(db, tb, da, ta)


@given(dates, tolerances, tolerances)
def test_equal_dates_never_disagree(d, ta, tb):
    assert not dates_disagree(d, ta, d, tb)


@given(st.none() | dates, dates, st.integers(min_value=0, max_value=365))
def test_unknown_tolerance_never_disagrees(da, db, t):
    assert not dates_disagree(da, None, db, t)
    assert not dates_disagree(da, t, db, None)
    assert not dates_disagree(da, None, db, None)


@given(lats, lons, radii, lats, lons, radii, st.integers(min_value=0, max_value=10_000))
def test_places_disagree_is_symmetric(lat_a, lon_a, ra, lat_b, lon_b, rb, margin):
    assert places_disagree(lat_a, lon_a, ra, lat_b, lon_b, rb, margin) == places_disagree(
        lat_b, lon_b, rb, lat_a, lon_a, ra, margin
    )


@given(lats, lons, radii, radii)
def test_identical_points_never_disagree(lat, lon, ra, rb):
    assert not places_disagree(lat, lon, ra, lat, lon, rb)


claim_facts = st.builds(ClaimFacts, id=st.integers(0, 20), source_name=st.sampled_from(["A", "B"]), killed=ranges())


@given(st.lists(claim_facts, unique_by=lambda c: c.id), st.randoms())
def test_find_disagreements_ignores_input_order(claims, random):
    shuffled = list(claims)
    random.shuffle(shuffled)
    found = find_disagreements(claims)
    assert found == find_disagreements(shuffled)
    assert all(d.kind in {"casualties", "figures"} and d.claim_ids[0] < d.claim_ids[1] for d in found)


@given(ranges(), ranges())
def test_different_counts_always_overlap_and_have_different_best_figures(a, b):
    if figures_differ(a, b):
        assert ranges_overlap(a, b)
        assert best_figure(a) != best_figure(b)
    assert figures_differ(a, b) == figures_differ(b, a)
