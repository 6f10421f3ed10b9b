from functools import cache

import pytest

from verify.gazetteer import services as gazetteer_services
from verify.lib.gazetteer import syrian_places
from verify.web.demo import demo_load


@cache
def all_syrian_places() -> tuple:
    return tuple(syrian_places())


@pytest.fixture
def demo(db, monkeypatch):
    """The demo case file; the GeoNames extract is parsed once per run rather than once per test."""
    monkeypatch.setattr(gazetteer_services, "syrian_places", all_syrian_places)
    return demo_load()
