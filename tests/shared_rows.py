"""Rows many tests read but none may keep: the gazetteer and the demo case file, loaded once for a run of tests.

Loading the demo takes about a second (a thousand rows, each written through the services). Instead of loading it
for every test, the rows are loaded inside an outer transaction that stays open while consecutive tests ask for
them; each test still runs in its own savepoint (pytest-django's per-test transaction nests inside), so whatever a
test changes is rolled back and the next test sees the rows exactly as loaded. As soon as a test that did not ask
for them (or asks for the other set) is about to open its transaction, the outer transaction is rolled back: no
other test ever sees these rows. Tests with `transaction=True` (live server, threads) cannot nest, so for them the
outer transaction is closed and the rows are loaded the ordinary way, by the test itself.
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import override_settings

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _load(kind: str):
    from verify.gazetteer.services import gazetteer_load
    from verify.web.demo import demo_load

    return {"gazetteer": gazetteer_load, "demo": demo_load}[kind]()


def is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker:
        args = dict(zip(("transaction", "reset_sequences"), marker.args, strict=False)) | marker.kwargs
        if args.get("transaction") or args.get("reset_sequences"):
            return True
    return bool(TRANSACTIONAL_FIXTURES & set(request.fixturenames))


@dataclass
class SharedRows:
    blocker: object  # pytest-django's django_db_blocker
    password_hashers: list[str]
    kind: str | None = None
    _result: object = None
    _atomic: object = field(default=None, repr=False)

    def prepare_for(self, request: pytest.FixtureRequest) -> None:
        """Called before a test's database transaction opens: leave open exactly the rows it asked for."""
        wanted = None
        if not is_transactional(request):
            wanted = next((kind for kind in ("demo", "gazetteer") if kind in request.fixturenames), None)
        if wanted != self.kind:
            self.close()
            if wanted:
                self._open(wanted)

    def result(self, kind: str):
        """What the load returned; a transactional test loads for itself, into the database it will flush."""
        if self.kind == kind:
            return self._result
        with override_settings(PASSWORD_HASHERS=self.password_hashers):
            return _load(kind)

    def _open(self, kind: str) -> None:
        with self.blocker.unblock(), override_settings(PASSWORD_HASHERS=self.password_hashers):
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                self._result = _load(kind)
            except BaseException:
                self._rollback()
                raise
        self.kind = kind

    def close(self) -> None:
        if self._atomic is None:
            return
        with self.blocker.unblock():
            self._rollback()

    def _rollback(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._atomic, self.kind, self._result = None, None, None
