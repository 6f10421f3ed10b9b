"""Fill every URL pattern with real values, fetch it as a user, and report what of the restricted incident
shows through: a marker, the reference, a file hash, or a status that differs from a record that does not exist.
"""

import itertools
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.security.urlwalk import Route, Slot, Unbuildable, routes
from tests.security.world import MARK, MARKER_PATTERN, World
from verify.claims.models import Claim, Source
from verify.evidence.models import EvidenceItem
from verify.imports.models import ImportJob
from verify.review.models import Notification

BOGUS_ID = "999999"
REFERENCE_SLOTS = {"reference", "target", "other"}
ID_SLOTS = {"pk", "id", "object_id", "_0"}
# Which model an integer slot of an app's own URL stands for, by the start of the route (longest first).
ROUTE_MODELS = [
    ("claims/sources/", Source),
    ("review/notifications/", Notification),
    ("review/claims/", Claim),
    ("claims/", Claim),
    ("evidence/", EvidenceItem),
    ("import/", ImportJob),
]
ADMIN_MODEL = re.compile(r"admin/(\w+)/(\w+)/")
# Patterns deliberately not crawled, with the reason. Keep this short.
SKIP: dict[str, str] = {}
SNIPPET = 70


@dataclass(frozen=True)
class Case:
    route: Route
    path: str
    restricted: bool  # the URL names a restricted record of the model the view is about
    bogus_path: str = ""  # the same URL naming a record that does not exist
    headers: tuple = ()
    swaps: tuple = ()  # (restricted value, its stand-in in bogus_path)


@dataclass(frozen=True)
class Finding:
    role: str
    path: str
    status: int
    what: str
    snippet: str

    def __str__(self) -> str:
        return f"[{self.role}] GET {self.path} -> {self.status}: {self.what}" + (
            f"\n      ...{self.snippet}..." if self.snippet else ""
        )


# --- building the URLs ---------------------------------------------------------------------------------------------


def bogus_reference() -> str:
    return f"{settings.VERIFY_REFERENCE_PREFIX}-1999-9999"


def model_for(route: Route) -> type[models.Model] | None:
    admin = ADMIN_MODEL.match(route.route)
    if admin:
        try:
            return apps.get_model(admin[1], admin[2])
        except LookupError:
            return None
    for prefix, model in ROUTE_MODELS:
        if route.route.startswith(prefix):
            return model
    return None


def _ids(world: World, model: type[models.Model]) -> list[tuple[str, bool]]:
    """The restricted records of this model, and two others, as (pk, restricted)."""
    hidden = world.restricted.get(model, [])
    others = list(model._default_manager.exclude(pk__in=hidden).order_by("pk").values_list("pk", flat=True)[:2])
    found = [(str(pk), True) for pk in hidden] + [(str(pk), False) for pk in others]
    # A model with no rows (a login log, say) still has its pages fetched, for a record that does not exist.
    return found or [(BOGUS_ID, False)]


def _any_ids(world: World) -> list[tuple[str, bool | None]]:
    """For an integer slot whose model is not known: every restricted primary key, of whatever model."""
    pks = sorted({pk for values in world.restricted.values() for pk in values})
    return [(str(pk), None) for pk in pks]


def _slot_values(route: Route, slot: Slot, world: World) -> list[tuple[str, bool | None]]:
    if slot.choices:
        return [(choice, False) for choice in slot.choices]
    if slot.name in REFERENCE_SLOTS:
        return [(ref, True) for ref in world.restricted_references] + [(world.public_incident.reference, False)]
    if slot.name == "url":  # the admin's catch-all
        return [("zz-no-such-page/", False)]
    if slot.name in ID_SLOTS or slot.accepts("1"):
        model = model_for(route)
        return _ids(world, model) if model else _any_ids(world)
    raise Unbuildable(f"no values known for the slot <{slot.name}>")


def _combinations(route: Route, world: World) -> list[list[tuple[str, str, bool | None]]]:
    """Lists of (slot name, value, restricted) that fill every slot of the route."""
    names = {s.name for s in route.slots}
    model = model_for(route)
    if names == {"content_type_id", "object_id"}:  # the admin's "view on site"
        return [
            [("content_type_id", str(ContentType.objects.get_for_model(m).pk), False), ("object_id", pk, hidden)]
            for m in world.restricted
            if hasattr(m, "get_absolute_url")
            for pk, hidden in _ids(world, m)
        ]
    if names == {"_0", "_1"} and model is not None and hasattr(model, "history"):  # simple_history's version page
        return [
            [("_0", pk, hidden), ("_1", str(history_id), hidden)]
            for pk, hidden in _ids(world, model)
            # A historical row's own pk is history_id; the record it is a version of is `id`.
            for history_id in model.history.filter(id=pk).values_list("history_id", flat=True)
        ]
    per_slot = [
        [(slot.name, v, h) for v, h in _slot_values(route, slot, world) if slot.accepts(v)] for slot in route.slots
    ]
    return [list(combo) for combo in itertools.product(*per_slot)]


