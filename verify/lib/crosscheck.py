"""Cross-checking of claims about one alleged attack: where do the sources disagree, and what do they say together?

No Django here: callers turn Claim rows into ClaimFacts and render the Disagreements and the summary line.

Choices made here, on which the tests rely:

* A casualty figure is a Range. "At least 34" is Range(34, None), "49" is Range(49, 49), "up to 10" is
  Range(None, 10) and Range(None, None) means no figure was stated. Open ends are unbounded.
* A date or place of unknown precision (no tolerance, no radius) never disagrees with anything: we cannot
  say it is wrong.
* "denies" and "alternative" are the denial stances: they contradict any claim that alleges, corroborates or
  acknowledges the attack. "denies_responsibility" accepts that the attack happened and is compared through
  the named perpetrator instead.
* Figures whose ranges overlap can still be different counts. When at least one of two overlapping figures is
  open-ended ("at least 34") and their best figures differ (34 vs 49), that is a "figures" disagreement: the
  counts differ even though neither excludes the other. Two closed ranges that overlap ("30-40" and "35") agree.
* Munitions agree when the words of one are contained in the other's, ignoring case and plural endings:
  "Missiles" and "Three missiles" agree, "Cluster munitions" and "Unguided rocket" do not.
* Identity is resolved by the caller (aliases, merges, the actors' "part of" chain) and passed in as keys.
  Two claims with the same source key are one source, whatever their names. A perpetrator is its lineage:
  its own key, then its parent's, and so on up. Two perpetrators agree when one's lineage holds the other
  (an armed force and its air force); only actors in different lines (two forces, or two sibling branches)
  compete. Left out, the keys are the folded names, which is how it worked before identities existed.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from verify.lib import stances
from verify.lib.display import distance_text, radius_text, range_text, span_text
from verify.lib.gazetteer import distance_m

STANCES = frozenset({"alleges", "corroborates", "denies", "denies_responsibility", "alternative", "acknowledges"})
DENIAL_STANCES = stances.DISPUTING
AFFIRMING_STANCES = stances.AFFIRMING
KINDS = ("casualties", "figures", "perpetrator", "denial", "munition", "date", "place", "military_objective")


@dataclass(frozen=True)
class Range:
    """A casualty figure from low to high; None at either end means that end is open (or not stated)."""

    low: int | None = None
    high: int | None = None

    def __post_init__(self) -> None:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"Range low {self.low} is above high {self.high}")

    @property
    def stated(self) -> bool:
        return self.low is not None or self.high is not None

    def __str__(self) -> str:
        return range_text(self.low, self.high) or "not stated"


def ranges_overlap(a: Range, b: Range) -> bool:
    """True when some figure lies in both ranges. Open ends are unbounded, so a not-stated range overlaps all."""
    if a.low is not None and b.high is not None and a.low > b.high:
        return False
    return not (b.low is not None and a.high is not None and b.low > a.high)


def best_figure(r: Range) -> int | None:
    """The figure a range stands for in a summary: its low end, or its high end when only that is stated."""
    return r.low if r.low is not None else r.high


def figures_differ(a: Range, b: Range) -> bool:
    """True when two overlapping figures are different counts: one is open-ended and their best figures differ."""
    if not (a.stated and b.stated) or not ranges_overlap(a, b):
        return False
    open_ended = None in (a.low, a.high) or None in (b.low, b.high)
    return open_ended and best_figure(a) != best_figure(b)


def munitions_agree(a: str | None, b: str | None) -> bool:
    """True unless both are stated and neither's words are contained in the other's (case and plurals ignored)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return True
    return wa <= wb or wb <= wa


def _words(text: str | None) -> frozenset[str]:
    return frozenset(w.removesuffix("s") or w for w in (norm(text) or "").replace("-", " ").split())


def combined_range(ranges: Iterable[Range]) -> Range | None:
    """The span of all stated figures: the lowest best figure to the highest, or None if nothing was stated.

    A range with an open end contributes its stated end as its best figure to both sides: "at least 34"
    counts as 34 and "up to 10" as 10. So [at least 34, 49] combine to Range(34, 49), and the result
    always has both ends.
    """
    lows: list[int] = []
    highs: list[int] = []
    for r in ranges:
        if not r.stated:
            continue
        lows.append(r.low if r.low is not None else r.high)  # type: ignore[arg-type]
        highs.append(r.high if r.high is not None else r.low)  # type: ignore[arg-type]
    if not lows:
        return None
    return Range(min(lows), max(highs))


