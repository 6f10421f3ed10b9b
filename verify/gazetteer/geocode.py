"""Place names to gazetteer entries, for imports and claim suggestions. Never a silent guess.

The whole gazetteer (a few thousand names) is loaded once per import into a dict keyed by normalised spelling,
so geocoding 10,000 rows costs one query.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from verify.gazetteer.models import Place
from verify.lib.gazetteer import PlaceRef, normalize_name

# Other spellings of the governorates, as datasets write them (ACLED's `admin1` above all), to the gazetteer's name.
# The loaded gazetteer knows many spellings already; these make sure a file's governorate is never lost to one.
GOVERNORATE_ALIASES: dict[str, str] = {
    "Rural Damascus": "Rif Dimashq",
    "Damascus Countryside": "Rif Dimashq",
    "Reef Damascus": "Rif Dimashq",
    "Rif Damascus": "Rif Dimashq",
    "Dar'a": "Daraa",
    "Deraa": "Daraa",
    "Al Hasakeh": "Al-Hasakah",
    "Al-Hasakeh": "Al-Hasakah",
    "Hasakeh": "Al-Hasakah",
    "Hasakah": "Al-Hasakah",
    "Al Hasakah": "Al-Hasakah",
    "Ar-Raqqa": "Raqqa",
    "Ar Raqqa": "Raqqa",
    "Ar-Raqqah": "Raqqa",
    "Al-Raqqa": "Raqqa",
    "Deir-ez-Zor": "Deir ez-Zor",
    "Deir ez Zor": "Deir ez-Zor",
    "Deir Ezzor": "Deir ez-Zor",
    "Dayr az-Zawr": "Deir ez-Zor",
    "Idleb": "Idlib",
    "Edlib": "Idlib",
    "Quneitra": "Quneitra",
    "Al-Quneitra": "Quneitra",
    "Al-Qunaytirah": "Quneitra",
    "As-Sweida": "As-Suwayda",
    "As Sweida": "As-Suwayda",
    "Sweida": "As-Suwayda",
    "Suwayda": "As-Suwayda",
    "As-Suwayda": "As-Suwayda",
    "Tartous": "Tartus",
    "Tartus": "Tartus",
    "Lattakia": "Latakia",
    "Al-Ladhiqiyah": "Latakia",
    "Hama": "Hama",
    "Homs": "Homs",
    "Aleppo": "Aleppo",
    "Damascus": "Damascus",
}


@dataclass(frozen=True)
class Entry:
    id: int
    name: str
    kind: str
    governorate: str
    latitude: Decimal
    longitude: Decimal

    @property
    def label(self) -> str:
        return f"{self.name} ({self.governorate})" if self.governorate and self.governorate != self.name else self.name


@dataclass
class Lookup:
    entry: Entry | None
    problem: str = ""  # why there is no entry: unknown or ambiguous


class Gazetteer:
    def __init__(self) -> None:
        self.index: dict[str, list[Entry]] = defaultdict(list)
        rows = Place.objects.values_list(
            "pk", "name", "kind", "governorate__name", "latitude", "longitude", "search_names"
        )
        for pk, name, kind, governorate, lat, lon, search_names in rows:
            if kind == Place.Kind.GOVERNORATE:
                governorate = name
            entry = Entry(pk, name, kind, governorate or "", lat, lon)
            for key in search_names.strip("|").split("|"):
                if key:
                    self.index[key].append(entry)
        self._add_governorate_aliases()

    def _add_governorate_aliases(self) -> None:
        for alias, name in GOVERNORATE_ALIASES.items():
            key, target = normalize_name(alias), normalize_name(name)
            if key == target:
                continue
            for entry in self.index.get(target, []):
                if entry.kind == Place.Kind.GOVERNORATE and entry not in self.index[key]:
                    self.index[key].append(entry)

    def lookup(self, name: str, *, governorate: str = "", precision: str = "") -> Lookup:
        """The one place this name means, given the governorate; else why not."""
        key = normalize_name(name)
        candidates = list(dict.fromkeys(self.index.get(key, []) or self.index.get(key.replace(" ", ""), [])))
        if not candidates:
            return Lookup(
                None,
                gettext(
                    "Unknown place “%(name)s”: it is not in the gazetteer. Add it under Places, or give latitude "
                    "and longitude."
                )
                % {"name": name},
            )
        if governorate:
            wanted = {normalize_name(governorate)}
            governorates = self.lookup_governorate(governorate)
            if governorates:
                wanted.add(normalize_name(governorates.name))
            matching = [c for c in candidates if normalize_name(c.governorate) in wanted]
            if not matching:
                names = ", ".join(sorted(c.label for c in candidates))
                return Lookup(
                    None,
                    gettext("No place “%(name)s” in %(governorate)s: the gazetteer has %(names)s.")
                    % {"name": name, "governorate": governorate, "names": names},
                )
            candidates = matching
        if len(candidates) > 1:
            # A governorate shares its name with its capital (Idlib, Hama): the precision says which is meant.
            if precision == "governorate":
                narrowed = [c for c in candidates if c.kind == Place.Kind.GOVERNORATE]
            else:
                narrowed = [c for c in candidates if c.kind != Place.Kind.GOVERNORATE]
            if len(narrowed) == 1 and len({c.governorate for c in candidates}) == 1:
                return Lookup(narrowed[0])
            names = "; ".join(sorted(c.label for c in candidates))
            return Lookup(
                None,
                gettext(
                    "Ambiguous place “%(name)s”: %(count)s places match (%(names)s). Add the governorate, or give "
                    "latitude and longitude."
                )
                % {"name": name, "count": len(candidates), "names": names},
            )
        return Lookup(candidates[0])

    def lookup_governorate(self, name: str) -> Entry | None:
        for entry in self.index.get(normalize_name(name), []):
            if entry.kind == Place.Kind.GOVERNORATE:
                return entry
        return None

    def place_index(self) -> dict[str, list[PlaceRef]]:
        """The same names as the claim extractor wants them."""
        return {
            key: list(
                dict.fromkeys(PlaceRef(e.id, e.name, e.governorate, e.kind == Place.Kind.GOVERNORATE) for e in entries)
            )
            for key, entries in self.index.items()
        }
