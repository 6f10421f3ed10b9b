"""Streamed exports of what the filters show: the verify CSV (see verify.incidents.columns) and GeoJSON.

Both are generators over `.iterator(chunk_size=...)`, with the claims prefetched per chunk, so memory stays flat
however many incidents are exported.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from verify.claims.models import Claim
from verify.core.choices import LocationPrecision
from verify.incidents.columns import CLAIM_COLUMNS, INCIDENT_COLUMNS, VERIFY_CSV_COLUMNS
from verify.incidents.models import Incident
from verify.lib.crosscheck import Range, combined_range
from verify.lib.csvsafe import escape_cell

BOM = "\ufeff"


def export_queryset(queryset: QuerySet) -> QuerySet:
    claims = Claim.objects.select_related("source", "perpetrator").order_by("published_on", "pk")
    return (
        queryset.select_related("place", "place__governorate")
        .prefetch_related(Prefetch("claims", queryset=claims))
        .order_by("-date_start", "-pk")
    )


def _incidents(queryset: QuerySet) -> Iterator[Incident]:
    return export_queryset(queryset).iterator(chunk_size=settings.EXPORT_CHUNK_SIZE)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, Decimal)):
        return str(value)  # numbers cannot carry a formula
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return escape_cell(str(value))


def incident_cells(incident: Incident) -> list[str]:
    place = incident.place
    values = {
        "reference": incident.reference,
        "external_id": incident.external_id,
        "title": incident.title,
        "summary": incident.summary,
        "date_start": incident.date_start,
        "date_end": incident.date_end,
        "date_precision": incident.date_precision,
        "governorate": place.governorate_name if place else "",
        "place": place.name if place else "",
        "location_name": incident.location_name,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "location_precision": incident.location_precision,
        "attack_type": incident.attack_type,
        "target_type": incident.target_type,
        "status": incident.status,
        "grade": incident.grade,
    }
    return [_text(values[column]) for column in INCIDENT_COLUMNS]


def claim_cells(claim: Claim) -> list[str]:
    values = {
        "source": claim.source.name,
        "source_url": claim.url,
        "stance": claim.stance,
        "published_on": claim.published_on,
        "killed_min": claim.killed_min,
        "killed_max": claim.killed_max,
        "injured_min": claim.injured_min,
        "injured_max": claim.injured_max,
        "perpetrator": claim.perpetrator.name if claim.perpetrator_id else "",
        "munition": claim.munition,
        "credibility": claim.credibility,
        "excerpt": claim.excerpt,
    }
    return [_text(values[column]) for column in CLAIM_COLUMNS]


class _Line:
    """A file-like object for csv.writer that hands back the line just written."""

    def write(self, value: str) -> str:
        return value


def csv_rows(queryset: QuerySet) -> Iterator[str]:
    """The verify CSV, one line at a time: a BOM so that Excel reads the UTF-8 (Arabic intact), the header, then
    one row per claim with its incident's columns repeated, or one row with empty claim cells."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(VERIFY_CSV_COLUMNS)
    empty_claim = [""] * len(CLAIM_COLUMNS)
    for incident in _incidents(queryset):
        head = incident_cells(incident)
        claims = incident.claims.all()
        if not claims:
            yield writer.writerow(head + empty_claim)
        for claim in claims:
            yield writer.writerow(head + claim_cells(claim))


def _range(claims: Iterable[Claim], low: str, high: str) -> list[int] | None:
    span = combined_range(Range(getattr(c, low), getattr(c, high)) for c in claims)
    return [span.low, span.high] if span else None


def geojson_feature(incident: Incident) -> dict:
    claims = list(incident.claims.all())
    place = incident.place
    geometry = None
    if incident.latitude is not None:
        geometry = {"type": "Point", "coordinates": [float(incident.longitude), float(incident.latitude)]}
    return {
        "type": "Feature",
        "id": incident.reference,
        "geometry": geometry,
        "properties": {
            "reference": incident.reference,
            "title": incident.title,
            "date_start": incident.date_start.isoformat() if incident.date_start else None,
            "date_end": incident.date_end.isoformat() if incident.date_end else None,
            "date_precision": incident.date_precision,
            "place": place.name if place else None,
            "governorate": (place.governorate_name or None) if place else None,
            "location_name": incident.location_name,
            "location_precision": incident.location_precision,
            "precision_radius_m": LocationPrecision(incident.location_precision).radius_m,
            "attack_type": incident.attack_type,
            "target_type": incident.target_type,
            "status": incident.status,
            "grade": incident.grade,
            "has_disagreements": incident.has_disagreements,
            "denied_by_party": incident.denied_by_party,
            "claims": len(claims),
            "killed": _range(claims, "killed_min", "killed_max"),
            "injured": _range(claims, "injured_min", "injured_max"),
            "sources": sorted({c.source.name for c in claims}),
        },
    }


def geojson_chunks(queryset: QuerySet) -> Iterator[str]:
    """An RFC 7946 FeatureCollection, one feature per chunk; incidents without coordinates have a null geometry."""
    yield '{"type":"FeatureCollection","features":[\n'
    first = True
    for incident in _incidents(queryset):
        text = json.dumps(geojson_feature(incident), ensure_ascii=False, separators=(",", ":"))
        yield text if first else ",\n" + text
        first = False
    yield "\n]}\n"
