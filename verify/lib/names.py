"""One normal form for the names of sources and actors, so that spellings of one name match.

`normalise(name)` folds, in this order:
1. Unicode compatibility forms (NFKC), then case (casefold);
2. Latin diacritics: "Défense" and "Defense" are one name;
3. Arabic letter variants: the alef forms (أ إ آ ٱ) become ا, taa marbuta (ة) becomes ه, alef maqsura (ى)
   becomes ي; tashkeel (the short-vowel marks, shadda, sukun, superscript alef) and tatweel (ـ) are dropped;
4. punctuation, which becomes a word break: "S.O.H.R." folds to "s o h r", so letters are kept apart only by
   spaces and the spaces are then removed between single letters ("soh r" never matches by accident);
5. a leading English "the".

The result is for matching only; it is never shown. Pure Python, no Django.
"""

import difflib
import re
import unicodedata
from collections.abc import Sequence

_ALEF_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
# Tashkeel: fathatan to sukun and the Quranic marks after them, superscript alef; and tatweel.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Anything that is not a letter or a digit in any script separates words.
_NOT_WORD = re.compile(r"[\W_]+")
_SINGLE_LETTERS = re.compile(r"\b(?:\w )+\w\b")
_LEADING_THE = re.compile(r"^the ")


def _join_initials(match: re.Match) -> str:
    return match.group(0).replace(" ", "")


def normalise(name: str) -> str:
    """The matching form of a name: 'The S.O.H.R.', 'sohr' and 'SOHR' give one form; so do 'المرصد' spelled with
    or without its marks."""
    # Arabic first: NFKD would split أ into ا and a combining hamza, which the Latin step below then drops anyway,
    # but folding the whole letter first keeps the table the one place that says which variants are one letter.
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _ARABIC_MARKS.sub("", text.translate(_ALEF_FORMS))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_WORD.sub(" ", text).strip()
    text = _SINGLE_LETTERS.sub(_join_initials, text)
    text = _LEADING_THE.sub("", text)
    return text


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
