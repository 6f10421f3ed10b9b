"""The whole-country map grid and the monthly timeline from pre-aggregated counts (verify.maps.models).

The counts hold the incidents everyone may see (live, not restricted); the reader's visible restricted incidents are
added from the incidents themselves (few, and found through incident_visible_idx). Used only when no filter applies
and only on PostgreSQL, where triggers keep the counts exact; otherwise None, and the caller asks the incidents.
"""

import math
from datetime import date

from django.conf import settings
from django.db import connections, router
from django.db.models import Count, FloatField, Max, Min, Q, Sum
from django.db.models.functions import Cast, Floor

from verify.incidents.models import Grade, Incident
from verify.maps.models import CELLS_PER_DEGREE, GridCount, MonthCount

# A base cell is classified as inside or outside the box with this margin (in base cells), so that rounding in the
# box's floats can never put a cell on the wrong side; a cell near an edge is answered from the incidents.
MARGIN = 1e-6


def available() -> bool:
    """MAP_SUMMARY (on unless set off) and PostgreSQL, whose triggers keep the counts."""
    enabled = getattr(settings, "MAP_SUMMARY", True)
    return enabled and connections[router.db_for_read(GridCount)].vendor == "postgresql"


def _restricted(user):
    return Incident.objects.visible_to(user).filter(restricted=True)


def _box_conditions(bbox) -> tuple[Q, Q]:
    """(inside, outside): base cells whose every point is inside the box, and those whose every point is outside.
    A point of cell c has c <= coordinate * CELLS_PER_DEGREE < c + 1."""
    if bbox is None:
        return Q(), Q(pk__in=[])
    c = CELLS_PER_DEGREE
    inside = Q(
        cy__gte=math.ceil(bbox.south * c + MARGIN),
        cy__lte=math.floor(bbox.north * c - MARGIN) - 1,
        cx__gte=math.ceil(bbox.west * c + MARGIN),
        cx__lte=math.floor(bbox.east * c - MARGIN) - 1,
    )
    outside = (
        Q(cy__lte=math.floor(bbox.south * c - MARGIN) - 1)
        | Q(cy__gte=math.floor(bbox.north * c + MARGIN) + 1)
        | Q(cx__lte=math.floor(bbox.west * c - MARGIN) - 1)
        | Q(cx__gte=math.floor(bbox.east * c + MARGIN) + 1)
    )
    return inside, outside


def grid_clusters(user, bbox, k: int) -> list[dict] | None:
    """What verify.maps.queries.grid_clusters gives for everything this user may see in the box, or None when the
    counts cannot answer (not PostgreSQL, or incidents in a base cell that the box's edge cuts through)."""
    from verify.maps import queries

    if not available():
        return None
    inside, outside = _box_conditions(bbox)
    counts = GridCount.objects.filter(n__gt=0)
    if bbox is not None and counts.exclude(inside).exclude(outside).exists():
        return None
    rows = (
        counts.filter(inside)
        .annotate(cell_y=Floor(Cast("cy", FloatField()) / k), cell_x=Floor(Cast("cx", FloatField()) / k))
        .values("cell_y", "cell_x")
        .annotate(
            total=Sum("n"),
            sum_lat_=Sum("sum_lat"),
            sum_lng_=Sum("sum_lng"),
            min_y=Min("cy"),
            max_y=Max("cy"),
            min_x=Min("cx"),
            max_x=Max("cx"),
            **{f"n_{grade}": Sum("n", filter=Q(grade=grade)) for grade in Grade.values},
        )
        .order_by()
    )
    cells: dict[tuple[int, int], dict] = {}
    for counted in rows:
        row: dict = dict(counted)
        row["n"], row["sum_lat"], row["sum_lng"] = row.pop("total"), row.pop("sum_lat_"), row.pop("sum_lng_")
        for grade in Grade.values:
            row[f"n_{grade}"] = row[f"n_{grade}"] or 0
        row = queries._cell_ints(row)
        cells[(row["cell_y"], row["cell_x"])] = row
    for row in queries.grid_clusters(queries.in_bbox(_restricted(user), bbox), k, large=False):
        key = (row["cell_y"], row["cell_x"])
        if key not in cells:
            cells[key] = row
            continue
        cell = cells[key]
        for name in ("n", "sum_lat", "sum_lng", *(f"n_{grade}" for grade in Grade.values)):
            cell[name] += row[name]
        for name, pick in (("min_y", min), ("max_y", max), ("min_x", min), ("max_x", max)):
            cell[name] = pick(cell[name], row[name])
    return list(cells.values())


def monthly(user) -> list[tuple[date, int]] | None:
    """Dated incidents this user may see per month of their start date, oldest first; None if not kept here."""
    from verify.maps.queries import INTERVALS

    if not available():
        return None
    months = dict(MonthCount.objects.filter(n__gt=0).values_list("month", "n"))
    restricted = (
        _restricted(user)
        .filter(date_start__isnull=False)
        .order_by()
        .annotate(bucket=INTERVALS["month"]("date_start"))
        .values_list("bucket")
        .annotate(n=Count("pk"))
    )
    for bucket, n in restricted:
        month = bucket.date() if hasattr(bucket, "date") else bucket
        months[month] = months.get(month, 0) + n
    return sorted(months.items())
