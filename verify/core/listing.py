"""The list pages' one pattern: filter, take one page, and keep the query string for the page links."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest


def paged(request: HttpRequest, items, *, per_page: int, **context: Any) -> dict[str, Any]:
    """The page of `items` asked for (`?page=`, out-of-range numbers give the nearest page), and `querystring`:
    the request's other parameters, for the pagination links. Extra keyword arguments join the context."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "querystring": query.urlencode(), **context}


def filtered_page(request: HttpRequest, filterset, *, per_page: int, **context: Any) -> dict[str, Any]:
    """`paged` over a django-filter FilterSet's results, with the filter itself as `filter` for the form."""
    return paged(request, filterset.qs, per_page=per_page, filter=filterset, **context)
