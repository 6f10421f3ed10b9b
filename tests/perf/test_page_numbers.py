"""Numbered pagination (issue 20, item 12): page numbers while the total is exact (at most COUNT_CAP rows, so every
numbered page is within PAGE_NUMBER_LIMIT), only Previous / Next past it."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.perf.test_keyset import _expected, _make
from verify.core import listing
from verify.core.listing import KeysetTotal, page_numbers
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _numbers(html: str) -> tuple[list[str], str | None]:
    """The numbered links' texts and the one marked current."""
    block = re.search(r'<ol class="page-numbers">(.*?)</ol>', html, re.S)
    if block is None:
        return [], None
    items = re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", block.group(1))
    current = re.search(r'aria-current="page"[^>]*>(\d+)<', block.group(1))
    return items, current.group(1) if current else None


def test_the_list_numbers_its_pages_and_marks_the_current_one(client, viewer, researcher):
    _make(researcher, 130, seed=11)
    client.force_login(viewer)
    html = client.get("/incidents/?page=3").content.decode()
    assert _numbers(html) == (["1", "2", "3", "4", "5", "6"], "3")
    href = re.search(r'href="\?([^"]*page=6)"', html).group(1)
    response = client.get("/incidents/?" + unescape(href))
    assert [i.pk for i in response.context["page"].object_list] == _expected(Incident.objects.all())[125:]
    assert _numbers(response.content.decode())[1] == "6"


def test_the_numbers_keep_the_filters(client, viewer, researcher):
    _make(researcher, 60, seed=12)
    client.force_login(viewer)
    html = client.get("/incidents/?status=draft").content.decode()
    assert 'href="?status=draft&amp;page=2"' in html


def test_past_the_exact_count_only_previous_and_next(client, viewer, researcher, monkeypatch):
    _make(researcher, 60, seed=13)
    monkeypatch.setattr(listing, "COUNT_CAP", 10)
    client.force_login(viewer)
    html = client.get("/incidents/").content.decode()
    assert _numbers(html) == ([], None)
    assert 'rel="next"' in html and "Page 1" in html


def test_many_pages_are_elided_around_the_current_one():
    total = KeysetTotal(1000, exact=True, estimate=None, per_page=25)
    assert page_numbers(total, 20, 25) == [1, None, 18, 19, 20, 21, 22, None, 40]
    assert page_numbers(total, 1, 25) == [1, 2, 3, None, 40]
    assert page_numbers(KeysetTotal(20, exact=True, estimate=None, per_page=25), 1, 25) == []  # one page
    # more exact pages than can be opened by number (a bigger cap): no numbers
    assert page_numbers(KeysetTotal(5000, exact=True, estimate=None, per_page=25), 1, 25) == []
    assert page_numbers(KeysetTotal(1000, exact=False, estimate=9000, per_page=25), 1, 25) == []


def test_a_numbered_page_costs_as_many_queries_as_the_next_link(client, viewer, researcher):
    _make(researcher, 130, seed=14)
    client.force_login(viewer)
    client.get("/incidents/")  # warm the caches
    counts = []
    for query in ("page=2", "page=5"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/incidents/?" + query).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
