"""Keyset ("cursor") pagination for every list: a page is the rows after the last one of the previous page in a
fixed order (a column, then the primary key), so it is stable under inserts and a deep page costs what the first
does (an index range, not an OFFSET).

The cursor is opaque to clients: base64 of the order it belongs to and the last row's sort key.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Order:
    """Rows sorted by `field` then the primary key, both `descending` or both not. `nullable` fields need care:
    where NULLs sort depends on the database (largest on PostgreSQL, smallest on SQLite), and the same rule is
    used here as in the ORDER BY, so the database's own index order is kept."""

    field: str  # "pk" for the primary key alone
    descending: bool = True
    nullable: bool = False

    def order_by(self) -> list:
        if self.field == "pk":
            return ["-pk" if self.descending else "pk"]
        sign = "-" if self.descending else ""
        return [sign + self.field, sign + "pk"]

    def after(self, value, pk: int) -> Q:
        """The rows that come after the row with this sort key."""
        less = "lt" if self.descending else "gt"
        pk_after = Q(**{f"pk__{less}": pk})
        if self.field == "pk":
            return pk_after
        if value is None:
            # Among the NULLs (ordered by pk), then, if NULLs come first, every non-NULL row.
            rest = Q(**{f"{self.field}__isnull": True}) & pk_after
            return rest | Q(**{f"{self.field}__isnull": False}) if self._nulls_first() else rest
        # `field <= value` bounds the index range; the OR then settles the ties.
        bound = Q(**{f"{self.field}__{less}e": value}) & (Q(**{f"{self.field}__{less}": value}) | pk_after)
        if self.nullable and not self._nulls_first():
            return bound | Q(**{f"{self.field}__isnull": True})
        return bound

    def _nulls_first(self) -> bool:
        largest = connection.features.nulls_order_largest
        return largest if self.descending else not largest


def _encode(value) -> object:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


class KeysetPaginator:
    """Use: `page = KeysetPaginator(request, order).page(queryset)`, then `.response(data)`."""

    def __init__(self, request, order: Order, *, key: str = ""):
        self.request = request
        self.order = order
        self.key = key or order.field
        self.page_size = self._page_size()

    def _page_size(self) -> int:
        text = self.request.query_params.get("page_size")
        if text in (None, ""):
            return DEFAULT_PAGE_SIZE
        try:
            size = int(text)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError({"page_size": [_("A number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]})
        return size

    def _cursor(self):
        text = self.request.query_params.get("cursor")
        if not text:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4)))
            if not isinstance(data, dict) or data.get("o") != self.key or not isinstance(data.get("pk"), int):
                raise ValueError
            value = data.get("v")
            if value is not None and self.order.field != "pk":
                value = self._field().to_python(value)
            return value, data["pk"]
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, Exception):
            raise exceptions.ValidationError(
                {"cursor": [_("This cursor is not valid for this list: start again from the first page.")]}
            ) from None

    def _field(self):
        return self.queryset.model._meta.get_field(self.order.field)

    def page(self, queryset: QuerySet) -> list:
        self.queryset = queryset
        cursor = self._cursor()
        rows = queryset.order_by(*self.order.order_by())
        if cursor is not None:
            rows = rows.filter(self.order.after(*cursor))
        items = list(rows[: self.page_size + 1])
        self.has_next = len(items) > self.page_size
        items = items[: self.page_size]
        self.last = items[-1] if items else None
        return items

    def next_cursor(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        value = None if self.order.field == "pk" else _encode(getattr(self.last, self.order.field))
        raw = json.dumps({"o": self.key, "v": value, "pk": self.last.pk}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def next_link(self) -> str | None:
        cursor = self.next_cursor()
        if cursor is None:
            return None
        params = self.request.query_params.copy()
        params["cursor"] = cursor
        return self.request.build_absolute_uri(self.request.path) + "?" + params.urlencode()

    def response(self, data: list) -> Response:
        return Response({"next": self.next_link(), "next_cursor": self.next_cursor(), "results": data})


def page_serializer(name: str, item_serializer):
    """The serializer of a page of `item_serializer` rows, for the schema."""
    from rest_framework import serializers

    fields = {
        "next": serializers.URLField(allow_null=True),
        "next_cursor": serializers.CharField(allow_null=True),
        "results": item_serializer(many=True),
    }
    return type(name, (serializers.Serializer,), fields)
