"""Keyset (cursor) pagination: a page is "the rows after (or before) this row in this order", found from an index
whatever the depth, instead of OFFSET, which reads and throws away every row before the page (issue 19, item 2).

Pure of views, so the list pages and the API share it:

    order = Keyset(queryset, ["-date_start", "-pk"])      # the last field must be unique (the tie-breaker)
    rows, more = order.rows_after(cursor_values, 25)        # or rows_before(...)
    token = encode_cursor(order.values_of(rows[-1]))        # opaque text for a link; decode_cursor() reads it

NULLs sort where the database puts them (PostgreSQL: above every value; SQLite: below), so the conditions match
the order that the indexes give. Counts: `capped_count` counts at most `cap` + 1 rows; `estimated_count` asks
PostgreSQL's planner for its estimate, to be shown as "about".
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Q, QuerySet


@dataclass(frozen=True)
class _Key:
    name: str  # as in the ORM ("pk" allowed)
    descending: bool
    nullable: bool
    field: Any


class Keyset:
    def __init__(self, queryset: QuerySet, order: Sequence[str]):
        if not order:
            raise ValueError("A keyset needs an order.")
        meta = queryset.model._meta
        keys = []
        for item in order:
            name = item.lstrip("-")
            field = meta.pk if name == "pk" else meta.get_field(name)
            keys.append(_Key(name, item.startswith("-"), bool(field.null), field))
        if keys[-1].nullable or not (keys[-1].field.unique or keys[-1].field.primary_key):
            raise ValueError("The last field of a keyset order must be unique and not null: the tie-breaker.")
        self.queryset = queryset
        self.keys = keys
        self.order = list(order)
        # Where NULL sorts, as the database does by default (so that its indexes give the order).
        self.nulls_largest = connections[queryset.db].vendor in ("postgresql", "oracle")

    def order_by(self, *, reverse: bool = False) -> list:
        fields = []
        for key in self.keys:
            descending = key.descending != reverse
            fields.append(F(key.name).desc() if descending else F(key.name).asc())
        return fields

    def values_of(self, row) -> tuple:
        return tuple(getattr(row, key.name) for key in self.keys)

    def _later(self, key: _Key, value, reverse: bool) -> Q | None:
        """Rows that come strictly after `value` in this key's order (None: no row can)."""
        descending = key.descending != reverse
        # In a descending order later means smaller; NULL is the largest (PostgreSQL) or the smallest value.
        null_is_later = key.nullable and (self.nulls_largest != descending)
        if value is None:
            return Q(**{f"{key.name}__isnull": False}) if not null_is_later else None
        later = Q(**{f"{key.name}__lt" if descending else f"{key.name}__gt": value})
        return later | Q(**{f"{key.name}__isnull": True}) if null_is_later else later

    def _equal(self, key: _Key, value) -> Q:
        return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})

    def condition(self, values: Sequence, *, reverse: bool = False) -> Q:
        """Rows strictly after the row with these values (strictly before it when reverse)."""
        if len(values) != len(self.keys):
            raise ValueError("A cursor must give one value per field of the order.")
        either = Q(pk__in=[])
        for index, key in enumerate(self.keys):
            later = self._later(key, values[index], reverse)
            if later is None:
                continue
            same = Q()
            for previous, value in zip(self.keys[:index], values[:index], strict=False):
                same &= self._equal(previous, value)
            either |= same & later
        first, value = self.keys[0], values[0]
        if value is None:
            return either
        # The same rows, with a bound on the first field alone, which lets the database start its index scan at the
        # cursor instead of reading from the top and discarding.
        descending = first.descending != reverse
        bound = Q(**{f"{first.name}__lte" if descending else f"{first.name}__gte": value})
        if first.nullable and (self.nulls_largest != descending):
            bound |= Q(**{f"{first.name}__isnull": True})
        return bound & either

    def rows_after(self, values: Sequence | None, size: int) -> tuple[list, bool]:
        """Up to `size` rows after the cursor (from the top without one), and whether more follow."""
        queryset = self.queryset if values is None else self.queryset.filter(self.condition(values))
        rows = list(queryset.order_by(*self.order_by())[: size + 1])
        return rows[:size], len(rows) > size

    def rows_before(self, values: Sequence, size: int) -> tuple[list, bool]:
        """Up to `size` rows just before the cursor, in the list's order, and whether more precede them."""
        queryset = self.queryset.filter(self.condition(values, reverse=True))
        rows = list(queryset.order_by(*self.order_by(reverse=True))[: size + 1])
        more = len(rows) > size
        return rows[:size][::-1], more

    def decode(self, token: str | None) -> tuple | None:
        """The values in a cursor made by encode_cursor for this order, or None if it is missing or unreadable."""
        raw = decode_cursor(token)
        if raw is None or len(raw) != len(self.keys):
            return None
        try:
            return tuple(None if v is None else key.field.to_python(v) for key, v in zip(self.keys, raw, strict=True))
        except (ValidationError, TypeError, ValueError):
            return None


def encode_cursor(values: Sequence) -> str:
    """Opaque, URL-safe text for a row's position."""
    plain = [v if v is None or isinstance(v, int | float | str) else str(v) for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(token: str | None) -> list | None:
    if not token or len(token) > 500:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return raw if isinstance(raw, list) else None


def capped_count(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """(count, exact): the number of rows if at most `cap`, else (cap, False), reading at most cap + 1 rows."""
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return (n, True) if n <= cap else (cap, False)


def estimated_count(queryset: QuerySet) -> int | None:
    """The planner's estimate of the number of rows (PostgreSQL), or None where there is none."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    except (ValueError, TypeError):
        return None
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
