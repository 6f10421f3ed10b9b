"""A NUL byte in a URL's path or query is a bad request (400), never a server error.

PostgreSQL refuses NUL in text, so any view that passed one to a query failed with 500. Every page without
parameters is requested with NUL in its search and filter parameters, and every page with a text parameter with
NUL in its path.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

FILTERS = (
    "q", "page", "status", "grade", "attack_type", "target_type", "governorate", "place", "date_from", "date_to",
    "source", "kind", "stance", "bbox", "zoom", "sort", "next", "reliability", "affiliation", "assigned",
)  # fmt: skip


def _routes(resolver: URLResolver = None, prefix: str = "") -> list[str]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                found += _routes(entry, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def _plain(route: str) -> bool:
    return "<" not in route and "^" not in route


def _with_nul_in_text_parameters(route: str) -> str:
    for converter, value in (("<str:", "%00"), ("<int:", "1")):
        while converter in route:
            start = route.index(converter)
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return route


PLAIN = sorted({"/" + r for r in _routes() if _plain(r)})
WITH_TEXT = sorted({"/" + _with_nul_in_text_parameters(r) for r in _routes() if "<str:" in r})


def test_the_routes_are_found():
    assert "/places/" in PLAIN and "/incidents/" in PLAIN and "/incidents/%00/" in WITH_TEXT


@pytest.mark.parametrize("path", PLAIN)
def test_nul_in_the_query_is_a_bad_request(client, researcher, path):
    client.force_login(researcher)
    response = client.get(path, dict.fromkeys(FILTERS, "a\x00b"))
    assert response.status_code in (400, 404), response.status_code


@pytest.mark.parametrize("path", PLAIN)
def test_nul_in_a_query_parameter_name_is_a_bad_request(client, researcher, path):
    client.force_login(researcher)
    assert client.get(path + "?q%00=x").status_code in (400, 404)


@pytest.mark.parametrize("path", [*WITH_TEXT, "/places/%00/", "/incidents/SYR%00/edit/"])
def test_nul_in_the_path_is_a_bad_request(client, researcher, path):
    client.force_login(researcher)
    assert client.get(path).status_code in (400, 404)
    assert client.post(path).status_code in (400, 403, 404, 405)
