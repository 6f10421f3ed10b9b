"""The one normal form of text for matching, in Arabic and Latin script. Pure Python, no Django.

`fold(text)` is what search, the place/source/actor lookups, import matching and duplicate detection compare:
1. Unicode compatibility forms (NFKC), then case (casefold);
2. Arabic letter variants: the alef forms (أ إ آ ٱ) become ا, taa marbuta (ة) becomes ه, alef maqsura (ى) becomes ي;
   hamza on waw and yaa (ؤ ئ) become و and ي;
3. tashkeel (short vowels, tanween, shadda, sukun, superscript alef, Quranic marks) and tatweel (ـ) are dropped;
4. Arabic-Indic (٠-٩) and Persian (۰-۹) digits become 0-9;
5. Latin diacritics are dropped ("Idléb" → "idleb");
6. apostrophes and the ayn/hamza marks of transliterations are dropped ("Ma'arrat" → "maarrat");
7. anything else that is not a letter or digit becomes one space, and spaces are collapsed and trimmed.

`fold` never changes which letters a word is made of beyond these rules, so a folded substring of a folded text
is what a search for it should find. The result is for matching only; it is never shown.
"""

import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian (Extended Arabic-Indic) digits
    }
)
# Tashkeel: the Quranic annotation signs, fathatan to sukun and the marks after them, superscript alef, the small
# high marks; and tatweel.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Apostrophes and the transliteration marks for ayn and hamza are spelled every which way, or not at all.
_DROP = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02bf\u02be`'´ʿʾ]")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """The matching form of a text: "إدلب", "ادلب" and "إِدْلِب" give one form, and so do "Idléb" and "IDLEB"."""
    if not text:
        return ""
    # Arabic first: NFKD would split أ into ا and a combining hamza; folding whole letters keeps the table above the
    # one place that says which variants are one letter.
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LETTERS)
    folded = _ARABIC_MARKS.sub("", folded)
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _DROP.sub("", folded)
    return _NOT_WORD.sub(" ", folded).strip()
