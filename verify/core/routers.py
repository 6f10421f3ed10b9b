"""An optional read replica (DATABASE_REPLICA_URL) for the heavy reads: the incident list, map data, timeline and
exports. Everything else, every write, and anything read after a write stays on the primary.

- Only views marked with @replica_reads read from the replica, and only while they run (or stream): the incident
  list, map data, timeline and exports, on the web and in the API.
- The first write in a request pins it to the primary for the rest of the request, and the response sets a short
  cookie that pins the same browser's next requests for REPLICA_PIN_SECONDS, so that the page shown after a save
  (and the map data it fetches) is read where the save went, not from a replica that may lag.
- Who is signed in, their groups, permissions and sessions are always read from the primary: a replica that lags
  must never let someone in who was just removed.
- Writes that do not change what these views show (the audit log that exports add to, last-seen and last-used
  times) do not pin.
- Reads inside a transaction on the primary stay in it.

Without DATABASE_REPLICA_URL neither this router nor its middleware is installed (verify/settings.py).
"""

from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

REPLICA = "replica"
PIN_COOKIE = "verify_primary"
# Always read from the primary: identity, permissions and sessions.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "accounts", "account", "mfa", "usersessions", "axes", "api"})
# Writes that pin nothing: none of them changes what a replica-read view shows.
UNPINNING_WRITES = frozenset(
    {"accounts.auditevent", "usersessions.usersession", "sessions.session", "api.apitoken"}  # tokens: last used
)


@dataclass
class _Request:
    pinned: bool  # the browser wrote within REPLICA_PIN_SECONDS
    wrote: bool = False
    replica_ok: bool = False  # inside a view marked @replica_reads


_current: ContextVar[_Request | None] = ContextVar("verify_replica_request", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        state = _current.get()
        if (
            state is None
            or not state.replica_ok
            or state.pinned
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        state = _current.get()
        if state is not None and model._meta.label_lower not in UNPINNING_WRITES:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, copied

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica receives the primary's schema by replication


class ReplicaPinMiddleware:
    """Keeps the per-request state the router reads, and the cookie that pins a browser after its writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = _Request(pinned=PIN_COOKIE in request.COOKIES)
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _streamed(state: _Request, chunks: Iterable) -> Iterator:
    """A streamed body is read after the view has returned: each chunk is made under the view's state."""
    iterator = iter(chunks)
    while True:
        token = _current.set(state)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _current.reset(token)
        yield chunk


def replica_reads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let this view's reads (and its streamed body's) go to the replica, when there is one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        state = _current.get()
        if state is None:  # no replica configured: nothing to do
            return view(request, *args, **kwargs)
        state.replica_ok = True
        try:
            response = view(request, *args, **kwargs)
        finally:
            state.replica_ok = False
        if isinstance(response, StreamingHttpResponse):
            streaming_state = _Request(pinned=state.pinned, wrote=state.wrote, replica_ok=True)
            response.streaming_content = _streamed(streaming_state, response.streaming_content)
        return response

    return wrapper
