"""The suggested confidence grade of an alleged attack, from its claims, with the reasons as codes.

Adapted from Airwars. No Django here: callers pass ClaimFacts (see verify.lib.crosscheck) with
`credibility`, `source_reliability` and `source_side` filled in.

The rules are applied in this order; the first that holds gives the grade:

1. Unassessed: no claims at all, or no claim that alleges, corroborates or acknowledges the attack (only
   denials, or accounts that deny it happened as alleged).
2. Confirmed: a source that speaks for a party to the conflict acknowledges responsibility for it, on behalf
   of that party (an acknowledging claim whose named perpetrator, if any, is the source's own side or part
   of it). An acknowledgement settles attribution, so it outranks competing perpetrators.
3. Contested: independent claims name perpetrators in two or more different lines (an actor and a unit
   that is part of it are one line; see verify.lib.crosscheck.perpetrator_lines). A denial alone ("denies")
   does not name anyone, so it never makes an incident Contested; an account that denies responsibility or
   gives an alternative explanation counts only when it names someone outside its own side.
4. Fair: two or more independent affirming claims, from different sources, with credibility 1-3 and from
   sources rated A-C.
5. Weak: anything else with at least one independent affirming claim: a single source, or several that do
   not meet the bar for Fair.

Sources and perpetrators are compared by identity (ClaimFacts.source_key and perpetrator_lineage), never by
name: two claims from one source are one source, and naming an actor and a unit that is part of it (or the
side's own branch) is not naming a competitor. Renaming or aliasing cannot change a grade; merging can.

Discounted is a reviewer's judgement and is never suggested. Derived claims (repeats of another claim) are
never counted as independent: they cannot lift Weak to Fair, nor make an incident Contested.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from verify.lib import stances
from verify.lib.crosscheck import AFFIRMING_STANCES, ClaimFacts, perpetrator_lines

UNASSESSED = "unassessed"
CONFIRMED = "confirmed"
FAIR = "fair"
WEAK = "weak"
CONTESTED = "contested"
DISCOUNTED = "discounted"  # never suggested; listed for completeness

CREDIBLE = frozenset({1, 2, 3})
RELIABLE = frozenset({"A", "B", "C"})
NAMING_STANCES = stances.NAMING


# The codes of the reasons, with their parameters. The words are rendered only for display, by
# verify.claims.reasons.reason_text; a stored reason is {"code": ..., **params}.
NO_CLAIMS = "no_claims"  # no params
NO_AFFIRMING_CLAIM = "no_affirming_claim"  # no params
ACKNOWLEDGED = "acknowledged"  # source, side
ACKNOWLEDGEMENT_SETTLES = "acknowledgement_settles"  # perpetrators: names
COMPETING_PERPETRATORS = "competing_perpetrators"  # namers: [{"sources": names, "perpetrator": name}]
FAIR_SOURCES = "fair_sources"  # sources: names
SINGLE_SOURCE = "single_source"  # source
BELOW_FAIR_BAR = "below_fair_bar"  # sources: names, meeting: how many meet the bar (0 or 1)
DERIVED_NOT_COUNTED = "derived_not_counted"  # count: derived claims, sources: their names
DENIAL_NOT_CONTESTING = "denial_not_contesting"  # deniers: [{"name": name, "party": bool}]
CODES = frozenset(
    {
        NO_CLAIMS,
        NO_AFFIRMING_CLAIM,
        ACKNOWLEDGED,
        ACKNOWLEDGEMENT_SETTLES,
        COMPETING_PERPETRATORS,
        FAIR_SOURCES,
        SINGLE_SOURCE,
        BELOW_FAIR_BAR,
        DERIVED_NOT_COUNTED,
        DENIAL_NOT_CONTESTING,
    }
)


@dataclass(frozen=True)
class Reason:
    """Why a grade is suggested: a code and its parameters (plain JSON values), never words."""

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"Unknown reason code {self.code!r}")

    def as_dict(self) -> dict:
        """The stored form, as in Incident.suggestion_reasons."""
        return {"code": self.code, **self.params}


@dataclass(frozen=True)
class Suggestion:
    grade: str
    reasons: tuple[Reason, ...]


def _own_side(c: ClaimFacts) -> bool:
    """True when the named perpetrator is the source's own side or part of it (its ministry speaks for it)."""
    return c.source_side_key is not None and c.source_side_key in c.perpetrator_lineage


