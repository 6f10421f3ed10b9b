"""Every example of issue 15 ("Claim suggestions that hold up on real reports"), with its exact expected output.

The place index is the real offline gazetteer (GeoNames with the variants file), built without the database; the
sources register is the evaluation corpus's (tests/suggestions/corpus/register.json), resolved by normal form as
the register's own lookup does.
"""

from datetime import date

import pytest

from verify.suggestions.evaluation import load_corpus, offline_place_index, register_book
from verify.suggestions.extract import extract, find_attribution, find_date, find_figures, find_stance

PUBLISHED = date(2019, 7, 23)  # a Tuesday


@pytest.fixture(scope="module")
def places():
    return offline_place_index()


@pytest.fixture(scope="module")
def book():
    return register_book(load_corpus()[1])


def one(text, places, book, published=PUBLISHED):
    [suggestion] = extract(text, published_on=published, places=places, sources=book)
    return suggestion


def facts(s):
    return {
        "source": s.source,
        "stance": s.stance,
        "killed": (s.killed_min, s.killed_max),
        "injured": (s.injured_min, s.injured_max),
        "perpetrator": s.perpetrator,
        "place": s.place.name if s.place else None,
        "date": s.event_date,
    }


# --- What the issue saw go wrong ------------------------------------------------------------------------------------


def test_a_denial_is_a_denial_with_no_figures_and_no_perpetrator(places, book):
    s = one(
        "Russia's Defense Ministry is denying reports that its warplanes killed 23 people in Maarat al-Numan.",
        places,
        book,
    )
    assert facts(s) == {
        "source": "Russian Ministry of Defence",
        "stance": "denies",
        "killed": (None, None),
        "injured": (None, None),
        "perpetrator": "",
        "place": "Ma‘arrat an Nu‘mān",
        "date": None,
    }


def test_moscow_called_the_reports_fake(places, book):
    s = one("Moscow called the reports fake.", places, book)
    assert (s.source, s.stance, s.killed_min) == ("Russian government", "denies", None)


def test_a_quoted_ministry_statement_is_a_denial(places, book):
    s = one(
        'The Russian Defence Ministry said its planes "did not carry out any missions in the given region".',
        places,
        book,
    )
    assert (s.source, s.stance) == ("Russian Ministry of Defence", "denies")


def test_the_observatory_named_with_its_initials_said(places, book):
    s = one("The Syrian Observatory for Human Rights (SOHR) said the air strikes killed 23 people.", places, book)
    assert (s.source, s.stance, s.killed_min, s.killed_max, s.attack_type) == ("SOHR", "alleges", 23, 23, "airstrike")


def test_the_agency_with_an_apposition_said(places, book):
    s = one("The Thiqa news agency, run by activists in the area, said 27 people were killed.", places, book)
    assert (s.source, s.killed_min, s.killed_max) == ("Thiqa News Agency", 27, 27)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Air strikes on Atareb killed 12 people, activists said.", "Al Atārib"),
        ("Air strikes on Maarat al-Numan killed 12 people, activists said.", "Ma‘arrat an Nu‘mān"),
        ("Air strikes on Ma'arrat an-Nu'man killed 12 people, activists said.", "Ma‘arrat an Nu‘mān"),
        ("Air strikes on Ariha killed 12 people, activists said.", "Arīḩā"),
        ("قُتل 12 مدنياً في غارات على معرة النعمان بحسب ناشطين.", "Ma‘arrat an Nu‘mān"),
        ("قُتل 12 مدنياً في غارات على الأتارب بحسب ناشطين.", "Al Atārib"),
        ("قُتل 12 مدنياً في غارات على أريحا بحسب ناشطين.", "Arīḩā"),
    ],
)
def test_towns_the_gazetteer_knows_in_every_spelling(places, book, text, place):
    assert one(text, places, book).place.name == place


def test_five_women_among_the_dead_in_ariha(places, book):
    s = one("Five women were among the dead in Ariha, the Observatory said.", places, book)
    assert facts(s) == {
        "source": "SOHR",
        "stance": "alleges",
        "killed": (5, None),
        "injured": (None, None),
        "perpetrator": "",
        "place": "Arīḩā",
        "date": None,
    }


