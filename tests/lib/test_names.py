import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify.lib.names import initials, likely_duplicates, normalise, similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SOHR", "sohr"),
        ("S.O.H.R.", "SOHR"),
        ("The Syrian Network for Human Rights", "syrian network for human rights"),
        ("Syrian Network, for Human-Rights!", "Syrian Network for Human Rights"),
        ("Défense civile", "Defense Civile"),
        ("Military Forces of Russia (2000-)", "military forces of russia 2000"),
        ("أحمد", "احمد"),
        ("إدلب", "ادلب"),
        ("آمنة", "امنه"),
        ("ٱلرحمن", "الرحمن"),
        ("حماة", "حماه"),
        ("مصطفى", "مصطفي"),
        ("المرصد السوري لحقوق الإنسان", "المرصد السوري لحقوق الانسان"),
        ("الشَّبَكَةُ السُّورِيَّةُ", "الشبكة السورية"),
        ("الشبـــكة", "الشبكة"),
    ],
)
def test_spellings_of_one_name_share_a_form(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SOHR", "SNHR"),
        ("Theatre Forces", "Atre Forces"),  # only a leading word "the" is dropped
        ("Syrian Arab Army", "Syrian Army"),
        ("الدفاع المدني", "الدفاع الوطني"),
    ],
)
def test_different_names_keep_different_forms(a, b):
    assert normalise(a) != normalise(b)


def test_a_leading_the_is_dropped_but_not_one_inside():
    assert normalise("The White Helmets") == "white helmets"
    assert normalise("Over the Hills") == "over the hills"


def test_punctuation_alone_normalises_to_nothing():
    assert normalise(" .-/ ") == ""


def test_similarity_is_high_for_near_spellings_and_low_for_others():
    assert similarity("Syrian Network for Human Rights", "Syrian Network for Human Right") >= 0.85
    assert similarity("SOHR", "Airwars") < 0.5
    assert similarity("", "SOHR") == 0.0


names = st.text(alphabet=st.sampled_from(string.ascii_letters + " .-,'éàüأإآٱاةهىيـَُِّْلمرصد"), max_size=40)


@given(names)
def test_normalising_is_idempotent(name):
    assert normalise(normalise(name)) == normalise(name)


@given(names)
def test_case_and_surrounding_punctuation_never_matter(name):
    assert normalise(name.upper()) == normalise(name.lower()) == normalise(f" ({name}). ")


@given(names)
def test_the_form_has_no_marks_variants_or_punctuation(name):
    form = normalise(name)
    assert not set(form) & set("أإآٱةىـَُِّْ.-,'")
    assert form == form.strip() and "  " not in form


@given(names, names)
def test_similarity_is_bounded_and_full_for_one_form(a, b):
    assert 0.0 <= similarity(a, b) <= 1.0
    if normalise(a) and normalise(a) == normalise(b):
        assert similarity(a, b) == 1.0


def test_initials_leave_out_minor_words():
    assert initials(normalise("Syrian Network for Human Rights")) == "snhr"
    assert initials("airwars") == ""


def test_likely_duplicates_by_form_initials_and_similarity():
    entries = [
        (1, ["Syrian Network for Human Rights"]),
        (2, ["SNHR"]),
        (3, ["Syrian Observatory for Human Rights", "SOHR"]),
        (4, ["Syrian Observatory for Human Right"]),
        (5, ["Airwars"]),
        (6, ["AIRWARS."]),
    ]
    pairs = {(a, b) for a, b, _score in likely_duplicates(entries)}
    assert pairs == {(1, 2), (3, 4), (5, 6)}


def test_likely_duplicates_lists_each_pair_once_most_alike_first():
    found = likely_duplicates([(2, ["Human Rights Watch"]), (1, ["Human Rights Watc"]), (3, ["human rights watch"])])
    assert [(a, b) for a, b, _s in found] == [(2, 3), (1, 2), (1, 3)]
