"""The list pages' one pattern: filter, take one page, and keep the query string for the page links."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from verify.core import keyset


def paged(request: HttpRequest, items, *, per_page: int, **context: Any) -> dict[str, Any]:
    """The page of `items` asked for (`?page=`, out-of-range numbers give the nearest page), and `querystring`:
    the request's other parameters, for the pagination links. Extra keyword arguments join the context."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    numbers = _gaps(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return {"page": page, "querystring": query.urlencode(), "page_numbers": numbers, **context}


def filtered_page(request: HttpRequest, filterset, *, per_page: int, **context: Any) -> dict[str, Any]:
    """`paged` over a django-filter FilterSet's results, with the filter itself as `filter` for the form."""
    return paged(request, filterset.qs, per_page=per_page, filter=filterset, **context)


# Keyset pages (verify.core.keyset): the list is read from its index at any depth. `?page=N` alone still works up to
# PAGE_NUMBER_LIMIT (the rows before it are read as index entries only); deeper pages are reached by the links.
PAGE_NUMBER_LIMIT = 40
# The total is counted exactly up to COUNT_CAP (the rows of the numbered pages: reading 1,001 index entries costs
# ~2 ms, 10,001 cost ~20 ms at 100,000 incidents); past it, PostgreSQL's estimate is shown as "about".
COUNT_CAP = 1_000


class KeysetTotal:
    """The list's total, honestly labelled: exact, estimated ("about") or only known to exceed the cap."""

    def __init__(self, count: int, *, exact: bool, estimate: int | None, per_page: int):
        self.count = count
        self.exact = exact
        self.estimate = estimate if not exact and estimate and estimate > count else None
        self.num_pages = max(1, -(-count // per_page)) if exact else None

    @property
    def label(self) -> str:
        if self.exact:
            return ngettext("%(count)s incident", "%(count)s incidents", self.count) % {
                "count": number_format(self.count, force_grouping=True)
            }
        if self.estimate is not None:
            about = number_format(_rounded(self.estimate), force_grouping=True)
            return gettext("About %(count)s incidents") % {"count": about}
        more = number_format(self.count, force_grouping=True)
        return gettext("More than %(count)s incidents") % {"count": more}


def _rounded(n: int) -> int:
    """Two significant figures: an estimate is not precise, and should not look it."""
    digits = len(str(n)) - 2
    return round(n, -digits) if digits > 0 else n


def page_numbers(total: "KeysetTotal", number: int, per_page: int) -> list:
    """The numbers to link (1 … 7 8 [9] 10 11 … 40) when the total is exact and
    every page can be opened by its number (within PAGE_NUMBER_LIMIT), None for a gap; else [] and only Previous
    / Next.
    Counting nothing: the exact total is already known, so the Paginator runs on a range."""
    if total.num_pages is None or total.num_pages < 2 or total.num_pages > PAGE_NUMBER_LIMIT:
        return []
    numbers = Paginator(range(total.count), per_page)
    return _gaps(numbers.get_elided_page_range(min(number, total.num_pages), on_each_side=2, on_ends=1))


def _gaps(numbers) -> list[int | None]:
    """Page numbers with None for each gap (the template shows "…")."""
    return [n if isinstance(n, int) else None for n in numbers]


class KeysetPage:
    """What the pagination include and the list need: the rows, their number, the total and the links."""

    keyset = True

    def __init__(self, rows, *, number, total, previous_query, next_query):
        self.object_list = rows
        self.number = number
        self.paginator = total
        self.previous_query = previous_query
        self.next_query = next_query
        self.has_previous = previous_query is not None
        self.has_next = next_query is not None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_page(request: HttpRequest, items, *, order: list[str], per_page: int, **context: Any) -> dict[str, Any]:
    """The page of `items` in `order` (its last field unique) at the request's cursor (`?after=` or `?before=`),
    or at `?page=N` for the first PAGE_NUMBER_LIMIT pages, with the total counted up to COUNT_CAP."""
    keys = keyset.Keyset(items, order)
    number = _page_number(request.GET.get("page"))
    after, before = keys.decode(request.GET.get("after")), keys.decode(request.GET.get("before"))
    if before is not None:
        rows, more_before = keys.rows_before(before, per_page)
        more_after = True
        if not more_before:
            number = 1
    else:
        if after is None and number > 1:
            offset = (min(number, PAGE_NUMBER_LIMIT) - 1) * per_page
            fields = [k.name for k in keys.keys]
            boundary = list(items.order_by(*keys.order_by()).values_list(*fields)[offset - 1 : offset])
            after = tuple(boundary[0]) if boundary else None
            number = min(number, PAGE_NUMBER_LIMIT) if boundary else 1
        elif after is None:
            number = 1
        rows, more_after = keys.rows_after(after, per_page)
        more_before = after is not None
    count, exact = keyset.capped_count(items, COUNT_CAP)
    estimate = None if exact else keyset.estimated_count(items)
    total = KeysetTotal(count, exact=exact, estimate=estimate, per_page=per_page)
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)

    def link(direction: str, row, page_number: int) -> str:
        return urlencode({"page": page_number, direction: keyset.encode_cursor(keys.values_of(row))})

    page = KeysetPage(
        rows,
        number=number,
        total=total,
        previous_query=link("before", rows[0], max(number - 1, 1)) if rows and more_before else None,
        next_query=link("after", rows[-1], number + 1) if rows and more_after else None,
    )
    numbers = page_numbers(total, number, per_page)
    return {"page": page, "querystring": query.urlencode(), "page_numbers": numbers, **context}


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


def filtered_keyset_page(request: HttpRequest, filterset, *, order: list[str], per_page: int, **context: Any) -> dict:
    """`keyset_page` over a django-filter FilterSet's results, with the filter itself as `filter` for the form and
    `filter_invalid` when a value is not valid (then no rows)."""
    valid = filterset.is_valid()
    # An invalid filter value shows its error and no rows: never the unfiltered list, which would look like results.
    items = filterset.qs if valid else filterset.queryset.none()
    return keyset_page(
        request, items, order=order, per_page=per_page, filter=filterset, filter_invalid=not valid, **context
    )


def without_empty_parameters(request: HttpRequest) -> str | None:
    """The request's URL without its empty query parameters (a GET form sends every field), or None if it has none:
    the list redirects there so that its URLs stay short and shareable."""
    if not any("" in values for _name, values in request.GET.lists()):
        return None
    kept = [(name, value) for name, values in request.GET.lists() for value in values if value != ""]
    return request.path + ("?" + urlencode(kept) if kept else "")
