"""The one text fold for matching (verify.lib.fold): Arabic letter variants, marks, digits, Latin accents, case."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify.lib.fold import fold
from verify.lib.gazetteer import normalize_name
from verify.lib.names import normalise


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("إدلب", "ادلب"),  # alef with hamza below
        ("أريحا", "اريحا"),  # alef with hamza above
        ("آمنة", "امنه"),  # alef madda, taa marbuta
        ("ٱلرقة", "الرقه"),  # alef wasla
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("إِدْلِب", "ادلب"),  # tashkeel
        ("معرّة النعمان", "معره النعمان"),  # shadda
        ("مقتلـــ", "مقتل"),  # tatweel
        ("مؤسسة", "موسسه"),  # hamza on waw
        ("رئيس", "رييس"),  # hamza on yaa
        ("٣٤ مدنياً", "34 مدنيا"),  # Arabic-Indic digits, tanween
        ("۱۲ کشته", "12 کشته"),  # Persian digits
        ("Idléb", "idleb"),
        ("IDLIB", "idlib"),
        ("Ma'arrat an-Nu'man", "maarrat an numan"),
        ("Ma’arrat al‑Nu‘man", "maarrat al numan"),
        ("Deir ez-Zor", "deir ez zor"),
        ("  Ariha\tmarket  ", "ariha market"),
    ],
)
def test_fold_gives_one_form_to_every_spelling(a, b):
    assert fold(a) == fold(b) == b


def test_fold_of_nothing_is_nothing():
    assert fold("") == ""
    assert fold("   ...  ") == ""


def test_place_and_entity_names_use_the_same_fold():
    for text in ["إدلب", "Ma'arrat an-Nu'man", "٣٤", "Idléb"]:
        assert normalize_name(text) == fold(text)
    assert normalise("المرصد السوري لحقوق الإنسان") == fold("المرصد السوري لحقوق الانسان")
    assert normalise("The S.O.H.R.") == "sohr"


text = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "M", "N", "P", "Z"]), max_size=40)


@given(text)
def test_fold_is_idempotent(value):
    assert fold(fold(value)) == fold(value)


@given(text)
def test_fold_has_no_arabic_variants_marks_or_foreign_digits_left(value):
    folded = fold(value)
    assert not set(folded) & set("أإآٱةىؤئـ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
    assert not any(0x064B <= ord(ch) <= 0x065F for ch in folded)
    assert folded == folded.strip()
    assert "  " not in folded


@given(text, text, text)
def test_a_folded_part_of_a_text_is_found_in_the_folded_text(before, word, after):
    """What search relies on: folding a text never hides a word that is in it."""
    needle = fold(word)
    if needle:
        assert needle in fold(f"{before} {word} {after}")


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÉ -'", max_size=30))
def test_fold_ignores_case_and_accents(value):
    assert fold(value.upper()) == fold(value.lower()) == fold(value.lower().replace("é", "e"))
