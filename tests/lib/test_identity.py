"""Identity and hierarchy in the cross-check and the suggested grade (verify.lib.crosscheck, verify.lib.grading).

Callers pass resolved identities: a source key per claim and the perpetrator's lineage (its key, then its
ancestors', nearest first). Plain Python, except the last tests, which check that the models feed them.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from verify.claims.crosscheck import crosscheck, incident_claims, incident_crosscheck
from verify.claims.models import Actor
from verify.lib import grading
from verify.lib.crosscheck import (
    STANCES,
    ClaimFacts,
    Disagreement,
    Range,
    find_disagreements,
    perpetrator_label,
    perpetrator_lines,
    same_line,
    summary_line,
)
from verify.lib.grading import CONFIRMED, CONTESTED, FAIR, WEAK, Reason, suggest_grade
from verify.lib.trees import descendants, lineage

SNHR = "7"  # the source key of the Syrian Network for Human Rights, whatever it is called
RUSSIA = {"perpetrator": "Armed Forces of Russia", "perpetrator_lineage": ("ru",)}
RUSSIA_ALIAS = {"perpetrator": "Military Forces of Russia (2000-)", "perpetrator_lineage": ("ru",)}
AEROSPACE = {"perpetrator": "Russian Aerospace Forces", "perpetrator_lineage": ("ru-air", "ru")}
NAVY = {"perpetrator": "Russian Navy", "perpetrator_lineage": ("ru-navy", "ru")}
SU24_REGIMENT = {"perpetrator": "277th Bomber Aviation Regiment", "perpetrator_lineage": ("ru-277", "ru-air", "ru")}
SYRIAN_AIR = {"perpetrator": "Syrian Arab Air Force", "perpetrator_lineage": ("sy-air", "sy")}
SYRIA = {"perpetrator": "Military Forces of Syria (2000-)", "perpetrator_lineage": ("sy",)}


def claim(id: int, source: str, key: str | None = None, **kwargs) -> ClaimFacts:
    kwargs.setdefault("credibility", 2)
    kwargs.setdefault("source_reliability", "B")
    return ClaimFacts(id=id, source_name=source, source_key=key or f"key-{source}", **kwargs)


def mod(id: int, stance: str, **kwargs) -> ClaimFacts:
    """The Russian Ministry of Defence, which speaks for the Armed Forces of Russia."""
    return claim(
        id,
        "Russian Ministry of Defence",
        "mod",
        stance=stance,
        source_is_belligerent=True,
        source_side="Armed Forces of Russia",
        source_side_key="ru",
        credibility=4,
        source_reliability="D",
        **kwargs,
    )


# --- Sources: one identity is one source -----------------------------------------------------------------


def test_the_snhr_case_one_organisation_under_two_names_is_one_source():
    claims = [
        claim(1, "SNHR", SNHR, killed=Range(9, 9), **RUSSIA_ALIAS),
        claim(2, "Syrian Network for Human Rights", SNHR, killed=Range(9, 9), **AEROSPACE),
    ]
    assert summary_line(claims) == "9 killed according to 1 source"
    suggestion = suggest_grade(claims)
    assert suggestion.grade == WEAK
    assert suggestion.reasons == (Reason(grading.SINGLE_SOURCE, {"source": "SNHR"}),)
    assert find_disagreements(claims) == []


def test_two_identities_are_two_sources_even_under_one_name():
    claims = [claim(1, "Local activists", "a", killed=Range(3, 3)), claim(2, "Local activists", "b")]
    assert summary_line(claims) == "3 killed according to 1 source"
    claims[1] = claim(2, "Local activists", "b", killed=Range(3, 3))
    assert summary_line(claims) == "3 killed according to 2 sources"
    assert suggest_grade(claims).grade == FAIR


def test_fair_needs_two_independent_identities_not_two_claims():
    same = [claim(1, "SOHR", "5"), claim(2, "Syrian Observatory for Human Rights", "5", stance="corroborates")]
    assert suggest_grade(same).grade == WEAK
    assert suggest_grade([*same, claim(3, "Amnesty International", "9")]).grade == FAIR


def test_the_below_the_bar_reason_lists_each_source_once():
    claims = [claim(1, "SOHR", "5"), claim(2, "Syrian Observatory", "5"), claim(3, "Wire", "8", credibility=5)]
    suggestion = suggest_grade(claims)
    assert suggestion.grade == WEAK
    assert suggestion.reasons == (Reason(grading.BELOW_FAIR_BAR, {"sources": ["SOHR", "Wire"], "meeting": 1}),)


def test_without_keys_the_folded_name_is_the_identity():
    a = ClaimFacts(id=1, source_name="  Amnesty ", perpetrator=" Russian  FORCES")
    b = ClaimFacts(id=2, source_name="amnesty", perpetrator="russian forces")
    assert a.source_key == b.source_key == "amnesty"
    assert a.perpetrator_lineage == b.perpetrator_lineage == ("russian forces",)
    assert ClaimFacts(id=3, source_name="A").perpetrator_lineage == ()


# --- Perpetrators: one line is one perpetrator -----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (RUSSIA, AEROSPACE),
        (AEROSPACE, RUSSIA),
        (RUSSIA_ALIAS, AEROSPACE),
        (SU24_REGIMENT, RUSSIA),
        (RUSSIA, RUSSIA_ALIAS),
    ],
)
def test_an_actor_and_a_unit_that_is_part_of_it_do_not_disagree(a, b):
    claims = [claim(1, "Activists", **a), claim(2, "Amnesty", **b)]
    assert same_line(claims[0], claims[1]) and same_line(claims[1], claims[0])
    assert find_disagreements(claims) == []
    assert suggest_grade(claims).grade == FAIR


def test_the_agreed_perpetrator_is_named_parent_then_child():
    claims = [claim(1, "Activists", **AEROSPACE), claim(2, "Amnesty", **RUSSIA), claim(3, "HRW")]
    assert perpetrator_label(claims) == "Armed Forces of Russia (Russian Aerospace Forces)"
    assert perpetrator_label([claim(1, "A", **RUSSIA_ALIAS), claim(2, "B", **RUSSIA)]) == (
        "Military Forces of Russia (2000-)"
    )
    assert perpetrator_label([claim(1, "A", **SU24_REGIMENT), claim(2, "B", **AEROSPACE)]) == (
        "Russian Aerospace Forces (277th Bomber Aviation Regiment)"
    )
    assert perpetrator_label([claim(1, "A")]) is None
    assert perpetrator_label([claim(1, "A", **RUSSIA), claim(2, "B", **SYRIA)]) is None


def test_actors_in_different_lines_compete():
    claims = [claim(1, "Activists", **AEROSPACE), claim(2, "SANA", **SYRIAN_AIR)]
    assert find_disagreements(claims) == [
        Disagreement(
            "perpetrator",
            (1, 2),
            "Activists names Russian Aerospace Forces as the perpetrator; SANA names Syrian Arab Air Force",
        )
    ]
    assert suggest_grade(claims).grade == CONTESTED


def test_competing_lines_are_named_with_everyone_who_names_them():
    claims = [
        claim(1, "Activists", **AEROSPACE),
        claim(2, "SNHR", SNHR, **RUSSIA),
        claim(3, "Syrian Network for Human Rights", SNHR, **RUSSIA_ALIAS),
        claim(4, "SANA", **SYRIA),
    ]
    suggestion = suggest_grade(claims)
    assert suggestion.grade == CONTESTED
    assert suggestion.reasons[0] == Reason(
        grading.COMPETING_PERPETRATORS,
        {
            "namers": [
                {"sources": ["Activists", "SNHR"], "perpetrator": "Armed Forces of Russia (Russian Aerospace Forces)"},
                {"sources": ["SANA"], "perpetrator": "Military Forces of Syria (2000-)"},
            ]
        },
    )
    assert [d.claim_ids for d in find_disagreements(claims)] == [(1, 4), (2, 4), (3, 4)]


def test_sibling_branches_are_different_lines_and_the_parent_belongs_to_both():
    claims = [claim(1, "A", **AEROSPACE), claim(2, "B", **NAVY), claim(3, "C", **RUSSIA)]
    assert [d.claim_ids for d in find_disagreements(claims)] == [(1, 2)]
    lines = perpetrator_lines(claims)
    assert [(line.label, [c.id for c in line.claims]) for line in lines] == [
        ("Armed Forces of Russia (Russian Aerospace Forces)", [1, 3]),
        ("Armed Forces of Russia (Russian Navy)", [2, 3]),
    ]
    assert suggest_grade(claims).grade == CONTESTED


def test_a_ministry_acknowledging_its_own_branch_is_confirmed():
    suggestion = suggest_grade([mod(1, "acknowledges", **AEROSPACE)])
    assert suggestion.grade == CONFIRMED
    assert suggestion.reasons == (
        Reason(grading.ACKNOWLEDGED, {"source": "Russian Ministry of Defence", "side": "Armed Forces of Russia"}),
    )


def test_acknowledging_someone_outside_its_side_is_not_confirmed():
    assert suggest_grade([mod(1, "acknowledges", **SYRIAN_AIR)]).grade == WEAK


def test_the_acknowledgement_settles_competing_lines_named_by_line():
    claims = [claim(1, "Activists", **AEROSPACE), claim(2, "SANA", **SYRIA), mod(3, "acknowledges", **RUSSIA)]
    suggestion = suggest_grade(claims)
    assert suggestion.grade == CONFIRMED
    assert suggestion.reasons[1] == Reason(
        grading.ACKNOWLEDGEMENT_SETTLES,
        {"perpetrators": ["Armed Forces of Russia (Russian Aerospace Forces)", "Military Forces of Syria (2000-)"]},
    )


def test_a_ministry_denying_its_own_branchs_responsibility_names_nobody():
    claims = [claim(1, "Activists", **AEROSPACE), mod(2, "denies_responsibility", **AEROSPACE)]
    assert suggest_grade(claims).grade == WEAK
    claims = [claim(1, "Activists", **NAVY), mod(2, "denies_responsibility", **AEROSPACE)]
    assert suggest_grade(claims).grade == WEAK
    # Blaming someone in another line does name a competitor.
    claims = [claim(1, "Activists", **AEROSPACE), mod(2, "alternative", **SYRIAN_AIR)]
    assert suggest_grade(claims).grade == CONTESTED


# --- Bad input and the lineage walk ----------------------------------------------------------------------


def test_a_lineage_needs_a_named_perpetrator():
    with pytest.raises(ValueError, match="no perpetrator is named"):
        ClaimFacts(id=1, source_name="A", perpetrator_lineage=("ru",))
    with pytest.raises(ValueError, match="no perpetrator is named"):
        ClaimFacts(id=1, source_name="A", perpetrator="  ", perpetrator_lineage=("ru",))


def test_a_lineage_that_repeats_a_key_is_a_cycle_and_refused():
    with pytest.raises(ValueError, match="cycle"):
        ClaimFacts(id=1, source_name="A", perpetrator="X", perpetrator_lineage=("x", "y", "x"))
    with pytest.raises(ValueError, match="blank key"):
        ClaimFacts(id=1, source_name="A", perpetrator="X", perpetrator_lineage=("x", " "))


def test_lineage_walks_up_nearest_first():
    parents = {3: 2, 2: 1, 1: None, 9: None}
    assert lineage(3, parents) == (3, 2, 1)
    assert lineage(1, parents) == (1,)
    assert lineage(4, parents) == (4,)  # unknown: no parent
    assert lineage(5, {5: 6}) == (5, 6)  # a parent not in the map ends the walk


def test_lineage_stops_at_a_cycle_and_at_the_depth_limit():
    assert lineage(1, {1: 2, 2: 3, 3: 1}) == (1, 2, 3)
    assert lineage(1, {1: 1}) == (1,)
    chain = {n: n + 1 for n in range(100)}
    assert lineage(0, chain, max_depth=5) == (0, 1, 2, 3, 4)
    assert len(lineage(0, chain)) == 12


def test_mutual_lineages_from_a_cycle_of_parents_are_one_line():
    # What a walk over the cycle x -> y -> x gives: neither crashes nor contests.
    a = claim(1, "A", perpetrator="X", perpetrator_lineage=("x", "y"))
    b = claim(2, "B", perpetrator="Y", perpetrator_lineage=("y", "x"))
    assert find_disagreements([a, b]) == []
    assert len(perpetrator_lines([a, b])) == 1
    assert suggest_grade([a, b]).grade == FAIR


# --- Properties ------------------------------------------------------------------------------------------

ACTORS = ["a0", "a1", "a2", "a3", "a4", "a5"]
SOURCES = ["s0", "s1", "s2", "s3"]
labels = st.text(alphabet="abcXYZ -()", min_size=1, max_size=12).filter(str.strip)


@st.composite
def forests(draw) -> dict[str, str | None]:
    """Each actor's parent: an earlier actor or none, so the parents never form a cycle."""
    return {a: draw(st.none() | st.sampled_from(ACTORS[:i])) if i else None for i, a in enumerate(ACTORS)}


