"""Does a piece of evidence fit the incident it is linked to? Warnings for the incident page.

No Django here. Two rules, each applied only when both sides are known:

1. **When.** The day the file's metadata says it was taken must fall inside the incident's date window, widened
   on both sides by the date precision's tolerance (the same widening as duplicate detection,
   verify/lib/proximity.py). An unknown date or an unknown precision says nothing. The capture time is compared
   as a calendar day because EXIF times carry no time zone.
2. **Where.** The file's GPS position must lie inside the incident's precision circle (its radius from the
   location precision). Missing coordinates on either side say nothing.

A warning is a code with parameters, never a sentence: the page words it. Warnings come out in rule order.
"""

import datetime
from dataclasses import dataclass, field

from verify.lib.gazetteer import distance_m
from verify.lib.proximity import widened

TAKEN_BEFORE = "taken_before_window"
TAKEN_AFTER = "taken_after_window"
OUTSIDE_CIRCLE = "outside_precision_circle"


@dataclass(frozen=True)
class Fit:
    code: str
    params: dict = field(default_factory=dict)


def fit_warnings(
    *,
    captured_on: datetime.date | None,
    window_start: datetime.date | None,
    window_end: datetime.date | None,
    tolerance_days: int | None,
    photo_position: tuple[float, float] | None,
    incident_position: tuple[float, float] | None,
    radius_m: float,
) -> list[Fit]:
    warnings: list[Fit] = []
    window = widened(window_start, window_end, tolerance_days)
    if captured_on is not None and window is not None:
        if captured_on < window.start:
            warnings.append(Fit(TAKEN_BEFORE, {"days": (window.start - captured_on).days}))
        elif captured_on > window.end:
            warnings.append(Fit(TAKEN_AFTER, {"days": (captured_on - window.end).days}))
    if photo_position is not None and incident_position is not None:
        metres = distance_m(*incident_position, *photo_position)
        if metres > radius_m:
            warnings.append(Fit(OUTSIDE_CIRCLE, {"distance_m": round(metres), "radius_m": round(radius_m)}))
    return warnings
