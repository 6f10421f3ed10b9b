import os

import pytest

from tests.conftest import CHROMIUM, need

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # Offline, whatever the machine: no host name but the live server's resolves, at once. The map's tiles
    # (tile.openstreetmap.org) would otherwise hold a page's load event for the resolver's timeout, about 5 s.
    # (Not page.route: intercepting requests turns off the HTTP cache, and every script would load late.)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
]


@pytest.fixture(scope="package")
def chromium():
    """One headless Chromium for all the browser tests (a launch takes about a second); each test gets its own
    context, so no cookie, storage or page survives from one test to the next."""
    need(os.access(CHROMIUM, os.X_OK), f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made here around it are synchronous.
    # Package scope: the loop, and this switch, end with the last browser test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page(chromium, live_server):
    """A page in a fresh context of the system's headless Chromium, driven by Playwright."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    # A test may open more contexts on the same browser (a second signed-in session): none outlives it.
    for opened in chromium.contexts:
        opened.close()