def _bogus(slot: Slot) -> str:
    return bogus_reference() if slot.name in REFERENCE_SLOTS else BOGUS_ID


def cases(world: World, queries_from: World | None = None) -> tuple[list[Case], list[str]]:
    """Every URL to fetch, and the patterns that could not be turned into one (each with the reason).

    Pages that take no record in their path are asked the searches of `queries_from` (by default `world`): a
    world predicted before the restricted records exist gives the same URLs before and after.
    """
    out, unbuildable = [], []
    for route in routes():
        if route.name in SKIP or route.route in SKIP:
            continue
        if route.problem:
            unbuildable.append(f"{route.route}: {route.problem}")
            continue
        try:
            combos = _combinations(route, world) if route.slots else [[]]
        except Unbuildable as exc:
            unbuildable.append(f"{route.route}: {exc}")
            continue
        built = [case for combo in combos for case in _cases_for(route, combo, world, queries_from or world)]
        if not built:
            unbuildable.append(f"{route.route}: no value fits its slots")
        for case in built:
            if not _resolves_to(case.path, route):
                unbuildable.append(f"{route.route}: built {case.path}, which resolves elsewhere")
                break
        out += built
    return out, unbuildable


def _cases_for(route: Route, combo: list, world: World, queries_from: World) -> list[Case]:
    values = {name: value for name, value, _ in combo}
    path = route.build(values)
    restricted = any(hidden for _, _, hidden in combo)
    bogus, swaps = "", ()
    if restricted:
        slots = {s.name: s for s in route.slots}
        swaps = tuple((value, _bogus(slots[name])) for name, value, hidden in combo if hidden)
        bogus = route.build({name: _bogus(slots[name]) if hidden else value for name, value, hidden in combo})
    if route.slots:
        found = [Case(route, path, restricted, bogus, (), swaps)]
        if not path.startswith("/admin/"):
            # Fragments and JSON answers are other ways into the same view.
            inline = (("X-Requested-With", "claim-entry"), ("HX-Request", "true"), ("Accept", "application/json"))
            found.append(Case(route, path, restricted, bogus, inline, swaps))
        return found
    return [Case(route, path + query, False) for query in _queries(route, path, queries_from)]


def _queries(route: Route, path: str, world: World) -> list[str]:
    """Searches and exports that might pull restricted rows into a page that takes no record in its URL."""
    queries = ["", f"?q={MARK}"] + [f"?q={quote(ref)}" for ref in world.restricted_references]
    queries += [f"?q={sha[:8]}" for sha in world.restricted_sha256[:1]]
    if path.startswith("/admin/"):
        # In the admin only the lists search; the autocomplete is asked for every field that has one.
        if route.name == "admin:autocomplete":
            return ["", *_autocomplete_queries()]
        return queries if route.name.endswith("_changelist") else [""]
    ids = sorted({pk for values in world.restricted.values() for pk in values})
    refs = world.restricted_references[:1]
    # One query for the rest: each view reads the parameters it knows and ignores the others.
    everything = [("id", pk) for pk in ids[:100]] + [("incident", ref) for ref in refs]
    everything += [("reference", ref) for ref in refs] + [
        ("format", "csv"),
        ("bbox", "-180,-90,180,90"),
        ("zoom", "18"),
    ]
    return [*queries, "?" + urlencode(everything)]


def _autocomplete_queries() -> list[str]:
    from django.contrib import admin

    out = []
    for model, model_admin in admin.site._registry.items():
        for field_name in getattr(model_admin, "autocomplete_fields", ()):
            params = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
            }
            out.append("?" + urlencode({**params, "term": MARK}))
            out.append("?" + urlencode(params))
    return out


def _resolves_to(path: str, route: Route) -> bool:
    try:
        return resolve(urlsplit(path).path).route == route.route
    except Resolver404:
        return False


# --- fetching and looking --------------------------------------------------------------------------------------------


@dataclass
class Fetched:
    status: int
    body: bytes
    headers: str
    location: str


def fetch(client: Client, path: str, headers: tuple = ()) -> Fetched:
    response = client.get(path, headers=dict(headers))
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    # The test client closes the response itself (a streaming one once consumed): closing it again would send
    # request_finished outside the client, which closes the test database connection.
    header_text = "\n".join(f"{k}: {v}" for k, v in response.items())
    return Fetched(response.status_code, body, header_text, response.get("Location", ""))


def needles(world: World) -> list[tuple[str, re.Pattern]]:
    found = [("marker", re.compile(MARKER_PATTERN.encode()))]
    for ref in world.restricted_references:
        found.append((f"reference {ref}", re.compile(re.escape(ref).encode() + rb"(?!\d)")))
    for sha in world.restricted_sha256:
        found.append((f"sha256 {sha[:12]}", re.compile(sha[:12].encode(), re.IGNORECASE)))
    return found