@st.composite
def incidents(draw):
    """Claims as identities only: (id, source key, stance, independent, actor key or None, side key or None, ...)."""
    parents = draw(forests())
    n = draw(st.integers(0, 6))
    rows = [
        {
            "id": i,
            "source": draw(st.sampled_from(SOURCES)),
            "stance": draw(st.sampled_from(sorted(STANCES))),
            "independent": draw(st.booleans()),
            "actor": draw(st.none() | st.sampled_from(ACTORS)),
            "side": draw(st.none() | st.sampled_from(ACTORS)),
            "killed": draw(st.none() | st.integers(0, 50)),
            "credibility": draw(st.integers(1, 6)),
            "reliability": draw(st.sampled_from("ABCDEF")),
        }
        for i in range(1, n + 1)
    ]
    return parents, rows


def build(parents, rows, name) -> list[ClaimFacts]:
    """The claims, each entity shown by name(kind, key, claim id): any name at all, even per claim (aliases)."""
    return [
        ClaimFacts(
            id=r["id"],
            source_name=name("source", r["source"], r["id"]),
            source_key=r["source"],
            stance=r["stance"],
            independent=r["independent"],
            perpetrator=name("actor", r["actor"], r["id"]) if r["actor"] else None,
            perpetrator_lineage=lineage(r["actor"], parents) if r["actor"] else (),
            source_side=name("actor", r["side"], r["id"]) if r["side"] else None,
            source_side_key=r["side"],
            killed=Range(r["killed"], r["killed"]),
            credibility=r["credibility"],
            source_reliability=r["reliability"],
        )
        for r in rows
    ]


