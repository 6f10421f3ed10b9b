"""Claim suggestions from wire-style reports written for these tests (facts from the seeds, not their sentences).

Every assertion checks one specific figure, source, place, date, weapon or stance.
"""

from datetime import date

import pytest

from verify.lib.gazetteer import normalize_name
from verify.suggestions.extract import (
    PlaceRef,
    Span,
    extract,
    find_attribution,
    find_date,
    find_figures,
    find_objective,
    find_places,
    find_stance,
    find_weapons,
    highlight_segments,
    split_sentences,
)

ARIHA = PlaceRef(1, "Arīḩā", "Idlib")
IDLIB = PlaceRef(2, "Idlib", "Idlib")
MOADAMIYEH = PlaceRef(3, "Moadamiyet al-Sham", "Rif Dimashq")
HOMS = PlaceRef(4, "Homs", "Homs")
KAFR_ZITA_HAMA = PlaceRef(5, "Kafr Zita", "Hama")
KAFR_ZITA_IDLIB = PlaceRef(6, "Kafr Zita", "Idlib")


def index_of(*entries: tuple[PlaceRef, list[str]]) -> dict[str, list[PlaceRef]]:
    index: dict[str, list[PlaceRef]] = {}
    for place, names in entries:
        for name in names:
            index.setdefault(normalize_name(name), []).append(place)
    return index


PLACES = index_of(
    (ARIHA, ["Arīḩā", "Ariha", "أريحا"]),
    (IDLIB, ["Idlib", "Idleb", "إدلب"]),
    (MOADAMIYEH, ["Moadamiyet al-Sham", "Moadamiyeh", "Mouadamiyeh", "Muadamiyat al-Sham"]),
    (HOMS, ["Homs", "Hims", "Homes"]),
    (KAFR_ZITA_HAMA, ["Kafr Zita"]),
    (KAFR_ZITA_IDLIB, ["Kafr Zita"]),
)

ACTIVISTS_WIRE = """\
BEIRUT, Nov 30 (Newswire) - At least 34 civilians, among them eight children, were killed on Sunday when missiles \
slammed into a crowded market in the northwestern town of Ariha, according to local activists. Rescue workers said \
more than 70 people were wounded. Activists blamed Russian warplanes for the attack.

Moscow's defence ministry denied that its aircraft had flown over the area, calling the reports a provocation. \
The strike came a day after shelling hit Homes near the front line, residents said.
"""

AMNESTY_REPORT = """\
Amnesty International said on Wednesday it had documented a strike on Ariha's market on 29 November in which three \
missiles killed 49 civilians. The organisation said the nearest military position was about 300 metres from the \
market. Its researchers also found evidence that cluster munitions had been dropped on residential areas of Idleb \
province.
"""

MINISTRY_DENIAL = """\
Russia's Defence Ministry on Thursday rejected the Amnesty report as "clichés and fakes". A spokesman insisted that \
no cluster munitions are stored at the Russian air base in Syria.
"""

CHEMICAL_REPORT = """\
Activists in Mouadamiyeh reported a suspected chemical attack three days ago that injured 12 people, among them \
four women. The government has not acknowledged the incident. Human Rights Watch said government forces had used \
cluster munitions on at least 20 occasions since September 30.
"""


def test_activists_wire_gives_figures_source_place_and_resolved_date():
    suggestions = extract(ACTIVISTS_WIRE, published_on=date(2015, 11, 30), places=PLACES)
    first = suggestions[0]
    assert (first.killed_min, first.killed_max) == (34, None)  # "at least 34", not the eight children
    assert first.source == "Local activists"
    assert first.event_date == date(2015, 11, 29)  # "on Sunday", counted back from Monday 30 November
    assert first.place == ARIHA
    assert first.attack_type == "missile" and first.munition == "missiles"
    assert first.stance == "alleges"

    wounded = suggestions[1]
    assert wounded.source == "Rescue workers"
    assert (wounded.injured_min, wounded.injured_max) == (71, None)  # "more than 70"
    assert wounded.killed_min is None

    blamed = suggestions[2]
    assert blamed.source == "Activists" and blamed.stance == "alleges"
    assert blamed.perpetrator == "Russian warplanes" and blamed.attack_type == "airstrike"

    denial = suggestions[3]
    assert denial.source == "Moscow's defence ministry"
    assert denial.stance == "denies"


def test_lowercase_homes_is_not_homs_but_capitalised_is():
    suggestions = extract(ACTIVISTS_WIRE, published_on=date(2015, 11, 30), places=PLACES)
    shelling = suggestions[-1]
    assert shelling.attack_type == "shelling"
    assert [m.candidates for m in shelling.places] == [[HOMS]]  # "Homes" at the start of a name: flagged as Homs
    assert find_places("Shells hit homes near the market.", PLACES) == []


