"""Rule-based claim suggestions from report text, in English and Arabic: who said what, with which stance, how many
were killed or injured, where, when and with what.

Offline and deterministic: regular expressions over sentences and clauses; places looked up in a name index built
from the gazetteer (every spelling, variants included); dates resolved by dateparser against the publication date;
sources resolved through the sources register by the caller's `SourceBook`, with coreference ("the Observatory",
"the agency", "he said") to a source named earlier. Arabic is matched on text folded by verify.lib.fold, with the
positions kept so that the spans point into the original sentence. Each suggestion keeps the spans it was read from,
so a researcher can see why it was suggested. No Django here.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from verify.lib.fold import fold
from verify.lib.gazetteer import PlaceIndex, PlaceRef, normalize_name
from verify.suggestions.dates import FoundDate, find_date, fold_with_positions

__all__ = ["FoundDate", "PlaceRef", "find_date"]

# --- Sentences --------------------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    {
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Gen",
        "Col",
        "Lt",
        "Maj",
        "Capt",
        "Sgt",
        "St",
        "No",
        "U.S",
        "U.N",
        "approx",
        "e.g",
        "i.e",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    }
)
_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9\u0600-\u06ff])|\n\s*\n")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs. Abbreviations such as 'Nov.' or 'Gen.' do not end a sentence."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        last_word = re.search(r"([\w.]+)\.$", before.rstrip("\"'”’)"))
        if last_word and last_word.group(1) in _ABBREVIATIONS:
            continue
        sentences.append((start, before))
        start = match.end()
    sentences.append((start, text[start:]))
    result = []
    for offset, sentence in sentences:
        stripped = sentence.strip()
        if stripped:
            result.append((offset + sentence.index(stripped[0]), " ".join(stripped.split())))
    return result


# --- Numbers ----------------------------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_WORD_NUMBERS |= {
    f"{tens}{sep}{unit}": _WORD_NUMBERS[tens] + _WORD_NUMBERS[unit]
    for tens in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
    for unit in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    for sep in ("-", " ")
}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")"
_FAMILY = re.compile(
    r"\b(?P<verb>killed|killing|kills|wiped\s+out)\s+(?:a|an\s+entire|the)\s+family\s+of\s+(?P<n>" + _NUM + r")\b", re.I
)
_QUALIFIERS = {
    "at least": "min", "no fewer than": "min", "a minimum of": "min",
    "more than": "above", "over": "above",
    "up to": "max", "as many as": "max", "at most": "max", "no more than": "max",
    "nearly": "about", "almost": "about", "around": "about", "about": "about", "some": "about", "roughly": "about",
    "approximately": "about", "an estimated": "about",
}  # fmt: skip
_QUAL = r"(?:(?P<qual>" + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+)?"
_FIGURE = re.compile(
    r"\b" + _QUAL + r"(?:between\s+)?(?P<lo>" + _NUM + r")(?:\s*(?:-|–|to|and)\s*(?P<hi>" + _NUM + r"))?\b",
    re.IGNORECASE,
)
_PEOPLE = re.compile(
    r"^(?:[\s,]+(?:more|other|more\s+other|local|innocent|unarmed|young|elderly|syrian|russian|turkish|iranian|"
    r"kurdish|lebanese|female|male|staff|aid|rescue|health|medical|family|displaced))*"
    r"\s+(?:people|persons|civilians|children|kids|women|men|residents|shoppers|worshippers|patients|students|pupils|"
    r"fighters|soldiers|militants|members|others|individuals|villagers|relatives|medics|workers|staff|victims|"
    r"bodies|corpses|family\s+members|of\s+them|girls|boys|babies|infants|teachers|doctors|nurses|rescuers)\b",
    re.IGNORECASE,
)
_UNITS = re.compile(
    r"^\s*(?:missiles?|rockets?|bombs?|strikes?|airstrikes?|air\s+strikes?|raids?|munitions?|shells?|barrel|times|"
    r"occasions|metres?|meters?|m\b|km|kilometres?|kilometers?|miles?|hours?|days?|weeks?|months?|years?|am\b|pm\b|"
    r"a\.m|p\.m|percent|%|aircraft|jets?|planes?|helicopters?|buildings?|houses?|homes?|hospitals?|schools?|floors?|"
    r"vehicles?|cars?|sorties|targets|locations|incidents|attacks|villages|towns|cities|separate)\b",
    re.IGNORECASE,
)
_SUBCOUNT = re.compile(r"(?:including|among\s+them|among\s+whom|of\s+whom|of\s+which)\s+$", re.IGNORECASE)
_KILLED = r"killed|killing|kills|dead|died|death\s+toll|deaths?|lost\s+their\s+lives|massacred|perished"
_INJURED = r"injured|injuring|injuries|wounded|wounding|hurt|injures|wounds"
_CASUALTY = re.compile(r"\b(?P<word>" + _KILLED + "|" + _INJURED + r")\b", re.IGNORECASE)
_FORWARD_GAP = re.compile(
    r"^(?:\s*,?\s*(?:were|was|have\s+been|had\s+been|are|is|being|been|reportedly|also|all|later|had|have|who|"
    r"may|might|could|feared|believed|thought|to|be|likely|confirmed|now|"
    r"people|civilians|children|others|persons)\b)*\s*$",
    re.IGNORECASE,
)
_BACKWARD_GAP = re.compile(
    r"^\s*(?:(?:rose|risen|climbed|reached|stood|stands|was|is|of|to|at|now|has|had|a|the|total|some)\s+){0,4}$",
    re.IGNORECASE,
)
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"


def parse_number(text: str) -> int:
    text = text.lower().strip()
    if text in _WORD_NUMBERS:
        return _WORD_NUMBERS[text]
    return int(text.replace(",", ""))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # attribution, killed, injured, place, date, weapon, stance, objective


@dataclass
class Figure:
    kind: str  # killed or injured
    minimum: int | None
    maximum: int | None
    span: Span


def find_figures(sentence: str) -> list[Figure]:
    """Casualty figures: 'at least 34 civilians were killed', 'killing 49 people', 'wounding 20 to 30 others'."""
    figures = []
    family = _FAMILY.search(sentence)
    if family:
        n = parse_number(family.group("n"))
        figures.append(Figure("killed", n, n, Span(family.start("n"), family.end("n"), "killed")))
    keywords = [(m.start(), m.end(), _kind(m.group("word"))) for m in _CASUALTY.finditer(sentence)]
    for m in _FIGURE.finditer(sentence):
        before, after = sentence[: m.start()], sentence[m.end() :]
        if _UNITS.match(after) or _is_date_number(before, after) or _is_year(m.group("lo")):
            continue
        if _SUBCOUNT.search(before):
            continue
        kind = None
        people = _PEOPLE.match(after)
        among = _AMONG_DEAD.match(after)
        if among:  # "five women were among the dead": at least five
            if not any(f.kind == "killed" for f in figures):
                figures.append(Figure("killed", parse_number(m.group("lo")), None, Span(m.start(), m.end(), "killed")))
            continue
        rest_start = m.end() + (people.end() if people else 0)
        # Forward: "34 civilians were killed", "34 dead", skipping a parenthesis such as ", including nine children,".
        dropped, rest = _drop_parenthesis(sentence[rest_start:])
        for start, _end, word_kind in keywords:
            gap_length = start - rest_start - dropped
            if gap_length < 0:
                continue  # before the figure, or inside the parenthesis
            if _FORWARD_GAP.match(rest[:gap_length]):
                kind = word_kind
            break
        # Backward: "killing at least 34", "the death toll rose to 49".
        if kind is None:
            for _start, end, word_kind in reversed(keywords):
                if end <= m.start():
                    if _BACKWARD_GAP.match(sentence[end : m.start()]):
                        kind = word_kind
                    break
        if kind is None and people and re.search(r"\b(?:bodies|corpses)\b", people.group(0), re.I):
            kind = "killed"  # "21 bodies had been brought in"
        if kind is None:
            continue
        low, high = parse_number(m.group("lo")), parse_number(m.group("hi")) if m.group("hi") else None
        qualifier = _QUALIFIERS.get((m.group("qual") or "").lower())
        if high is not None:
            minimum, maximum = min(low, high), max(low, high)
        elif qualifier == "min":
            minimum, maximum = low, None
        elif qualifier == "above":
            minimum, maximum = low + 1, None
        elif qualifier == "max":
            minimum, maximum = None, low
        else:
            minimum = maximum = low
        if people and _PART_OF_DEAD.search(people.group(0)) and high is None:
            maximum = None  # "eight children died": the dead were at least these eight
        if any(f.kind == kind for f in figures):
            continue  # the first figure of a kind is the headline one; later ones are usually breakdowns
        figures.append(Figure(kind, minimum, maximum, Span(m.start(), m.end(), kind)))
    return figures


_AMONG_DEAD = re.compile(
    r"^\s+(?:women|children|kids|girls|boys|babies|doctors|medics|rescuers|journalists|members\s+of\s+\w+\s+family)"
    r"\s+(?:were|was|are)\s+(?:also\s+)?among\s+(?:the\s+)?(?:dead|killed|victims|fatalities)\b",
    re.IGNORECASE,
)
_PART_OF_DEAD = re.compile(r"\b(?:children|kids|women|girls|boys|babies|infants)\b", re.IGNORECASE)


def _kind(word: str) -> str:
    return "injured" if re.fullmatch(_INJURED, word, re.IGNORECASE) else "killed"


def _drop_parenthesis(text: str) -> tuple[int, str]:
    """Remove a leading ', including nine children,' or '(nine of them children)'; returns (removed, rest)."""
    m = re.match(r"^(?:\s*,\s*(?:including|among\s+them|most\s+of\s+them|many\s+of\s+them)[^,]*,|\s*\([^)]*\))", text)
    if m:
        return m.end(), text[m.end() :]
    return 0, text


def _is_date_number(before: str, after: str) -> bool:
    return bool(re.match(r"^\s*" + _MONTH + r"\b", after, re.IGNORECASE)) or bool(
        re.search(r"\b" + _MONTH + r"\s*$", before, re.IGNORECASE)
    )


def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4 and text[:2] in {"19", "20"}


# --- Arabic figures (on folded text) ----------------------------------------------------------------------------

_AR_UNITS = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4,
    "اربع": 4, "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8, "ثمان": 8,
    "تسعه": 9, "تسع": 9,
}  # fmt: skip
_AR_TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
    "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}  # fmt: skip
_AR_WORDS: dict[str, int] = {**_AR_UNITS, **_AR_TENS, "عشره": 10, "عشر": 10, "مئه": 100, "مائه": 100}
_AR_WORDS |= {"احد عشر": 11, "احدي عشره": 11, "اثنا عشر": 12, "اثني عشر": 12, "اثنتا عشره": 12}
for _unit, _value in _AR_UNITS.items():
    if _value >= 3:
        _AR_WORDS[f"{_unit} عشر"] = _AR_WORDS[f"{_unit} عشره"] = 10 + _value
    for _tens, _tens_value in _AR_TENS.items():
        _AR_WORDS[f"{_unit} و{_tens}"] = _value + _tens_value
_AR_NUM = r"(?:\d+|" + "|".join(sorted(_AR_WORDS, key=len, reverse=True)) + r")"
_AR_KILLED = r"(?:قتل|قتلوا|قتيلا|قتيل|قتلي|مقتل|مصرع|لقوا\s+حتفهم|لقي\s+حتفه|ضحايا|ضحيه|سقوط)"
_AR_INJURED = r"(?:اصيب|اصيبوا|اصابه|جريحا|جريح|جرحي|جرحوا|مصابا|مصابين|جرح)"
_AR_PEOPLE = (r"(?:مدنيا|مدنيين|مدنيون|مدني|شخصا|اشخاص|شخص|اطفال|طفلا|طفل|نساء|امراه|سيدات|اخرون|اخرين|"
              r"مواطنا|مواطنين|عنصرا|عناصر|جنديا|جنود|مسلحا|مسلحين|مقاتلا|مقاتلين|ارهابيا|ارهابيين)")  # fmt: skip
_AR_QUAL = r"(?:(?P<qual>اكثر\s+من|ما\s+لا\s+يقل\s+عن|نحو|حوالي|قرابه|ما\s+يزيد\s+عن)\s+)?"
_AR_RANGE = r"(?:(?:ما\s+)?بين\s+)?(?P<lo>" + _AR_NUM + r")(?:\s+و\s*(?P<hi>" + _AR_NUM + r"))?"
_B = r"(?<![\w])"
_E = r"(?![\w])"
# "قُتل 34 مدنياً", "بمقتل 11 مدنياً", "وأصيب 25 آخرون", "مقتل ما بين 18 و40 مدنياً"
_AR_VERB_FIRST = re.compile(
    _B + r"[وفب]?(?P<word>" + _AR_KILLED + "|" + _AR_INJURED + r")" + _E + r"\s+" + _AR_QUAL + _AR_RANGE + _E
)
# "١٣ شخصاً قتلوا", "6 مدنيين قتلوا", "ما بين 18 و40 مدنياً قتلوا", "20 جريحاً", "سقوط 5 قتلى"
_AR_NUMBER_FIRST = re.compile(
    _B
    + _AR_QUAL
    + _AR_RANGE
    + r"\s+(?P<people>"
    + _AR_PEOPLE
    + r"|جريحا|جرحي|قتيلا|قتلي)"
    + _E
    + r"(?:\s+(?:علي\s+الاقل|اخرين|اخرون))?(?:\s+(?:قد\s+)?(?P<word>"
    + _AR_KILLED
    + "|"
    + _AR_INJURED
    + r")"
    + _E
    + ")?"
)
_AR_SUBCOUNT = re.compile(r"(?:بينهم|منهم|من\s+بينهم|بينهن|منهن)\s+$")
_AR_AT_LEAST = re.compile(r"^\s*(?:" + _AR_PEOPLE + r"\s+)?علي\s+الاقل")


def _ar_number(text: str) -> int:
    text = " ".join(text.split())
    return int(text) if text.isdigit() else _AR_WORDS[text]


def _ar_kind(word: str) -> str:
    return "injured" if re.fullmatch(_AR_INJURED, word) else "killed"


def find_figures_arabic(sentence: str) -> list[Figure]:
    """Casualty figures in an Arabic sentence, with spans in the original sentence."""
    folded, positions = fold_with_positions(sentence)
    figures: list[Figure] = []
    found = []
    for pattern in (_AR_VERB_FIRST, _AR_NUMBER_FIRST):
        for m in pattern.finditer(folded):
            kind = None
            if m.group("word"):
                kind = _ar_kind(m.group("word"))
            elif "people" in m.groupdict() and m.group("people") in {"جريحا", "جرحي"}:
                kind = "injured"
            elif "people" in m.groupdict() and m.group("people") in {"قتيلا", "قتلي"}:
                kind = "killed"
            if kind is None or _AR_SUBCOUNT.search(folded[: m.start("lo")]):
                continue
            found.append((m.start("lo"), m, kind))
    for _start, m, kind in sorted(found, key=lambda f: f[0]):
        low = _ar_number(m.group("lo"))
        high = _ar_number(m.group("hi")) if m.group("hi") else None
        qualifier = m.group("qual") or ""
        at_least = bool(_AR_AT_LEAST.match(folded[m.end("hi") if m.group("hi") else m.end("lo") :]))
        if high is not None:
            minimum, maximum = min(low, high), max(low, high)
        elif at_least or qualifier.startswith("ما لا يقل"):
            minimum, maximum = low, None
        elif qualifier.startswith(("اكثر", "ما يزيد")):
            minimum, maximum = low + 1, None
        else:
            minimum = maximum = low
        after = folded[m.end("hi") if m.group("hi") else m.end("lo") :]
        if high is None and re.match(r"\s*(?:اطفال|طفلا|نساء|سيدات)" + _E, after):
            maximum = None  # "مقتل خمسة أطفال": the dead were at least these five
        if any(f.kind == kind for f in figures):
            continue
        end = m.end("hi") if m.group("hi") else m.end("lo")
        figures.append(Figure(kind, minimum, maximum, Span(positions[m.start("lo")], positions[end - 1] + 1, kind)))
    return figures


def is_arabic(text: str) -> bool:
    return bool(re.search(r"[\u0600-\u06ff]", text))


# --- Sources: attribution, coreference, the register --------------------------------------------------------------


def _no_resolve(mention: str) -> str | None:
    return None


@dataclass
class SourceBook:
    """What the extractor knows of the sources register: every name and alias as spelled (to spot them in a text)
    and `resolve`, which gives the register's name for a mention, or None. The caller builds it from the register
    (verify.suggestions.services) or, in the evaluation, from the corpus's register."""

    names: Sequence[str] = ()
    resolve: Callable[[str], str | None] = _no_resolve


