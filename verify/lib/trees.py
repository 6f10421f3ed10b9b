"""Walking a small tree given as a map of each key to its parent's key (actors' "part of", nested labels).

Plain Python: callers load the map (one query for a whole vocabulary) and walk it here. Bad data (a cycle of
parents) can never make a walk loop.
"""

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
MAX_LINEAGE = 12


def lineage(key: K, parent_of: Mapping[K, K | None], *, max_depth: int = MAX_LINEAGE) -> tuple[K, ...]:
    """The key and its ancestors' keys, nearest first.

    The walk stops at a key with no parent or whose parent is not in the map, before a key it has already
    seen (a cycle of parents), and after max_depth keys.
    """
    found = [key]
    while len(found) < max_depth:
        parent = parent_of.get(found[-1])
        if parent is None or parent in found:
            break
        found.append(parent)
    return tuple(found)


def descendants(roots: Iterable[K], parent_of: Mapping[K, K | None]) -> set[K]:
    """Every key below the roots, at any depth (the roots themselves are not included unless in a cycle)."""
    children: dict[K | None, list[K]] = {}
    for key, parent in parent_of.items():
        children.setdefault(parent, []).append(key)
    found: set[K] = set()
    todo = [child for root in roots for child in children.get(root, [])]
    while todo:
        key = todo.pop()
        if key not in found:
            found.add(key)
            todo.extend(children.get(key, []))
    return found
