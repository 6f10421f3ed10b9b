"""One normal form for the names of sources and actors, so that spellings of one name match.

`normalise(name)` is `verify.lib.fold.fold` (the one text fold for Arabic and Latin script: case, diacritics, the
Arabic letter variants and marks, digits, punctuation as word breaks), then two rules for names:
1. single letters kept apart only by spaces are joined: "S.O.H.R." folds to "s o h r", then "sohr"
   ("soh r" never matches by accident);
2. a leading English "the" is dropped.

The result is for matching only; it is never shown. Pure Python, no Django.
"""

import difflib
import re
from collections.abc import Sequence

from verify.lib.fold import fold

_SINGLE_LETTERS = re.compile(r"\b(?:\w )+\w\b")
_LEADING_THE = re.compile(r"^the ")


def _join_initials(match: re.Match) -> str:
    return match.group(0).replace(" ", "")


def normalise(name: str) -> str:
    """The matching form of a name: 'The S.O.H.R.', 'sohr' and 'SOHR' give one form; so do 'المرصد' spelled with
    or without its marks."""
    text = _SINGLE_LETTERS.sub(_join_initials, fold(name))
    return _LEADING_THE.sub("", text)


def similarity(a: str, b: str) -> float:
    """How alike two names are once normalised, from 0 to 1 (difflib's ratio)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    return difflib.SequenceMatcher(None, na, nb).ratio()


_MINOR_WORDS = frozenset({"of", "for", "the", "and", "in", "on", "al"})


def initials(form: str) -> str:
    """The initialism of a normalised name, minor words left out: 'syrian network for human rights' → 'snhr'."""
    words = [w for w in form.split() if w not in _MINOR_WORDS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def likely_duplicates(
    entries: Sequence[tuple[int, Sequence[str]]], *, threshold: float = 0.85
) -> list[tuple[int, int, float]]:
    """Pairs of entities that are probably one, from their names (each entry: an id and all its names).

    A pair is suggested when a name of one normalises to a name of the other, is the other's initialism, or is at
    least `threshold` alike (difflib). Each pair once, lower id first, the most alike first; ties by ids."""
    forms = [(pk, {f for f in map(normalise, names) if f}) for pk, names in entries]
    found: dict[tuple[int, int], float] = {}
    for i, (a, names_a) in enumerate(forms):
        for b, names_b in forms[i + 1 :]:
            score = _best_score(names_a, names_b, threshold)
            if score is not None:
                found[(min(a, b), max(a, b))] = max(score, found.get((min(a, b), max(a, b)), 0.0))
    return sorted(((a, b, s) for (a, b), s in found.items()), key=lambda t: (-t[2], t[0], t[1]))


def _best_score(names_a: set[str], names_b: set[str], threshold: float) -> float | None:
    if names_a & names_b:
        return 1.0
    if any(initials(x) in names_b for x in names_a) or any(initials(y) in names_a for y in names_b):
        return 1.0
    best = None
    for x in names_a:
        for y in names_b:
            matcher = difflib.SequenceMatcher(None, x, y)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold and (best is None or ratio > best):
                best = ratio
    return best
