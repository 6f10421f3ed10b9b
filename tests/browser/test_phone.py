"""Issue 20, item 6: every page works on a phone. Signed in as someone who may see everything, the test opens every
page of the project at 390 × 844, in English and in Arabic, and fails if any is wider than the screen.

The pages are found as the security crawler finds them (tests/security/urlwalk.py walks every URL pattern), filled
with the crawler's world: an incident with claims (a derived one too), evidence with checks and custody, a source,
an actor, a review decision, comments, notifications and an import, plus a case file. A pattern added to any app is
opened here without this test changing. The Django admin (its own responsive stylesheet) and the API (JSON) are
left out; every other page that answers with HTML is opened.
"""

import pytest
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from tests import factories
from tests.conftest import need
from tests.security import crawler
from tests.security.world import add_restricted, build_public
from verify.accounts.language import save_language
from verify.casefiles import services as casefile_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LEFT_OUT = ("/admin/", "/api/")
# What overflows: the page's width, and the widest elements that stick out (to say what to fix).
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(el).position === 'fixed') continue;
    if (el.closest('.skip, [hidden], datalist')) continue;
    if (box.right > width + 1 || box.left < -1) {
      let scroller = el.parentElement, clipped = false;
      while (scroller && scroller !== document.body) {
        const overflow = getComputedStyle(scroller).overflowX;
        if (overflow !== 'visible') { clipped = true; break; }
        scroller = scroller.parentElement;
      }
      if (clipped) continue;
      const names = typeof el.className === 'string' ? el.className.trim() : '';
      const classes = names ? '.' + names.split(/\\s+/).join('.') : '';
      wide.push(el.tagName.toLowerCase() + classes + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 4)};
}"""


@pytest.fixture
def everything():
    """The crawler's world, seen by a superuser in every role and in the restricted desk, with a case file."""
    need(connection.vendor == "postgresql", "needs PostgreSQL: the committed custody log cannot be flushed on SQLite")
    world = add_restricted(build_public())
    user = factories.user("phoebe", role="Admin")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    for role in ("Researcher", "Reviewer"):
        user.groups.add(*type(world.desk).objects.filter(name=role))
    user.groups.add(world.desk)
    request = casefile_services.casefile_request_create(
        user=world.users["reviewer"], incidents=[world.public_incident], language="en"
    )
    casefile_services.casefile_build(request_id=request.pk)
    return world, user


def pages(world, client: Client) -> list[str]:
    """One URL per pattern (the first value that answers with an HTML page), the searches left aside."""
    found, seen_routes = [], set()
    all_cases, _unbuildable = crawler.cases(world)
    with crawler.quiet():
        for case in all_cases:
            if case.headers or case.path.startswith(LEFT_OUT) or case.route.route in seen_routes:
                continue
            if "?" in case.path:
                continue
            response = client.get(case.path)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                found.append(case.path)
                seen_routes.add(case.route.route)
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_fits_a_phone(chromium, live_server, everything, language):
    world, user = everything
    save_language(user, language)
    client = Client()
    client.force_login(user)
    urls = pages(world, client)
    assert len(urls) > 40, urls  # the walk reaches the pages: lists, records, forms, accounts

    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()])
    page = context.new_page()
    page.set_default_timeout(15_000)
    too_wide = []
    for url in urls:
        page.goto(url, wait_until="load")
        assert page.locator("html").get_attribute("lang") == language, url
        found = page.evaluate(MEASURE)
        if found["scroll"] > PHONE["width"] or found["width"] != PHONE["width"]:
            too_wide.append(f"{url}: {found['scroll']} px wide: {', '.join(found['wide'])}")
    context.close()
    assert not too_wide, f"{len(too_wide)} of {len(urls)} pages wider than 390 px:\n" + "\n".join(too_wide)


def test_the_measure_sees_a_page_wider_than_the_phone(chromium, live_server, everything):
    """The check can fail: a page made wider than the screen is measured as such."""
    world, user = everything
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()])
    page = context.new_page()
    page.goto(f"/incidents/{world.public_incident.reference}/")
    assert page.evaluate(MEASURE)["scroll"] <= PHONE["width"]
    page.evaluate("() => { document.querySelector('h1').style.inlineSize = '900px'; }")
    found = page.evaluate(MEASURE)
    assert found["scroll"] > PHONE["width"]
    assert any(w.startswith("h1") for w in found["wide"]), found
    context.close()


def signed_in_page(chromium, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, viewport=viewport)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_on_a_phone_the_menu_folds_the_matrix_becomes_cards_and_the_map_comes_first(chromium, live_server, everything):
    world, user = everything
    save_language(user, "en")
    page = signed_in_page(chromium, live_server, user, PHONE)
    page.goto(f"/incidents/{world.restricted_incident.reference}/")

    nav = page.locator("header nav")
    expect(page.locator("label.menu-button")).to_be_visible()
    expect(nav).to_be_hidden()
    page.locator("label.menu-button").click()
    expect(nav).to_be_visible()
    expect(nav.locator("a[href='/incidents/']")).to_be_visible()
    page.keyboard.press("Space")  # the focused toggle closes it again from the keyboard
    expect(nav).to_be_hidden()

    rows = page.locator("table.matrix tbody tr")
    expect(rows).to_have_count(2)
    assert rows.first.evaluate("tr => getComputedStyle(tr).display") == "block"
    killed = rows.first.locator("td[data-label]").nth(1)
    assert killed.evaluate("td => getComputedStyle(td, '::before').content") == '"Killed"'
    box = rows.first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    page.goto("/map/")
    expect(page.locator("#incident-map")).to_be_visible()
    expect(page.locator("#incident-filters")).to_be_hidden()
    map_top = page.locator("#incident-map").bounding_box()["y"]
    assert map_top < PHONE["height"] / 2, map_top
    page.locator("label.map-filters-button").click()
    expect(page.locator("#incident-filters")).to_be_visible()
    page.context.close()


def test_on_a_wide_screen_nothing_is_folded(chromium, live_server, everything):
    world, user = everything
    page = signed_in_page(chromium, live_server, user, {"width": 1280, "height": 900})
    page.goto(f"/incidents/{world.restricted_incident.reference}/")
    expect(page.locator("label.menu-button")).to_be_hidden()
    expect(page.locator("header nav")).to_be_visible()
    assert page.locator("table.matrix tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "table-row"
    page.goto("/map/")
    expect(page.locator("#incident-filters")).to_be_visible()
    expect(page.locator("label.map-filters-button")).to_be_hidden()
    page.context.close()
