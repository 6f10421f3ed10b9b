"""Keyset pagination of the incident list (issue 19, item 2): every row once, in order, at any depth, even when rows
are added or deleted between pages; no query reads the skipped rows; counts and estimates labelled honestly."""

import random
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verify.core import keyset, listing
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db
LIST = "/incidents/"


def _make(user, n: int, seed: int = 1, prefix: str = "KS") -> list[Incident]:
    rng = random.Random(seed)
    return Incident.objects.bulk_create(
        Incident(
            reference=f"{prefix}-{seed}-{i:04d}",
            title=f"Keyset {i}",
            created_by=user,
            # few distinct dates (ties broken by the id) and some without a date
            date_start=None if rng.random() < 0.15 else date(2016, 1, 1) + timedelta(days=rng.randrange(6)),
        )
        for i in range(n)
    )


def _expected(queryset) -> list[int]:
    """The list's order worked out in Python: newest first, ties by id, NULL dates where the database puts them."""
    rows = list(queryset.values_list("date_start", "pk"))
    nulls_first = connection.vendor == "postgresql"
    dated = sorted((r for r in rows if r[0] is not None), key=lambda r: (r[0], r[1]), reverse=True)
    undated = sorted((r for r in rows if r[0] is None), key=lambda r: r[1], reverse=True)
    return [pk for _d, pk in (undated + dated if nulls_first else dated + undated)]


def _page(client, query: str = ""):
    response = client.get(LIST + ("?" + query if query else ""))
    assert response.status_code == 200
    page = response.context["page"]
    html = response.content.decode()
    links = {
        rel: unescape(href).split("?", 1)[1] for href, rel in re.findall(r'href="([^"]+)" rel="(next|prev)"', html)
    }
    return [i.pk for i in page.object_list], links, page, html


def test_walking_the_list_forward_and_back_gives_every_row_once_in_order(client, viewer, researcher):
    _make(researcher, 130)
    client.force_login(viewer)
    seen, pages, query = [], [], ""
    while True:
        rows, links, page, _html = _page(client, query)
        seen += rows
        pages.append((rows, page.number))
        if "next" not in links:
            break
        query = links["next"]
    assert seen == _expected(Incident.objects.all())
    assert [number for _rows, number in pages] == list(range(1, len(pages) + 1))
    # and back again from the last page
    for rows, number in reversed(pages[:-1]):
        got, links, page, _html = _page(client, links["prev"])
        assert (got, page.number) == (rows, number)


@pytest.mark.parametrize("order", [["-date_start", "-pk"], ["date_start", "pk"], ["-date_start", "title", "pk"]])
def test_keyset_walks_any_order_with_nulls(researcher, order):
    _make(researcher, 90, seed=2)
    queryset = Incident.objects.all()
    expected = list(queryset.order_by(*keyset.Keyset(queryset, order).order_by()).values_list("pk", flat=True))
    keys = keyset.Keyset(queryset, order)
    got, cursor = [], None
    while True:
        rows, more = keys.rows_after(cursor, 7)
        got += [r.pk for r in rows]
        if not more:
            break
        cursor = keys.decode(keyset.encode_cursor(keys.values_of(rows[-1])))
    assert got == expected
    back, cursor = [r.pk for r in rows], keys.values_of(rows[0])
    while True:
        earlier, more = keys.rows_before(cursor, 7)
        back = [r.pk for r in earlier] + back
        if not more:
            break
        cursor = keys.values_of(earlier[0])
    assert back == expected


def test_pages_neither_repeat_nor_skip_rows_when_rows_are_added_or_deleted_between_them(client, viewer, researcher):
    _make(researcher, 80, seed=3)
    client.force_login(viewer)
    first, links, _page_obj, _html = _page(client)
    second, _links, _p, _h = _page(client, links["next"])
    # new incidents at the top and in the middle, the first page's last row and a row of the second page deleted
    _make(researcher, 30, seed=4, prefix="NEW")
    Incident.objects.filter(pk__in=[first[-1], second[3]]).delete()
    after, _links2, _p2, _h2 = _page(client, links["next"])
    order = _expected(Incident.objects.all())
    # exactly the rows that now follow the first page's last row, whatever was added above it
    cut = first[-1]
    old_order = order  # the deleted row is gone; its position is still a valid place to continue from
    remaining = [pk for pk in old_order if pk not in first]
    position = _expected_position(cut, order, first)
    assert after == order[position : position + len(after)]
    assert not set(after) & set(first)
    assert len(after) == 25
    assert set(second) - {second[3]} <= set(after) | set(remaining)


def _expected_position(cut: int, order: list[int], first: list[int]) -> int:
    """Where a page after `cut` starts in the current order: after the last row of the first page still present,
    and after any new rows sorted before it."""
    incident_values = dict(Incident.objects.values_list("pk", "date_start"))
    assert cut not in incident_values  # it was deleted
    survivors = [pk for pk in first if pk in incident_values]
    return order.index(survivors[-1]) + 1 if survivors else 0


def test_following_a_cursor_reads_no_skipped_row(client, viewer, researcher):
    _make(researcher, 60, seed=5)
    client.force_login(viewer)
    _rows, links, _page_obj, _html = _page(client)
    _rows, links, _page_obj, _html = _page(client, links["next"])
    with CaptureQueriesContext(connection) as ctx:
        _page(client, links["next"])
    page_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "incidents_incident"' in q["sql"]]
    assert page_queries and not any("OFFSET" in sql for sql in page_queries)


def test_page_numbers_still_work_where_cheap(client, viewer, researcher):
    _make(researcher, 60, seed=6)
    client.force_login(viewer)
    expected = _expected(Incident.objects.all())
    rows, _links, page, html = _page(client, "page=2")
    assert rows == expected[25:50] and page.number == 2
    assert "Page 2 of 3" in html
    rows, _links, page, _html = _page(client, "page=99")  # past the last page: the first page
    assert page.number == 1 and rows == expected[:25]
    rows, _links, page, _html = _page(client, "after=not-a-cursor")
    assert page.number == 1 and rows == expected[:25]


def test_counts_are_exact_under_the_cap_and_labelled_about_or_more_than_past_it(
    client, viewer, researcher, monkeypatch
):
    _make(researcher, 40, seed=7)
    client.force_login(viewer)
    _rows, _links, page, html = _page(client)
    assert page.paginator.exact and page.paginator.count == 40
    assert "40 incidents" in html
    monkeypatch.setattr(listing, "COUNT_CAP", 10)
    _rows, _links, page, html = _page(client)
    assert not page.paginator.exact and page.paginator.num_pages is None
    if page.paginator.estimate is not None:
        assert connection.vendor == "postgresql"
        assert "About " in html and "40 incidents" not in html
    else:
        assert "More than 10 incidents" in html
    assert "Page 1 of" not in html and "Page 1" in html
