"""Issue 11: nothing of a restricted incident reaches anyone outside its groups, on any page of the project.

The crawler walks every URL pattern (the apps' and the admin's), fills its slots with the ids and references
of restricted and public records, and fetches each as four kinds of signed-in user who must not see the
restricted incident. It fails on
- a marker, the restricted reference or a restricted file's hash anywhere in a body or header;
- a restricted record's URL that answers with content, or otherwise than the URL of a record that does not exist;
- a page without a record in its path (a list, a count, a search, an export) that changes at all when the
  restricted incident is added;
- a URL pattern it could not fill and fetch: a new page is crawled without this test changing.
"""

import difflib
import re

import pytest
from django.test import Client

from tests.security import crawler
from tests.security.world import CRAWLERS, MARKER_PATTERN, add_restricted, build_public, predicted
from verify.api.throttling import TokenRateThrottle, UserRateThrottle, _Scoped

VOLATILE = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(rb'(csrf[-_]?token["\']?\s*[:=]\s*["\'])[^"\']+', re.IGNORECASE),
    re.compile(rb'(nonce=")[^"]+'),
    # A fresh one-time key on every creation form (double-submit guard), like the CSRF token.
    re.compile(rb'(name="idempotency_key" value=")[^"]+'),
]
MAX_CHANGED_PAGES = 40


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch):
    """The crawler asks hundreds of pages a minute as one person: the API's rate limits (tested in tests/api) would
    answer 429 once the budget is spent, and a page would seem to change when the restricted incident is added."""
    unlimited = dict.fromkeys(("token", "token_write", "user", "user_write"), "1000000/min")
    for throttle in (_Scoped, TokenRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", unlimited)


@pytest.fixture(autouse=True)
def _import_root(settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", CRAWLERS)
def test_no_page_shows_or_counts_a_restricted_incident(db, role):
    world = build_public()
    client = signed_in(world.users[role])
    expected = predicted(world)
    plain = [case for case in crawler.cases(world, queries_from=expected)[0] if not case.route.slots]
    with crawler.quiet():
        before = {case.path: _seen(crawler.fetch(client, case.path)) for case in plain}

    add_restricted(world)
    assert world.restricted_references == expected.restricted_references
    assert sorted(world.restricted_sha256) == sorted(expected.restricted_sha256)
    result = crawler.crawl(client, role, world, queries_from=expected)

    assert not result.unbuildable, "URL patterns the crawler could not exercise:\n" + "\n".join(result.unbuildable)
    assert result.requests > 300, f"only {result.requests} requests: the crawler is not reaching the pages"
    changed = [
        f"[{role}] GET {path}: {difference}"
        for path, fetched in result.plain.items()
        if (difference := _difference(before[path], _seen(fetched)))
    ]
    problems = []
    if result.findings:
        problems.append(crawler.report(result.findings))
    if changed:
        problems.append(
            f"{len(changed)} page(s) change when a restricted incident is added (a count, a row, an option):\n"
            + "\n".join(changed[:MAX_CHANGED_PAGES])
            + (f"\n... and {len(changed) - MAX_CHANGED_PAGES} more" if len(changed) > MAX_CHANGED_PAGES else "")
        )
    assert not problems, "\n\n".join(problems)


def test_the_crawler_reports_what_a_page_shows(db):
    """The crawler itself can fail: a restricted record's text in a page, and a restricted record's URL
    answering 200, are both reported."""
    world = add_restricted(build_public())
    case = next(c for c in crawler.cases(world)[0] if c.restricted and c.route.name == "incidents:detail")
    shown = crawler.Fetched(200, f"<h1>{world.restricted_incident.title}</h1>".encode(), "", "")

    findings = crawler.scan("viewer", case, shown, world) + crawler.check_status("viewer", case, shown, None)

    assert [f.what for f in findings] == ["ZQXMARKERTITLE in body", "restricted record answered with content"]


def test_the_crawler_ignores_what_a_page_repeats_of_its_request(db):
    world = add_restricted(build_public())
    case = next(c for c in crawler.cases(world)[0] if c.restricted and c.route.name == "incidents:detail")
    login = f"/accounts/login/?next={case.path}"
    redirected = crawler.Fetched(302, b"", f"Location: {login}", login)

    assert crawler.scan("viewer", case, redirected, world) == []
    assert crawler.check_status("viewer", case, redirected, None) == []


def _seen(fetched: crawler.Fetched) -> tuple[int, bytes]:
    body = fetched.body
    for pattern in VOLATILE:
        body = pattern.sub(rb"\1~", body)
    return fetched.status, body


def _difference(before: tuple[int, bytes], after: tuple[int, bytes]) -> str:
    """What changed, leaving out lines with markers (the crawl reports those); empty if nothing else did."""
    if before == after:
        return ""
    if before[0] != after[0]:
        return f"status {before[0]} -> {after[0]}"
    old = before[1].decode("utf-8", "replace").splitlines()
    new = after[1].decode("utf-8", "replace").splitlines()
    lines = [
        line.strip()[:160]
        for line in difflib.unified_diff(old, new, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---") and line[1:].strip()
    ]
    # Pages showing a marker are reported above; here, what else changed (counts, ids, options).
    other = [line for line in lines if not re.search(MARKER_PATTERN, line)]
    if not other:
        return ""
    more = f"\n      ... {len(other) - 4} more lines" if len(other) > 4 else ""
    return "\n      " + "\n      ".join(other[:4]) + more