def _echoes(case: Case) -> list[bytes]:
    """What a page may repeat of its own request (a login ?next=, a search box, the reference asked for): not
    a leak. A page that shows the record itself is caught by its other markers and by its status."""
    path = case.path
    split = urlsplit(path)
    texts = {path, split.path, quote(path, safe=""), quote(path, safe="/"), quote(split.path, safe="")}
    texts |= {value for value, _ in case.swaps}
    for pair in split.query.split("&"):
        if "=" in pair:
            raw = pair.split("=", 1)[1]
            texts |= {raw, quote(raw, safe="")}
    return sorted((t.encode() for t in texts if t), key=len, reverse=True)


def scan(role: str, case: Case, fetched: Fetched, world: World) -> list[Finding]:
    findings, case_path = [], case.path
    for where, data in (("body", fetched.body), ("header", fetched.headers.encode())):
        for echo in _echoes(case):
            data = data.replace(echo, b"")
        for label, pattern in needles(world):
            hit = pattern.search(data)
            if hit:
                start, end = max(0, hit.start() - SNIPPET), hit.end() + SNIPPET
                snippet = data[start:end].decode("utf-8", "replace")
                snippet = re.sub(r"\s+", " ", snippet)
                label = hit.group().decode("utf-8", "replace") if label == "marker" else label
                shown = case_path + (" (as a fragment/JSON request)" if case.headers else "")
                findings.append(Finding(role, shown, fetched.status, f"{label} in {where}", snippet))
    return findings


def login_paths() -> set[str]:
    return {reverse(settings.LOGIN_URL), reverse("admin:login")}


def check_status(role: str, case: Case, fetched: Fetched, bogus: Fetched | None) -> list[Finding]:
    """A restricted record's URL answers exactly as a record that does not exist, and never with content."""
    if not case.restricted:
        return []
    problems = []
    if 200 <= fetched.status < 300:
        problems.append("restricted record answered with content")
    elif 300 <= fetched.status < 400 and urlsplit(fetched.location).path not in login_paths():
        location = fetched.location
        for value, stand_in in case.swaps:
            location = location.replace(value, stand_in)
        if bogus is None or location != bogus.location:
            problems.append(f"restricted record redirects to {fetched.location}")
    if bogus is not None and bogus.status != fetched.status:
        problems.append(f"status differs from a missing record's ({bogus.status})")
    shown = case.path + (" (as a fragment/JSON request)" if case.headers else "")
    return [Finding(role, shown, fetched.status, "; ".join(problems), "")] if problems else []


@dataclass
class Crawl:
    findings: list[Finding]
    unbuildable: list[str]  # patterns that could not be exercised, with the reason
    requests: int
    plain: dict[str, Fetched]  # what the pages without a record in their path answered


def crawl(client: Client, role: str, world: World, queries_from: World | None = None) -> Crawl:
    """Fetch every case and look at every answer."""
    all_cases, unbuildable = cases(world, queries_from)
    result = Crawl([], unbuildable, 0, {})
    bogus_seen: dict = {}
    with quiet():
        for case in all_cases:
            fetched = _crawl_one(client, role, world, case, result.findings, bogus_seen)
            if not case.route.slots:
                result.plain[case.path] = fetched
    result.requests = len(all_cases) + len(bogus_seen)
    return result


@contextmanager
def quiet():
    with _quiet("django.request"), _quiet("django.security"):
        yield


@contextmanager
def _quiet(logger: str):
    """Thousands of expected 403s and 404s would each log a warning with a traceback."""
    log = logging.getLogger(logger)
    previous = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(previous)


def _crawl_one(client: Client, role: str, world: World, case: Case, findings: list, bogus_seen: dict) -> Fetched:
    fetched = fetch(client, case.path, case.headers)
    findings += scan(role, case, fetched, world)
    if fetched.status >= 500:
        findings.append(Finding(role, case.path, fetched.status, "server error", ""))
    bogus = None
    if case.bogus_path:
        key = (case.bogus_path, case.headers)
        if key not in bogus_seen:
            bogus_seen[key] = fetch(client, case.bogus_path, case.headers)
        bogus = bogus_seen[key]
    findings += check_status(role, case, fetched, bogus)
    return fetched


def report(findings: list[Finding], limit: int = 60) -> str:
    """One line per kind of leak on one route (with how many URLs showed it), and one example of each."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        route = re.sub(r"\?.*?(?= \(|$)", "?…", re.sub(r"/\d+(?=/|$| )|/[A-Z]+-\d{4}-\d{4}(?=/)", "/<x>", f.path))
        groups.setdefault((route, f.what), []).append(f)
    lines = []
    for (route, what), found in sorted(groups.items())[:limit]:
        example = found[0]
        lines.append(f"  [{example.role}] {route}: {what} (x{len(found)}), e.g. GET {example.path} -> {example.status}")
        if example.snippet:
            lines.append(f"      ...{example.snippet}...")
    if len(groups) > limit:
        lines.append(f"  ... and {len(groups) - limit} more kinds")
    return f"{len(findings)} finding(s) of {len(groups)} kind(s):\n" + "\n".join(lines)