@dataclass(frozen=True)
class Span:
    """Figures combined over several claims (combined_range), with whether each end is only what a claim gave as
    a bound: the highest only a minimum ("at least 40") or the lowest only a maximum ("up to 15")."""

    low: int
    high: int
    low_open: bool = False
    high_open: bool = False

    def __str__(self) -> str:
        return span_text(self.low, self.high, low_open=self.low_open, high_open=self.high_open)


def stated_span(ranges: Iterable[Range]) -> Span | None:
    """combined_range, keeping open what the claims left open: "30" and "at least 40" give 30 to at least 40
    (no claim puts a ceiling at 40 or above), "at least 34" and "49" give 34–49."""
    stated = [r for r in ranges if r.stated]
    span = combined_range(stated)
    if span is None or span.low is None or span.high is None:
        return None
    return Span(
        span.low,
        span.high,
        low_open=not any(r.low is not None and r.low <= span.low for r in stated),
        high_open=not any(r.high is not None and r.high >= span.high for r in stated),
    )


def dates_disagree(
    date_a: datetime.date | None,
    tolerance_a_days: int | None,
    date_b: datetime.date | None,
    tolerance_b_days: int | None,
) -> bool:
    """True when the dates are further apart than both tolerances together allow.

    A missing date or a missing tolerance (unknown precision) never disagrees.
    """
    if date_a is None or date_b is None or tolerance_a_days is None or tolerance_b_days is None:
        return False
    return abs((date_a - date_b).days) > tolerance_a_days + tolerance_b_days


def places_disagree(
    lat_a: float | None,
    lon_a: float | None,
    radius_a_m: int | None,
    lat_b: float | None,
    lon_b: float | None,
    radius_b_m: int | None,
    margin_m: float = 0,
) -> bool:
    """True when the points are further apart than both radii plus the margin.

    Missing coordinates never disagree, and neither does a missing radius (unknown precision).
    """
    if None in (lat_a, lon_a, lat_b, lon_b) or radius_a_m is None or radius_b_m is None:
        return False
    return distance_m(lat_a, lon_a, lat_b, lon_b) > radius_a_m + radius_b_m + margin_m  # type: ignore[arg-type]


@dataclass(frozen=True)
class ClaimFacts:
    """What one claim says about the attack, in the terms cross-checking needs."""

    id: int
    source_name: str
    source_is_belligerent: bool = False
    stance: str = "alleges"
    independent: bool = True
    killed: Range = Range()
    injured: Range = Range()
    perpetrator: str | None = None
    munition: str | None = None
    event_date: datetime.date | None = None
    date_tolerance_days: int | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: int | None = None
    military_objective_present: bool | None = None
    # Used by grading (verify.lib.grading), not by the disagreement checks.
    credibility: int | None = None  # Admiralty 1-6
    source_reliability: str | None = None  # Admiralty A-F
    source_side: str | None = None  # the party the source speaks for, if any
    # Resolved identities (see the module docstring); each defaults to the folded name.
    source_key: str = ""
    perpetrator_lineage: tuple[str, ...] = ()  # the perpetrator's key, then its ancestors', nearest first
    source_side_key: str | None = None  # the key of source_side, among the perpetrators' keys

    def __post_init__(self) -> None:
        if self.stance not in STANCES:
            raise ValueError(f"Unknown stance {self.stance!r}")
        object.__setattr__(self, "source_key", norm(self.source_key or self.source_name) or "")
        object.__setattr__(self, "perpetrator_lineage", _lineage(self.perpetrator, self.perpetrator_lineage))
        side_key = norm(self.source_side_key if self.source_side_key is not None else self.source_side)
        object.__setattr__(self, "source_side_key", side_key)

    @property
    def perpetrator_key(self) -> str | None:
        """The named perpetrator's identity, or None when the claim names nobody."""
        return self.perpetrator_lineage[0] if self.perpetrator_lineage else None

    @property
    def label(self) -> str:
        """The source's name, marked when the source is a party to the conflict."""
        return f"{self.source_name} (party to the conflict)" if self.source_is_belligerent else self.source_name