def test_amnesty_report_gives_count_munition_objective_and_absolute_date():
    suggestions = extract(AMNESTY_REPORT, published_on=date(2015, 12, 23), places=PLACES)
    strike = suggestions[0]
    assert strike.source == "Amnesty International"
    assert (strike.killed_min, strike.killed_max) == (49, 49)  # "three missiles" is not a casualty figure
    assert strike.event_date == date(2015, 11, 29) and strike.event_date_precision == "day"
    assert strike.place == ARIHA  # "Ariha's"
    assert strike.munition == "missiles"
    objective = suggestions[1]
    assert objective.military_objective_present is True
    assert objective.military_objective_distance_m == 300
    cluster = suggestions[2]
    assert cluster.attack_type == "cluster_munition" and cluster.munition == "cluster munitions"
    assert cluster.place == IDLIB  # the alternative spelling "Idleb"
    assert cluster.source == "Amnesty International"  # "Its researchers": the organisation that spoke last


def test_ministry_denial():
    suggestions = extract(MINISTRY_DENIAL, published_on=date(2015, 12, 24), places=PLACES)
    rejection, insistence = suggestions
    assert rejection.source == "Russia's Defence Ministry"
    assert rejection.stance == "denies"
    assert insistence.stance == "denies"  # "no cluster munitions are stored"
    assert insistence.munition == "cluster munitions"


def test_chemical_report_relative_days_and_negated_acknowledgement():
    suggestions = extract(CHEMICAL_REPORT, published_on=date(2015, 12, 20), places=PLACES)
    attack = suggestions[0]
    assert attack.source == "Activists"
    assert attack.attack_type == "chemical"
    assert attack.event_date == date(2015, 12, 17)  # three days ago
    assert (attack.injured_min, attack.injured_max) == (12, 12)  # not the four women among them
    assert attack.place == MOADAMIYEH  # spelled Mouadamiyeh
    # "has not acknowledged" is no acknowledgement, and states no other fact: no suggestion.
    assert all("acknowledged" not in s.sentence for s in suggestions)
    hrw = suggestions[1]
    assert hrw.source == "Human Rights Watch" and hrw.attack_type == "cluster_munition"
    assert hrw.killed_min is None  # "20 occasions" is not a death toll
    assert hrw.event_date is None  # "since September 30" does not date an event


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("At least 34 civilians were killed.", [("killed", 34, None)]),
        ("The strike killed 49 people.", [("killed", 49, 49)]),
        ("Between 30 and 40 people died in the raid.", [("killed", 30, 40)]),
        ("Up to 15 people may have been killed.", [("killed", None, 15)]),
        ("The death toll rose to 52 on Tuesday.", [("killed", 52, 52)]),
        ("Two children were among the dead.", [("killed", 2, None)]),  # at least two dead
        ("Twelve people were killed and 25 were wounded.", [("killed", 12, 12), ("injured", 25, 25)]),
        ("The blast killed 12 and wounded 20 to 30 others.", [("killed", 12, 12), ("injured", 20, 30)]),
        ("Three missiles struck on 29 November, killing 1,200 people.", [("killed", 1200, 1200)]),
        ("Nearly 100 civilians were wounded.", [("injured", 100, 100)]),
        ("A dozen shoppers were injured.", [("injured", 12, 12)]),
        ("In 2015 the strikes killed civilians across the province.", []),
    ],
)
def test_casualty_figures(sentence, expected):
    found = [(f.kind, f.minimum, f.maximum) for f in find_figures(sentence)]
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        (
            "According to the Syrian Network for Human Rights, the market was hit twice.",
            "Syrian Network for Human Rights",
        ),
        ("Amnesty said the attack may amount to a war crime.", "Amnesty"),
        ("The ministry denied the report.", "Ministry"),
        ('"We found remnants of cluster bombs," said Human Rights Watch.', "Human Rights Watch"),
        ("A witness told reporters that two missiles hit the square.", "Witness"),
        ("On Monday, Amnesty International published its findings.", None),
        ("It said nothing more.", "It"),  # a pronoun: the extractor resolves it to the last source that spoke
    ],
)
def test_attributions(sentence, who):
    found = find_attribution(sentence)
    assert (found.who if found else None) == who
    if found:
        assert found.kind == ("pronoun" if who == "It" else "name")


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The ministry denied the report.", "denies"),
        ("Officials rejected the allegations.", "denies"),
        ("The army acknowledged that its jets struck the town.", "acknowledges"),
        ("The coalition admitted responsibility for the strike.", "acknowledges"),
        ("The group denied responsibility for the blast.", "denies_responsibility"),
        ("State media blamed the explosion on militants.", "alternative"),
        ("The government has not acknowledged the strike.", "alleges"),
        ("Activists said 10 people were killed.", "alleges"),
    ],
)
def test_stances(sentence, stance):
    assert find_stance(sentence)[0] == stance


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "precision"),
    [
        ("The strike took place yesterday.", date(2015, 11, 30), date(2015, 11, 29), "day"),
        ("Jets struck the town on Friday night.", date(2015, 11, 30), date(2015, 11, 27), "day"),
        ("The attack last Monday was the worst.", date(2015, 11, 30), date(2015, 11, 23), "day"),
        ("The market was hit on Monday.", date(2015, 11, 30), date(2015, 11, 30), "day"),
        ("Shelling began last week.", date(2015, 11, 30), date(2015, 11, 23), "week"),
        ("Earlier this month, jets hit the hospital.", date(2015, 11, 30), date(2015, 11, 1), "month"),
        ("The strike on December 29 killed four.", date(2016, 1, 5), date(2015, 12, 29), "day"),
        ("It happened on 2015-11-29.", None, date(2015, 11, 29), "day"),
        ("In a report published on 23 December, it said so.", date(2015, 12, 24), None, None),
    ],
)
def test_dates(sentence, published, expected, precision):
    found = find_date(sentence, published)
    assert (found.value if found else None) == expected
    assert (found.precision if found else None) == precision


