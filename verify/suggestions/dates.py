"""Dates in report sentences, resolved against the publication date with `dateparser` (offline, bundled data).

This module only finds where a sentence names a date ("on Sunday", "yesterday", "overnight", "on July 22",
"يوم الاثنين", "في 21 تموز/يوليو") and hands the words to dateparser, with the publication date as the base and
past dates preferred. Dates that do not date the event are left out: "since 2015" (background), "said on
Thursday" (when a statement was made), a wire dateline. No Django, no network: the languages are always given, so
dateparser never detects one.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from verify.lib.fold import fold

_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS_EN = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
             r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # fmt: skip
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|reported|announced|denied|denies|confirmed|added|stated|rejected|dismissed|insisted|"
    r"claimed|wrote|warned)\s*$",
    re.IGNORECASE,
)
_NOT_EVENT_BEFORE = re.compile(
    r"\b(?:since|until|till|by|before|from|published|released|dated|as\s+of)\s+(?:on\s+|the\s+)?$", re.IGNORECASE
)
_EN = re.compile(
    r"\b(?:(?P<on>on|late\s+on|early\s+on|last)\s+)?(?:"
    r"(?P<wd>" + "|".join(_WEEKDAYS_EN) + r")(?P<part>\s+(?:morning|afternoon|evening|night))?"
    r"|(?P<md>" + _MONTHS_EN + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{2})?)"
    r"|(?P<dm>\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS_EN + r"(?:,?\s+(?:19|20)\d{2})?)"
    r"|(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})"
    r"|(?P<yesterday>yesterday|last\s+night)|(?P<today>today|this\s+morning|tonight|this\s+evening)"
    r"|(?P<overnight>overnight)|(?P<ago>(?P<n>\w+)\s+days?\s+(?:ago|earlier))|(?P<week>last\s+week|a\s+week\s+ago)"
    r"|(?P<month>(?:earlier\s+)?this\s+month))\b",
    re.IGNORECASE,
)

# Arabic, matched on folded text (verify.lib.fold): alef forms, taa marbuta and alef maqsura are one letter each.
_WEEKDAYS_AR = ("الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد")
_WEEKDAYS_AR_SPELLED = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
# The Levantine (Syriac) month names and the ones dateparser knows, folded; the first spelling of each is given to
# dateparser.
_MONTHS_AR = (
    ("يناير", "كانون الثاني", "كانون ثاني"),
    ("فبراير", "شباط"),
    ("مارس", "اذار"),
    ("ابريل", "نيسان"),
    ("مايو", "ايار"),
    ("يونيو", "حزيران"),
    ("يوليو", "تموز"),
    ("اغسطس", "اب"),
    ("سبتمبر", "ايلول"),
    ("اكتوبر", "تشرين الاول", "تشرين اول"),
    ("نوفمبر", "تشرين الثاني", "تشرين ثاني"),
    ("ديسمبر", "كانون الاول", "كانون اول"),
)
_MONTHS_AR_SPELLED = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                      "نوفمبر", "ديسمبر")  # fmt: skip
_MONTH_AR = "|".join(sorted((n for names in _MONTHS_AR for n in names), key=len, reverse=True))
_AR = re.compile(
    r"(?<![\w])(?:(?P<part>يوم|مساء|صباح|ليله|فجر|ظهر|عصر)\s+)?(?P<wd>" + "|".join(_WEEKDAYS_AR) + r")(?![\w])"
    r"|(?<![\w])(?P<d>\d{1,2})\s+(?P<m>" + _MONTH_AR + r")(?:\s*/\s*(?:" + _MONTH_AR + r"))?"
    r"(?:\s+(?:عام\s+)?(?P<y>(?:19|20)\d{2}))?(?![\w])"
    r"|(?<![\w])(?P<yesterday>امس|البارحه)(?![\w])|(?<![\w])(?P<today>اليوم)(?![\w])"
)
_NOT_EVENT_BEFORE_AR = re.compile(r"(?:منذ|حتي|قبل)\s+(?:عام\s+)?$")


@dataclass
class FoundDate:
    value: date
    precision: str  # the DatePrecision values: day, approx_day
    start: int
    end: int


def parse(words: str, language: str, published_on: date) -> date | None:
    """dateparser on a few words, relative to the publication date, preferring the past."""
    import dateparser

    base = datetime(published_on.year, published_on.month, published_on.day, 12, 0)
    found = dateparser.parse(
        words,
        languages=[language],
        settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return found.date() if found else None


def _weekday(value: date | None, published_on: date, last: bool) -> date | None:
    """dateparser takes "Monday" in a Monday report for a week ago; in wire copy it is the day of publication."""
    if value is not None and not last and published_on - value == timedelta(days=7):
        return published_on
    return value


def find_date(sentence: str, published_on: date | None) -> FoundDate | None:
    """The first date in the sentence that dates an event, or None. Without a publication date only a date with
    its year can be read."""
    if published_on is None:
        for m in _EN.finditer(sentence):
            words = m.group("iso") or m.group("md") or m.group("dm") or ""
            if re.search(r"(?:19|20)\d{2}", words) and not _NOT_EVENT_BEFORE.search(sentence[: m.start()]):
                value = parse(re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|\bof\b", "", words), "en", date.today())
                if value:
                    return FoundDate(value, "day", m.start(), m.end())
        return None
    if re.search(r"[\u0600-\u06ff]", sentence):
        return _find_arabic(sentence, published_on)
    for m in _EN.finditer(sentence):
        before = sentence[: m.start()]
        if _NOT_EVENT_BEFORE.search(before) or _SPEECH_BEFORE.search(before):
            continue
        if re.match(r"^[A-Z][A-Z\s.'-]+,\s*$", before):  # "BEIRUT, July 22 (Reuters) -": a dateline
            continue
        precision = "day"
        if m.group("wd"):
            # A bare weekday may be "Monday's report": "on Sunday", "last Sunday" or "Sunday night" date an event.
            if not m.group("on") and not m.group("part") and not re.search(r"\b(?:late|early)\s+$", before, re.I):
                continue
            value = _weekday(
                parse(m.group("wd"), "en", published_on),
                published_on,
                bool(m.group("on") and m.group("on").lower() == "last"),
            )
        elif m.group("overnight"):
            value, precision = parse("yesterday", "en", published_on), "approx_day"
        elif m.group("ago"):
            word = m.group("n").lower()
            if word in {"few", "several"}:
                value, precision = parse("3 days ago", "en", published_on), "week"
            else:
                value = parse(f"{m.group('n')} days ago", "en", published_on)
        elif m.group("week"):
            value, precision = parse("1 week ago", "en", published_on), "week"
        elif m.group("month"):
            value, precision = published_on.replace(day=1), "month"
        else:
            words = next(m.group(g) for g in ("md", "dm", "iso", "yesterday", "today") if m.group(g))
            if words.lower() == "last night":
                words = "yesterday"
            elif words.lower() in {"this morning", "tonight", "this evening"}:
                words = "today"
            value = parse(re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|\bof\b", "", words), "en", published_on)
        if value is not None and value <= published_on:
            return FoundDate(value, precision, m.start(), m.end())
    return None


def _find_arabic(sentence: str, published_on: date) -> FoundDate | None:
    folded, positions = fold_with_positions(sentence)
    for m in _AR.finditer(folded):
        if _NOT_EVENT_BEFORE_AR.search(folded[: m.start()]):
            continue
        precision = "day"
        if m.group("wd"):
            spelled = _WEEKDAYS_AR_SPELLED[_WEEKDAYS_AR.index(m.group("wd"))]
            value = _weekday(parse(spelled, "ar", published_on), published_on, False)
            if m.group("part") in {"ليله", "فجر"}:
                precision = "approx_day"
        elif m.group("m"):
            month = next(i for i, names in enumerate(_MONTHS_AR) if m.group("m") in names)
            words = f"{m.group('d')} {_MONTHS_AR_SPELLED[month]}" + (f" {m.group('y')}" if m.group("y") else "")
            value = parse(words, "ar", published_on)
        elif m.group("yesterday"):
            value = parse("أمس", "ar", published_on)
        else:
            value = published_on
        if value is not None and value <= published_on:
            return FoundDate(value, precision, positions[m.start()], positions[m.end() - 1] + 1)
    return None


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """The text folded letter by letter with verify.lib.fold (punctuation and spaces kept), and for each folded
    character the position of the character it came from, so that a match in the folded text can be shown."""
    import unicodedata

    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        folded = fold(ch) if unicodedata.category(ch)[0] in "LNM" else ch
        out.append(folded)
        positions.extend([i] * len(folded))
    positions.append(len(text))
    return "".join(out), positions
