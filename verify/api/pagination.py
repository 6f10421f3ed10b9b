"""Keyset ("cursor") pagination for every API list, by the same code as the list pages (verify.core.keyset): a page
is the rows after the last one of the previous page in a fixed order (a column, then the primary key), so it is
stable under inserts and deletes and a deep page costs what the first does (an index range, not an OFFSET).

The cursor is opaque to clients and signed: the order it belongs to and the last row's sort key, which a client
cannot forge or carry over to another order; anything else is a 400 that says to start again.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from verify.core import keyset

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _signer() -> signing.Signer:
    """Made when a cursor is read or written, not at import: settings such as SECRET_KEY may not be there yet
    (manage.py makemigrations runs without one)."""
    return signing.Signer(salt="verify.api.cursor")


@dataclass(frozen=True)
class Order:
    """Rows sorted by `field` then the primary key, both `descending` or both not. NULLs sort where the database
    puts them (verify.core.keyset), so its own index order is kept."""

    field: str  # "pk" for the primary key alone
    descending: bool = True
    nullable: bool = False  # kept for the callers' clarity: the keyset reads nullability from the model

    def fields(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [sign + "pk"] if self.field == "pk" else [sign + self.field, sign + "pk"]


class KeysetPaginator:
    """Use: `page = KeysetPaginator(request, order).page(queryset)`, then `.response(data)`."""

    def __init__(self, request, order: Order, *, key: str = ""):
        self.request = request
        self.order = order
        self.key = key or order.field
        self.page_size = self._page_size()
        self.has_next = False
        self.last = None

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

    def _cursor(self, keys: keyset.Keyset) -> tuple | None:
        text = self.request.query_params.get("cursor")
        if text is None or text == "":
            return None
        values = None
        try:
            order, _sep, token = _signer().unsign(text).partition(".")
        except signing.BadSignature:
            order = token = ""
        if order == self.key:
            values = keys.decode(token)
        if values is None:
            raise exceptions.ValidationError(
                {"cursor": [_("This cursor is not valid for this list: start again from the first page.")]}
            )
        return values

    def page(self, queryset: QuerySet) -> list:
        self.keys = keyset.Keyset(queryset, self.order.fields())
        rows, self.has_next = self.keys.rows_after(self._cursor(self.keys), self.page_size)
        self.last = rows[-1] if rows else None
        return rows

    def next_cursor(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        return _signer().sign(f"{self.key}.{keyset.encode_cursor(self.keys.values_of(self.last))}")

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