_SPEECH_EN = re.compile(
    r"\b(?P<verb>(?:is|are|was|were)\s+denying|said|says|say|reported|told|tells|added|adds|stated|states|"
    r"announced|announces|confirmed|confirms|denied|denies|deny|rejected|rejects|dismissed|dismisses|called|calls|"
    r"blamed|blames|described|describes|counted|documented|documents|accused|accuses|insisted|insists|claimed|"
    r"claims|estimated|estimates|wrote|recorded|warned|noted|acknowledged|acknowledges|admitted|admits|alleged|"
    r"alleges|concluded|found)\b"
)
_ACCORDING_EN = re.compile(
    r"\b(?:according\s+to|citing|cited\s+by|quoted\s+by|reported\s+by|documented\s+by)\s+"
    r"(?P<who>[^,.;:()\"“”]+?)(?=\s*(?:[,.;:)\"“”]|$|\s(?:in|on|at|who|which|that|when|after|as|and\s+the)\b))",
    re.IGNORECASE,
)
_PRONOUNS = {"it", "he", "she", "they", "the statement", "the spokesman", "the spokeswoman", "the spokesperson",
             "a spokesman", "a spokeswoman", "the official", "an official", "officials"}  # fmt: skip
_SOURCE_NOUNS = (
    r"activists?|residents?|witness(?:es)?|eyewitness(?:es)?|rescuers?|rescue\s+workers|first\s+responders|medics|"
    r"doctors?|nurses?|officials?|monitors?|observatory|ministry|agency|agencies|network|charity|group|"
    r"organi[sz]ation|media|television|military|army|government|spokes(?:man|woman|person)|sources?|commanders?|"
    r"fighters|directorate|coalition|villagers|survivors|relatives|journalists?|reporters?|police|authorities|"
    r"statement|council|committee|office|department|correspondent"
)
_HEAD = re.compile(r"\b(?:" + _SOURCE_NOUNS + r")\b", re.IGNORECASE)
_NOT_SUBJECT = re.compile(
    r"\b(?:were|was|is|are|been|be|killed|killing|died|hit|struck|wounded|injured|dead|which|who|when|where|"
    r"because|if|after|before|strikes?|raids?|attacks?|bombs?|missiles?|people|civilians|children|reports?)\b|\d",
    re.IGNORECASE,
)
_LEAD_NOISE = re.compile(
    r"^(?:(?:and|but|yet|also|separately|meanwhile|however|earlier|later|in\s+a\s+statement|in\s+response|"
    r"for\s+its\s+part|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b[\s,]*)+",
    re.IGNORECASE,
)
_TRAIL_NOISE = re.compile(
    r"(?:\s+(?:also|later|earlier|flatly|categorically|firmly|swiftly|quickly|has|have|had|itself|"
    r"on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:late|early)\s+on\s+\w+))+$",
    re.IGNORECASE,
)
_ROLE_END = re.compile(r"\b(?:spokes(?:man|woman|person)|official|director|head|chief|minister|commander)$", re.I)
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass
class Attribution:
    who: str  # the mention as written, without its article
    span: Span
    kind: str = "name"  # name, or pronoun ("it said", "وأضاف أن"): the last source that spoke


