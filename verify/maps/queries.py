"""Reads for the map, the timeline and the exports. Every one starts from `incident_filter`, so the list, the map
and the exports show exactly the same incidents for the same query string."""

import math
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Floor, TruncMonth, TruncWeek
from django.http import QueryDict
from django.utils.translation import gettext as _

from verify.claims.filters import IncidentFilter
from verify.core.choices import LocationPrecision
from verify.core.display import range_text, span_text
from verify.incidents.models import Grade, Incident
from verify.lib import stances
from verify.maps import summary
from verify.maps.models import CELLS_PER_DEGREE

# Parameters that belong to the map or timeline, not to the filter.
MAP_PARAMS = ("bbox", "zoom", "interval", "colour")
# What colours the markers and the clusters' rings: the reviewed grade, or the grade the cross-check suggests.
COLOUR_FIELDS = {"grade": "grade", "suggested": "suggested_grade"}


class BadRequest(ValueError):
    """A query string the map cannot answer; the message says why."""


def incident_filter(user, params: QueryDict) -> IncidentFilter:
    """The shared FilterSet over what this user may see."""
    return IncidentFilter(params, queryset=Incident.objects.visible_to(user), user=user)


def filtered_incidents(user, params: QueryDict) -> QuerySet:
    """The filtered incidents, or BadRequest if a filter value is invalid (never silently ignored)."""
    filterset = incident_filter(user, params)
    if not filterset.is_valid():
        raise BadRequest(_errors_text(filterset.errors))
    return filterset.qs


def _errors_text(errors) -> str:
    return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str | None) -> "BBox | None":
        """`west,south,east,north` in degrees, as Leaflet's `getBounds().toBBoxString()` gives it."""
        if not text:
            return None
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise BadRequest(_("bbox: give four numbers, west,south,east,north.")) from None
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            raise BadRequest(_("bbox: the numbers must be finite."))
        # Leaflet may send longitudes beyond ±180 when the world wraps; clamp to the real world.
        west, east = max(west, -180.0), min(east, 180.0)
        south, north = max(south, -90.0), min(north, 90.0)
        if west > east or south > north:
            raise BadRequest(_("bbox: west must not exceed east, nor south exceed north."))
        return cls(west, south, east, north)

    @property
    def area(self) -> float:
        return (self.east - self.west) * (self.north - self.south)


def in_bbox(queryset: QuerySet, bbox: BBox | None) -> QuerySet:
    queryset = queryset.filter(latitude__isnull=False)
    if bbox is None:
        return queryset
    return queryset.filter(
        latitude__gte=bbox.south, latitude__lte=bbox.north, longitude__gte=bbox.west, longitude__lte=bbox.east
    )


def parse_zoom(text: str | None) -> int:
    if not text:
        return settings.MAP_DEFAULT_ZOOM
    try:
        zoom = int(text)
    except ValueError:
        raise BadRequest(_("zoom: give a whole number from 0 to 20.")) from None
    if not 0 <= zoom <= 20:
        raise BadRequest(_("zoom: give a whole number from 0 to 20."))
    return zoom


def grid_cell_degrees(zoom: int, bbox: BBox | None) -> float:
    """The side of a cluster cell: about MAP_CLUSTER_CELL_PX pixels at this zoom, and never so small that the
    box would hold more than MAP_MAX_CLUSTERS cells (which bounds the payload whatever the client asks). Always a
    whole number of base cells (1 / CELLS_PER_DEGREE of a degree), so that clusters can be added up from the
    pre-aggregated grid (verify.maps.summary) and give exactly what the incidents give."""
    return cell_multiple(zoom, bbox) / CELLS_PER_DEGREE


def cell_multiple(zoom: int, bbox: BBox | None) -> int:
    """How many base cells make the side of a cluster cell at this zoom and box."""
    cell = 360.0 * settings.MAP_CLUSTER_CELL_PX / (256 * 2**zoom)
    area = bbox.area if bbox else 360.0 * 180.0
    return max(1, math.ceil(max(cell, math.sqrt(area / settings.MAP_MAX_CLUSTERS)) * CELLS_PER_DEGREE - 1e-9))


# The claims whose figures count, as in the incident's summary line (verify.lib.crosscheck.summary): independent
# ones (not derived from another claim) that do not dispute the attack. A denial's figures are never counted.
COUNTED = Q(claims__derived_from__isnull=True) & ~Q(claims__stance__in=stances.DISPUTING)
HAS_FIGURE = (
    Q(claims__killed_min__isnull=False)
    | Q(claims__killed_max__isnull=False)
    | Q(claims__injured_min__isnull=False)
    | Q(claims__injured_max__isnull=False)
)


