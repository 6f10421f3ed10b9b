"""Possible duplicates: incidents near each other in time and space, as far as their precision allows.

Two incidents are possible duplicates when their date windows, widened by their date precision, overlap, and
their coordinates are no further apart than the larger of their precision radii plus DUPLICATE_MARGIN_M
(see verify.lib.proximity). Pairs a researcher marked "not a duplicate" are left out. Only incidents the user
can see are ever compared or shown.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from verify.core.choices import DatePrecision, LocationPrecision
from verify.incidents.models import DuplicateDismissal, Incident
from verify.lib.gazetteer import distance_m
from verify.lib.proximity import Window, bounding_box, places_near, widened, windows_overlap

MAX_TOLERANCE_DAYS = max(p.tolerance.days for p in DatePrecision if p.tolerance is not None)
MAX_RADIUS_M = max(p.radius_m for p in LocationPrecision)
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


@dataclass(frozen=True)
class Candidate:
    incident: Incident
    distance_m: float

    @property
    def distance_text(self) -> str:
        return f"{self.distance_m / 1000:.1f} km" if self.distance_m >= 1000 else f"{self.distance_m:.0f} m"


@dataclass(frozen=True)
class Pair:
    first: Incident
    second: Incident
    distance_m: float

    @property
    def distance_text(self) -> str:
        return Candidate(self.second, self.distance_m).distance_text


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


def duplicate_candidates(incident: Incident, *, user) -> list[Candidate]:
    """The incidents visible to `user` that may be the same attack as `incident`, nearest first.

    The database narrows the search to a date range and a bounding box wide enough for any precision; each
    remaining incident is then checked exactly.
    """
    window, coords = _window(incident), _coords(incident)
    if window is None or coords is None:
        return []
    margin = settings.DUPLICATE_MARGIN_M
    slack = timedelta(days=MAX_TOLERANCE_DAYS)
    min_lat, max_lat, min_lon, max_lon = bounding_box(*coords, max(_radius(incident), MAX_RADIUS_M) + margin)
    nearby = (
        Incident.objects.visible_to(user)
        .exclude(pk=incident.pk)
        .exclude(pk__in=_dismissed_with(incident))
        .filter(
            date_start__lte=window.end + slack,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .filter(Q(date_end__gte=window.start - slack) | Q(date_end__isnull=True, date_start__gte=window.start - slack))
        .only(*FIELDS)
    )
    found = [
        Candidate(other, distance_m(*coords, *_coords(other)))  # type: ignore[misc]
        for other in nearby
        if are_possible_duplicates(incident, other, margin_m=margin)
    ]
    return sorted(found, key=lambda c: (c.distance_m, c.incident.pk))


def duplicate_pairs(*, user) -> list[Pair]:
    """Every pair of possible duplicates among the incidents visible to `user`, most recent first.

    One query for the incidents and one for the dismissals, then a sweep over the widened date windows in
    order of their start, so only incidents whose windows overlap are compared by distance. Each incident's
    window, coordinates and radius are worked out once, not once per comparison.
    """
    incidents = (
        Incident.objects.visible_to(user)
        .filter(date_start__isnull=False, latitude__isnull=False, longitude__isnull=False)
        .exclude(date_precision=DatePrecision.UNKNOWN)
        .only(*FIELDS)
    )
    dismissed = set(DuplicateDismissal.objects.values_list("incident_a_id", "incident_b_id"))
    margin = settings.DUPLICATE_MARGIN_M
    prepared = sorted(
        ((_window(i), *_coords(i), _radius(i), i) for i in incidents),  # type: ignore[misc]
        key=lambda row: (row[0].start, row[4].pk),
    )
    pairs: list[Pair] = []
    active: list[tuple] = []
    for window, lat, lon, radius, incident in prepared:
        active = [row for row in active if row[0].end >= window.start]
        for _, other_lat, other_lon, other_radius, other in active:
            a, b = (other, incident) if other.pk < incident.pk else (incident, other)
            if (a.pk, b.pk) in dismissed:
                continue
            distance = distance_m(lat, lon, other_lat, other_lon)
            if distance <= max(radius, other_radius) + margin:
                pairs.append(Pair(a, b, distance))
        active.append((window, lat, lon, radius, incident))
    return sorted(pairs, key=lambda p: (p.second.date_start, p.first.pk, p.second.pk), reverse=True)


def duplicate_dismiss(*, incident: Incident, other: Incident, user, note: str = "") -> DuplicateDismissal:
    """Remember that two incidents are not duplicates. Idempotent."""
    a, b = sorted((incident, other), key=lambda i: i.pk)
    if a.pk == b.pk:
        raise ValueError("An incident cannot be a duplicate of itself.")
    dismissal, _ = DuplicateDismissal.objects.get_or_create(
        incident_a=a, incident_b=b, defaults={"dismissed_by": user, "note": note.strip()}
    )
    return dismissal
