"""Every URL pattern of the project, as a template whose slots the crawler fills with real values.

Patterns come from django.urls.get_resolver(), recursively, so a page added to any app (or to the admin) is
walked without this file changing. Both path() routes and re_path() regexes are read; a regex the walker
cannot turn into a URL is reported, not silently dropped.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

ROUTE_SLOT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_SPECIAL = set(".*+?[]{}|^$")


class Unbuildable(Exception):
    pass


@dataclass(frozen=True)
class Slot:
    name: str
    regex: str

    @property
    def choices(self) -> list[str]:
        """A regex group that is a plain alternation (`auth|claims|...`) lists its own values."""
        if re.fullmatch(r"[\w-]+(\|[\w-]+)+", self.regex):
            return self.regex.split("|")
        return []

    def accepts(self, value: str) -> bool:
        return re.fullmatch(self.regex, value) is not None


@dataclass(frozen=True)
class Route:
    route: str  # as ResolverMatch.route spells it
    name: str  # namespaced, e.g. "incidents:detail"; "" when the pattern has no name
    parts: tuple  # literal strings and Slots, in order
    problem: str = ""  # why no URL can be built from it, if so

    @property
    def slots(self) -> list[Slot]:
        return [p for p in self.parts if isinstance(p, Slot)]

    def build(self, values: dict[str, str]) -> str:
        return "/" + "".join(values[p.name] if isinstance(p, Slot) else p for p in self.parts)


def routes() -> list[Route]:
    return list(_walk(get_resolver(), "", (), ()))


def _walk(resolver: URLResolver, route: str, names: tuple, parts: tuple):
    for entry in resolver.url_patterns:
        try:
            here = parts + _parts(entry.pattern, len([p for p in parts if isinstance(p, Slot)]))
            problem = ""
        except Unbuildable as exc:
            here, problem = parts, str(exc)
        joined = _join_route(route, str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from _walk(entry, joined, names + ((entry.namespace,) if entry.namespace else ()), here)
        elif isinstance(entry, URLPattern):
            yield Route(joined, ":".join((*names, entry.name or "")) if entry.name else "", here, problem)


def _join_route(first: str, second: str) -> str:
    # As django.urls.resolvers.URLResolver._join_route, which builds ResolverMatch.route.
    if not first:
        return second
    return first + second.removeprefix("^")


def _parts(pattern, positional: int) -> tuple:
    if isinstance(pattern, RoutePattern):
        text, out, last = str(pattern), [], 0
        for match in ROUTE_SLOT.finditer(text):
            out.append(text[last : match.start()])
            converter = pattern.converters[match["name"]]
            out.append(Slot(match["name"], converter.regex))
            last = match.end()
        out.append(text[last:])
        return tuple(p for p in out if p != "")
    if isinstance(pattern, RegexPattern):
        return _regex_parts(str(pattern), positional)
    raise Unbuildable(f"unknown pattern type {type(pattern).__name__}")


def _regex_parts(regex: str, positional: int) -> tuple:
    text = regex.removeprefix("^")
    if text.endswith("$") and not text.endswith("\\$"):
        text = text[:-1]
    out, literal, i = [], "", 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            literal += text[i + 1]
            i += 2
        elif char == "(":
            end = _group_end(text, i)
            inner = text[i + 1 : end]
            named = re.match(r"\?P<(\w+)>", inner)
            if named:
                name, body = named[1], inner[named.end() :]
            elif inner.startswith("?"):
                raise Unbuildable(f"regex group {inner!r} in {regex!r}")
            else:
                name, body = f"_{positional}", inner
                positional += 1
            out += [literal, Slot(name, body)]
            literal, i = "", end + 1
        elif char in REGEX_SPECIAL:
            raise Unbuildable(f"regex syntax {char!r} outside a group in {regex!r}")
        else:
            literal += char
            i += 1
    out.append(literal)
    return tuple(p for p in out if p != "")


def _group_end(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
        i += 1
    raise Unbuildable(f"unbalanced group in {text!r}")
