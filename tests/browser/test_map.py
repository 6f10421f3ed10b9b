"""The map in a real browser: demo incidents as markers, the grade filter, popups and the timeline."""

import re

import pytest

from tests.browser.test_signin import sign_in
from verify.incidents.models import Grade, Incident
from verify.web.demo import DEMO_USERS, demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INCIDENT_MARKER = re.compile(r"^SYR-\d{4}-\d{4}, ")


def open_map(page, query: str = "") -> None:
    demo_load()
    # The demo has no Fair incident yet: the Ariha market strike is graded Fair here, as a reviewer would.
    Incident.objects.filter(reference="SYR-2015-0001").update(grade=Grade.FAIR)
    password = next(u[3] for u in DEMO_USERS if u[0] == "viewer")
    sign_in(page, "viewer", password)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.get_by_role("link", name="Map", exact=True).click()
    if query:
        page.goto("/map/" + query)
    page.get_by_role("heading", name="Map", exact=True).wait_for()


def wait_for_status(page, text: str) -> None:
    page.get_by_role("status").filter(has_text=text).wait_for()


def incidents_on_map(page) -> int:
    """Single incident markers plus the incidents inside grouped markers (whose names are their counts)."""
    region = page.get_by_role("region", name="Map of incidents")
    singles = region.get_by_role("button", name=INCIDENT_MARKER).count()
    groups = region.get_by_role("button", name=re.compile(r"^\d+$")).all_inner_texts()
    return singles + sum(int(n) for n in groups)


def test_the_map_shows_the_demo_incidents_as_markers(browser_page):
    page = browser_page
    open_map(page)

    # The viewer sees the four located incidents that are not restricted; the chemical-desk one stays hidden.
    wait_for_status(page, "4 incidents in view")
    page.get_by_role("button", name="SYR-2015-0005, Confirmed").wait_for()
    assert incidents_on_map(page) == 4
    assert page.get_by_role("button", name=re.compile("SYR-2015-0004")).count() == 0
    assert page.get_by_role("complementary", name="Legend").get_by_text("Fair").is_visible()


def test_filtering_to_grade_fair_reduces_the_markers_and_updates_the_url(browser_page):
    page = browser_page
    open_map(page)
    wait_for_status(page, "4 incidents in view")

    page.get_by_label("Grade").select_option(label="Fair")

    wait_for_status(page, "1 incident in view")
    assert incidents_on_map(page) == 1
    page.get_by_role("button", name="SYR-2015-0001, Fair").wait_for()
    assert "grade=fair" in page.url
    assert "grade=fair" in page.get_by_role("link", name="Export CSV").get_attribute("href")

    page.reload()  # the URL alone restores the filtered map
    wait_for_status(page, "1 incident in view")
    assert page.get_by_label("Grade").input_value() == "fair"


def test_a_popup_shows_the_incident_and_opens_it(browser_page):
    page = browser_page
    open_map(page, "?grade=fair")
    wait_for_status(page, "1 incident in view")

    page.get_by_role("button", name="SYR-2015-0001, Fair").click()

    popup = page.locator(".leaflet-popup")
    popup.get_by_text("Missile strike on Ariha market").wait_for()
    assert popup.get_by_text("29 Nov 2015").is_visible()
    assert popup.get_by_text(re.compile(r"^34–49 killed")).is_visible()
    popup.get_by_role("link", name="Open the incident").click()
    page.get_by_role("heading", name="Missile strike on Ariha market").wait_for()
    assert page.url.endswith("/incidents/SYR-2015-0001/")


def test_selecting_a_span_in_the_timeline_changes_the_markers(browser_page):
    page = browser_page
    open_map(page)
    wait_for_status(page, "4 incidents in view")

    page.get_by_label("Bars by").select_option("week")
    # Ariha and Idlib on 29 Nov, and the cluster munitions report of 30 Sep–20 Dec, which has no location: a bar
    # counts every incident whose window overlaps its week, as the From and To filters do.
    week = page.get_by_role("button", name="Week of 23 Nov 2015: 3 incidents")
    week.click()

    wait_for_status(page, "2 incidents in view")
    page.get_by_role("link", name="1 more has no location").wait_for()
    assert incidents_on_map(page) == 2
    assert "date_from=2015-11-23" in page.url and "date_to=2015-11-29" in page.url
    assert page.get_by_label("From").input_value() == "2015-11-23"

    page.get_by_role("button", name="Clear dates").click()
    wait_for_status(page, "4 incidents in view")
    assert "date_from" not in page.url


def test_dragging_across_the_timeline_selects_a_span(browser_page):
    page = browser_page
    open_map(page)
    wait_for_status(page, "4 incidents in view")
    # Four months of incidents: the timeline picks weeks by itself.
    page.get_by_role("button", name="Week of 23 Nov 2015: 3 incidents").wait_for()
    page.get_by_role("region", name="Timeline").scroll_into_view_if_needed()
    first = page.get_by_role("button", name="Week of 14 Dec 2015: 2 incidents").bounding_box()
    last = page.get_by_role("button", name="Week of 21 Dec 2015: 2 incidents").bounding_box()

    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + 5)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + 5, steps=5)
    page.mouse.up()

    wait_for_status(page, "2 incidents in view")  # Deir ez-Zor on 16 Dec and Moadamiyeh on 23 Dec
    assert "date_from=2015-12-14" in page.url and "date_to=2015-12-27" in page.url
