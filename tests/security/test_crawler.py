"""Issue 11: nothing of a restricted incident reaches anyone outside its groups, on any page of the project.

The crawler walks every URL pattern (the apps' and the admin's), fills its slots with the ids and references
of restricted and public records, and fetches each as four kinds of signed-in user who must not see the
restricted incident. It fails on a marker, the restricted reference or a restricted file's hash anywhere in a
body or header, on a restricted record's URL that answers otherwise than a missing record's, and on a page
that changes at all (a count, a row) when the restricted incident is added.
"""

import difflib
import re

import pytest
from django.test import Client

from tests.security import crawler
from tests.security.world import CRAWLERS, add_restricted, build_public, predicted

VOLATILE = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(rb'(csrf[-_]?token["\']?\s*[:=]\s*["\'])[^"\']+', re.IGNORECASE),
    re.compile(rb'(nonce=")[^"]+'),
]


@pytest.fixture(autouse=True)
def _import_root(settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", CRAWLERS)
def test_no_page_shows_anything_of_a_restricted_incident(db, role):
    world = add_restricted(build_public())
    findings, unbuildable, requests = crawler.crawl(signed_in(world.users[role]), role, world)

    assert not unbuildable, "URL patterns the crawler could not exercise:\n" + "\n".join(unbuildable)
    assert requests > 100, f"only {requests} requests: the crawler is not reaching the pages"
    assert not findings, crawler.report(findings)


@pytest.mark.parametrize("role", CRAWLERS)
def test_pages_are_the_same_with_or_without_a_restricted_incident(db, role):
    """Counts, lists and exports must not include restricted records: adding one changes nothing a user sees."""
    world = build_public()
    client = signed_in(world.users[role])
    pages = _plain_pages(predicted(world))
    before = {path: _seen(client, path) for path in pages}
    add_restricted(world)
    changed = []
    for path in pages:
        after = _seen(client, path)
        if after != before[path]:
            changed.append(f"[{role}] GET {path}: " + _difference(before[path], after))

    assert not changed, f"{len(changed)} page(s) change when a restricted incident is added:\n" + "\n".join(changed)


def test_the_crawler_finds_a_leak(db):
    """The crawler itself can fail: an admin page shown to a staff member with every model's view permission
    is a known way to see everything, and must be reported."""
    world = add_restricted(build_public())
    client = signed_in(world.users["staff_researcher"])
    path = f"/admin/incidents/incident/{world.restricted_incident.pk}/change/"
    fetched = crawler.fetch(client, path)
    if fetched.status != 200:
        pytest.skip("the admin no longer shows restricted incidents to staff; nothing to detect here")
    case = next(c for c in crawler.cases(world)[0] if c.path == path)
    assert crawler.scan("staff_researcher", case, fetched, world)


def _plain_pages(world) -> list[str]:
    """Every URL that takes no record in its path, with the searches and exports it may be asked for."""
    cases, _ = crawler.cases(world)
    return [case.path for case in cases if not case.route.slots]


def _seen(client: Client, path: str) -> tuple[int, bytes]:
    fetched = crawler.fetch(client, path)
    body = fetched.body
    for pattern in VOLATILE:
        body = pattern.sub(rb"\1~", body)
    return fetched.status, body


def _difference(before: tuple[int, bytes], after: tuple[int, bytes]) -> str:
    if before[0] != after[0]:
        return f"status {before[0]} -> {after[0]}"
    old = before[1].decode("utf-8", "replace").splitlines()
    new = after[1].decode("utf-8", "replace").splitlines()
    lines = [
        line.strip()[:160]
        for line in difflib.unified_diff(old, new, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    return "\n      " + "\n      ".join(lines[:6]) + (f"\n      ... {len(lines) - 6} more lines" if len(lines) > 6 else "")