def _blank_parentheses(text: str) -> str:
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), text)


def _subject_before(sentence: str, verb_start: int) -> tuple[int, str] | None:
    """The noun phrase just before a speech verb: '…, a war monitor said', 'The Observatory (SOHR) said'."""
    before = _blank_parentheses(sentence[:verb_start])
    parts = [(m.start(), m.group(0)) for m in re.finditer(r"[^,;:\"“”]+", before)]
    # "The Thiqa news agency, run by activists in the area, said": past the appositive to its noun.
    while len(parts) >= 2 and (
        not parts[-1][1].strip()
        or re.match(
            r"\s*(?:run|based|which|who|backed|funded|"
            r"led|close|affiliated)\b",
            parts[-1][1],
        )
    ):
        if not parts[-1][1].strip() and re.fullmatch(r"\s*(?:[A-Z][\w'’-]+\s*){1,3}", parts[-2][1]):
            break  # a person's name in apposition: handled below
        parts.pop()
    if not parts:
        return None
    start, text = parts[-1]
    if not text.strip() and len(parts) >= 2:
        parts.pop()
        start, text = parts[-1]
    # "A defence ministry spokesman, Igor Konashenkov, denied": the role, not the person's name.
    if len(parts) >= 2 and re.fullmatch(r"\s*(?:[A-Z][\w'’-]+\s*){1,3}", text) and not _HEAD.search(text):
        role_start, role = parts[-2]
        if _ROLE_END.search(role.strip()):
            start, text = role_start, role
    lead = _LEAD_NOISE.match(text.strip())
    stripped = text.strip()
    start += text.index(stripped[:1]) if stripped else 0
    if lead:
        start += lead.end()
        stripped = stripped[lead.end() :]
    stripped = _TRAIL_NOISE.sub("", stripped).strip()
    if not stripped:
        return None
    return start, stripped


def _is_subject(phrase: str) -> bool:
    words = phrase.split()
    if not words or len(words) > 9 or _NOT_SUBJECT.search(phrase):
        return False
    if phrase.lower() in _PRONOUNS:
        return True
    if phrase.lower() in {"we", "i", "you", "there", "this", "that", "which"}:
        return False
    return bool(_HEAD.search(phrase)) or any(w[:1].isupper() for w in words)


_SAID_AFTER = re.compile(
    r"[,”\"]\s*(?:said|says|added|reported|wrote)\s+(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:of|for|the|and|"
    r"[A-Z][\w'’-]*))*)"
)


def find_attribution(sentence: str) -> Attribution | None:
    """The source a sentence attributes itself to: 'according to activists', 'Amnesty said', 'the ministry denied',
    '…, a war monitor said', '"…," it said' (a pronoun, resolved to the last source that spoke)."""
    if is_arabic(sentence):
        return _find_attribution_arabic(sentence)
    m = _ACCORDING_EN.search(sentence)
    if m and _is_subject(m.group("who")):
        return _attribution(m.group("who"), m.start("who"))
    m = _SAID_AFTER.search(sentence)
    if m and _is_subject(m.group("who")):
        return _attribution(m.group("who"), m.start("who"))
    for verb in _SPEECH_EN.finditer(sentence):
        found = _subject_before(sentence, verb.start())
        if found and _is_subject(found[1]):
            return _attribution(found[1], found[0])
    return None