def outcome(claims):
    suggestion = suggest_grade(claims)
    count = re.search(r"according to (\d+)", summary_line(claims))
    return (
        suggestion.grade,
        [r.code for r in suggestion.reasons],
        [(d.kind, d.claim_ids) for d in find_disagreements(claims)],
        count and count.group(1),
        len(perpetrator_lines(claims)),
    )


@given(incidents(), st.data())
def test_renaming_or_aliasing_never_changes_the_outcome(incident, data):
    parents, rows = incident
    drawn: dict = {}

    def any_name(kind, key, claim_id):
        # Each entity may go by a different name in every claim: a rename, an alias, an Arabic spelling.
        if (kind, key, claim_id) not in drawn:
            drawn[kind, key, claim_id] = data.draw(labels)
        return drawn[kind, key, claim_id]

    plain = build(parents, rows, lambda kind, key, claim_id: f"{kind} {key}")
    assert outcome(build(parents, rows, any_name)) == outcome(plain)


@given(incidents(), st.sampled_from(SOURCES), st.sampled_from(SOURCES))
def test_merging_two_sources_never_adds_a_source_or_lifts_the_grade(incident, keep, merged):
    parents, rows = incident
    name = lambda kind, key, claim_id: f"{kind} {key}"  # noqa: E731
    before = build(parents, rows, name)
    after = build(parents, [{**r, "source": keep if r["source"] == merged else r["source"]} for r in rows], name)
    grade_before, grade_after = suggest_grade(before).grade, suggest_grade(after).grade
    assert grade_after == grade_before or (grade_before, grade_after) == (FAIR, WEAK)
    count_before, count_after = outcome(before)[3], outcome(after)[3]
    assert (count_before is None) == (count_after is None)
    assert count_after is None or int(count_after) <= int(count_before)


