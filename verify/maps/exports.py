"""Streamed exports of what the filters show: the verify CSV (see verify.incidents.columns) and GeoJSON.

Both are generators over `.iterator(chunk_size=...)`, with the claims fetched per chunk, so memory stays flat
however many incidents are exported.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.db.models import Case, CharField, F, QuerySet, When

from verify.claims.models import Claim
from verify.core.choices import LocationPrecision
from verify.gazetteer.models import Place
from verify.incidents.columns import CLAIM_COLUMNS, INCIDENT_COLUMNS, NO, YES, csv_header
from verify.incidents.models import LABEL_SEPARATOR, Incident
from verify.lib.crosscheck import Range, combined_range
from verify.lib.csvsafe import escape_cell

BOM = "\ufeff"


INCIDENT_FIELDS = {
    "reference": "reference",
    "external_id": "external_id",
    "title": "title",
    "summary": "summary",
    "date_start": "date_start",
    "date_end": "date_end",
    "date_precision": "date_precision",
    "governorate": "governorate_name",
    "place": "place__name",
    "location_name": "location_name",
    "latitude": "latitude",
    "longitude": "longitude",
    "location_precision": "location_precision",
    "attack_type": "attack_type",
    "target_type": "target_type",
    "status": "status",
    "grade": "grade",
    "labels": "labels",  # the label names, read per chunk (see _incident_chunks), not a column of the row
    "suggested_grade": "suggested_grade",
    "has_disagreements": "has_disagreements",
    "denied_by_party": "denied_by_party",
}
CLAIM_FIELDS = {
    "source": "source__name",
    "source_url": "url",
    "stance": "stance",
    "published_on": "published_on",
    "killed_min": "killed_min",
    "killed_max": "killed_max",
    "injured_min": "injured_min",
    "injured_max": "injured_max",
    "perpetrator": "perpetrator__name",
    "munition": "munition",
    "credibility": "credibility",
    "excerpt": "excerpt",
    "claim_key": "claim_key",  # the claim's position in its incident, 1, 2, 3... (see _number_claims)
    "claim_date": "event_date",
    "claim_date_precision": "event_date_precision",
    "claim_governorate": "governorate_name",
    "claim_place": "place__name",
    "claim_latitude": "latitude",
    "claim_longitude": "longitude",
    "claim_location_precision": "location_precision",
    "military_objective": "military_objective_present",
    "military_objective_distance_m": "military_objective_distance_m",
    "derived_from": "derived_from",  # the claim_key of the claim it repeats (see _number_claims)
}
# Read from the database; the others are worked out per incident.
CLAIM_VALUES = (
    "pk",
    "incident_id",
    "derived_from_id",
    *(f for f in CLAIM_FIELDS.values() if f not in {"claim_key", "derived_from"}),
)
assert tuple(INCIDENT_FIELDS) == INCIDENT_COLUMNS and tuple(CLAIM_FIELDS) == CLAIM_COLUMNS


def _incident_chunks(queryset: QuerySet, fields: Iterable[str]) -> Iterator[list[dict]]:
    """The incidents as dicts, a chunk at a time, each with its claims (as dicts) under "claims" and its label
    names under "labels".

    Plain rows rather than model instances: an export of 100,000 incidents builds no model objects, and only one
    chunk is ever held in memory. One query for the incidents (a server-side cursor on PostgreSQL) and two per
    chunk for their claims and labels.
    """
    rows = (
        queryset.annotate(governorate_name=_governorate_name())
        .order_by("-date_start", "-pk")
        .values("pk", *(name for name in fields if name != "labels"))
        .iterator(chunk_size=settings.EXPORT_CHUNK_SIZE)
    )
    for chunk in batched(rows, settings.EXPORT_CHUNK_SIZE):
        claims: dict[int, list[dict]] = {row["pk"]: [] for row in chunk}
        for claim in (
            Claim.objects.filter(incident__in=list(claims))
            .annotate(governorate_name=_governorate_name())
            .order_by("published_on", "pk")
            .values(*CLAIM_VALUES)
        ):
            claims[claim["incident_id"]].append(claim)
        for incident_claims in claims.values():
            _number_claims(incident_claims)
        labels: dict[int, list[str]] = {pk: [] for pk in claims}
        tagged = Incident.labels.through.objects.filter(incident_id__in=list(labels)).order_by("label__name")
        for incident_id, name in tagged.values_list("incident_id", "label__name"):
            labels[incident_id].append(name)
        for row in chunk:
            row["claims"] = claims[row["pk"]]
            row["labels"] = labels[row["pk"]]
        yield chunk


def _number_claims(claims: list[dict]) -> None:
    """Each claim's key within its incident (its position: "1", "2"...), and the key of the claim it derives from,
    so that a file imported into another database links the same claims."""
    keys = {claim["pk"]: str(position) for position, claim in enumerate(claims, start=1)}
    for claim in claims:
        claim["claim_key"] = keys[claim["pk"]]
        claim["derived_from"] = keys.get(claim["derived_from_id"], "")


def batched(iterable: Iterable, n: int) -> Iterator[list]:
    """itertools.batched, which Python 3.12 brings."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, n)):
        yield chunk