def _attribution(phrase: str, start: int) -> Attribution:
    phrase = phrase.strip(" ,.;:")
    determiner = _DETERMINER.match(phrase)
    if determiner and phrase.lower() not in _PRONOUNS:
        start += determiner.end()
        phrase = phrase[determiner.end() :]
    pronoun = phrase.lower() in _PRONOUNS or bool(
        determiner and determiner.group(0).lower() + phrase.lower() in _PRONOUNS
    )
    # "Its researchers", "their spokesman": the organisation that spoke last.
    kind = "pronoun" if pronoun or re.match(r"(?:its|their)\s", phrase, re.IGNORECASE) else "name"
    span = Span(start, start + len(phrase), "attribution")
    return Attribution(phrase[:1].upper() + phrase[1:], span, kind)


# Arabic, on folded text.
_AR_ACCORDING = re.compile(
    r"(?<![\w])(?:وفق\s+ما\s+(?:احصي|احصاه|افاد|افادت|ذكر|ذكرت|اعلن|اعلنت|وثق|وثقت|قال|قالت|اكد|اكدت)|"
    r"وفقا\s+ل|طبقا\s+ل|بحسب|حسب|نقلا\s+عن|علي\s+حد\s+قول)\s*"
)
_AR_SPEECH = re.compile(
    r"(?<![\w])[وف]?(?:قد\s+)?(?P<verb>قال|قالت|افاد|افادت|ذكر|ذكرت|اعلن|اعلنت|اكد|اكدت|نفي|نفت|تنفي|ينفي|وثق|وثقت|"
    r"اضاف|اضافت|اتهم|اتهمت|وصف|وصفت|اشار|اشارت|حمل|حملت|اعتبر|اعتبرت|زعم|زعمت|رفض|رفضت|اورد|اوردت|احصي|احصت|"
    r"نقل|نقلت|صرح|صرحت|يقول|تقول)(?![\w])"
)
_AR_STOP = re.compile(
    r"^(?:ان|انه|انها|انهم|بان|بانه|بانها|في|من|علي|عن|الي|مع|امس|اليوم|يوم|بعد|قبل|تنفيذ|وقوع|مقتل|اصابه|سقوط|"
    r"استهداف|قصف|غارات|غاره)$"
)


def _find_attribution_arabic(sentence: str) -> Attribution | None:
    folded, positions = fold_with_positions(sentence)
    candidates: list[tuple[int, tuple[int, int] | None, Span | None]] = []
    for m in _AR_ACCORDING.finditer(folded):
        words = _ar_subject_words(folded, m.end())
        if words:
            candidates.append((m.start(), words, None))
    for m in _AR_SPEECH.finditer(folded):
        words = _ar_subject_words(folded, m.end())
        if words:
            candidates.append((m.start(), words, None))
        elif re.match(r"\s+(?:ان|انه|انها|بان)(?![\w])", folded[m.end() :]):
            candidates.append(
                (m.start(), None, Span(positions[m.start("verb")], positions[m.end("verb") - 1] + 1, "attribution"))
            )
    if not candidates:
        return None
    _, words, verb_span = min(candidates, key=lambda c: c[0])
    if words is None:
        return Attribution("", verb_span or Span(0, 0, "attribution"), "pronoun")
    start, end = positions[words[0]], positions[words[1] - 1] + 1
    return Attribution(sentence[start:end], Span(start, end, "attribution"), "name")


_AR_TOKEN = re.compile(r"[ \t]*([^\s،,.؛:()\"“”«»]+)")


def _ar_subject_words(folded: str, start: int) -> tuple[int, int] | None:
    """Up to four words after an Arabic speech verb or 'بحسب', stopping at 'أن', a preposition, a figure or a clause
    break: (start, end) in the folded text."""
    words: list[tuple[int, int]] = []
    position = start
    while len(words) < 4:
        m = _AR_TOKEN.match(folded, position)
        if not m:
            break
        word = m.group(1)
        if _AR_STOP.match(word) or word[0].isdigit() or (words and word.startswith("ب")):
            break
        words.append((m.start(1), m.end(1)))
        position = m.end()
    return (words[0][0], words[-1][1]) if words else None