# The codes of the disagreements, with their parameters (see Disagreement). The message is the reference
# English; the Django layer (verify.claims.reasons.disagreement_text) puts the code into the reader's language.
CASUALTIES_KILLED = "casualties_killed"  # a, b: source names; a_range, b_range: Range
CASUALTIES_INJURED = "casualties_injured"  # as above
FIGURES_KILLED = "figures_killed"  # as above: overlapping figures that are different counts
FIGURES_INJURED = "figures_injured"  # as above
PERPETRATOR = "perpetrator"  # a, b: source names; a_perpetrator, b_perpetrator: names
DENIES = "denies"  # denier: name, party: bool, other: source name, other_stance: an affirming stance
ALTERNATIVE = "alternative"  # as above, for an alternative account
MUNITION = "munition"  # a, b: source names; a_munition, b_munition
DATE = "date"  # a, b: source names; a_date, b_date: dates; a_days, b_days: tolerances in days
PLACE = "place"  # a, b: source names; metres: how far apart; a_radius, b_radius: metres
MILITARY_OBJECTIVE = "military_objective"  # present, absent: source names
DISAGREEMENT_CODES = frozenset(
    {
        CASUALTIES_KILLED,
        CASUALTIES_INJURED,
        FIGURES_KILLED,
        FIGURES_INJURED,
        PERPETRATOR,
        DENIES,
        ALTERNATIVE,
        MUNITION,
        DATE,
        PLACE,
        MILITARY_OBJECTIVE,
    }
)


@dataclass(frozen=True)
class Disagreement:
    kind: str
    claim_ids: tuple[int, ...]
    message: str  # the reference English; see code and params
    # The matrix column to highlight: the kind, except "killed"/"injured" for casualties and "stance" for denials.
    fact: str = field(default="", compare=False)
    code: str = field(default="", compare=False)
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def column(self) -> str:
        return self.fact or self.kind


def norm(text: str | None) -> str | None:
    """Fold free text for comparison; blank counts as not stated."""
    if text is None:
        return None
    folded = " ".join(text.split()).casefold()
    return folded or None


_norm = norm


def _lineage(perpetrator: str | None, given: Iterable[str]) -> tuple[str, ...]:
    keys = tuple(norm(k) for k in given)
    if norm(perpetrator) is None:
        if keys:
            raise ValueError("A perpetrator lineage was given but no perpetrator is named")
        return ()
    if None in keys:
        raise ValueError("A perpetrator lineage has a blank key")
    if len(set(keys)) != len(keys):
        raise ValueError(f"The perpetrator lineage {keys} repeats a key: its parents form a cycle")
    return keys or (norm(perpetrator),)  # type: ignore[return-value]


def same_line(a: ClaimFacts, b: ClaimFacts) -> bool:
    """True when both claims name a perpetrator and one's lineage holds the other: the same actor, or an actor
    and a unit that is part of it. Two actors in different lines (sibling branches included) are not."""
    ka, kb = a.perpetrator_key, b.perpetrator_key
    if ka is None or kb is None:
        return False
    return ka in b.perpetrator_lineage or kb in a.perpetrator_lineage


@dataclass(frozen=True)
class PerpetratorLine:
    """Named perpetrators that agree: the most specific named actor and the named actors it is part of."""

    key: str  # the most specific named actor
    label: str  # "Armed Forces of Russia (Russian Aerospace Forces)", or one name when only one is named
    claims: tuple[ClaimFacts, ...]  # the claims naming any actor of the line, in id order


def perpetrator_lines(claims: Iterable[ClaimFacts]) -> list[PerpetratorLine]:
    """The lines of the perpetrators the claims name, by label. More than one line means competing perpetrators.

    Each line ends at a named actor that no other named actor is part of. A claim naming an actor above
    two such ends (the armed forces, when others name two of its branches) belongs to both lines.
    """
    names: dict[str, str] = {}
    lineages: dict[str, tuple[str, ...]] = {}
    naming: dict[str, list[ClaimFacts]] = {}
    for c in sorted(claims, key=lambda c: c.id):
        key = c.perpetrator_key
        if key is None:
            continue
        names.setdefault(key, (c.perpetrator or "").strip())
        lineages.setdefault(key, c.perpetrator_lineage)
        naming.setdefault(key, []).append(c)

    def above(k: str, j: str) -> bool:
        return k != j and k in lineages[j]

    # A key is covered by a named key below it; of two keys above each other (a cycle), the lower sorts first.
    ends = [k for k in names if not any(above(k, j) and (not above(j, k) or j < k) for j in names)]
    lines = []
    for end in ends or list(names):
        members = sorted((k for k in names if k == end or above(k, end)), key=lineages[end].index, reverse=True)
        label = names[end] if len(members) == 1 else f"{names[members[0]]} ({names[end]})"
        found = sorted((c for k in members for c in naming[k]), key=lambda c: c.id)
        lines.append(PerpetratorLine(end, label, tuple(found)))
    return sorted(lines, key=lambda line: (line.label.casefold(), line.key))


