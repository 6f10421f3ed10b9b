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