@pytest.mark.parametrize(
    ("mention", "source"),
    [
        ("The Observatory said 10 people were killed.", "SOHR"),
        ("The Syrian Observatory for Human Rights said 10 people were killed.", "SOHR"),
        ("وقال المرصد السوري إن 10 مدنيين قتلوا.", "SOHR"),
    ],
)
def test_sources_resolve_through_the_register_aliases(places, book, mention, source):
    assert one(mention, places, book).source == source


def test_the_agency_named_earlier(places, book):
    text = (
        "The Thiqa news agency reported heavy raids on Atareb on Monday. "
        "The agency said 27 people were killed in the town."
    )
    [s] = extract(text, published_on=PUBLISHED, places=places, sources=book)
    assert (s.source, s.killed_min) == ("Thiqa News Agency", 27)


def test_generic_activists_stay_generic(places, book):
    s = one("Activists said 4 people were killed in Atareb.", places, book)
    assert s.source == "Activists"  # not the register's "Local activists, Idlib": Atareb is in Aleppo


def test_a_monitors_figure_is_not_attached_to_moscows_denial(places, book):
    text = "The monitor said 10 civilians were killed in Ariha, but Moscow denied the reports."
    allegation, denial = extract(text, published_on=PUBLISHED, places=places, sources=book)
    assert (allegation.stance, allegation.killed_min, allegation.place.name) == ("alleges", 10, "Arīḩā")
    assert (denial.source, denial.stance, denial.killed_min, denial.killed_max) == (
        "Russian government",
        "denies",
        None,
        None,
    )


def test_background_is_not_an_allegation(places, book):
    text = "Ariha has been hit repeatedly by Russian and Syrian jets since 2015, the Observatory said."
    assert extract(text, published_on=PUBLISHED, places=places, sources=book) == []


def test_an_earlier_event_in_the_same_text_is_set_apart(places, book):
    text = (
        "Russian jets killed 23 people in Maarat al-Numan on Monday, the Observatory said. "
        "The monitor said raids on the same town killed 11 civilians on July 21."
    )
    main, earlier = extract(text, published_on=PUBLISHED, places=places, sources=book)
    assert (main.event_date, main.other_event) == (date(2019, 7, 22), False)
    assert (earlier.source, earlier.killed_min, earlier.event_date, earlier.other_event) == (
        "SOHR",
        11,
        date(2019, 7, 21),
        True,
    )


# --- 1. Reporting language ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Activists said 10 people were killed.", "Activists"),
        ("10 people were killed, activists said.", "Activists"),
        ("10 people were killed, according to activists.", "Activists"),
        ("The Observatory reported that 10 people were killed.", "Observatory"),
        ("A rescuer told AFP that 10 people were killed.", "Rescuer"),
        ('"Ten people were killed," said Human Rights Watch.', "Human Rights Watch"),
    ],
)
def test_attribution_before_or_after_the_statement(sentence, who):
    assert find_attribution(sentence).who == who


def test_reported_speech_over_two_sentences(places, book):
    text = 'The Observatory described the raid. "Four missiles hit the market in Ariha. Eleven people were killed."'
    missiles, killed = extract(text, published_on=PUBLISHED, places=places, sources=book)
    assert (missiles.source, missiles.attack_type, missiles.place.name) == ("SOHR", "missile", "Arīḩā")
    assert (killed.source, killed.killed_min) == ("SOHR", 11)


@pytest.mark.parametrize(
    ("second", "source"),
    [
        ("The monitor said 10 people were killed.", "SOHR"),
        ("The Observatory said 10 people were killed.", "SOHR"),
        ('"Ten people were killed," it said.', "SOHR"),
    ],
)
def test_coreference_to_the_monitor(places, book, second, source):
    text = "The Syrian Observatory for Human Rights reported raids on Ariha. " + second
    [s] = extract(text, published_on=PUBLISHED, places=places, sources=book)
    assert (s.source, s.killed_min) == (source, 10)