def _acknowledges(c: ClaimFacts) -> bool:
    if c.stance != "acknowledges" or c.source_side_key is None:
        return False
    return c.perpetrator_key is None or _own_side(c)


def _names_someone(c: ClaimFacts) -> bool:
    """Whether this claim holds someone responsible. A side denying its own responsibility names nobody."""
    if c.stance not in NAMING_STANCES or c.perpetrator_key is None:
        return False
    return not (c.stance in {"denies_responsibility", "alternative"} and _own_side(c))


def _by_source(claims: Iterable[ClaimFacts]) -> dict[str, str]:
    """Source key -> the name it is shown by (its first claim's): one entry per source, whatever its names."""
    found: dict[str, str] = {}
    for c in claims:
        found.setdefault(c.source_key, c.source_name)
    return found


def _meets_fair_bar(c: ClaimFacts) -> bool:
    return c.credibility in CREDIBLE and (c.source_reliability or "").upper() in RELIABLE


def suggest_grade(claims: Iterable[ClaimFacts]) -> Suggestion:
    """The grade the claims support, and why. See the module docstring for the rules and their order."""
    ordered = sorted(claims, key=lambda c: c.id)
    independent = [c for c in ordered if c.independent]
    affirming = [c for c in independent if c.stance in AFFIRMING_STANCES]
    derived = [c for c in ordered if not c.independent]
    deniers: list[dict] = []
    for c in ordered:
        denier = {"name": c.source_name, "party": c.source_is_belligerent}
        if c.stance == "denies" and denier not in deniers:
            deniers.append(denier)

    notes: list[Reason] = []
    if derived:
        notes.append(
            Reason(DERIVED_NOT_COUNTED, {"count": len(derived), "sources": sorted({c.source_name for c in derived})})
        )
    if deniers:
        notes.append(Reason(DENIAL_NOT_CONTESTING, {"deniers": deniers}))

    if not ordered:
        return Suggestion(UNASSESSED, (Reason(NO_CLAIMS),))
    if not affirming:
        return Suggestion(UNASSESSED, (Reason(NO_AFFIRMING_CLAIM), *notes))

    acknowledging = [c for c in ordered if _acknowledges(c)]
    lines = perpetrator_lines(c for c in independent if _names_someone(c))

    if acknowledging:
        first = acknowledging[0]
        reasons = [Reason(ACKNOWLEDGED, {"source": first.source_name, "side": first.source_side})]
        if len(lines) > 1:
            reasons.append(Reason(ACKNOWLEDGEMENT_SETTLES, {"perpetrators": [line.label for line in lines]}))
        return Suggestion(CONFIRMED, (*reasons, *notes))

    if len(lines) > 1:
        namers = [{"sources": sorted(_by_source(line.claims).values()), "perpetrator": line.label} for line in lines]
        return Suggestion(CONTESTED, (Reason(COMPETING_PERPETRATORS, {"namers": namers}), *notes))

    sources = _by_source(affirming)
    strong = _by_source(c for c in affirming if _meets_fair_bar(c))
    if len(strong) >= 2:
        return Suggestion(FAIR, (Reason(FAIR_SOURCES, {"sources": sorted(strong.values())}), *notes))
    if len(sources) == 1:
        reason = Reason(SINGLE_SOURCE, {"source": next(iter(sources.values()))})
    else:
        reason = Reason(BELOW_FAIR_BAR, {"sources": sorted(sources.values()), "meeting": len(strong)})
    return Suggestion(WEAK, (reason, *notes))
