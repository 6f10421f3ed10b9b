"""The suggested confidence grade of an alleged attack, from its claims, with the reasons in words.

Adapted from Airwars. No Django here: callers pass ClaimFacts (see verify.lib.crosscheck) with
`credibility`, `source_reliability` and `source_side` filled in.

The rules are applied in this order; the first that holds gives the grade:

1. Unassessed: no claims at all, or no claim that alleges, corroborates or acknowledges the attack (only
   denials, or accounts that deny it happened as alleged).
2. Confirmed: a source that speaks for a party to the conflict acknowledges responsibility for it, on behalf
   of that party (an acknowledging claim whose named perpetrator, if any, is the source's own side).
   An acknowledgement settles attribution, so it outranks competing perpetrators.
3. Contested: independent claims name two or more different perpetrators. A denial alone ("denies") does
   not name anyone, so it never makes an incident Contested; an account that denies responsibility or gives
   an alternative explanation counts only when it names someone other than its own side.
4. Fair: two or more independent affirming claims, from different sources, with credibility 1-3 and from
   sources rated A-C.
5. Weak: anything else with at least one independent affirming claim: a single source, or several that do
   not meet the bar for Fair.

Discounted is a reviewer's judgement and is never suggested. Derived claims (repeats of another claim) are
never counted as independent: they cannot lift Weak to Fair, nor make an incident Contested.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from verify.lib import stances
from verify.lib.crosscheck import AFFIRMING_STANCES, ClaimFacts
from verify.lib.crosscheck import norm as _norm

UNASSESSED = "unassessed"
CONFIRMED = "confirmed"
FAIR = "fair"
WEAK = "weak"
CONTESTED = "contested"
DISCOUNTED = "discounted"  # never suggested; listed for completeness

CREDIBLE = frozenset({1, 2, 3})
RELIABLE = frozenset({"A", "B", "C"})
NAMING_STANCES = stances.NAMING


@dataclass(frozen=True)
class Suggestion:
    grade: str
    reasons: tuple[str, ...]


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _acknowledges(c: ClaimFacts) -> bool:
    if c.stance != "acknowledges" or not c.source_side:
        return False
    return c.perpetrator is None or _norm(c.perpetrator) == _norm(c.source_side)


def _named_perpetrator(c: ClaimFacts) -> str | None:
    """Who this claim holds responsible, or None. A side denying its own responsibility names nobody."""
    if c.stance not in NAMING_STANCES or not _norm(c.perpetrator):
        return None
    if c.stance in {"denies_responsibility", "alternative"} and _norm(c.perpetrator) == _norm(c.source_side):
        return None
    return c.perpetrator.strip()  # type: ignore[union-attr]


def _meets_fair_bar(c: ClaimFacts) -> bool:
    return c.credibility in CREDIBLE and (c.source_reliability or "").upper() in RELIABLE


def suggest_grade(claims: Iterable[ClaimFacts]) -> Suggestion:
    """The grade the claims support, and why. See the module docstring for the rules and their order."""
    ordered = sorted(claims, key=lambda c: c.id)
    independent = [c for c in ordered if c.independent]
    affirming = [c for c in independent if c.stance in AFFIRMING_STANCES]
    derived = [c for c in ordered if not c.independent]
    deniers: list[str] = []
    for c in ordered:
        if c.stance == "denies" and c.label not in deniers:
            deniers.append(c.label)

    notes: list[str] = []
    if derived:
        notes.append(
            f"{_count(len(derived), 'derived claim')} ({_join(sorted({c.source_name for c in derived}))}) "
            "only repeat other claims and are not counted as independent."
        )
    if deniers:
        notes.append(f"Denied by {_join(deniers)}; a denial alone does not make the incident contested.")

    if not ordered:
        return Suggestion(UNASSESSED, ("No claims have been recorded yet.",))
    if not affirming:
        return Suggestion(
            UNASSESSED,
            ("No independent claim alleges, corroborates or acknowledges the attack.", *notes),
        )

    acknowledging = [c for c in ordered if _acknowledges(c)]
    named: dict[str, str] = {}
    for c in independent:
        who = _named_perpetrator(c)
        if who is not None:
            named.setdefault(_norm(who), who)  # type: ignore[arg-type]

    if acknowledging:
        first = acknowledging[0]
        reasons = [f"{first.source_name}, speaking for {first.source_side}, acknowledges responsibility."]
        if len(named) > 1:
            reasons.append(
                f"Other claims name {_join(sorted(named.values()))}; the acknowledgement settles who is responsible."
            )
        return Suggestion(CONFIRMED, (*reasons, *notes))

    if len(named) > 1:
        namers = []
        for key, who in sorted(named.items()):
            sources = sorted({c.source_name for c in independent if _norm(_named_perpetrator(c)) == key})
            namers.append(f"{_join(sources)} name{'s' if len(sources) == 1 else ''} {who}")
        return Suggestion(CONTESTED, (f"Competing perpetrators are named: {'; '.join(namers)}.", *notes))

    sources = {_norm(c.source_name): c.source_name for c in affirming}
    strong = {_norm(c.source_name): c.source_name for c in affirming if _meets_fair_bar(c)}
    if len(strong) >= 2:
        return Suggestion(
            FAIR,
            (
                f"{_count(len(strong), 'independent source')} ({_join(sorted(strong.values()))}) make credible "
                "claims (credibility 1–3, sources rated A–C).",
                *notes,
            ),
        )
    if len(sources) == 1:
        reasons = [f"Only one independent source: {next(iter(sources.values()))}."]
    else:
        reasons = [
            f"{_count(len(sources), 'independent source')} ({_join(sorted(sources.values()))}), but "
            f"{'only one meets' if len(strong) == 1 else 'none meet'} the bar for Fair "
            "(credibility 1–3 from a source rated A–C)."
        ]
    return Suggestion(WEAK, (*reasons, *notes))