def casualty_annotations() -> dict:
    """Per-incident casualty span over its counted claims, as `combined_range` computes it: an open-ended figure
    counts as its stated end on both sides. Aggregated in SQL, so popups cost no query per incident.

    figure_claims: the counted claims that give a figure (what "according to N claims" counts); claim_count: all
    claims; disputing: the claims that deny the attack or give another explanation."""
    return {
        "killed_low": Min(Coalesce("claims__killed_min", "claims__killed_max"), filter=COUNTED),
        "killed_high": Max(Coalesce("claims__killed_max", "claims__killed_min"), filter=COUNTED),
        "injured_low": Min(Coalesce("claims__injured_min", "claims__injured_max"), filter=COUNTED),
        "injured_high": Max(Coalesce("claims__injured_max", "claims__injured_min"), filter=COUNTED),
        # The figures that close each end: without one at the end, it is only a bound ("at least 40").
        "killed_ceiling": Max("claims__killed_max", filter=COUNTED),
        "killed_floor": Min("claims__killed_min", filter=COUNTED),
        "injured_ceiling": Max("claims__injured_max", filter=COUNTED),
        "injured_floor": Min("claims__injured_min", filter=COUNTED),
        "figure_claims": Count("claims", filter=COUNTED & HAS_FIGURE),
        "claim_count": Count("claims"),
        "disputing": Count("claims", filter=Q(claims__stance__in=stances.DISPUTING)),
    }


RADIUS_M = {choice.value: choice.radius_m for choice in LocationPrecision}
GRADE_LABELS = dict(Grade.choices)


def _figure(row: dict, what: str) -> str:
    """The popup's figure as the claims state it (crosscheck.stated_span): "30 to at least 40", "at least 40"."""
    low, high = row[f"{what}_low"], row[f"{what}_high"]
    if low is None or high is None:
        return range_text(low, high)
    ceiling, floor = row.get(f"{what}_ceiling"), row.get(f"{what}_floor")
    return span_text(low, high, low_open=floor is None or floor > low, high_open=ceiling is None or ceiling < high)


def incident_feature(row: dict) -> dict:
    killed, injured = _figure(row, "killed"), _figure(row, "injured")
    return {
        "type": "Feature",
        "id": row["reference"],
        "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
        "properties": {
            "reference": row["reference"],
            "title": row["title"],
            "date": row["date_start"].isoformat() if row["date_start"] else None,
            "date_end": row["date_end"].isoformat() if row["date_end"] else None,
            "grade": row["grade"],
            "grade_label": GRADE_LABELS.get(row["grade"], row["grade"]),
            "suggested": row["suggested_grade"],
            "suggested_label": GRADE_LABELS.get(row["suggested_grade"], row["suggested_grade"]),
            "disagreements": row["has_disagreements"],
            "denied_by_party": row["denied_by_party"],
            "radius_m": RADIUS_M.get(row["location_precision"]),
            "killed": killed,
            "injured": injured,
            "figure_claims": row["figure_claims"],
            "claims": row["claim_count"],
            "disputing": row["disputing"],
            "url": f"/incidents/{row['reference']}/",
        },
    }


INCIDENT_FIELDS = (
    "reference",
    "title",
    "date_start",
    "date_end",
    "grade",
    "suggested_grade",
    "has_disagreements",
    "denied_by_party",
    "location_precision",
    "latitude",
    "longitude",
)


def parse_colour(text: str | None) -> str:
    if not text:
        return "grade"
    if text not in COLOUR_FIELDS:
        raise BadRequest(_("colour: use grade or suggested."))
    return text


def map_data(queryset: QuerySet, *, bbox: BBox | None, zoom: int, unfiltered_for=None, colour: str = "grade") -> dict:
    """A GeoJSON FeatureCollection of the incidents in the box, or of grid clusters when there are more than
    MAP_MAX_FEATURES. At most two queries whatever the size: the grid (whose counts give the total), then, for a
    small result, the incidents themselves.

    unfiltered_for: the user, when no filter applies (queryset is all they may see); then the grid is read from the
    pre-aggregated counts where the database keeps them (verify.maps.summary), with the same result. The counts
    keep final grades only, so clusters coloured by suggested grade are always counted from the incidents.

    unlocated: the matching incidents that have no coordinates (the page says "12 more have no location")."""
    located = in_bbox(queryset, bbox)
    k = cell_multiple(zoom, bbox)
    field = COLOUR_FIELDS[colour]
    clusters = None
    if unfiltered_for is not None and field == "grade":
        clusters = summary.grid_clusters(unfiltered_for, bbox, k)
    if clusters is None:
        clusters = grid_clusters(located, k, field=field)
    total = sum(row["n"] for row in clusters)
    unlocated = queryset.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)).order_by().count()
    if total > settings.MAP_MAX_FEATURES:
        return {
            "type": "FeatureCollection",
            "clustered": True,
            "total": total,
            "unlocated": unlocated,
            "cell_degrees": k / CELLS_PER_DEGREE,
            "features": [cluster_feature(row) for row in clusters],
        }
    rows = located.order_by("-date_start", "-pk").values(*INCIDENT_FIELDS).annotate(**casualty_annotations())
    return {
        "type": "FeatureCollection",
        "clustered": False,
        "total": total,
        "unlocated": unlocated,
        "features": [incident_feature(row) for row in rows],
    }


