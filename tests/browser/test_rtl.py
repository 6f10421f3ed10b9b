"""Arabic, right to left, in a real browser: the header switch turns the page around, the map's controls and the
timeline follow, and nothing overflows sideways (issue 14)."""

import pytest

from tests.browser.test_map import open_map, wait_for_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to_arabic(page) -> None:
    page.locator("form.language-switch button[lang=ar]").click()
    page.wait_for_function("document.documentElement.dir === 'rtl'")


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_map_page_reads_right_to_left(browser_page):
    page = browser_page
    open_map(page)
    wait_for_status(page, "4 incidents in view")
    switch_to_arabic(page)
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.locator("rect.timeline-bar[tabindex='0']").first.wait_for()

    # The heading starts at the right; the zoom control sits at the map's top right, the attribution at its left.
    main = page.locator("main").bounding_box()
    heading = page.locator("main h1").bounding_box()
    assert heading["x"] + heading["width"] > main["x"] + main["width"] - 60
    region = page.locator("#incident-map").bounding_box()
    zoom = page.locator(".leaflet-control-zoom").bounding_box()
    assert zoom["x"] > region["x"] + region["width"] / 2
    attribution = page.locator(".leaflet-control-attribution")
    if attribution.count():
        assert attribution.bounding_box()["x"] < region["x"] + region["width"] / 2

    # Time runs right to left: the earliest week's bar is the rightmost.
    bars = page.locator("rect.timeline-bar[tabindex='0']").evaluate_all(
        "els => els.map(e => [Number(e.getAttribute('x')), e.getAttribute('aria-label')])"
    )
    xs = [x for x, _label in bars]
    assert xs == sorted(xs, reverse=True), bars
    assert overflow(page) == 0


def test_the_incident_page_and_list_do_not_overflow_in_arabic(browser_page):
    page = browser_page
    open_map(page)
    switch_to_arabic(page)
    for path in ("/", "/incidents/", "/incidents/SYR-2015-0001/", "/claims/sources/", "/places/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.dir") == "rtl", path
        assert overflow(page) == 0, path
    # The mini-map's zoom control is at its top right too.
    page.goto("/incidents/SYR-2015-0001/")
    minimap = page.locator("#minimap").bounding_box()
    zoom = page.locator("#minimap .leaflet-control-zoom").bounding_box()
    assert zoom["x"] > minimap["x"] + minimap["width"] / 2