def _governorate_name():
    """The governorate's name: the place's governorate, or the place itself when it is a governorate."""
    return Case(
        When(place__kind=Place.Kind.GOVERNORATE, then=F("place__name")),
        default=F("place__governorate__name"),
        output_field=CharField(),
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, (int, Decimal)):
        return str(value)  # numbers cannot carry a formula
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):  # label names
        return escape_cell(f"{LABEL_SEPARATOR} ".join(value))
    return escape_cell(str(value))


class _Line:
    """A file-like object for csv.writer that hands back the line just written."""

    def write(self, value: str) -> str:
        return value


def csv_rows(queryset: QuerySet, *, headers: str | None = None) -> Iterator[str]:
    """The verify CSV, one line at a time: a BOM so that Excel reads the UTF-8 (Arabic intact), the header, then
    one row per claim with its incident's columns repeated, or one row with empty claim cells.

    The header is the documented verify column names, so that the file imports back; with headers="local" it is
    their names in the reader's language (see verify.incidents.columns.csv_header). The values are the same
    either way: stored codes, ISO dates, plain numbers. The header is made when this is called, in the language
    active then, not later while the response streams."""
    return _csv_lines(queryset, csv_header(headers))


def _csv_lines(queryset: QuerySet, header: list[str]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(header)
    empty_claim = [""] * len(CLAIM_COLUMNS)
    for chunk in _incident_chunks(queryset, INCIDENT_FIELDS.values()):
        for incident in chunk:
            head = [_text(incident[field]) for field in INCIDENT_FIELDS.values()]
            if not incident["claims"]:
                yield writer.writerow(head + empty_claim)
            for claim in incident["claims"]:
                yield writer.writerow(head + [_text(claim[field]) for field in CLAIM_FIELDS.values()])


def _range(claims: list[dict], low: str, high: str) -> list[int] | None:
    span = combined_range(Range(c[low], c[high]) for c in claims)
    return [span.low, span.high] if span else None


GEOJSON_FIELDS = (
    "reference",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "place__name",
    "governorate_name",
    "location_name",
    "location_precision",
    "latitude",
    "longitude",
    "attack_type",
    "target_type",
    "status",
    "grade",
    "has_disagreements",
    "denied_by_party",
)


def geojson_feature(row: dict) -> dict:
    claims = row["claims"]
    geometry = None
    if row["latitude"] is not None:
        geometry = {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}
    return {
        "type": "Feature",
        "id": row["reference"],
        "geometry": geometry,
        "properties": {
            "reference": row["reference"],
            "title": row["title"],
            "date_start": row["date_start"].isoformat() if row["date_start"] else None,
            "date_end": row["date_end"].isoformat() if row["date_end"] else None,
            "date_precision": row["date_precision"],
            "place": row["place__name"],
            "governorate": row["governorate_name"],
            "location_name": row["location_name"],
            "location_precision": row["location_precision"],
            "precision_radius_m": LocationPrecision(row["location_precision"]).radius_m,
            "attack_type": row["attack_type"],
            "target_type": row["target_type"],
            "status": row["status"],
            "grade": row["grade"],
            "has_disagreements": row["has_disagreements"],
            "denied_by_party": row["denied_by_party"],
            "claims": len(claims),
            "killed": _range(claims, "killed_min", "killed_max"),
            "injured": _range(claims, "injured_min", "injured_max"),
            "sources": sorted({c["source__name"] for c in claims}),
            "labels": row["labels"],
        },
    }


def geojson_chunks(queryset: QuerySet) -> Iterator[str]:
    """An RFC 7946 FeatureCollection, a chunk of features at a time; incidents without coordinates have a null
    geometry."""
    yield '{"type":"FeatureCollection","features":[\n'
    separator = ""
    for chunk in _incident_chunks(queryset, GEOJSON_FIELDS):
        features = [json.dumps(geojson_feature(row), ensure_ascii=False, separators=(",", ":")) for row in chunk]
        yield separator + ",\n".join(features)
        separator = ",\n"
    yield "\n]}\n"