def test_the_ministry_and_he_said_after_a_named_spokesman(places, book):
    text = (
        "Russian defence ministry spokesman Igor Konashenkov denied that Russian jets had bombed Ariha. "
        "He said the reports were fabricated. "
        '"Russian aviation does not use them," the ministry said of cluster bombs.'
    )
    denial, fabricated, no_cluster = extract(text, published_on=PUBLISHED, places=places, sources=book)
    assert [s.source for s in (denial, fabricated, no_cluster)] == ["Russian Ministry of Defence"] * 3
    assert [s.stance for s in (denial, fabricated, no_cluster)] == ["denies"] * 3


# --- 2. Stances ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Russia's Defense Ministry is denying reports that its jets hit the market.", "denies"),
        ("The ministry denied the reports.", "denies"),
        ("The ministry rejected the reports.", "denies"),
        ("Moscow called the reports fake.", "denies"),
        ("The ministry called the report a horror story.", "denies"),
        ("The ministry said it did not carry out any missions in that area.", "denies"),
        ("The ministry said its aircraft did not carry out any flights in that area.", "denies"),
        ("No such weapons were used, the ministry said.", "denies"),
        ('"Russian aviation does not use them," the ministry said.', "denies"),
        ("The ministry confirmed it struck a depot near the town.", "acknowledges"),
        ("The government blamed the rebels for the attack.", "denies_responsibility"),
        ("The ministry said the blast was caused by militants' ammunition.", "alternative"),
        ("نفت وزارة الدفاع الروسية التقارير.", "denies"),
        ("تنفي موسكو أن تكون طائراتها قد قصفت المدينة.", "denies"),
        ("قالت وزارة الدفاع إن طائراتها لم تنفذ أي طلعات في المنطقة.", "denies"),
        ("Activists said 10 people were killed.", "alleges"),
    ],
)
def test_stances(sentence, stance):
    assert find_stance(sentence)[0] == stance


def test_a_denial_that_states_no_figures_keeps_the_denying_source(places, book):
    s = one("Moscow denied that its jets killed 10 civilians in Ariha.", places, book)
    assert (s.source, s.stance, s.killed_min, s.killed_max, s.perpetrator) == (
        "Russian government",
        "denies",
        None,
        None,
        "",
    )


# --- 3. Figures ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("At least 23 people were killed.", [("killed", 23, None)]),
        ("Between 18 and 40 civilians were killed.", [("killed", 18, 40)]),
        ("Twenty-three people were killed and seventeen wounded.", [("killed", 23, 23), ("injured", 17, 17)]),
        ("The strike killed nine people and injured 30.", [("killed", 9, 9), ("injured", 30, 30)]),
        ("Five women were among the dead.", [("killed", 5, None)]),
        ("The raid killed 11 civilians, including five children and two women.", [("killed", 11, 11)]),
        ("Eight children died in the raid.", [("killed", 8, None)]),
    ],
)
def test_figures(sentence, expected):
    assert [(f.kind, f.minimum, f.maximum) for f in find_figures(sentence)] == expected


def test_a_toll_that_could_rise_is_provisional(places, book):
    s = one("At least 19 people were killed in Idlib, and the toll could rise, rescuers said.", places, book)
    assert (s.killed_min, s.killed_max, s.provisional) == (19, None, True)


# --- 4. Places ----------------------------------------------------------------------------------------------------


def test_a_province_named_with_a_town_does_not_replace_it(places, book):
    s = one("Air strikes killed 27 people in Atareb in the western Aleppo countryside, activists said.", places, book)
    assert s.place.name == "Al Atārib"
    s = one("قُتل 34 مدنياً في معرة النعمان بريف إدلب الجنوبي بحسب ناشطين.", places, book)
    assert s.place.name == "Ma‘arrat an Nu‘mān"


