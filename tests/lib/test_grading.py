"""Unit and property tests for verify.lib.grading: the suggested grade, its precedence and its reasons (codes,
rendered here in words through verify.claims.reasons to show what a reader sees). No database."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify.claims.reasons import reason_text
from verify.lib import grading
from verify.lib.crosscheck import STANCES, ClaimFacts
from verify.lib.grading import CONFIRMED, CONTESTED, DISCOUNTED, FAIR, UNASSESSED, WEAK, Reason, suggest_grade

RUSSIA = "Russian Aerospace Forces"
SYRIA = "Syrian government forces"


def claim(id: int, source: str, **kwargs) -> ClaimFacts:
    kwargs.setdefault("credibility", 2)
    kwargs.setdefault("source_reliability", "B")
    return ClaimFacts(id=id, source_name=source, **kwargs)


def mod(id: int, stance: str, **kwargs) -> ClaimFacts:
    return claim(
        id,
        "Russian Ministry of Defence",
        source_is_belligerent=True,
        source_side=RUSSIA,
        stance=stance,
        credibility=4,
        source_reliability="D",
        **kwargs,
    )


def words(suggestion) -> list[str]:
    return [reason_text(reason) for reason in suggestion.reasons]


def codes(suggestion) -> list[str]:
    return [reason.code for reason in suggestion.reasons]


def test_no_claims_is_unassessed():
    suggestion = suggest_grade([])
    assert suggestion.grade == UNASSESSED
    assert suggestion.reasons == (Reason(grading.NO_CLAIMS),)
    assert words(suggestion) == ["No claims have been recorded yet."]


def test_only_a_denial_is_unassessed_and_says_why():
    suggestion = suggest_grade([mod(1, "denies")])
    assert suggestion.grade == UNASSESSED
    assert suggestion.reasons == (
        Reason(grading.NO_AFFIRMING_CLAIM),
        Reason(grading.DENIAL_NOT_CONTESTING, {"deniers": [{"name": "Russian Ministry of Defence", "party": True}]}),
    )
    assert words(suggestion) == [
        "No independent claim alleges, corroborates or acknowledges the attack.",
        "Denied by Russian Ministry of Defence (party to the conflict); a denial alone does not make the incident "
        "contested.",
    ]


def test_one_independent_source_is_weak():
    suggestion = suggest_grade([claim(1, "Activists", perpetrator=RUSSIA)])
    assert suggestion.grade == WEAK
    assert suggestion.reasons[0] == Reason(grading.SINGLE_SOURCE, {"source": "Activists"})
    assert words(suggestion)[0] == "Only one independent source: Activists."


def test_two_claims_from_the_same_source_are_still_one_source():
    suggestion = suggest_grade([claim(1, "Amnesty"), claim(2, "amnesty ")])
    assert suggestion.grade == WEAK


def test_two_credible_independent_sources_are_fair():
    suggestion = suggest_grade([claim(1, "Activists", source_reliability="C", credibility=3), claim(2, "Amnesty")])
    assert suggestion.grade == FAIR
    assert suggestion.reasons == (Reason(grading.FAIR_SOURCES, {"sources": ["Activists", "Amnesty"]}),)
    assert words(suggestion) == [
        "2 independent sources (Activists and Amnesty) make credible claims (credibility 1–3, sources rated A–C)."
    ]


def test_a_derived_claim_does_not_turn_weak_into_fair():
    original = claim(1, "Activists")
    repeat = claim(2, "Wire service", independent=False, stance="corroborates")
    suggestion = suggest_grade([original, repeat])
    assert suggestion.grade == WEAK
    assert Reason(grading.DERIVED_NOT_COUNTED, {"count": 1, "sources": ["Wire service"]}) in suggestion.reasons
    assert "1 derived claim (Wire service) only repeat other claims and are not counted as independent." in words(
        suggestion
    )
    # The same claim, independent, would have made it Fair: the flag is what decides.
    assert suggest_grade([original, claim(2, "Wire service", stance="corroborates")]).grade == FAIR


@pytest.mark.parametrize(
    ("second", "why"),
    [
        ({"credibility": 4}, "credibility 4 is too low"),
        ({"credibility": 6}, "credibility cannot be judged"),
        ({"source_reliability": "D"}, "source not usually reliable"),
        ({"source_reliability": "F"}, "source reliability cannot be judged"),
    ],
)
def test_a_second_source_below_the_bar_leaves_it_weak(second, why):
    suggestion = suggest_grade([claim(1, "Amnesty"), claim(2, "Other", **second)])
    assert suggestion.grade == WEAK, why
    assert suggestion.reasons[0] == Reason(grading.BELOW_FAIR_BAR, {"sources": ["Amnesty", "Other"], "meeting": 1})
    assert words(suggestion)[0] == (
        "2 independent sources (Amnesty and Other), but only one meets the bar for Fair "
        "(credibility 1–3 from a source rated A–C)."
    )


def test_several_sources_none_credible_enough_is_weak_and_says_none_meet_the_bar():
    suggestion = suggest_grade(
        [claim(1, "A", credibility=5), claim(2, "B", source_reliability="E"), claim(3, "C", credibility=4)]
    )
    assert suggestion.grade == WEAK
    assert suggestion.reasons == (Reason(grading.BELOW_FAIR_BAR, {"sources": ["A", "B", "C"], "meeting": 0}),)
    assert words(suggestion) == [
        "3 independent sources (A, B and C), but none meet the bar for Fair (credibility 1–3 from a source rated A–C)."
    ]


def test_competing_perpetrators_are_contested_and_named():
    suggestion = suggest_grade([claim(1, "Activists", perpetrator=RUSSIA), claim(2, "Amnesty", perpetrator=SYRIA)])
    assert suggestion.grade == CONTESTED
    assert suggestion.reasons[0] == Reason(
        grading.COMPETING_PERPETRATORS,
        {"namers": [{"sources": ["Activists"], "perpetrator": RUSSIA}, {"sources": ["Amnesty"], "perpetrator": SYRIA}]},
    )
    assert words(suggestion)[0] == f"Competing perpetrators are named: Activists names {RUSSIA}; Amnesty names {SYRIA}."


def test_several_sources_naming_the_same_perpetrator_name_it_together():
    claims = [claim(1, "A", perpetrator=RUSSIA), claim(2, "B", perpetrator=RUSSIA), claim(3, "C", perpetrator=SYRIA)]
    assert (
        words(suggest_grade(claims))[0] == f"Competing perpetrators are named: A and B name {RUSSIA}; C names {SYRIA}."
    )


def test_same_perpetrator_spelled_differently_is_not_contested():
    suggestion = suggest_grade(
        [claim(1, "A", perpetrator=RUSSIA), claim(2, "B", perpetrator=" russian AEROSPACE forces")]
    )
    assert suggestion.grade == FAIR


def test_a_denial_alone_does_not_make_it_contested():
    suggestion = suggest_grade([claim(1, "Activists", perpetrator=RUSSIA), claim(2, "Amnesty"), mod(3, "denies")])
    assert suggestion.grade == FAIR
    assert codes(suggestion) == [grading.FAIR_SOURCES, grading.DENIAL_NOT_CONTESTING]
    assert any("a denial alone does not make the incident contested" in r for r in words(suggestion))


def test_a_side_denying_its_own_responsibility_names_nobody():
    claims = [claim(1, "Activists", perpetrator=RUSSIA), mod(2, "denies_responsibility", perpetrator=RUSSIA)]
    assert suggest_grade(claims).grade == WEAK


def test_a_side_blaming_someone_else_is_contested():
    claims = [claim(1, "Activists", perpetrator=RUSSIA), mod(2, "alternative", perpetrator="Armed opposition groups")]
    assert suggest_grade(claims).grade == CONTESTED


def test_a_derived_claim_naming_another_perpetrator_does_not_make_it_contested():
    claims = [claim(1, "Activists", perpetrator=RUSSIA), claim(2, "Wire", perpetrator=SYRIA, independent=False)]
    assert suggest_grade(claims).grade == WEAK


def test_acknowledgement_by_the_perpetrators_side_is_confirmed():
    suggestion = suggest_grade([mod(1, "acknowledges", perpetrator=RUSSIA)])
    assert suggestion.grade == CONFIRMED
    assert suggestion.reasons[0] == Reason(
        grading.ACKNOWLEDGED, {"source": "Russian Ministry of Defence", "side": RUSSIA}
    )
    assert words(suggestion)[0] == f"Russian Ministry of Defence, speaking for {RUSSIA}, acknowledges responsibility."


def test_acknowledgement_without_a_named_perpetrator_is_taken_for_the_sources_side():
    assert suggest_grade([mod(1, "acknowledges")]).grade == CONFIRMED


def test_acknowledgement_by_an_unaffiliated_source_is_not_confirmed():
    assert suggest_grade([claim(1, "Amnesty", stance="acknowledges")]).grade == WEAK


def test_acknowledging_someone_elses_responsibility_is_not_confirmed():
    assert suggest_grade([mod(1, "acknowledges", perpetrator=SYRIA)]).grade == WEAK


def test_acknowledgement_outranks_competing_perpetrators():
    claims = [claim(1, "Activists", perpetrator=SYRIA), mod(2, "acknowledges", perpetrator=RUSSIA)]
    suggestion = suggest_grade(claims)
    assert suggestion.grade == CONFIRMED
    assert suggestion.reasons[1] == Reason(grading.ACKNOWLEDGEMENT_SETTLES, {"perpetrators": [RUSSIA, SYRIA]})
    assert words(suggestion)[1] == (
        f"Other claims name {RUSSIA} and {SYRIA}; the acknowledgement settles who is responsible."
    )


def test_contested_outranks_fair():
    claims = [claim(1, "A", perpetrator=RUSSIA), claim(2, "B", perpetrator=SYRIA), claim(3, "C", perpetrator=SYRIA)]
    assert suggest_grade(claims).grade == CONTESTED


# --- Properties ----------------------------------------------------------------------------------------

names = st.sampled_from(["Amnesty", "HRW", "Activists", "Wire", "Ministry"])
perpetrators = st.one_of(st.none(), st.sampled_from([RUSSIA, SYRIA, "Coalition"]))


@st.composite
def claim_lists(draw):
    n = draw(st.integers(0, 6))
    out = []
    for i in range(1, n + 1):
        out.append(
            ClaimFacts(
                id=i,
                source_name=draw(names),
                stance=draw(st.sampled_from(sorted(STANCES))),
                independent=draw(st.booleans()),
                perpetrator=draw(perpetrators),
                credibility=draw(st.integers(1, 6)),
                source_reliability=draw(st.sampled_from("ABCDEF")),
                source_side=draw(st.one_of(st.none(), st.sampled_from([RUSSIA, SYRIA]))),
                source_is_belligerent=draw(st.booleans()),
            )
        )
    return out


@given(claim_lists())
def test_discounted_is_never_suggested_and_there_is_always_a_reason(claims):
    suggestion = suggest_grade(claims)
    assert suggestion.grade != DISCOUNTED
    assert suggestion.grade in {UNASSESSED, CONFIRMED, FAIR, WEAK, CONTESTED}
    assert suggestion.reasons and all(r.code in grading.CODES for r in suggestion.reasons)
    # Every reason is stored as plain JSON and renders to words, never to its bare code.
    for reason in suggestion.reasons:
        assert json.loads(json.dumps(reason.as_dict())) == reason.as_dict()
        assert reason_text(reason.as_dict()) not in {"", reason.code}


@given(claim_lists())
def test_adding_a_derived_claim_never_lifts_weak_to_fair(claims):
    before = suggest_grade(claims)
    repeat = ClaimFacts(id=99, source_name="Repeater", independent=False, credibility=1, source_reliability="A")
    after = suggest_grade([*claims, repeat])
    if before.grade in {WEAK, UNASSESSED}:
        assert after.grade == before.grade


@given(claim_lists())
def test_adding_a_plain_denial_never_makes_it_contested(claims):
    before = suggest_grade(claims)
    denial = ClaimFacts(id=99, source_name="Ministry", stance="denies", source_side=RUSSIA, source_is_belligerent=True)
    after = suggest_grade([*claims, denial])
    assert after.grade == before.grade


@given(claim_lists())
def test_order_of_claims_does_not_change_the_suggestion(claims):
    assert suggest_grade(claims) == suggest_grade(list(reversed(claims)))


def test_an_unknown_reason_code_is_refused():
    with pytest.raises(ValueError, match="Unknown reason code"):
        Reason("made_up")