@given(incidents(), st.sampled_from(ACTORS), st.sampled_from(ACTORS))
def test_merging_two_actors_never_makes_an_incident_contested(incident, keep, merged):
    parents, rows = incident
    # The duplicate has no parent, like the actors an import creates; merging into its own line is refused.
    if parents[merged] is not None or keep in lineage(merged, parents) or merged in lineage(keep, parents):
        return
    # The merged actor's children become the kept actor's.
    new_parents = {a: keep if p == merged else p for a, p in parents.items() if a != merged}
    new_rows = [{**r, **{f: keep for f in ("actor", "side") if r[f] == merged}} for r in rows]
    name = lambda kind, key, claim_id: f"{kind} {key}"  # noqa: E731
    before = suggest_grade(build(parents, rows, name)).grade
    after = suggest_grade(build(new_parents, new_rows, name)).grade
    if after == CONTESTED:
        assert before == CONTESTED
    if before == CONFIRMED:
        assert after == CONFIRMED


# --- The models feed it identities (verify.claims.crosscheck) ------------------------------------------------
# These need the database; the hierarchy ones run once Actor has its "part of" parent.

HAS_PARENT = any(f.name == "parent" for f in Actor._meta.get_fields())
needs_parent = pytest.mark.skipif(not HAS_PARENT, reason="Actor has no parent field on this branch yet")


