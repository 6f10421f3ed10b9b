"""Possible duplicates: incidents near each other in time and space, as far as their precision allows.

Two incidents are possible duplicates when their date windows, widened by their date precision, overlap, and
their coordinates are no further apart than the larger of their precision radii plus DUPLICATE_MARGIN_M
(see verify.lib.proximity). Pairs a researcher marked "not a duplicate" are left out.

The pairs are worked out when an incident changes (duplicates_refresh: that incident against the others, narrowed
by the database to a date range and a bounding box) and stored as DuplicateCandidate rows, for every incident
whoever may see it. Readers then keep only the pairs whose two incidents the user may see, and page them in the
database: the site-wide list costs one page of rows, however many incidents there are.
"""

import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from verify.core.choices import DatePrecision, LocationPrecision
from verify.core.display import distance_text
from verify.incidents.models import DuplicateCandidate, DuplicateDismissal, Incident, visibility
from verify.lib.gazetteer import distance_m
from verify.lib.proximity import Window, bounding_box, places_near, shift, widened, windows_overlap

MAX_TOLERANCE_DAYS = max(p.tolerance.days for p in DatePrecision if p.tolerance is not None)
MAX_RADIUS_M = max(p.radius_m for p in LocationPrecision)
REFRESH_BATCH = 500
FIELDS = (
    "pk",
    "reference",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "latitude",
    "longitude",
    "location_precision",
)
# A change to one of these can make or break a pair.
MATCHED_FIELDS = ("date_start", "date_end", "date_precision", "latitude", "longitude", "location_precision")


@dataclass(frozen=True)
class Candidate:
    incident: Incident
    distance_m: float

    @property
    def distance_text(self) -> str:
        return distance_text(self.distance_m)


def _window(incident: Incident) -> Window | None:
    tolerance = DatePrecision(incident.date_precision).tolerance
    return widened(incident.date_start, incident.date_end, tolerance.days if tolerance is not None else None)


def _coords(incident: Incident) -> tuple[float, float] | None:
    if incident.latitude is None or incident.longitude is None:
        return None
    return float(incident.latitude), float(incident.longitude)


def _radius(incident: Incident) -> int:
    return LocationPrecision(incident.location_precision).radius_m


def are_possible_duplicates(a: Incident, b: Incident, *, margin_m: float | None = None) -> bool:
    margin = settings.DUPLICATE_MARGIN_M if margin_m is None else margin_m
    ca, cb = _coords(a), _coords(b)
    if ca is None or cb is None or not windows_overlap(_window(a), _window(b)):
        return False
    return places_near(*ca, _radius(a), *cb, _radius(b), margin)


def _dismissed_with(incident: Incident) -> set[int]:
    pairs = DuplicateDismissal.objects.filter(Q(incident_a=incident) | Q(incident_b=incident))
    return {b if a == incident.pk else a for a, b in pairs.values_list("incident_a_id", "incident_b_id")}


def _date_rule(window: Window) -> Q:
    """The other incident's widened date window overlaps `window`: one branch per date precision, each with that
    precision's tolerance, so the database applies the exact date rule (an unknown precision never matches)."""
    branches = []
    for precision in DatePrecision:
        if precision.tolerance is None:
            continue
        days = precision.tolerance.days
        reaches_back = shift(window.start, -days)  # the other's end, widened, must reach the window's start
        branches.append(
            Q(
                Q(date_end__gte=reaches_back) | Q(date_end__isnull=True, date_start__gte=reaches_back),
                date_precision=precision.value,
                date_start__lte=shift(window.end, days),
            )
        )
    return reduce(operator.or_, branches)


def _place_rule(coords: tuple[float, float], radius_m: int, margin_m: float) -> Q:
    """The other incident lies in the bounding box of the distance its own precision allows: one branch per
    location precision (max of the two radii plus the margin). The box is a little larger than the circle; the
    exact distance is checked afterwards on the few rows left."""
    branches = []
    for precision in LocationPrecision:
        min_lat, max_lat, min_lon, max_lon = bounding_box(*coords, max(radius_m, precision.radius_m) + margin_m)
        branches.append(
            Q(
                location_precision=precision.value,
                latitude__gte=min_lat,
                latitude__lte=max_lat,
                longitude__gte=min_lon,
                longitude__lte=max_lon,
            )
        )
    return reduce(operator.or_, branches)


