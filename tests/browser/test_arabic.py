"""In a real browser, in Arabic (issue 14): sign in, switch the language, log an incident with an Arabic title and
place, add a claim, see the claims matrix, and nothing overflows the page sideways.

Selectors are field names and roles, not English or Arabic words, so that the test checks the flow and the layout;
the translation itself is checked by tests/core/test_translations.py and tests/core/test_arabic_pages.py."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from verify.claims.models import Claim
from verify.gazetteer.models import Place
from verify.incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123"

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(el).position === 'fixed') continue;
    // .skip is the skip link, hidden until focused.
    if (el.closest('.table-scroll, .leaflet-container, pre, datalist, [hidden], .skip')) continue;
    if (box.left < -1 || box.right > width + 1) {
      wide.push(el.tagName + '.' + el.className + ' ' + box.left + '..' + box.right);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def no_overflow(page) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found
    assert found["wide"] == [], found


def test_a_researcher_logs_an_incident_and_a_claim_in_arabic(browser_page, gazetteer, researcher):
    page = browser_page
    ariha = Place.objects.search("Ariha").exclude(kind=Place.Kind.GOVERNORATE).first()
    factories.source("المرصد السوري لحقوق الإنسان")

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(researcher.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.locator("header .language-switch").wait_for()

    page.locator("header .language-switch button[value=ar]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("header .language-switch button[value=en]")).to_be_visible()
    no_overflow(page)

    page.goto("/incidents/new/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("[name=title]").fill("غارة جوية على سوق أريحا")
    page.locator("[name=summary]").fill("قُتل 34 مدنياً في غارة على السوق الشعبي.")
    page.locator("[name=date_start]").fill("2015-11-29")
    page.locator("[name=date_end]").fill("2015-11-29")
    # The place picker: an Arabic spelling, then the town among the suggestions (issue 20, item 7).
    page.get_by_role("combobox", name="المكان").press_sequentially("أريحا")
    listbox = page.locator("#" + page.locator("#id_place_search").get_attribute("aria-controls"))
    listbox.get_by_role("option").filter(has_text=ariha.governorate_name).first.click()
    expect(page.locator("select[name=place]")).to_have_value(str(ariha.pk))
    page.locator("[name=location_name]").fill("السوق الشعبي")
    page.locator("main form button[type=submit].primary").first.click()
    expect(page.locator("h1")).to_contain_text("غارة جوية على سوق أريحا")
    incident = Incident.objects.get(title="غارة جوية على سوق أريحا")
    assert incident.place == ariha
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    no_overflow(page)

    form = page.locator("#claim-entry-form")
    if not form.is_visible():
        page.locator("a[href$='/claims/new/']").first.click()
    form.locator("#claim-source-search").fill("المرصد السوري لحقوق الإنسان")
    expect(form.locator("#claim-source-status")).to_contain_text("المرصد السوري لحقوق الإنسان")
    form.locator("select[name=stance]").select_option("alleges")
    form.locator("[name=excerpt]").fill("قُتل 34 مدنياً بينهم خمسة أطفال.")
    form.locator("[name=killed_min]").fill("34")
    form.locator("[name=killed_max]").fill("34")
    form.locator("select[name=credibility]").select_option("2")
    form.locator("button[type=submit]").click()

    matrix = page.locator("table.claims.matrix")
    expect(matrix).to_contain_text("المرصد السوري لحقوق الإنسان")
    expect(matrix.get_by_role("cell", name=re.compile(r"^34$")).first).to_be_visible()
    assert Claim.objects.filter(incident=incident, killed_min=34).exists()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The Arabic title is set right to left inside the page, whatever the interface language.
    assert page.locator("h1 [dir=auto], h1[dir=auto]").count() >= 1
    no_overflow(page)