def _claim(incident, source, **fields):
    fields.setdefault("credibility", "2")
    return factories.claim(incident=incident, source=source, **fields)


@pytest.mark.django_db
def test_the_crosscheck_counts_source_records_not_spellings(researcher):
    # Two records whose names fold alike stay two sources until they are merged.
    incident = factories.incident(created_by=researcher)
    _claim(incident, factories.source("Amnesty International"), killed_min=9, killed_max=9)
    _claim(incident, factories.source("Amnesty  International"), killed_min=9, killed_max=9)
    check = incident_crosscheck(incident)
    assert check.summary == "9 killed according to 2 sources"
    assert check.suggestion.grade == FAIR


@pytest.mark.django_db
def test_the_crosscheck_compares_the_side_by_record(researcher):
    incident = factories.incident(created_by=researcher)
    russia = factories.actor("Russian Aerospace Forces")
    ministry = factories.source("Russian Ministry of Defence", affiliation=russia)
    _claim(incident, ministry, stance="acknowledges", perpetrator=russia)
    check = incident_crosscheck(incident)
    assert check.suggestion.grade == CONFIRMED
    assert check.perpetrator == "Russian Aerospace Forces"


@needs_parent
@pytest.mark.django_db
def test_naming_an_armed_force_and_its_branch_is_one_perpetrator(researcher, django_assert_max_num_queries):
    incident = factories.incident(created_by=researcher)
    russia = factories.actor("Armed Forces of Russia")
    air = factories.actor("Russian Aerospace Forces", parent=russia)
    regiment = factories.actor("277th Bomber Aviation Regiment", parent=air)
    _claim(incident, factories.source("Local activists"), perpetrator=regiment)
    _claim(incident, factories.source("Amnesty"), perpetrator=russia)
    ministry = factories.source("Russian Ministry of Defence", affiliation=russia)
    claims = list(incident_claims(incident))
    with django_assert_max_num_queries(2):  # one per generation above the named actors
        check = crosscheck(claims)
    assert check.disagreements == []
    assert check.suggestion.grade == FAIR
    assert check.perpetrator == "Armed Forces of Russia (277th Bomber Aviation Regiment)"
    _claim(incident, ministry, stance="acknowledges", perpetrator=air)
    assert incident_crosscheck(incident).suggestion.grade == CONFIRMED


@needs_parent
@pytest.mark.django_db
def test_forces_of_two_states_compete_and_a_cycle_of_parents_cannot_hang_it(researcher):
    incident = factories.incident(created_by=researcher)
    russia = factories.actor("Armed Forces of Russia")
    air = factories.actor("Russian Aerospace Forces", parent=russia)
    syria = factories.actor("Syrian Arab Armed Forces")
    _claim(incident, factories.source("Local activists"), perpetrator=air)
    _claim(incident, factories.source("SANA"), perpetrator=syria)
    assert incident_crosscheck(incident).suggestion.grade == CONTESTED
    Actor.objects.filter(pk=russia.pk).update(parent=air)  # bad data the forms refuse
    Actor.objects.filter(pk=syria.pk).update(parent=russia)
    assert incident_crosscheck(incident).suggestion.grade == FAIR


def test_descendants_walk_any_depth_and_stop_at_a_cycle():
    parent_of = {"russia": None, "aerospace": "russia", "squadron": "aerospace", "navy": "russia", "a": "b", "b": "a"}
    assert descendants(["russia"], parent_of) == {"aerospace", "squadron", "navy"}
    assert descendants(["squadron"], parent_of) == set()
    assert descendants(["a"], parent_of) == {"a", "b"}
