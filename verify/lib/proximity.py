"""Are two reported events near each other in time and space, given how precisely each was reported?

No Django here. Used to find possible duplicate incidents.

* A date window (start, end) is widened by its precision's tolerance on both sides; two events may be the same
  when their widened windows overlap. An unknown date (no start) or an unknown precision (no tolerance) cannot
  be compared, and never matches. Widening stops at the first and last representable dates (no OverflowError
  for a date typed as year 1 or 9999).
* Two places may be the same when they are no further apart than the larger of their precision radii plus a
  margin. Missing coordinates never match.
"""

import datetime
import math
from dataclasses import dataclass

from verify.lib.gazetteer import distance_m

# A little under the length of a degree of latitude (111.19 km), so that the box errs on the large side.
EARTH_M_PER_DEGREE_LAT = 111_000.0


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Window ends ({self.end}) before it starts ({self.start})")


def widened(start: datetime.date | None, end: datetime.date | None, tolerance_days: int | None) -> Window | None:
    """The window a reported date may really lie in, or None if it cannot be said."""
    if start is None or tolerance_days is None:
        return None
    end = end or start
    return Window(shift(start, -tolerance_days), shift(end, tolerance_days))


def shift(day: datetime.date, days: int) -> datetime.date:
    """`day` moved by `days`, held at date.min or date.max rather than overflowing."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.min if days < 0 else datetime.date.max


def windows_overlap(a: Window | None, b: Window | None) -> bool:
    if a is None or b is None:
        return False
    return a.start <= b.end and b.start <= a.end


def places_near(
    lat_a: float | None,
    lon_a: float | None,
    radius_a_m: float,
    lat_b: float | None,
    lon_b: float | None,
    radius_b_m: float,
    margin_m: float = 0,
) -> bool:
    if None in (lat_a, lon_a, lat_b, lon_b):
        return False
    return distance_m(lat_a, lon_a, lat_b, lon_b) <= max(radius_a_m, radius_b_m) + margin_m  # type: ignore[arg-type]


def bounding_box(lat: float, lon: float, reach_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within reach_m of (lat, lon).

    Generous near the poles and never wraps the antimeridian (longitudes are clamped), which is fine for a
    prefilter whose matches are checked by distance afterwards.
    """
    dlat = reach_m / EARTH_M_PER_DEGREE_LAT
    cos_lat = math.cos(math.radians(min(abs(lat) + dlat, 89.9)))
    dlon = min(180.0, reach_m / (EARTH_M_PER_DEGREE_LAT * cos_lat))
    return (max(-90.0, lat - dlat), min(90.0, lat + dlat), max(-180.0, lon - dlon), min(180.0, lon + dlon))