def perpetrator_label(claims: Iterable[ClaimFacts]) -> str | None:
    """Who the claims hold responsible when they agree, e.g. "Armed Forces of Russia (Russian Aerospace
    Forces)"; None when they name nobody or name competing perpetrators."""
    lines = perpetrator_lines(claims)
    return lines[0].label if len(lines) == 1 else None


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


# Every check takes the place margin, which only _place uses, so that all share one signature.
def _casualties(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    found = []
    for what in ("killed", "injured"):
        ra, rb = getattr(a, what), getattr(b, what)
        if not ranges_overlap(ra, rb):
            found.append(
                Disagreement(
                    "casualties",
                    (a.id, b.id),
                    f"{a.source_name}: {ra} {what} vs {b.source_name}: {rb} {what}",
                    fact=what,
                    code=f"casualties_{what}",
                    params={"a": a.source_name, "b": b.source_name, "a_range": ra, "b_range": rb},
                )
            )
    return found


def _figures(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    found = []
    for what in ("killed", "injured"):
        ra, rb = getattr(a, what), getattr(b, what)
        if figures_differ(ra, rb):
            found.append(
                Disagreement(
                    "figures",
                    (a.id, b.id),
                    f"{a.source_name}: {ra} {what} vs {b.source_name}: {rb} {what} (different counts)",
                    fact=what,
                    code=f"figures_{what}",
                    params={"a": a.source_name, "b": b.source_name, "a_range": ra, "b_range": rb},
                )
            )
    return found


def _perpetrator_text(claim: ClaimFacts) -> str:
    return (claim.perpetrator or "").strip()


def _perpetrator(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    if a.perpetrator_key is None or b.perpetrator_key is None or same_line(a, b):
        return []
    message = (
        f"{a.source_name} names {_perpetrator_text(a)} as the perpetrator; {b.source_name} names {_perpetrator_text(b)}"
    )
    params = {
        "a": a.source_name,
        "b": b.source_name,
        "a_perpetrator": _perpetrator_text(a),
        "b_perpetrator": _perpetrator_text(b),
    }
    return [Disagreement("perpetrator", (a.id, b.id), message, code=PERPETRATOR, params=params)]


def _denial(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    if a.stance in DENIAL_STANCES and b.stance in AFFIRMING_STANCES:
        denier, other = a, b
    elif b.stance in DENIAL_STANCES and a.stance in AFFIRMING_STANCES:
        denier, other = b, a
    else:
        return []
    verb = "denies the attack" if denier.stance == "denies" else "gives an alternative account of the event"
    message = f"{denier.label} {verb}; {other.source_name} {other.stance} it"
    params = {
        "denier": denier.source_name,
        "party": denier.source_is_belligerent,
        "other": other.source_name,
        "other_stance": other.stance,
    }
    code = DENIES if denier.stance == "denies" else ALTERNATIVE
    return [Disagreement("denial", (a.id, b.id), message, fact="stance", code=code, params=params)]


def _munition(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    if munitions_agree(a.munition, b.munition):
        return []
    message = (
        f"{a.source_name} says {(a.munition or '').strip()} was used; {b.source_name} says {(b.munition or '').strip()}"
    )
    params = {
        "a": a.source_name,
        "b": b.source_name,
        "a_munition": (a.munition or "").strip(),
        "b_munition": (b.munition or "").strip(),
    }
    return [Disagreement("munition", (a.id, b.id), message, code=MUNITION, params=params)]


def _date(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    if not dates_disagree(a.event_date, a.date_tolerance_days, b.event_date, b.date_tolerance_days):
        return []
    message = (
        f"{a.source_name} dates it {a.event_date.isoformat()} (± {_days(a.date_tolerance_days)}); "  # type: ignore[union-attr,arg-type]
        f"{b.source_name} dates it {b.event_date.isoformat()} (± {_days(b.date_tolerance_days)})"  # type: ignore[union-attr,arg-type]
    )
    params = {
        "a": a.source_name,
        "b": b.source_name,
        "a_date": a.event_date,
        "b_date": b.event_date,
        "a_days": a.date_tolerance_days,
        "b_days": b.date_tolerance_days,
    }
    return [Disagreement("date", (a.id, b.id), message, code=DATE, params=params)]


def _place(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    if not places_disagree(a.lat, a.lon, a.radius_m, b.lat, b.lon, b.radius_m, margin_m):
        return []
    metres = distance_m(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    apart = distance_text(metres)
    message = (
        f"{a.source_name} and {b.source_name} place it {apart} apart, "
        f"more than their stated precision ({radius_text(a.radius_m)} and {radius_text(b.radius_m)}) allows"  # type: ignore[arg-type]
    )
    params = {"a": a.source_name, "b": b.source_name, "metres": metres, "a_radius": a.radius_m, "b_radius": b.radius_m}
    return [Disagreement("place", (a.id, b.id), message, code=PLACE, params=params)]


def _military_objective(a: ClaimFacts, b: ClaimFacts, margin_m: float) -> list[Disagreement]:
    if a.military_objective_present is None or b.military_objective_present is None:
        return []
    if a.military_objective_present == b.military_objective_present:
        return []
    present, absent = (a, b) if a.military_objective_present else (b, a)
    message = f"{present.source_name} says a military objective was present; {absent.source_name} says none was"
    params = {"present": present.source_name, "absent": absent.source_name}
    return [Disagreement("military_objective", (a.id, b.id), message, code=MILITARY_OBJECTIVE, params=params)]


def find_disagreements(claims: Iterable[ClaimFacts], *, place_margin_m: float = 0) -> list[Disagreement]:
    """Every pairwise disagreement between the claims.

    Derived claims are compared too: a report that misquotes its source is worth seeing. The order is
    deterministic: by kind (in the order of KINDS), then by the pair of claim ids, lower id first; claim_ids
    always lists the lower id first.
    """
    pairs = list(combinations(sorted(claims, key=lambda c: c.id), 2))
    checks = (_casualties, _figures, _perpetrator, _denial, _munition, _date, _place, _military_objective)
    found: list[Disagreement] = []
    for check in checks:
        for a, b in pairs:
            found.extend(check(a, b, place_margin_m))
    return found


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class Summary:
    """What summary_line says, as values: the Django layer (verify.claims.reasons.summary_text) words it."""

    killed: Span | None  # combined (stated_span), or None when no figure was stated
    injured: Span | None
    sources: int  # distinct sources giving the figures
    deniers: tuple[tuple[str, bool], ...]  # (name, party to the conflict), in claim id order, once each


def summary(claims: Iterable[ClaimFacts]) -> Summary:
    """The values of summary_line; see there."""
    ordered = sorted(claims, key=lambda c: c.id)
    counted = [
        c for c in ordered if c.independent and c.stance not in DENIAL_STANCES and (c.killed.stated or c.injured.stated)
    ]
    deniers: list[tuple[str, bool]] = []
    for c in ordered:
        denier = (c.source_name, c.source_is_belligerent)
        if c.stance in DENIAL_STANCES and denier not in deniers:
            deniers.append(denier)
    return Summary(
        killed=stated_span(c.killed for c in counted),
        injured=stated_span(c.injured for c in counted),
        sources=len({c.source_key for c in counted}),
        deniers=tuple(deniers),
    )


def summary_line(claims: Iterable[ClaimFacts]) -> str:
    """One line for the attack: the casualty figures, how many sources give them, and who denies it.

    The figures combine (see stated_span: "30" and "at least 40" read "30 to at least 40") the killed and
    injured ranges of independent claims that do not deny the attack; derived claims repeat another claim and
    so add nothing. The number of sources is
    the number of distinct source keys (identities) among those claims that state a figure. Deniers ("denies" or
    "alternative", independent or not) are listed in claim id order, once each, marked "(party to the
    conflict)" when belligerent. For example:

        "34–49 killed according to 2 sources; denied by Russian Ministry of Defence (party to the conflict)"
        "34–49 killed and 12 injured according to 1 source"
        "No casualty figures reported"
    """
    values = summary(claims)
    parts = []
    if values.killed is not None:
        parts.append(f"{values.killed} killed")
    if values.injured is not None:
        parts.append(f"{values.injured} injured")
    if parts:
        n = values.sources
        line = f"{' and '.join(parts)} according to {n} {'source' if n == 1 else 'sources'}"
    else:
        line = "No casualty figures reported"
    deniers = [f"{name} (party to the conflict)" if party else name for name, party in values.deniers]
    if deniers:
        line += f"; denied by {_join(deniers)}"
    return line