def test_relative_dates_need_a_publication_date():
    assert find_date("The strike took place yesterday.", None) is None


def test_weapons():
    found = {(w.attack_type, w.munition) for w in find_weapons("Barrel bombs and a chlorine cylinder hit the town.")}
    assert found == {("barrel_bomb", "barrel bombs"), ("chemical", "chemical weapons")}
    assert [w.attack_type for w in find_weapons("Cluster bombs were dropped.")] == ["cluster_munition"]


def test_military_objective_absent():
    assert find_objective("Residents said there were no military targets in the area.")[:2] == (False, None)
    assert find_objective("The nearest checkpoint was 2 km away.")[:2] == (True, 2000)


def test_arabic_place_names_are_found():
    mentions = find_places("Missiles struck the market of أريحا and إدلب.", PLACES)
    assert [m.candidates for m in mentions] == [[ARIHA], [IDLIB]]


def test_ambiguous_place_is_flagged_not_chosen():
    [s] = extract("Shelling killed 4 people in Kafr Zita, activists said.", places=PLACES)
    assert s.places[0].ambiguous
    assert s.places[0].candidates == [KAFR_ZITA_HAMA, KAFR_ZITA_IDLIB]
    assert s.place is None


def test_sentences_do_not_break_after_abbreviations():
    parts = [text for _, text in split_sentences("Jets struck on Nov. 29 at noon. Gen. Smith denied it.")]
    assert parts == ["Jets struck on Nov. 29 at noon.", "Gen. Smith denied it."]


def test_offsets_point_into_the_text():
    text = "Intro line.\n\nAt least 5 people were killed, activists said."
    [s] = extract(text)
    assert text[s.offset : s.offset + len(s.sentence)] == s.sentence


def test_highlight_segments_cover_the_sentence_exactly():
    sentence = "At least 34 civilians were killed, activists said."
    [s] = extract(sentence)
    segments = highlight_segments(sentence, s.spans)
    assert "".join(text for text, _ in segments) == sentence
    assert ("At least 34", "killed") in segments
    assert ("activists", "attribution") in segments
    overlapping = highlight_segments("abcdef", [Span(0, 4, "a"), Span(2, 6, "b")])
    assert overlapping == [("abcd", "a"), ("ef", "")]


def test_sentences_without_facts_are_not_suggested():
    assert extract("The weather in Idlib was cold. Markets reopened.", places=PLACES) == []


def test_a_city_and_its_governorate_of_the_same_name():
    city, province = PlaceRef(7, "Hama", "Hama"), PlaceRef(8, "Hama", "Hama", is_governorate=True)
    index = index_of((city, ["Hama"]), (province, ["Hama"]))
    assert find_places("Jets struck Hama on Monday.", index)[0].candidates == [city]
    assert find_places("Jets struck Hama province on Monday.", index)[0].candidates == [province]


def test_attribution_drops_trailing_punctuation():
    assert find_attribution("Ten people died, according to activists.").who == "Activists"