class _KnownNames:
    """The register's names and aliases, found in a text on its folded form (Arabic names also after و ف ب ل)."""

    def __init__(self, names: Iterable[str]) -> None:
        forms = sorted({fold(n) for n in names if len(fold(n)) >= 2}, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<![\w])(?:[وفبل](?=[\u0600-\u06ff]))?(?P<name>" + "|".join(map(re.escape, forms)) + r")(?![\w])"
            )
            if forms
            else None
        )

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surface) of each name in the text, longest first at each position."""
        if self.pattern is None:
            return []
        folded, positions = fold_with_positions(text)
        found = []
        for m in self.pattern.finditer(folded):
            start, end = positions[m.start("name")], positions[m.end("name") - 1] + 1
            found.append((start, end, text[start:end]))
        return found


# The kinds of source that "the monitor", "the agency", "المرصد" point back to, by words of the source's names.
_KINDS = {
    "monitor": ("observatory", "monitor", "network", "sohr", "snhr", "المرصد", "الشبكه"),
    "ministry": ("ministry", "وزاره"),
    "agency": ("agency", "news", "sana", "thiqa", "وكاله"),
    "charity": ("doctors", "msf", "medecins", "charity", "organisation", "organization", "منظمه"),
    "rescuers": ("civil defence", "civil defense", "white helmets", "rescue", "الدفاع المدني", "الخوذ"),
    "military": ("military", "army", "defence ministry", "defense ministry", "ministry of defence", "الجيش"),
    "directorate": ("directorate", "مديريه"),
}
_ANAPHORS = {
    "monitor": r"(?:the|a)\s+(?:war\s+|uk-based\s+|britain-based\s+)?(?:monitor|monitoring\s+group|observatory|"
    r"network)|المرصد|الشبكه",
    "ministry": r"the\s+(?:defen[cs]e\s+)?ministry|الوزاره",
    "agency": r"the\s+(?:news\s+|state\s+)?agency|الوكاله",
    "charity": r"the\s+(?:charity|organi[sz]ation|group|aid\s+group|medical\s+charity)|المنظمه",
    "rescuers": r"(?:the\s+)?(?:rescuers|rescue\s+workers|rescue\s+service|civil\s+defen[cs]e)|الدفاع\s+المدني",
    "military": r"the\s+(?:military|army)",
    "directorate": r"the\s+directorate|المديريه",
}


def _kind_of(*names: str) -> set[str]:
    text = " ".join(fold(n) for n in names)
    return {kind for kind, words in _KINDS.items() if any(re.search(r"(?<!\w)" + w, text) for w in words)}


def _anaphor_kind(mention: str) -> str | None:
    folded = fold(mention)
    for kind, pattern in _ANAPHORS.items():
        if re.fullmatch(pattern, folded) or re.fullmatch(pattern, "the " + folded):
            return kind
    return None


@dataclass
class _Antecedent:
    position: int
    name: str  # the register's name, or the mention
    kinds: set[str]


class _Sources:
    """Resolves mentions in one text: the register first, then coreference to a source named earlier (or, for 'a
    war monitor said' before the monitor is named, later in the same text)."""

    def __init__(self, book: SourceBook, text: str) -> None:
        self.book = book
        self.known = _KnownNames(book.names)
        self.cache: dict[str, str | None] = {}
        self.antecedents: list[_Antecedent] = []
        for start, _end, surface in self.known.find(text):
            name = self.resolve(surface)
            if name:
                self.antecedents.append(_Antecedent(start, name, _kind_of(surface, name)))
        self.last_speaker: str = ""

    def resolve(self, mention: str) -> str | None:
        if mention not in self.cache:
            self.cache[mention] = self.book.resolve(mention) if fold(mention) else None
        return self.cache[mention]

    def source_of(self, attribution: Attribution, unit: str, position: int) -> str:
        """The register's name of the attributed source, or the mention as written."""
        if attribution.kind == "pronoun":
            return self.last_speaker or attribution.who
        who = attribution.who
        # A register name that starts inside the mention: "منظمة أطباء بلا حدود", "Rescue workers from the SCD".
        inside = [
            (s, e, surface)
            for s, e, surface in self.known.find(unit)
            if attribution.span.start <= s < max(attribution.span.end, attribution.span.start + 1)
        ]
        candidates = [who]
        candidates += [surface for _s, _e, surface in sorted(inside, key=lambda f: f[0] - f[1])]
        sub = re.search(r"\b(?:from|for|of|at|with)\s+(?P<rest>(?:the\s+)?[\w'’ -]+)$", who)
        if sub:
            candidates.append(sub.group("rest"))
        role = re.sub(r"\s+(?:spokes(?:man|woman|person)|official|source|sources|statement)$", "", who, flags=re.I)
        candidates.append(role)
        for candidate in candidates:
            name = self.resolve(candidate)
            if name:
                return name
        for candidate in [who, *([sub.group("rest")] if sub else [])]:
            kind = _anaphor_kind(candidate)
            if kind:
                earlier = [a for a in self.antecedents if a.position < position and kind in a.kinds]
                later = [a for a in self.antecedents if a.position >= position and kind in a.kinds]
                if earlier:
                    return earlier[-1].name
                if later:
                    return later[0].name
                if self.last_speaker and kind != "rescuers":  # "the organisation said": the one that spoke last
                    return self.last_speaker
        # "activists in Binnish", "Medics at the town's hospital": the source is the people, not the place.
        who = re.sub(r"\s+(?:in|at|near|inside|from)\s+.+$", "", who)
        return re.sub(r"^((?:local\s+)?(?:residents|activists|medics|witnesses|doctors|people))\s+of\s+.+$", r"\1", who,
                      flags=re.IGNORECASE)  # fmt: skip

    def heard(self, name: str, position: int) -> None:
        self.last_speaker = name
        if name:
            self.antecedents.append(_Antecedent(position, name, _kind_of(name)))
            self.antecedents.sort(key=lambda a: a.position)

    def named_in(self, unit: str) -> str | None:
        """A register name in a sentence that has a speech verb but no attribution we could parse."""
        for _s, _e, surface in sorted(self.known.find(unit), key=lambda f: f[0] - f[1]):
            name = self.resolve(surface)
            if name:
                return name
        return None


# --- Stances ----------------------------------------------------------------------------------------------------

_OPPONENTS = (
    r"(?:rebels?|militants?|terrorists?|opposition|armed\s+groups?|insurgents?|jihadists?|"
    r"(?:rebel|militant|terrorist|opposition|armed)\s+\w+)"
)
_STANCES_EN = [
    (
        "denies_responsibility",
        re.compile(
            r"\b(?:denied|denies|deny|rejected|rejects)\s+(?:any\s+|all\s+)?responsibility|\bnot\s+responsible\b|"
            r"\bblam(?:ed|es|ing)\s+(?:the\s+)?" + _OPPONENTS + r"\b(?!(?:\s+\w+){0,3}\s+on\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "alternative",
        re.compile(
            r"\b(?:blamed\s+(?:the\s+)?\w+(?:\s+\w+){0,4}\s+on\b|(?:was|were)\s+caused\s+by|caused\s+by\s+"
            + _OPPONENTS
            + r"|militants['’]?\s+(?:ammunition|explosives|weapons\s+depot)|terrorist\s+(?:positions|targets|"
            r"hideouts|depots?|headquarters)|staged|fabricated\s+by|the\s+result\s+of\s+(?:a\s+|an\s+)?(?:accident|"
            r"explosion|militant|rebel|terrorist))",
            re.IGNORECASE,
        ),
    ),
    (
        "acknowledges",
        re.compile(
            r"\b(?:acknowledged|acknowledges|admitted|admits|claimed\s+responsibility|took\s+responsibility|"
            r"accepted\s+responsibility|accepts\s+responsibility|confirmed\s+(?:that\s+)?(?:it|its|they|their)\s+"
            r"(?:had\s+)?(?:struck|hit|targeted|carried\s+out|conducted|bombed|forces|aircraft|jets|planes))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "denies",
        re.compile(
            r"\b(?:(?:is|are|was|were)\s+denying|denied|denies|deny|denial|rejected|rejects|dismissed|dismisses|"
            r"refuted|refutes|"
            r"called\s+(?:the\s+|these\s+)?(?:reports?|claims?|allegations?|accusations?)\s+(?:a\s+|an\s+)?"
            r"(?:fake|false|lies|fabricat\w*|baseless|unfounded|provocation|horror\s+story)|"
            r"horror\s+story|fake\s+news|fakes|falsehoods?|categorically\s+false|"
            r"(?:as|were|are|is|was|all)\s+(?:a\s+)?(?:lies|fake|false|fabricated|baseless|unfounded|groundless|"
            r"provocation)|no\s+(?:\w+\s+)?(?:aircraft|planes|jets|warplanes|helicopters)\s+(?:had\s+|have\s+)?"
            r"(?:flown|struck|bombed|carried\s+out|taken\s+part)|"
            r"(?:did|does|do|had|has|have)\s+not\s+(?:carry|carried|conduct|conducted|fly|flown|perform|performed|"
            r"make|made|use|used|strike|struck|target|targeted|bomb|bombed|hit)\b|"
            r"no\s+such\s+\w+|no\s+(?:cluster|chemical|barrel|incendiary)\b|never\s+(?:struck|targeted|hit|used|"
            r"bombed|carried))",
            re.IGNORECASE,
        ),
    ),
]
_STANCES_AR = [
    (
        "denies_responsibility",
        re.compile(
            r"(?<![\w])[وف]?(?:اتهمت|اتهم|حملت|حمل|تتهم|يتهم)\s+(?:[^\s،.]+\s+){0,6}?(?:بالمسؤوليه|المسؤوليه|"
            r"فصائل|المعارضه|الارهابيين|المسلحين|الجماعات\s+المسلحه)"
        ),
    ),
    (
        "alternative",
        re.compile(
            r"مواقع\s+(?:لل|ل)?ارهابيين|مواقع\s+الارهابيين|مقرات\s+(?:لل)?ارهابيين|ناجم\s+عن\s+انفجار|"
            r"مستودع\s+(?:ذخيره|اسلحه)\s+(?:لل|ل)?(?:ارهابيين|مسلحين)"
        ),
    ),
    ("acknowledges", re.compile(r"(?<![\w])[وف]?(?:اعترفت|اعترف|اقرت|اقر)(?![\w])|اكدت\s+انها\s+(?:استهدفت|قصفت)")),
    (
        "denies",
        re.compile(
            r"(?<![\w])[وف]?(?:نفت|نفي|تنفي|ينفي|نفيا|رفضت|رفض)(?![\w])|لم\s+(?:تنفذ|ينفذ|تقم|يقم|تستهدف|يستهدف|تشن|"
            r"يشن|تستخدم|يستخدم)(?![\w])|(?<![\w])(?:كاذبه|كاذبا|مفبركه|ملفقه|مزاعم\s+باطله|لا\s+اساس\s+لها)(?![\w])"
        ),
    ),
]
_NEGATED = re.compile(r"\b(?:not|never|no|n[’']t|neither|nor|refused\s+to|declined\s+to|yet\s+to)\s+(?:\w+\s+)?$", re.I)


def find_stance(sentence: str) -> tuple[str, Span | None]:
    """Denied, rejected, acknowledged… ('has not acknowledged' is no acknowledgement); otherwise an allegation."""
    if is_arabic(sentence):
        folded, positions = fold_with_positions(sentence)
        for stance, pattern in _STANCES_AR:
            m = pattern.search(folded)
            if m:
                return stance, Span(positions[m.start()], positions[m.end() - 1] + 1, "stance")
        return "alleges", None
    for stance, pattern in _STANCES_EN:
        for m in pattern.finditer(sentence):
            if m.group(0).lower().split()[0] in {"did", "does", "do", "had", "has", "have"} or not _NEGATED.search(
                sentence[: m.start()]
            ):
                return stance, Span(m.start(), m.end(), "stance")
    return "alleges", None


_BACKGROUND = re.compile(
    r"\bsince\s+(?:(?:19|20)\d{2}|(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)(?!\s+\d)|the\s+(?:start|beginning|outbreak)|last\s+(?:year|month)|then)\b|"
    r"\brepeatedly\b|\bso\s+far\s+this\s+year\b|\bin\s+(?:the\s+)?(?:past|last)\s+(?:year|months|weeks)\b",
    re.IGNORECASE,
)
_BACKGROUND_AR = re.compile(r"(?<![\w])(?:منذ|حتي\s+الان|منذ\s+بدايه|خلال\s+(?:العام|الاشهر|الاسابيع))(?![\w])")
_PROVISIONAL = re.compile(
    r"\b(?:could|may|might|likely\s+to|expected\s+to|feared\s+to)\s+(?:\w+\s+)?rise\b|\btoll\s+(?:is\s+)?provisional\b"
    r"|مرشحه\s+للارتفاع|قابله\s+للارتفاع|مرجحه\s+للارتفاع|مرشح\s+للارتفاع",
    re.IGNORECASE,
)


def is_background(sentence: str) -> bool:
    """'has been hit repeatedly since 2015', 'منذ عام 2015': the history of a place, not a claim about the event."""
    if is_arabic(sentence):
        return bool(_BACKGROUND_AR.search(fold_with_positions(sentence)[0]))
    return bool(_BACKGROUND.search(sentence))


def is_provisional(sentence: str) -> bool:
    """A toll that 'could rise'."""
    return bool(_PROVISIONAL.search(fold_with_positions(sentence)[0] if is_arabic(sentence) else sentence))


# --- Weapons ----------------------------------------------------------------------------------------------------

_WEAPONS = [
    ("cluster_munition", "cluster munitions", r"cluster\s+(?:munitions?|bombs?|rockets?)|submunitions?|bomblets?"),
    ("barrel_bomb", "barrel bombs", r"barrel\s+bombs?|improvised\s+barrel"),
    ("chemical", "chemical weapons", r"chemical\s+(?:weapons?|attacks?|agents?|munitions?)|chlorine|sarin|"
                                     r"nerve\s+agents?|toxic\s+gas|poison(?:ous)?\s+gas"),
    ("missile", "missiles", r"(?:cruise\s+|ballistic\s+|guided\s+|air-to-surface\s+)?missiles?"),
    ("shelling", "artillery", r"shelling|artillery|mortars?|rocket\s+fire|rockets?"),
    ("airstrike", "air strike", r"air\s*strikes?|air\s+raids?|warplanes?|fighter\s+jets?|bombing\s+raids?|"
                                r"unguided\s+bombs?|aerial\s+bombardment|jets|(?:war)?planes|aircraft"),
]  # fmt: skip


@dataclass
class Weapon:
    attack_type: str
    munition: str
    span: Span


_WEAPONS_AR = [
    ("cluster_munition", "cluster munitions", r"(?:قنابل|ذخائر|القنابل|الذخائر)\s+(?:ال)?عنقوديه"),
    ("barrel_bomb", "barrel bombs", r"(?:بال|ال)?براميل\s+(?:ال)?متفجره|برميل\s+متفجر"),
    ("chemical", "chemical weapons", r"(?:ال)?كيماوي(?:ه)?|(?:ال)?كيميائي(?:ه)?|(?:غاز\s+)?الكلور|السارين"),
    ("missile", "missiles", r"(?:ال)?صواريخ|صاروخ|بصواريخ|باربعه\s+صواريخ"),
    ("shelling", "artillery", r"قصف\s+مدفعي|(?:ال)?مدفعيه|قذائف|(?:ال)?هاون"),
    ("airstrike", "air strike", r"(?:ال)?غارات|غاره|(?:ال)?طيران\s+(?:ال)?حربي|طائرات\s+حربيه|قصف\s+جوي|(?:ال)?طائرات"),
]


def find_weapons(sentence: str) -> list[Weapon]:
    if is_arabic(sentence):
        return _find_weapons_arabic(sentence)
    found: list[Weapon] = []
    taken: list[tuple[int, int]] = []
    for attack_type, label, pattern in _WEAPONS:
        for m in re.finditer(r"\b(?:" + pattern + r")\b", sentence, re.IGNORECASE):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            if not any(w.attack_type == attack_type for w in found):
                found.append(Weapon(attack_type, label, Span(m.start(), m.end(), "weapon")))
    return found


# --- Military objective -----------------------------------------------------------------------------------------

_OBJECTIVE = r"(?:military\s+(?:base|position|target|objective|post|site|installation|checkpoint|headquarters)s?|" \
             r"checkpoint|barracks|front\s*line)"  # fmt: skip
_OBJECTIVE_DISTANCE = re.compile(
    _OBJECTIVE + r"[^.;]{0,60}?\b(?P<n>\d{1,3}(?:,\d{3})*|\d+)\s*(?P<unit>m|metres|meters|km|kilometres|kilometers)\b"
    r"|(?P<n2>\d{1,3}(?:,\d{3})*|\d+)\s*(?P<unit2>m|metres|meters|km|kilometres|kilometers)\s+(?:away\s+)?from\s+"
    r"(?:the\s+|a\s+|any\s+)?(?:nearest\s+)?" + _OBJECTIVE,
    re.IGNORECASE,
)
_NO_OBJECTIVE = re.compile(
    r"\bno\s+(?:military\s+(?:targets?|objectives?|presence|positions?|bases?)|(?:armed\s+)?fighters|militants)\b"
    r"|\bnot\s+a\s+military\s+(?:target|objective)\b",
    re.IGNORECASE,
)


def find_objective(sentence: str) -> tuple[bool | None, int | None, Span | None]:
    """Whether a military objective is said to be present, and how far away in metres."""
    m = _NO_OBJECTIVE.search(sentence)
    if m:
        return False, None, Span(m.start(), m.end(), "objective")
    m = _OBJECTIVE_DISTANCE.search(sentence)
    if m:
        number = parse_number(m.group("n") or m.group("n2"))
        unit = (m.group("unit") or m.group("unit2")).lower()
        metres = number * 1000 if unit.startswith("k") else number
        return True, metres, Span(m.start(), m.end(), "objective")
    return None, None, None


def _find_weapons_arabic(sentence: str) -> list[Weapon]:
    folded, positions = fold_with_positions(sentence)
    found: list[Weapon] = []
    taken: list[tuple[int, int]] = []
    for attack_type, label, pattern in _WEAPONS_AR:
        for m in re.finditer(r"(?<![\w])[وب]?(?:" + pattern + r")(?![\w])", folded):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            if not any(w.attack_type == attack_type for w in found):
                span = Span(positions[m.start()], positions[m.end() - 1] + 1, "weapon")
                found.append(Weapon(attack_type, label, span))
    return found


# --- Places -----------------------------------------------------------------------------------------------------


_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0600-\u06ff][\w\u0600-\u06ff'’-]*")
_STOP = {"the", "in", "on", "at", "and", "of", "al", "el", "an", "a", "as", "it", "is", "we", "he", "she", "they",
         "said", "market", "city", "town", "village", "monday", "tuesday", "wednesday", "thursday", "friday",
         "saturday", "sunday", "russian", "syrian", "amnesty", "international"}  # fmt: skip


@dataclass
class PlaceMention:
    text: str
    candidates: list[PlaceRef]
    span: Span

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


# Arabic words that are also the names of villages somewhere in Syria, and prepositions and conjunctions written
# onto the next word ("بريف", "وأريحا", "للأتارب").
_STOP_AR = {fold(w) for w in ("المنطقة", "المدينة", "البلدة", "القرية", "السوق", "ريف", "مدينة", "بلدة", "قرية",
                              "منطقة",
                              "الغاب", "سهل", "الجيش", "المرصد", "الدفاع", "المدني", "الحكومة", "النظام", "المعارضة",
                              "الشمالي", "الجنوبي", "الغربي", "الشرقي", "جديدة", "القريبة", "المشافي")}  # fmt: skip
_PROCLITICS = ("وب", "وال", "ول", "و", "ب", "ل")
# A one-word Arabic place name is taken after a word that introduces a place, or with a preposition on it.
_PLACE_CUE_AR = re.compile(
    r"(?:في|على|علي|مدينه|مدينة|بلده|بلدة|قريه|قرية|ريف|محافظه|محافظة|حي|من|قرب|محيط|استهدف|استهدفت|"
    r"مدينتي|بلدتي|بمدينه|بمدينة|ببلده|ببلدة|طالت|منطقه|منطقة)\s*$"
)


def _lookup(index: PlaceIndex, text: str) -> list[PlaceRef]:
    for key in (normalize_name(text), fold(text)):
        candidates = index.get(key) or index.get(key.replace(" ", ""))
        if candidates:
            return list(candidates)
    if is_arabic(text):
        if text.startswith("لل"):
            return _lookup(index, "ال" + text[2:])
        for clitic in _PROCLITICS:
            if text.startswith(clitic) and len(text) - len(clitic) >= 3:
                rest = text[len(clitic) :]
                if clitic == "وال":
                    rest = "ال" + rest
                for key in (normalize_name(rest), fold(rest)):
                    candidates = index.get(key) or index.get(key.replace(" ", ""))
                    if candidates:
                        return list(candidates)
    return []


def find_places(sentence: str, index: PlaceIndex) -> list[PlaceMention]:
    """Gazetteer names in the sentence, longest first. Latin names must be capitalised ('Homes' is also Homs)."""
    words = list(_WORD.finditer(sentence))
    found, i = [], 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            start, end = words[i].start(), words[i + n - 1].end()
            text = re.sub(r"['’]s$", "", sentence[start:end]).strip("'’-")
            first = text[:1]
            if first.isascii() and not first.isupper():
                continue
            key = normalize_name(text)
            if n == 1 and (len(key) < 3 or key in _STOP or fold(text) in _STOP_AR):
                continue
            if is_arabic(text) and fold(text) in _STOP_AR:
                continue
            if (
                n == 1
                and is_arabic(text)
                and i > 0
                and is_arabic(words[i - 1].group(0))
                and not _PLACE_CUE_AR.search(fold_with_positions(sentence[:start])[0])
                and not text.startswith(("ب", "و", "ل"))
            ):
                continue
            candidates = _lookup(index, text)
            if candidates:
                unique = _capital_or_province(list(dict.fromkeys(candidates)), sentence[end:], sentence[:start])
                found.append(PlaceMention(text, unique, Span(start, start + len(text), "place")))
                i += n - 1
                break
        i += 1
    return found


def _capital_or_province(candidates: list[PlaceRef], after: str, before: str = "") -> list[PlaceRef]:
    """'Idlib' is a city and the governorate around it: 'Idlib province' (ريف إدلب, محافظة إدلب) is the
    governorate, else the city."""
    provinces = [c for c in candidates if c.is_governorate]
    others = [c for c in candidates if not c.is_governorate]
    if len(provinces) != 1 or len(others) != 1 or others[0].governorate != provinces[0].name:
        return candidates
    if re.match(r"\s*(?:province|governorate|countryside|region)\b", after, re.IGNORECASE):
        return provinces
    if re.search(r"(?:ريف|محافظه|محافظة|بريف|وريف)\s*$", before) and not re.search(r"(?:مدينه|مدينة)\s*$", before):
        return provinces
    return others


# --- Perpetrators -----------------------------------------------------------------------------------------------

_PERPETRATOR = re.compile(
    r"\b(?P<who>Russian|Syrian(?:\s+(?:government|regime|army))?|regime|government|pro-government|"
    r"(?:US|U\.S\.)-led\s+coalition|coalition|Turkish|Israeli|Iranian|rebel|opposition|Islamic\s+State|ISIS|IS)\s+"
    r"(?:war)?(?:planes?|aircraft|jets?|helicopters?|forces|troops|artillery|army|military|air\s+force|"
    r"aerospace\s+forces|gunships?|fighters)\b"
)
_PERPETRATOR_AR = re.compile(
    r"(?:(?:ال)?طائرات|(?:ال)?طيران|(?:ال)?غارات|غاره|(?:ال)?مقاتلات)\s+(?:(?:ال)?حربيه\s+|جويه\s+)?(?:ال)?روسي(?:ه)?"
    r"(?![\w])|قوات\s+(?:النظام|الحكومه)|(?:ال)?جيش\s+(?:ال)?(?:سوري|النظام)"
)


def find_perpetrator(sentence: str) -> tuple[str, Span | None]:
    if is_arabic(sentence):
        folded, positions = fold_with_positions(sentence)
        m = _PERPETRATOR_AR.search(folded)
        if not m:
            return "", None
        start, end = positions[m.start()], positions[m.end() - 1] + 1
        return sentence[start:end], Span(start, end, "perpetrator")
    m = _PERPETRATOR.search(sentence)
    return (m.group(0), Span(m.start(), m.end(), "perpetrator")) if m else ("", None)


# --- Suggestions ------------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    sentence: str
    offset: int
    source: str = ""  # the register's name of the source, or the mention as written
    source_mention: str = ""
    stance: str = "alleges"
    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    attack_type: str = ""
    munition: str = ""
    perpetrator: str = ""
    event_date: date | None = None
    event_date_precision: str = ""
    places: list[PlaceMention] = field(default_factory=list)
    military_objective_present: bool | None = None
    military_objective_distance_m: int | None = None
    provisional: bool = False  # "the toll could rise"
    other_event: bool = False  # a different date or place than the report's main event: "another event?"
    spans: list[Span] = field(default_factory=list)

    @property
    def place(self) -> PlaceRef | None:
        """The one place the suggestion is about, never a guess: the most specific place named (a town over the
        province it is in), if it is unambiguous and the only one of its rank."""
        towns = [m for m in self.places if not all(c.is_governorate for c in m.candidates)]
        mentions = towns or self.places
        if not mentions:
            return None
        first = mentions[0]
        if first.ambiguous:
            return None
        if any(m.candidates[0] != first.candidates[0] and not m.ambiguous and m is not first for m in mentions[1:]):
            # Two towns: the first is the one the sentence is about ("in Sarmin … from near Saraqib").
            return first.candidates[0]
        return first.candidates[0]

    @property
    def has_facts(self) -> bool:
        return any(
            (
                self.killed_min is not None,
                self.killed_max is not None,
                self.injured_min is not None,
                self.injured_max is not None,
                self.munition,
                self.stance != "alleges",
                self.military_objective_present is not None,
            )
        )


_CLAUSE_BREAK = re.compile(
    r",\s*(?:but|while|whereas)\s+|;\s+|\s+but\s+(?=[A-Z])|،\s*(?:بينما|في\s+حين|لكن|غير\s+ان)\s+"
)


def _units(sentence: str) -> list[tuple[int, str]]:
    """A sentence, or its clauses when a later clause takes a stance of its own: 'The monitor said 10 civilians
    were killed, but Moscow denied the reports' is an allegation and a denial."""
    for m in _CLAUSE_BREAK.finditer(sentence):
        first, second = sentence[: m.start()], sentence[m.end() :]
        if find_stance(second)[0] != "alleges" and find_stance(first)[0] == "alleges" and find_attribution(second):
            return [(0, first), (m.end(), second)]
    return [(0, sentence)]


def extract(
    text: str,
    *,
    published_on: date | None = None,
    places: PlaceIndex | None = None,
    sources: SourceBook | None = None,
) -> list[Suggestion]:
    """One suggestion per sentence (or clause) that asserts a fact: a figure, a weapon, a stance, a military
    objective, or a perpetrator named by a source. Background ('hit repeatedly since 2015') is left out."""
    register = _Sources(sources or SourceBook(), text)
    suggestions: list[Suggestion] = []
    previous = ""
    quoting = False  # inside a quotation that runs over several sentences
    sentences = split_sentences(text)
    for number, (sentence_offset, sentence) in enumerate(sentences):
        quoted = quoting
        # The raw text up to the next sentence: the splitter leaves a closing quote after the full stop outside.
        raw_end = sentences[number + 1][0] if number + 1 < len(sentences) else len(text)
        quoting = _quote_open(text[sentence_offset:raw_end], quoting)
        for unit_offset, unit in _units(sentence):
            offset = sentence_offset + unit_offset
            s = _read(unit, offset, register, previous, published_on, places, quoted)
            if s is None:
                if is_provisional(unit) and suggestions and suggestions[-1].killed_min is not None:
                    suggestions[-1].provisional = True
            else:
                suggestions.append(s)
            previous = unit
    _set_apart_other_events(suggestions)
    return suggestions


def _quote_open(sentence: str, open_before: bool) -> bool:
    """Whether a quotation is still open after this sentence."""
    opens, closes = sentence.count("“") + sentence.count("«"), sentence.count("”") + sentence.count("»")
    straight = sentence.count('"')
    if opens or closes:
        return (open_before or opens > closes) and not (closes > opens)
    return open_before != (straight % 2 == 1)


def _read(
    unit: str,
    offset: int,
    register: _Sources,
    previous: str,
    published_on: date | None,
    places: PlaceIndex | None,
    quoted: bool = False,
) -> Suggestion | None:
    arabic = is_arabic(unit)
    s = Suggestion(sentence=unit, offset=offset)
    figures = find_figures_arabic(unit) if arabic else find_figures(unit)
    for figure in figures:
        if figure.kind == "killed":
            s.killed_min, s.killed_max = figure.minimum, figure.maximum
        else:
            s.injured_min, s.injured_max = figure.minimum, figure.maximum
        s.spans.append(figure.span)
    weapons = find_weapons(unit)
    if weapons:
        # The most specific weapon wins the attack type: cluster munitions over the aircraft that dropped them.
        s.attack_type = weapons[0].attack_type
        s.munition = ", ".join(w.munition for w in weapons if w.attack_type != "airstrike") or weapons[0].munition
        s.spans += [w.span for w in weapons]
    s.stance, stance_span = find_stance(unit)
    if stance_span:
        s.spans.append(stance_span)
    if not arabic:
        present, distance, objective_span = find_objective(unit)
        if objective_span:
            s.military_objective_present, s.military_objective_distance_m = present, distance
            s.spans.append(objective_span)
    s.perpetrator, perpetrator_span = find_perpetrator(unit)
    attribution = find_attribution(unit)
    source = ""
    if attribution:
        source = register.source_of(attribution, unit, offset + attribution.span.start)
        if attribution.kind == "name" or source:
            s.spans.append(attribution.span)
        s.source_mention = attribution.who
    elif _speaks(unit):
        source = register.named_in(unit) or ""
    elif previous.rstrip().endswith(":") or quoted or (unit[:1] in '"“«' and register.last_speaker):
        source = register.last_speaker  # reported speech carried on from the sentence before
    if source:
        register.heard(source, offset)
    if is_background(unit):
        return None  # "has been hit repeatedly since 2015", "has repeatedly denied using chemical weapons"
    attacked = (
        source and _ATTACKED.search(unit) and (find_date(unit, published_on) or (places and find_places(unit, places)))
    )
    if not s.has_facts and not (s.perpetrator and source) and not attacked:
        return None
    s.source = source
    s.provisional = is_provisional(unit)
    if s.stance == "denies":
        # A denial is its own suggestion: the figures in it are the ones it denies, and it names no perpetrator.
        s.killed_min = s.killed_max = s.injured_min = s.injured_max = None
        s.perpetrator = ""
        s.spans = [span for span in s.spans if span.kind not in {"killed", "injured"}]
    elif perpetrator_span:
        s.spans.append(perpetrator_span)
    found_date = find_date(unit, published_on)
    if found_date:
        s.event_date, s.event_date_precision = found_date.value, found_date.precision
        s.spans.append(Span(found_date.start, found_date.end, "date"))
    if places:
        s.places = find_places(unit, places)
        s.spans += [m.span for m in s.places]
    s.spans = _without_overlaps(s.spans)
    return s


# A source saying that a place was attacked on a day is a claim even with no figure or weapon.
_ATTACKED = re.compile(
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:struck|hit|bombed|shelled|targeted|pounded|"
    r"raided)\b|(?<![\w])(?:استهدف|استهدفت|قصف|قصفت)(?![\w])"
)


def _speaks(unit: str) -> bool:
    if is_arabic(unit):
        return bool(_AR_SPEECH.search(fold_with_positions(unit)[0]))
    return bool(_SPEECH_EN.search(unit))


def _set_apart_other_events(suggestions: list[Suggestion]) -> None:
    """The report's main event is its latest dated one with casualties (wire reports lead with the news); a
    suggestion dated otherwise, or with casualties in another town, is flagged 'another event?'."""
    dated = [s for s in suggestions if s.event_date and (s.killed_min is not None or s.killed_max is not None)]
    dated = dated or [s for s in suggestions if s.event_date]
    if not dated:
        return
    main = max(dated, key=lambda s: s.event_date or date.min)
    main_place = main.place
    for s in suggestions:
        if (s.event_date and s.event_date != main.event_date) or (
            main_place is not None
            and s.place is not None
            and s.place != main_place
            and not s.place.is_governorate
            and not main_place.is_governorate
            and (s.killed_min is not None or s.killed_max is not None)
            and s.event_date is None
        ):
            s.other_event = True


def _without_overlaps(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def highlight_segments(sentence: str, spans: Sequence[Span]) -> list[tuple[str, str]]:
    """The sentence cut into (text, kind) pieces, kind '' for plain text: a template escapes each piece."""
    pieces, position = [], 0
    for span in _without_overlaps(list(spans)):
        if span.start > position:
            pieces.append((sentence[position : span.start], ""))
        pieces.append((sentence[span.start : span.end], span.kind))
        position = span.end
    if position < len(sentence):
        pieces.append((sentence[position:], ""))
    return pieces
