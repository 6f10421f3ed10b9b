"""The map offline and its reading aids in a real browser: the vendored basemap with every request beyond this
server refused, incidents at the same place spread out, colouring by suggested grade, and a timeline bar's count
matching what selecting it shows."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_map import open_map, wait_for_status
from verify.incidents.models import Grade, Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page) -> list[str]:
    """Refuse every request to a host other than this server's (the loopback); returns the refused URLs."""
    refused: list[str] = []

    def route(r):
        if urlsplit(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_the_basemap_draws_borders_governorates_and_towns_with_no_network(browser_page, settings):
    page = browser_page
    refused = offline(page)
    open_map(page)
    wait_for_status(page, "incidents in view")
    region = page.get_by_role("region", name="Map of incidents")
    # Natural Earth's countries (Syria among them, drawn apart) and the fourteen governorates.
    region.locator("path.basemap-governorate").nth(13).wait_for(state="attached")
    assert region.locator("path.basemap-governorate").count() == 14
    assert region.locator("path.basemap-country").count() > 100
    assert region.locator("path.basemap-home").count() == 1
    # The home country is drawn with a real outline in view, not a sliver.
    box = region.locator("path.basemap-home").bounding_box()
    assert box["width"] > 300 and box["height"] > 250
    # Governorate names at the whole-country view; towns of the gazetteer as the view allows.
    assert region.locator(".basemap-governorate-label", has_text="Idlib").count() == 1
    # Nothing reached a host beyond this server but the tile server the settings name (and those tiles failed).
    if not settings.MAP_TILE_URL:
        assert refused == []
    else:
        tile_host = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a")).hostname.split(".", 1)[1]
        assert all(urlsplit(url).hostname.endswith(tile_host) for url in refused), refused


def test_the_incident_mini_map_has_the_basemap_offline(browser_page):
    page = browser_page
    offline(page)
    open_map(page)
    page.goto("/incidents/SYR-2015-0001/")
    minimap = page.locator("#minimap")
    minimap.locator("path.basemap-governorate").first.wait_for(state="attached")
    assert minimap.locator("path.basemap-country").count() > 0


def test_incidents_at_the_same_place_spread_out_when_their_group_is_selected(browser_page):
    page = browser_page
    open_map(page)
    researcher = User.objects.get(username="researcher")
    stacked = [
        factories.incident(
            created_by=researcher,
            title=f"Stacked strike {n}",
            latitude=Decimal("34.500000"),
            longitude=Decimal("38.500000"),
        )
        for n in range(3)
    ]
    page.goto("/map/?q=Stacked")
    wait_for_status(page, "3 incidents in view")
    region = page.get_by_role("region", name="Map of incidents")
    group = region.get_by_role("button", name="3", exact=True)
    # While the map zooms to them, the group's old icon is still animating out: wait for the one that stays.
    expect(group).to_have_count(1)
    group.click()
    for incident in stacked:
        marker = region.get_by_role("button", name=re.compile("^" + incident.reference + ", "))
        marker.wait_for()
    # Each can be opened now: the one underneath too.
    region.get_by_role("button", name=re.compile("^" + stacked[0].reference + ", ")).click()
    popup = page.locator(".leaflet-popup")
    popup.get_by_role("link", name=stacked[0].reference).wait_for()
    assert popup.get_by_text("Stacked strike 0").is_visible()


def test_markers_and_groups_take_the_colour_chosen(browser_page):
    page = browser_page
    open_map(page)
    # Before review: final grade Unassessed, suggested Contested.
    Incident.objects.filter(reference="SYR-2015-0002").update(grade=Grade.UNASSESSED, suggested_grade=Grade.CONTESTED)
    page.goto("/map/")
    wait_for_status(page, "4 incidents in view")
    region = page.get_by_role("region", name="Map of incidents")
    # Ariha and Idlib are one group at the whole-country view: its ring shows both colours.
    ring = region.locator(".map-cluster-ring").first
    ring.wait_for()
    rings_by_grade = region.locator(".map-cluster-ring").evaluate_all("els => els.map(e => e.dataset.grades)")
    assert "fair unassessed" in [" ".join(sorted(g.split())) for g in rings_by_grade]

    page.get_by_label("Colour markers by").select_option(label="Suggested grade")
    region.locator(".map-cluster-ring[data-grades~='contested']").wait_for()
    page.get_by_role("button", name=re.compile("^SYR-2015-0005, ")).wait_for()
    # Zoom in on Idlib: the single marker is red (Contested), and its name says so.
    page.goto("/map/?q=SYR-2015-0002")
    page.get_by_label("Colour markers by").select_option(label="Suggested grade")
    marker = page.get_by_role("button", name="SYR-2015-0002, Unassessed, suggested: Contested")
    marker.wait_for()
    assert "grade-dot-contested" in marker.get_attribute("class")
    marker.click()
    popup = page.locator(".leaflet-popup")
    popup.get_by_text("Suggested grade:").wait_for()
    assert popup.locator(".badge.grade-contested").inner_text() == "Contested"

    page.get_by_label("Colour markers by").select_option(label="Final grade")
    marker = page.get_by_role("button", name="SYR-2015-0002, Unassessed")
    page.wait_for_function("() => document.querySelector('.incident-marker.grade-dot-unassessed') !== null")
    assert "grade-dot-unassessed" in marker.get_attribute("class")


def test_a_timeline_bar_counts_what_selecting_it_shows(browser_page):
    page = browser_page
    open_map(page)
    page.get_by_label("Bars by").select_option(label="Month")
    timeline = page.get_by_role("group", name="Incidents by month")
    bars = timeline.get_by_role("button", name=re.compile(r": \d+ incidents?$"))
    bars.first.wait_for()
    labels = bars.evaluate_all(
        "els => els.filter(e => e.getAttribute('tabindex') === '0').map(e => e.getAttribute('aria-label'))"
    )
    assert len(labels) == 4, labels  # September to December 2015
    for label in labels:
        expected = int(re.search(r": (\d+) incidents?$", label).group(1))
        timeline.get_by_role("button", name=label).focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => !/Loading/.test(document.getElementById('map-status').textContent)")
        page.wait_for_load_state("networkidle")
        status = page.locator("#map-status").inner_text()
        shown = int(re.match(r"(\d+) incidents? in view", status).group(1))
        unlocated_text = page.locator("#map-unlocated").inner_text()
        unlocated = int(re.match(r"(\d+) more", unlocated_text).group(1)) if unlocated_text else 0
        assert shown + unlocated == expected, (label, status, unlocated_text)
    # The one without a location links to the list, with the same filters.
    link = page.get_by_role("link", name="1 more has no location")
    link.click()
    page.get_by_role("heading", name="Incidents").wait_for()
    assert "located=false" in page.url and "date_from=2015-12-01" in page.url
    page.get_by_text("Cluster munitions in Russian").first.wait_for()


def test_the_timeline_axis_names_every_month_in_the_readers_language(browser_page):
    page = browser_page
    open_map(page)
    page.get_by_label("Bars by").select_option(label="Month")
    axis = page.get_by_role("group", name="Incidents by month").locator("text.timeline-axis")
    axis.first.wait_for()
    texts = axis.evaluate_all("els => els.map(e => e.textContent)")
    assert texts[:4] == ["Sept 2015", "Oct", "Nov", "Dec"] or texts[:4] == ["Sep 2015", "Oct", "Nov", "Dec"], texts


def test_in_arabic_the_axis_runs_right_to_left_with_arabic_month_names_and_governorates(browser_page):
    page = browser_page
    open_map(page)
    page.locator("header .language-switch button[value=ar]").click()
    page.locator("header .language-switch button[value=en]").wait_for()
    page.goto("/map/")
    page.locator("#timeline-interval").select_option("month")
    svg = page.locator("svg.timeline-svg")
    svg.locator("text.timeline-axis").first.wait_for()
    labels = svg.locator("text.timeline-axis").evaluate_all(
        "els => els.filter(e => !e.hasAttribute('text-anchor')).map(e => [e.textContent, Number(e.getAttribute('x'))])"
    )
    months = [text for text, _x in labels]
    assert months[0] == "سبتمبر 2015" and months[1:4] == ["أكتوبر", "نوفمبر", "ديسمبر"], months
    xs = [x for _text, x in labels]
    assert xs == sorted(xs, reverse=True)  # time runs from the right
    # The governorates are named in Arabic on the basemap.
    page.locator(".basemap-governorate-label", has_text="إدلب").wait_for()


def test_a_self_hosted_pmtiles_file_is_read_by_ranges_from_the_app(browser_page, settings, tmp_path):
    """protomaps-leaflet is loaded and asks the app (never another host) for the file's header by a byte range.
    The file here is not a real basemap: the vendored layers must still draw."""
    path = tmp_path / "region.pmtiles"
    path.write_bytes(b"\0" * 20_000)
    settings.MAP_PMTILES_PATH = str(path)
    settings.MAP_TILE_URL = ""
    page = browser_page
    refused = offline(page)
    ranges: list[str] = []
    page.on(
        "request",
        lambda r: ranges.append(r.headers.get("range", "")) if r.url.endswith("/map/basemap.pmtiles") else None,
    )
    open_map(page)
    page.locator("path.basemap-governorate").nth(13).wait_for(state="attached")
    page.wait_for_function("() => window.protomapsL !== undefined")
    for _ in range(100):  # the first tile request comes once the map has a size and a view
        if ranges:
            break
        page.wait_for_timeout(100)
    assert ranges and ranges[0].startswith("bytes=0-"), ranges
    assert refused == []
