"""Spellings of places that reports use and GeoNames lacks ("Atareb", "Maarat al-Numan"), kept as data.

`verify/lib/data/place_variants.json` maps a GeoNames id to extra spellings. The gazetteer loader adds them to the
place's alternative names, so every lookup (imports, claim suggestions, search) knows them; the extractor has no
place names of its own. Pure Python, no Django.
"""

import json
from functools import cache
from pathlib import Path

VARIANTS_FILE = Path(__file__).parent / "data" / "place_variants.json"


@cache
def place_variants() -> dict[int, tuple[str, ...]]:
    """GeoNames id -> extra spellings."""
    with VARIANTS_FILE.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return {int(key): tuple(names) for key, names in data.items() if not key.startswith("_")}


def with_variants(geonames_id: int, names: list[str]) -> list[str]:
    """The alternative names of a place with its known variants added once, in order."""
    return list(dict.fromkeys([*names, *place_variants().get(geonames_id, ())]))
