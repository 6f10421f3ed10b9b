"""Choosing a place in a real Chromium (issue 20, item 7): the place field is a combobox that finds any spelling
through the gazetteer search, in an Arabic, right-to-left page too; the small map under the coordinates sets them
with a click; the form saves what was chosen."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_evidence_upload import sign_in
from tests.browser.test_rtl import switch_to_arabic
from verify.incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def places(db):
    idlib = factories.place(
        "Idlib", name_ar="إدلب", kind="governorate", latitude=Decimal("35.9"), longitude=Decimal("36.6")
    )
    return {
        "ariha": factories.place(
            "Ariha",
            name_ar="أريحا",
            kind="city",
            governorate=idlib,
            alternative_names=["Areeha"],
            latitude=Decimal("35.813740"),
            longitude=Decimal("36.609640"),
        ),
        "arbin": factories.place(
            "Arbin", name_ar="عربين", kind="city", latitude=Decimal("33.54"), longitude=Decimal("36.37")
        ),
    }


def fill_incident(page, title: str) -> None:
    page.locator("#id_title").fill(title)
    page.locator("#id_date_start").fill("2015-11-29")


def test_an_arabic_spelling_finds_the_place_and_the_form_saves_it(browser_page, researcher, places, tmp_path):
    page = browser_page
    sign_in(page, researcher)
    page.goto("/incidents/new/")
    switch_to_arabic(page)
    fill_incident(page, "Market strike")
    # The field's own label ("Place", in Arabic) names the combobox; the drop-down it replaces is hidden.
    place = page.get_by_role("combobox", name="المكان")
    expect(place).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#id_place")).to_be_hidden()
    listbox = page.locator("#" + place.get_attribute("aria-controls"))
    place.press_sequentially("اريحا")  # typed without the hamza, as people do
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("أريحا")
    expect(place).to_have_attribute("aria-expanded", "true")
    # Keyboard only: down to the option, Enter to choose; Enter does not submit the form.
    place.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(place).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    place.press("Enter")
    expect(listbox).to_be_hidden()
    expect(place).to_have_value("Ariha (Idlib)")
    # The coordinates and the precision come from the gazetteer.
    expect(page.locator("#id_latitude")).to_have_value("35.813740")
    expect(page.locator("#id_longitude")).to_have_value("36.609640")
    expect(page.locator("#id_location_precision")).to_have_value("town")
    # The list sits under the field and starts at its right edge in a right-to-left page.
    place.fill("")
    place.press_sequentially("عرب")
    expect(listbox.get_by_role("option")).to_have_count(1)
    box, field = listbox.bounding_box(), place.bounding_box()
    assert abs((box["x"] + box["width"]) - (field["x"] + field["width"])) < 2
    # VERIFY_SCREENSHOTS=docs/screenshots refreshes the README's picture; otherwise it goes to a temporary folder.
    shots = Path(os.environ.get("VERIFY_SCREENSHOTS") or tmp_path)
    page.locator("fieldset", has=place).screenshot(path=str(shots / "place-picker.png"))
    # Escape closes the list; typing after a choice unchooses, so the half-typed name never posts Arbin or Ariha.
    place.press("Escape")
    expect(listbox).to_be_hidden()
    assert page.locator("#id_place").input_value() == ""
    place.fill("")
    place.press_sequentially("Areeha")
    page.get_by_role("option", name="Ariha").click()
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/incidents/SYR-*/")
    incident = Incident.objects.get(title="Market strike")
    assert incident.place == places["ariha"]
    assert (incident.latitude, incident.longitude) == (Decimal("35.813740"), Decimal("36.609640"))


def test_a_click_on_the_small_map_sets_the_coordinates_and_precision(browser_page, researcher, places):
    page = browser_page
    sign_in(page, researcher)
    page.goto("/incidents/new/")
    fill_incident(page, "Strike placed on the map")
    map_box = page.get_by_role("region", name="Map to set the coordinates")
    expect(map_box).to_be_visible()
    box = map_box.bounding_box()
    # The map opens on Syria: a click at its centre lands near the country's centre.
    map_box.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    assert 34 < latitude < 36 and 38 < longitude < 40
    # A point set on a whole-country view is only as precise as a governorate.
    expect(page.locator("#id_location_precision")).to_have_value("governorate")
    expect(page.locator(".point-picker .leaflet-marker-icon")).to_have_count(1)
    # Zoomed in, a click is more precise.
    for _ in range(6):
        page.locator(".point-picker .leaflet-control-zoom-in").click()
        page.wait_for_timeout(350)  # Leaflet ignores a zoom click during the previous zoom's animation
    map_box.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.5})
    expect(page.locator("#id_location_precision")).not_to_have_value("governorate")
    saved_lat = page.locator("#id_latitude").input_value()
    saved_lng = page.locator("#id_longitude").input_value()
    assert saved_lat != f"{latitude:.6f}"
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/incidents/SYR-*/")
    incident = Incident.objects.get(title="Strike placed on the map")
    assert (incident.latitude, incident.longitude) == (Decimal(saved_lat), Decimal(saved_lng))
    assert incident.location_precision != "governorate"
    assert incident.place is None