# --- 5. Dates -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected", "precision"),
    [
        ("Jets struck the market on Monday.", date(2019, 7, 22), "day"),
        ("Jets struck the market yesterday.", date(2019, 7, 22), "day"),
        ("Jets struck the market overnight.", date(2019, 7, 22), "approx_day"),
        ("Jets struck the market on July 22.", date(2019, 7, 22), "day"),
        ("Jets struck the market on Tuesday.", date(2019, 7, 23), "day"),  # the day of publication
        ("قصفت الطائرات السوق يوم الاثنين.", date(2019, 7, 22), "day"),
        ("قصفت الطائرات السوق أمس.", date(2019, 7, 22), "day"),
        ("قصفت الطائرات السوق في 21 تموز/يوليو.", date(2019, 7, 21), "day"),
        ("قصفت الطائرات السوق في 20 يوليو.", date(2019, 7, 20), "day"),
        ("قصفت الطائرات السوق ليلة الأحد.", date(2019, 7, 21), "approx_day"),
    ],
)
def test_dates_against_the_publication_date(sentence, expected, precision):
    found = find_date(sentence, PUBLISHED)
    assert (found.value, found.precision) == (expected, precision)


def test_background_and_statement_dates_do_not_date_the_event():
    assert find_date("The town has been hit since 2015.", PUBLISHED) is None
    assert find_date("The ministry said on Monday that no strikes took place.", PUBLISHED) is None


# --- 8. Arabic ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("قُتل 34 مدنياً في غارات جوية.", [("killed", 34, 34)]),
        ("أفاد ناشطون بمقتل 11 مدنياً بينهم خمسة أطفال.", [("killed", 11, 11)]),
        ("قُتل ٢٣ مدنياً في القصف.", [("killed", 23, 23)]),
        ("قُتل ثلاثة عشر مدنياً وأصيب خمسة وعشرون آخرون.", [("killed", 13, 13), ("injured", 25, 25)]),
        ("مقتل تسعة أشخاص على الأقل.", [("killed", 9, None)]),
        ("قتل ما بين 18 و40 مدنياً.", [("killed", 18, 40)]),
    ],
)
def test_arabic_figures(sentence, expected):
    from verify.suggestions.extract import find_figures_arabic

    assert [(f.kind, f.minimum, f.maximum) for f in find_figures_arabic(sentence)] == expected


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("قُتل 34 مدنياً في أريحا، وفق ما أحصى المرصد السوري.", "SOHR"),
        ("قُتل 34 مدنياً في أريحا بحسب ناشطين.", "ناشطين"),
        ("قالت وزارة الدفاع الروسية إن 3 مسلحين قتلوا في أريحا.", "Russian Ministry of Defence"),
    ],
)
def test_arabic_attribution(places, book, text, source):
    assert one(text, places, book).source == source


def test_an_arabic_report(places, book):
    text = (
        "قُتل 34 مدنياً بينهم ثمانية أطفال في غارات جوية روسية على مدينة معرة النعمان يوم الاثنين، "
        "وفق ما أحصى المرصد السوري لحقوق الإنسان. ونفت وزارة الدفاع الروسية تنفيذ أي غارات في المنطقة."
    )
    allegation, denial = extract(text, published_on=PUBLISHED, places=places, sources=book)
    assert facts(allegation) == {
        "source": "SOHR",
        "stance": "alleges",
        "killed": (34, 34),
        "injured": (None, None),
        "perpetrator": "غارات جوية روسية",
        "place": "Ma‘arrat an Nu‘mān",
        "date": date(2019, 7, 22),
    }
    assert allegation.attack_type == "airstrike"
    assert facts(denial) == {
        "source": "Russian Ministry of Defence",
        "stance": "denies",
        "killed": (None, None),
        "injured": (None, None),
        "perpetrator": "",
        "place": None,
        "date": None,
    }


def test_dates_are_read_offline(monkeypatch):
    """dateparser reads from its bundled data: with every socket refused, English and Arabic dates still resolve."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert find_date("Jets hit the market on Sunday.", PUBLISHED).value == date(2019, 7, 21)
    assert find_date("قصفت الطائرات السوق يوم الأحد.", PUBLISHED).value == date(2019, 7, 21)
