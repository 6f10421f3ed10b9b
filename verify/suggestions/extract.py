"""Rule-based claim suggestions from report text: who said what, how many were killed, where, when and with what.

Offline and deterministic: regular expressions over sentences, places looked up in a name index built from the
gazetteer. Each suggestion keeps the spans it was read from, so a researcher can see why it was suggested. No
Django here: the caller passes the place index.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from verify.lib.gazetteer import PlaceIndex, PlaceRef, normalize_name

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
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")"
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
    r"^(?:[\s,]+(?:more|other|more\s+other|local|innocent|unarmed|young|elderly|syrian|russian|female|male))*"
    r"\s+(?:people|persons|civilians|children|kids|women|men|residents|shoppers|worshippers|patients|students|pupils|"
    r"fighters|soldiers|militants|members|others|individuals|villagers|relatives|medics|workers|staff|victims|"
    r"bodies|family\s+members|of\s+them)\b",
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
    keywords = [(m.start(), m.end(), _kind(m.group("word"))) for m in _CASUALTY.finditer(sentence)]
    for m in _FIGURE.finditer(sentence):
        before, after = sentence[: m.start()], sentence[m.end() :]
        if _UNITS.match(after) or _is_date_number(before, after) or _is_year(m.group("lo")):
            continue
        if _SUBCOUNT.search(before):
            continue
        kind = None
        people = _PEOPLE.match(after)
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
        if any(f.kind == kind for f in figures):
            continue  # the first figure of a kind is the headline one; later ones are usually breakdowns
        figures.append(Figure(kind, minimum, maximum, Span(m.start(), m.end(), kind)))
    return figures


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


# --- Attributions and stance ------------------------------------------------------------------------------------

_SPEECH = (
    r"said|says|say|reported|reports|report|stated|states|told|claimed|claims|announced|confirmed|confirms|"
    r"documented|documents|found|counted|recorded|alleged|alleges|accused|denied|denies|deny|rejected|rejects|"
    r"dismissed|dismisses|acknowledged|acknowledges|admitted|admits|insisted|insists|blamed|blames|described|"
    r"estimated|estimates|added|wrote|concluded|concludes"
)
_COMMON_SOURCES = (
    r"local\s+activists|activists|opposition\s+activists|residents|witnesses|a\s+witness|an\s+eyewitness|"
    r"eyewitnesses|rescuers|rescue\s+workers|first\s+responders|medics|doctors|a\s+doctor|a\s+nurse|"
    r"hospital\s+staff|monitors|a\s+monitoring\s+group|the\s+monitoring\s+group|officials|local\s+officials|"
    r"the\s+ministry|the\s+defen[cs]e\s+ministry|the\s+army|the\s+military|the\s+government|a\s+spokesman|"
    r"a\s+spokeswoman|the\s+spokesman|the\s+spokeswoman|the\s+group|the\s+organi[sz]ation|state\s+media|"
    r"state\s+television|the\s+coalition|villagers|survivors|relatives"
)
_PROPER = r"(?:[A-Z][\w’'.&-]*|[A-Z]{2,})(?:\s+(?:of|for|the|and|de|al-|el-)?\s*(?:[A-Z][\w’'&-]*))*"
_SUBJECT = (
    r"(?P<who>(?:the\s+|The\s+)?" + _PROPER + r"(?:['’]s\s+[a-z]+(?:\s+[a-z]+)?)?|(?i:" + _COMMON_SOURCES + r"))"
    r"(?:\s+(?:in|from)\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?"  # "Activists in Mouadamiyeh said"
)
_ATTRIBUTION_BEFORE = re.compile(
    _SUBJECT + r"(?:,?\s+(?:on|late\s+on|early\s+on|last)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2})(?:\s+(?:morning|afternoon|evening|night))?,?)?"
    r"\s+(?:has\s+|have\s+|had\s+|also\s+|later\s+|flatly\s+|categorically\s+|firmly\s+|swiftly\s+)*"
    r"(?P<verb>" + _SPEECH + r")\b",
)
_ACCORDING = re.compile(
    r"\b(?:according\s+to|citing|cited\s+by|quoted\s+by|reported\s+by|documented\s+by|said\s+by)\s+"
    r"(?P<who>(?:the\s+)?(?:" + _PROPER + r"|" + _COMMON_SOURCES + r"|[a-z]+(?:\s+[a-z]+){0,2}?))"
    r"(?=\s*(?:[,.;:)]|$|\s(?:in|on|at|who|which|that|and|from|after|as)\b))",
    re.IGNORECASE,
)
_SAID_AFTER = re.compile(r"[,”\"]\s*(?P<verb>said|says|reported|stated|added)\s+(?P<who>(?:the\s+)?" + _PROPER + ")")
_NOT_SOURCES = re.compile(
    r"^(?:the\s+)?(?:it|he|she|they|we|this|that|there|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"in|on|at|a|an|but|and|yet|however|later|earlier|last|its|their|his|her)$",
    re.IGNORECASE,
)
_LEADING_NOISE = re.compile(
    r"^(?:(?:On|In|At|But|And|Yet|However|Meanwhile|Later|Earlier|Last|Separately|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|" + _MONTH[3:-4] + r")\b[\s,]*)+",
    re.IGNORECASE,
)

_STANCES = [
    (
        "acknowledges",
        re.compile(
            r"\b(?:acknowledged|acknowledges|admitted|admits|claimed\s+responsibility|took\s+responsibility|"
            r"accepted\s+responsibility|accepts\s+responsibility|confirmed\s+(?:that\s+)?(?:it|its)\s+"
            r"(?:had\s+)?(?:struck|hit|targeted|carried\s+out|conducted|forces|aircraft|jets))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "denies_responsibility",
        re.compile(
            r"\b(?:denied|denies|deny|rejected|rejects)\s+(?:any\s+|all\s+)?responsibility|"
            r"\bnot\s+responsible\b",
            re.IGNORECASE,
        ),
    ),
    (
        "alternative",
        re.compile(
            r"\b(?:blamed\s+(?:the\s+)?\w+(?:\s+\w+){0,4}\s+on\b|was\s+caused\s+by|were\s+caused\s+by|"
            r"staged|fabricated\s+by|the\s+result\s+of\s+(?:a\s+)?(?:an\s+)?(?:accident|explosion|"
            r"militant|rebel|terrorist))",
            re.IGNORECASE,
        ),
    ),
    (
        "denies",
        re.compile(
            r"\b(?:denied|denies|deny|denial|rejected|rejects|dismissed|dismisses|refuted|refutes|"
            r"no\s+such\s+\w+|no\s+(?:cluster|chemical|barrel|weapons|munitions|strikes?|attacks?|raids?)\b|never\s+(?:struck|targeted|hit|used|bombed)|categorically\s+false|fake\s+news|"
            r"falsehoods?)\b",
            re.IGNORECASE,
        ),
    ),
]


@dataclass
class Attribution:
    who: str
    span: Span


def find_attribution(sentence: str) -> Attribution | None:
    """The source a sentence attributes itself to: 'according to activists', 'Amnesty said', 'the ministry denied'."""
    candidates = []
    for pattern in (_ACCORDING, _ATTRIBUTION_BEFORE, _SAID_AFTER):
        for m in pattern.finditer(sentence):
            who = m.group("who")
            start = m.start("who")
            noise = _LEADING_NOISE.match(who)
            if noise and noise.end() < len(who):
                start += noise.end()
                who = who[noise.end() :]
            who = who.strip(" ,.;:")
            if not who or _NOT_SOURCES.match(who) or _FIGURE.fullmatch(who):
                continue
            candidates.append(Attribution(_clean_source(who), Span(start, start + len(who), "attribution")))
        if candidates:
            break
    return candidates[0] if candidates else None


def _clean_source(who: str) -> str:
    who = re.sub(r"^(?:the|The)\s+", "", who.strip())
    return who[0].upper() + who[1:] if who else who


_NEGATED = re.compile(r"\b(?:not|never|no|n[’']t|neither|nor|refused\s+to|declined\s+to|yet\s+to)\s+(?:\w+\s+)?$", re.I)


def find_stance(sentence: str) -> tuple[str, Span | None]:
    """Denied, rejected, acknowledged… ('has not acknowledged' is no acknowledgement); otherwise an allegation."""
    for stance, pattern in _STANCES:
        for m in pattern.finditer(sentence):
            if not _NEGATED.search(sentence[: m.start()]):
                return stance, Span(m.start(), m.end(), "stance")
    return "alleges", None


# --- Weapons ----------------------------------------------------------------------------------------------------

_WEAPONS = [
    ("cluster_munition", "cluster munitions", r"cluster\s+(?:munitions?|bombs?|rockets?)|submunitions?|bomblets?"),
    ("barrel_bomb", "barrel bombs", r"barrel\s+bombs?|improvised\s+barrel"),
    ("chemical", "chemical weapons", r"chemical\s+(?:weapons?|attacks?|agents?|munitions?)|chlorine|sarin|"
                                     r"nerve\s+agents?|toxic\s+gas|poison(?:ous)?\s+gas"),
    ("missile", "missiles", r"(?:cruise\s+|ballistic\s+|guided\s+|air-to-surface\s+)?missiles?"),
    ("shelling", "artillery", r"shelling|artillery|mortars?|rocket\s+fire|rockets?"),
    ("airstrike", "air strike", r"air\s*strikes?|air\s+raids?|warplanes?|fighter\s+jets?|bombing\s+raids?|"
                                r"unguided\s+bombs?|aerial\s+bombardment"),
]  # fmt: skip


@dataclass
class Weapon:
    attack_type: str
    munition: str
    span: Span


def find_weapons(sentence: str) -> list[Weapon]:
    found, taken = [], []
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


# --- Dates ------------------------------------------------------------------------------------------------------

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY_MONTH = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>" + _MONTH + r")(?:,?\s+(?P<y>(?:19|20)\d{2}))?\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    r"\b(?P<m>" + _MONTH + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d{2}))?", re.IGNORECASE
)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_RELATIVE = re.compile(
    r"\b(?:(?P<today>today|this\s+morning|this\s+afternoon|this\s+evening|tonight)|(?P<yesterday>yesterday|"
    r"last\s+night)|(?P<ago>\w+)\s+days?\s+(?:ago|earlier)|(?P<weekago>last\s+week|a\s+week\s+ago)|"
    r"(?P<month>earlier\s+this\s+month|this\s+month)|(?P<lastwd>last\s+)?(?P<on>on\s+)?(?P<wd>monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening|night))?)\b",
    re.IGNORECASE,
)


# "BEIRUT, Nov 30 (Newswire) -": the date a wire report was filed, not the date of the events it reports.
_DATELINE = re.compile(r"^[A-Z][A-Z\s.'-]+,\s*$")
_NOT_EVENT_DATE = re.compile(r"\b(?:since|until|till|by|before|from|published|released|dated)\s+(?:on\s+)?$", re.I)


@dataclass
class FoundDate:
    value: date
    precision: str  # day, approx_day, week, month (the DatePrecision values)
    span: Span
    relative: bool = False


def find_date(sentence: str, published_on: date | None) -> FoundDate | None:
    """The first date in the sentence. Relative dates ('on Sunday', 'two days ago') count back from publication."""
    for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY):
        m = next(
            (
                m
                for m in pattern.finditer(sentence)
                if not _NOT_EVENT_DATE.search(sentence[: m.start()]) and not _DATELINE.match(sentence[: m.start()])
            ),
            None,
        )
        if not m:
            continue
        try:
            month = int(m.group("m")) if m.group("m").isdigit() else _MONTHS[m.group("m").lower().rstrip(".")]
            year = int(m.group("y")) if m.group("y") else (published_on.year if published_on else None)
            if year is None:
                continue
            value = date(year, month, int(m.group("d")))
        except (ValueError, KeyError):
            continue
        if not m.group("y") and published_on and value > published_on:
            value = value.replace(year=value.year - 1)  # "29 December" in a January report is last year's
        return FoundDate(value, "day", Span(m.start(), m.end(), "date"))
    if published_on is None:
        return None
    for m in _RELATIVE.finditer(sentence):
        span = Span(m.start(), m.end(), "date")
        if m.group("today"):
            return FoundDate(published_on, "day", span, True)
        if m.group("yesterday"):
            return FoundDate(published_on - timedelta(days=1), "day", span, True)
        if m.group("ago"):
            word = m.group("ago").lower()
            if word in {"few", "several"}:
                return FoundDate(published_on - timedelta(days=3), "week", span, True)
            try:
                days = parse_number(word)
            except ValueError:
                continue
            return FoundDate(published_on - timedelta(days=days), "day", span, True)
        if m.group("weekago"):
            return FoundDate(published_on - timedelta(days=7), "week", span, True)
        if m.group("month"):
            return FoundDate(published_on.replace(day=1), "month", span, True)
        if m.group("wd"):
            # A bare weekday may be "Monday's report": "on Sunday", "last Sunday" or "Sunday night" date an event.
            dated = m.group("on") or m.group("lastwd") or re.search(r"\b(?:late|early)\s+$", sentence[: m.start()])
            if not dated and not re.match(r"\s+(?:morning|afternoon|evening|night)", sentence[m.end("wd") :], re.I):
                continue
            back = (published_on.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
            if m.group("lastwd") and back == 0:
                back = 7
            return FoundDate(published_on - timedelta(days=back), "day", span, True)
    return None


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
            if n == 1 and (len(key) < 3 or key in _STOP):
                continue
            candidates = index.get(key) or index.get(key.replace(" ", ""))
            if candidates:
                unique = _capital_or_province(list(dict.fromkeys(candidates)), sentence[end:])
                found.append(PlaceMention(text, unique, Span(start, start + len(text), "place")))
                i += n - 1
                break
        i += 1
    return found


def _capital_or_province(candidates: list[PlaceRef], after: str) -> list[PlaceRef]:
    """'Idlib' is a city and the governorate around it: 'Idlib province' is the governorate, else the city."""
    provinces = [c for c in candidates if c.is_governorate]
    others = [c for c in candidates if not c.is_governorate]
    if len(provinces) != 1 or len(others) != 1 or others[0].governorate != provinces[0].name:
        return candidates
    if re.match(r"\s*(?:province|governorate|countryside|region)\b", after, re.IGNORECASE):
        return provinces
    return others


# --- Perpetrators -----------------------------------------------------------------------------------------------

_PERPETRATOR = re.compile(
    r"\b(?P<who>Russian|Syrian(?:\s+(?:government|regime|army))?|regime|government|pro-government|"
    r"(?:US|U\.S\.)-led\s+coalition|coalition|Turkish|Israeli|Iranian|rebel|opposition|Islamic\s+State|ISIS|IS)\s+"
    r"(?:war)?(?:planes?|aircraft|jets?|helicopters?|forces|troops|artillery|army|military|air\s+force|"
    r"aerospace\s+forces|gunships?|fighters)\b"
)


def find_perpetrator(sentence: str) -> tuple[str, Span | None]:
    m = _PERPETRATOR.search(sentence)
    return (m.group(0), Span(m.start(), m.end(), "perpetrator")) if m else ("", None)


# --- Suggestions ------------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    sentence: str
    offset: int
    source: str = ""
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
    spans: list[Span] = field(default_factory=list)

    @property
    def place(self) -> PlaceRef | None:
        """The single place named, if exactly one unambiguous place is; never a guess."""
        unique = {m.candidates[0] for m in self.places if not m.ambiguous}
        return unique.pop() if len(unique) == 1 and all(not m.ambiguous for m in self.places) else None

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


def extract(text: str, *, published_on: date | None = None, places: PlaceIndex | None = None) -> list[Suggestion]:
    """One suggestion per sentence that asserts a fact: a figure, a weapon, a stance or a military objective."""
    suggestions = []
    for offset, sentence in split_sentences(text):
        s = Suggestion(sentence=sentence, offset=offset)
        for figure in find_figures(sentence):
            if figure.kind == "killed":
                s.killed_min, s.killed_max = figure.minimum, figure.maximum
            else:
                s.injured_min, s.injured_max = figure.minimum, figure.maximum
            s.spans.append(figure.span)
        weapons = find_weapons(sentence)
        if weapons:
            # The most specific weapon wins the attack type: cluster munitions over the aircraft that dropped them.
            s.attack_type = weapons[0].attack_type
            s.munition = ", ".join(w.munition for w in weapons if w.attack_type != "airstrike") or weapons[0].munition
            s.spans += [w.span for w in weapons]
        s.stance, stance_span = find_stance(sentence)
        if stance_span:
            s.spans.append(stance_span)
        present, distance, objective_span = find_objective(sentence)
        if objective_span:
            s.military_objective_present, s.military_objective_distance_m = present, distance
            s.spans.append(objective_span)
        if not s.has_facts:
            continue
        attribution = find_attribution(sentence)
        if attribution:
            s.source = attribution.who
            s.spans.append(attribution.span)
        s.perpetrator, perpetrator_span = find_perpetrator(sentence)
        if perpetrator_span:
            s.spans.append(perpetrator_span)
        found_date = find_date(sentence, published_on)
        if found_date:
            s.event_date, s.event_date_precision = found_date.value, found_date.precision
            s.spans.append(found_date.span)
        if places:
            s.places = find_places(sentence, places)
            s.spans += [m.span for m in s.places]
        s.spans = _without_overlaps(s.spans)
        suggestions.append(s)
    return suggestions


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