def grid_clusters(queryset: QuerySet, k: int, *, large: bool = True, field: str = "grade") -> list[dict]:
    """GROUP BY cells of k base cells a side, with the count per grade (of `field`: grade or suggested_grade) for
    the cluster's colours, the sums of the coordinates (for the centre) and the span of base cells (for the
    bounds)."""
    by, bx = base_cells()
    rows = (
        queryset.order_by()
        .annotate(by=by, bx=bx)
        .annotate(cell_y=Floor(F("by") / k), cell_x=Floor(F("bx") / k))
        .values("cell_y", "cell_x")
        .annotate(
            n=Count("pk"),
            sum_lat=Sum("latitude"),
            sum_lng=Sum("longitude"),
            min_y=Min("by"),
            max_y=Max("by"),
            min_x=Min("bx"),
            max_x=Max("bx"),
            **{f"n_{grade}": Count("pk", filter=Q(**{field: grade})) for grade in Grade.values},
        )
    )
    if not large:  # a few rows (a reader's restricted incidents): no working memory to set
        return [_cell_ints(row) for row in rows]
    with _hash_aggregate(queryset.db):
        return [_cell_ints(row) for row in rows]


def base_cells() -> tuple[Floor, Floor]:
    """The base cell of an incident: the same expressions as the summary's triggers (migration maps 0002)."""
    return Floor(F("latitude") * CELLS_PER_DEGREE), Floor(F("longitude") * CELLS_PER_DEGREE)


def _cell_ints(row: dict) -> dict:
    for name in ("cell_y", "cell_x", "min_y", "max_y", "min_x", "max_x"):
        row[name] = int(row[name])
    return row


@contextmanager
def _hash_aggregate(alias: str):
    """PostgreSQL cannot guess how few cells a grid has and plans for one per incident: a sort of every row that
    spills to disk. A little more working memory for this one statement lets it hash the few cells instead."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '32MB'")
        yield


def cluster_feature(row: dict) -> dict:
    """A cluster: at the mean of its incidents' coordinates, its bounds those of the base cells they are in."""
    grades = {grade: row[f"n_{grade}"] for grade in Grade.values if row[f"n_{grade}"]}
    n = row["n"]
    lat, lng = float(Decimal(row["sum_lat"]) / n), float(Decimal(row["sum_lng"]) / n)
    c = CELLS_PER_DEGREE
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lng, 5), round(lat, 5)]},
        "properties": {
            "cluster": True,
            "count": row["n"],
            "grade": max(grades, key=grades.get) if grades else Grade.UNASSESSED,
            "grades": grades,
            "bounds": [row["min_x"] / c, row["min_y"] / c, (row["max_x"] + 1) / c, (row["max_y"] + 1) / c],
        },
    }


INTERVALS = {"week": TruncWeek, "month": TruncMonth}


def timeline(queryset: QuerySet, *, interval: str | None, unfiltered_for=None) -> dict:
    """Incidents per week or month. Without an interval, weeks for up to two years, else months.

    A bar counts every incident whose window (date_start to date_end, or the one day of date_start) overlaps its
    week or month: the rule of the From and To filters, so that selecting a bar shows exactly its count. An
    incident whose window runs over several bars is counted in each.

    unfiltered_for: the user, when no filter applies; then the counts by start month are read from the
    pre-aggregated counts where the database keeps them (verify.maps.summary), with the same result."""
    dated = queryset.filter(date_start__isnull=False).order_by()
    if interval not in (None, "", *INTERVALS):
        raise BadRequest(_("interval: use week or month."))
    if not interval:
        span = dated.aggregate(first=Min("date_start"), last=Max(Coalesce("date_end", "date_start")))
        weeks = (span["last"] - span["first"]).days / 7 if span["first"] else 0
        interval = "week" if weeks <= 104 else "month"
    trunc = INTERVALS[interval]
    counted = summary.monthly(unfiltered_for) if unfiltered_for is not None and interval == "month" else None
    if counted is None:
        rows = dated.annotate(bucket=trunc("date_start")).values("bucket").annotate(n=Count("pk")).order_by("bucket")
        counted = [(_as_date(row["bucket"]), row["n"]) for row in rows]
    counts = dict(counted)
    # The incidents whose window ends in a later bucket than it starts: counted again in each bucket after the first.
    spanning = (
        dated.filter(date_end__isnull=False)
        .annotate(first=trunc("date_start"), last=trunc("date_end"))
        .filter(last__gt=F("first"))
        .values_list("first", "last")
    )
    for first, last in spanning:
        bucket, last = _next_bucket(_as_date(first), interval), _as_date(last)
        while bucket <= last:
            counts[bucket] = counts.get(bucket, 0) + 1
            bucket = _next_bucket(bucket, interval)
    buckets = [{"start": start.isoformat(), "count": n} for start, n in sorted(counts.items()) if n]
    return {"interval": interval, "buckets": buckets}


def _next_bucket(start: date, interval: str) -> date:
    if interval == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


def unfiltered(params: QueryDict) -> bool:
    """Whether no filter applies (parameters of the map or timeline aside)."""
    return not any(value for _name, values in params.lists() for value in values)


def without(params: QueryDict, *names: str) -> QueryDict:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy
