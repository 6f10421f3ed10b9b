import re

import pytest
from playwright.sync_api import expect

from verify.web.demo import DEMO_USERS, demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str, password: str) -> None:
    page.goto("/")
    assert "/accounts/login/" in page.url, "an anonymous visitor must be sent to sign in"
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_demo_researcher_signs_in_and_sees_ariha_with_three_claims(browser_page):
    demo_load()
    page = browser_page
    _, _, _, password = next(u for u in DEMO_USERS if u[0] == "researcher")
    sign_in(page, "researcher", password)
    page.get_by_role("heading", name="Dashboard").wait_for()

    page.get_by_role("link", name="Incidents").first.click()
    page.get_by_role("searchbox", name="Search").fill("Ariha")
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("link", name="SYR-2015-0001").click()

    page.get_by_role("heading", name="Missile strike on Ariha market").wait_for()
    claims = page.get_by_role("region", name=re.compile(r"^Claims"))
    rows = claims.get_by_role("row")
    assert rows.count() == 4  # the header and three claims
    for source in ("Local activists, Idlib", "Amnesty International", "Russian Ministry of Defence"):
        assert claims.get_by_role("rowheader", name=re.compile(re.escape(source))).count() == 1
    assert claims.get_by_role("cell", name="Denies the attack", exact=True).is_visible()
    assert claims.get_by_role("cell", name="at least 34", exact=True).is_visible()


def test_wrong_password_is_refused_with_a_message(browser_page, researcher):
    page = browser_page
    sign_in(page, researcher.username, "not-the-password")
    expect(
        page.get_by_role("alert").filter(has_text="username and/or password you specified are not correct")
    ).to_be_visible()
    assert "/accounts/login/" in page.url
