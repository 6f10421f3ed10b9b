"""Values computed once and kept in the cache until what they are computed from changes (issue 19, item 6).

The key holds a fingerprint of the source tables (their row counts and latest change), read in one cheap query, so
a change made by any process (another web worker, a Celery worker, an import) is seen at once, with a cache local
to each process or shared in Redis (settings.CACHES); no signal or explicit invalidation is needed, and a stale
value is never served.
"""

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

# A backstop: entries whose fingerprint nobody asks for any more expire on their own.
TIMEOUT = 60 * 60


def by_fingerprint(name: str, fingerprint: Hashable, compute: Callable[[], T]) -> T:
    """compute(), cached under `name` for as long as `fingerprint` is unchanged."""
    # A digest, not hash(): str hashes differ from process to process, and a shared cache must give every process
    # the same key for the same fingerprint.
    digest = hashlib.sha256(repr(fingerprint).encode()).hexdigest()[:16]
    key = f"verify:cached:{name}:{digest}"
    found = cache.get(key)
    if found is not None and found[0] == fingerprint:
        return found[1]
    value = compute()
    cache.set(key, (fingerprint, value), TIMEOUT)
    return value
