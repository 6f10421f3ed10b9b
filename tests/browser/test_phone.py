"""Issue 20, item 6: every page works on a phone. Signed in as someone who may see everything, the test opens every
page of the project at 390 × 844, in English and in Arabic, and fails if any is wider than the screen.

The pages are found as the security crawler finds them (tests/security/urlwalk.py walks every URL pattern), filled
with the crawler's world: an incident with claims (a derived one too), evidence with checks and custody, a source,
an actor, a review decision, comments, notifications and an import, plus a case file. A pattern added to any app is
opened here without this test changing. The Django admin (its own responsive stylesheet) and the API (JSON) are
left out; every other page that answers with HTML is opened.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from tests import factories
from tests.conftest import need
from tests.security import crawler
from tests.security.world import add_restricted, build_public
from verify.accounts.language import save_language
from verify.casefiles import services as casefile_services
from verify.casefiles.models import CaseFileRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-tests-123"  # tests.factories.user's
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


# Pages the walk must reach, by URL name: a record of every kind, the queues, the accounts pages.
MUST_OPEN = {
    "dashboard",
    "incidents:list",
    "incidents:detail",
    "incidents:edit",
    "incidents:claim_create",
    "claims:source_detail",
    "claims:actor_detail",
    "evidence:list",
    "evidence:detail",
    "evidence:upload",
    "review:queue",
    "review:claim_history",
    "imports:start",
    "imports:detail",
    "casefiles:list",
    "casefiles:detail",
    "maps:map",
    "user_list",
    "audit_list",
    "mfa_index",
    "usersessions_list",
    "api_tokens",
}


def pages(world, client: Client) -> list[str]:
    """One URL per pattern (the first value that answers with an HTML page), the searches left aside."""
    found, seen_routes, opened = [], set(), set()
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
                opened.add(case.route.name)
        # A record page whose number the crawler guesses from another model (an actor's, say): every record's
        # number of the world is tried.
        numbers = sorted({str(pk) for kind in (world.restricted, world.public) for pks in kind.values() for pk in pks})
        # The case file is made after the world: its number is not among the world's once sequences have moved on
        # (PostgreSQL does not reset them between tests).
        numbers += [str(pk) for pk in CaseFileRequest.objects.values_list("pk", flat=True)]
        for route in {case.route for case in all_cases} - {c.route for c in all_cases if c.route.route in seen_routes}:
            if route.route.startswith(("admin/", "api/")):
                continue
            if len(route.slots) != 1 or not route.slots[0].accepts("1"):
                continue
            for number in numbers:
                path = route.build({route.slots[0].name: number})
                response = client.get(path)
                if response.status_code != 404:  # found, or a page that answers no GET with HTML at all
                    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                        found.append(path)
                        seen_routes.add(route.route)
                        opened.add(route.name)
                    break
    missing = MUST_OPEN - opened
    assert not missing, f"the walk did not reach {sorted(missing)}"
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
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/accounts/login/" not in page.url
    too_wide = []
    for url in urls:
        page.goto(url, wait_until="load")
        assert page.locator("html").get_attribute("lang") == language, url
        found = page.evaluate(MEASURE)
        if found["scroll"] > PHONE["width"] or found["width"] != PHONE["width"]:
            too_wide.append(f"{url}: {found['scroll']} px wide: {', '.join(found['wide'])}")
    context.close()

    # And the pages seen before signing in: the sign-in page, its last-attempt warning, and the lockout page.
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        assert page.locator("html").get_attribute("lang") == language
        found = page.evaluate(MEASURE)
        if found["scroll"] > PHONE["width"]:
            too_wide.append(f"sign-in, after {attempt} failures: {found['scroll']} px wide: {', '.join(found['wide'])}")
        if attempt == settings.AXES_FAILURE_LIMIT:
            break
        page.locator("input[name=login]").fill(user.username)
        page.locator("input[name=password]").fill("not-the-password")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main a[href='/accounts/login/']")).to_be_visible()  # the lockout page
    context.close()
    assert not too_wide, (
        f"{len(too_wide)} of {len(urls)} pages (and the sign-in pages) wider than 390 px:\n" + "\n".join(too_wide)
    )


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