def nearby(incident: Incident) -> QuerySet[Incident]:
    """The incidents (not merged away, not dismissed) that the database finds near `incident` in time and space.

    A range on the indexed dates and a bounding box on the indexed coordinates, wide enough for any precision, let
    PostgreSQL read few index entries; per-precision branches then apply the date rule exactly and the distance
    rule as a box, so only a handful of rows more than the true matches reach Python (issue 19: at 1,000,000
    incidents, 2,236 rows were loaded to keep 31).
    """
    window, coords = _window(incident), _coords(incident)
    if window is None or coords is None:
        return Incident.objects.none()
    margin = settings.DUPLICATE_MARGIN_M
    radius = _radius(incident)
    min_lat, max_lat, min_lon, max_lon = bounding_box(*coords, max(radius, MAX_RADIUS_M) + margin)
    earliest = shift(window.start, -MAX_TOLERANCE_DAYS)
    return (
        Incident.objects.filter(merged_into__isnull=True)
        .exclude(pk=incident.pk)
        .exclude(pk__in=_dismissed_with(incident))
        .filter(
            date_start__lte=shift(window.end, MAX_TOLERANCE_DAYS),
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .filter(Q(date_end__gte=earliest) | Q(date_end__isnull=True, date_start__gte=earliest))
        .filter(_date_rule(window))
        .filter(_place_rule(coords, radius, margin))
        .only(*FIELDS)
    )


def _matches(incident: Incident, *, above_pk: int | None = None) -> Iterator[tuple[Incident, float]]:
    """Every incident (not merged away, not dismissed) that may be the same attack as `incident`: the database's
    narrowing (`nearby`), then the exact rule on each remaining row. With `above_pk`, only higher keys."""
    coords = _coords(incident)
    candidates = nearby(incident)
    if above_pk is not None:
        candidates = candidates.filter(pk__gt=above_pk)
    margin = settings.DUPLICATE_MARGIN_M
    for other in candidates:
        if are_possible_duplicates(incident, other, margin_m=margin):
            yield other, distance_m(*coords, *_coords(other))  # type: ignore[misc]


def _row(incident: Incident, other: Incident, distance: float) -> DuplicateCandidate:
    a, b = sorted((incident.pk, other.pk))
    latest = max(d for d in (incident.date_start, other.date_start) if d is not None)
    return DuplicateCandidate(incident_a_id=a, incident_b_id=b, distance_m=distance, latest_date=latest)


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def duplicates_refresh(incident_ids: Iterable[int]) -> int:
    """Work out again the possible duplicates of these incidents (after a change of date, place or precision, a
    merge, or an import). Returns the number of pairs stored. Safe to run twice; a merged-away incident is left
    with none."""
    stored = 0
    for chunk in _chunks(dict.fromkeys(incident_ids), REFRESH_BATCH):
        with transaction.atomic():
            DuplicateCandidate.objects.filter(Q(incident_a__in=chunk) | Q(incident_b__in=chunk)).delete()
            rows: dict[tuple[int, int], DuplicateCandidate] = {}
            for incident in Incident.objects.filter(pk__in=chunk, merged_into__isnull=True).only(*FIELDS):
                for other, distance in _matches(incident):
                    row = _row(incident, other, distance)
                    rows[(row.incident_a_id, row.incident_b_id)] = row
            # Two refreshes of neighbours may both find their pair: the second insert is a no-op.
            DuplicateCandidate.objects.bulk_create(rows.values(), batch_size=1000, ignore_conflicts=True)
            stored += len(rows)
    return stored


def duplicates_refresh_references(references: Iterable[str]) -> int:
    ids = Incident.objects.filter(reference__in=list(references)).values_list("pk", flat=True)
    return duplicates_refresh(list(ids))


def duplicates_rebuild(*, batch_size: int = REFRESH_BATCH, progress=None) -> int:
    """Every pair again, from scratch, one batch of incidents per transaction (manage.py duplicates_rebuild)."""
    DuplicateCandidate.objects.all().delete()
    ids = Incident.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True)
    stored = done = 0
    for chunk in _chunks(ids.iterator(chunk_size=batch_size), batch_size):
        with transaction.atomic():
            rows = [
                _row(incident, other, distance)
                for incident in Incident.objects.filter(pk__in=chunk).only(*FIELDS)
                for other, distance in _matches(incident, above_pk=incident.pk)
            ]
            DuplicateCandidate.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        stored, done = stored + len(rows), done + len(chunk)
        if progress:
            progress(done, stored)
    return stored


def duplicate_candidates(incident: Incident, *, user) -> list[Candidate]:
    """The stored possible duplicates of `incident` that `user` may see, nearest first."""
    rows = DuplicateCandidate.objects.filter(Q(incident_a=incident.pk) | Q(incident_b=incident.pk))
    distances = {
        b if a == incident.pk else a: distance
        for a, b, distance in rows.values_list("incident_a_id", "incident_b_id", "distance_m")
    }
    if not distances:
        return []
    others = Incident.objects.visible_to(user).filter(pk__in=distances).only(*FIELDS)
    return sorted((Candidate(o, distances[o.pk]) for o in others), key=lambda c: (c.distance_m, c.incident.pk))


def duplicate_pairs(*, user) -> QuerySet[DuplicateCandidate]:
    """The stored pairs whose two incidents `user` may both see, most recent first. Page it; count it in SQL."""
    return (
        DuplicateCandidate.objects.filter(visibility(user, "incident_a__"), visibility(user, "incident_b__"))
        .select_related("incident_a", "incident_b")
        .only(*(f"incident_a__{f}" for f in FIELDS[1:]), *(f"incident_b__{f}" for f in FIELDS[1:]), "distance_m")
        .order_by("-latest_date", "-pk")
    )


def duplicate_dismiss(*, incident: Incident, other: Incident, user, note: str = "") -> DuplicateDismissal:
    """Remember that two incidents are not duplicates. Idempotent."""
    a, b = sorted((incident, other), key=lambda i: i.pk)
    if a.pk == b.pk:
        raise ValueError(gettext("An incident cannot be a duplicate of itself."))
    with transaction.atomic():
        dismissal, _ = DuplicateDismissal.objects.get_or_create(
            incident_a=a, incident_b=b, defaults={"dismissed_by": user, "note": note.strip()}
        )
        DuplicateCandidate.objects.filter(incident_a=a, incident_b=b).delete()
    return dismissal
