"""Precision and recall of the claim extractor on a corpus of reports with their expected claims.

The corpus (tests/suggestions/corpus/) holds reports written for the tests, in English and Arabic, each with the
claims a researcher would record from it; its register holds the sources those reports name, with their aliases.
An expected claim is found among the suggestions by its anchor: a few words of the sentence it comes from. Then each
field is compared: precision is the share of the values suggested that are right, recall the share of the values
expected that were suggested. No Django: the place index is built from the gazetteer's own offline data.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from verify.lib.fold import fold
from verify.lib.gazetteer import GOVERNORATES, PlaceRef, normalize_name, syrian_places
from verify.lib.names import normalise
from verify.lib.place_variants import with_variants

CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "suggestions" / "corpus"
FIELDS = ("claim", "stance", "denial", "source", "killed", "injured", "place", "date", "other event")
TARGETS = {"claim": 0.85, "stance": 0.85, "killed": 0.85, "denial": 0.9}


@cache
def offline_place_index() -> dict[str, list[PlaceRef]]:
    """The gazetteer's names as `manage.py load_gazetteer` stores them (GeoNames, governorates, variants), keyed like
    Place.search_names, with the GeoNames id (or the governorate's code) as id."""
    index: dict[str, list[PlaceRef]] = {}

    def add(ref: PlaceRef, names: Iterable[str]) -> None:
        keys = {normalize_name(n) for n in names if n}
        keys |= {k.replace(" ", "") for k in keys}
        for key in keys:
            if key and ref not in index.setdefault(key, []):
                index[key].append(ref)

    by_code = {}
    for gov in GOVERNORATES:
        ref = PlaceRef(-int(gov.admin1_code), gov.name, gov.name, True)
        by_code[gov.admin1_code] = gov.name
        add(ref, [gov.name, gov.name_ar, *gov.alternative_names])
    for geo in syrian_places():
        ref = PlaceRef(geo.geonames_id, geo.name, by_code.get(geo.admin1_code, ""))
        add(ref, [geo.name, geo.name_ar, *with_variants(geo.geonames_id, geo.alternative_names)])
    return index


def load_corpus(directory: Path = CORPUS_DIR) -> tuple[list[dict], list[dict]]:
    with (directory / "corpus.json").open(encoding="utf-8") as fh:
        texts = json.load(fh)["texts"]
    with (directory / "register.json").open(encoding="utf-8") as fh:
        register = json.load(fh)["sources"]
    return texts, register


def register_forms(register: list[dict]) -> dict[str, str]:
    """Normal form of every name and alias -> the source's name (as the register's `matching` finds them)."""
    forms: dict[str, str] = {}
    for source in register:
        for name in [source["name"], *source["aliases"]]:
            forms.setdefault(normalise(name), source["name"])
    return forms


@dataclass
class Count:
    right: int = 0
    suggested: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


@dataclass
class Result:
    counts: dict[str, Count] = field(default_factory=lambda: {f: Count() for f in FIELDS})
    misses: list[str] = field(default_factory=list)

    def below_target(self) -> list[str]:
        return [
            f"{name}: precision {self.counts[name].precision:.2f}, recall {self.counts[name].recall:.2f} "
            f"(target {target})"
            for name, target in TARGETS.items()
            if min(self.counts[name].precision, self.counts[name].recall) < target
        ]

    def table(self) -> str:
        lines = [f"{'field':<12} {'precision':>9} {'recall':>7} {'right':>6} {'suggested':>9} {'expected':>8}"]
        for name in FIELDS:
            c = self.counts[name]
            lines.append(
                f"{name:<12} {c.precision:>9.2f} {c.recall:>7.2f} {c.right:>6} {c.suggested:>9} {c.expected:>8}"
            )
        return "\n".join(lines)


# A suggestion, as the evaluation reads it: a dict with these keys.
Suggested = dict[str, Any]


def _range(value) -> tuple | None:
    if value is None:
        return None
    if isinstance(value, list):
        return (value[0], value[1])
    return value


def _place_names(spelling: str | None, index) -> set[str]:
    if not spelling:
        return set()
    key = normalize_name(spelling)
    refs = index.get(key) or index.get(key.replace(" ", "")) or []
    return {fold(r.name) for r in refs} or {fold(spelling)}


def evaluate(extract: Callable[[str, date, dict], list[Suggested]], texts: list[dict], register: list[dict]) -> Result:
    """Run `extract(text, published_on, place_index)` on each text and compare with the expected claims."""
    index = offline_place_index()
    forms = register_forms(register)
    result = Result()
    counts = result.counts

    def resolved(name: str | None) -> str | None:
        if not name:
            return None
        return normalise(forms.get(normalise(name), name))

    for text in texts:
        suggested = extract(text["text"], date.fromisoformat(text["published_on"]), index)
        used: set[int] = set()
        pairs: list[tuple[dict | None, Suggested | None]] = []
        for expected in text["claims"]:
            anchor = fold(expected["anchor"])
            match = next(
                (i for i, item in enumerate(suggested) if i not in used and anchor in fold(item["sentence"])), None
            )
            if match is None:
                pairs.append((expected, None))
                result.misses.append(f"{text['id']}: missed “{expected['anchor']}”")
            else:
                used.add(match)
                pairs.append((expected, suggested[match]))
        for i, item in enumerate(suggested):
            if i not in used:
                pairs.append((None, item))
                result.misses.append(f"{text['id']}: extra “{item['sentence'][:70]}”")
        for expected, s in pairs:
            _count(counts["claim"], expected is not None, s is not None, expected is not None and s is not None)
            e_stance, s_stance = (expected or {}).get("stance"), (s or {}).get("stance")
            _count(
                counts["stance"], e_stance is not None, s_stance is not None, bool(s_stance and e_stance == s_stance)
            )
            _count(
                counts["denial"],
                e_stance == "denies",
                s_stance == "denies",
                e_stance == "denies" and s_stance == "denies",
            )
            values = {
                "source": (resolved((expected or {}).get("source")), resolved((s or {}).get("source"))),
                "killed": (_range((expected or {}).get("killed")), _range((s or {}).get("killed"))),
                "injured": (_range((expected or {}).get("injured")), _range((s or {}).get("injured"))),
                "date": ((expected or {}).get("date"), (s or {}).get("date")),
                "other event": ((expected or {}).get("other_event") or None, (s or {}).get("other_event") or None),
            }
            for name, (want, got) in values.items():
                _count(counts[name], want is not None, got is not None, want is not None and want == got)
                if want != got and expected is not None and s is not None:
                    result.misses.append(f"{text['id']}: {name} {got!r} for {want!r} in “{expected['anchor']}”")
            want_places = _place_names((expected or {}).get("place"), index)
            got_place = (s or {}).get("place")
            right = bool(want_places and got_place and fold(got_place) in want_places)
            _count(counts["place"], bool(want_places), bool(got_place), right)
            if expected is not None and s is not None and (want_places or got_place) and not right:
                result.misses.append(f"{text['id']}: place {got_place!r} for {expected.get('place')!r}")
            if expected is not None and s is not None and e_stance != s_stance:
                result.misses.append(f"{text['id']}: stance {s_stance} for {e_stance} in “{expected['anchor']}”")
    return result


def _count(count: Count, expected: bool, suggested: bool, right: bool) -> None:
    count.expected += expected
    count.suggested += suggested
    count.right += right


def _figure(low, high) -> tuple | None:
    return None if low is None and high is None else (low, high)


def register_book(register: list[dict]):
    """The corpus's register as the extractor's SourceBook: names and aliases, resolved by their normal form."""
    from verify.suggestions.extract import SourceBook

    forms = register_forms(register)
    names = [name for source in register for name in [source["name"], *source["aliases"]]]
    return SourceBook(names=names, resolve=lambda mention: forms.get(normalise(mention)))


def extractor_suggestions(text: str, published_on: date, index, book=None) -> list[Suggested]:
    """The extractor's suggestions for a text, as the evaluation reads them."""
    from verify.suggestions.extract import extract

    out = []
    kwargs = {"sources": book} if book is not None else {}
    for s in extract(text, published_on=published_on, places=index, **kwargs):
        place = s.place
        out.append(
            {
                "sentence": s.sentence,
                "source": s.source,
                "stance": s.stance,
                "killed": _figure(s.killed_min, s.killed_max),
                "injured": _figure(s.injured_min, s.injured_max),
                "place": place.name if place else None,
                "date": s.event_date.isoformat() if s.event_date else None,
                "other_event": getattr(s, "other_event", False),
            }
        )
    return out


def run(directory: Path = CORPUS_DIR) -> Result:
    texts, register = load_corpus(directory)
    book = register_book(register)
    return evaluate(lambda text, day, index: extractor_suggestions(text, day, index, book), texts, register)
