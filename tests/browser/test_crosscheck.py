"""In a real browser: a researcher adds a contradicting claim on the incident page and the matrix highlights it."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from verify.claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123"


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()


@pytest.fixture
def market(researcher):
    incident = factories.incident(created_by=researcher, title="Market strike")
    factories.claim(
        incident=incident,
        source=factories.source("Local activists"),
        killed_min=34,
        killed_max=34,
        credibility="3",
    )
    factories.source("Amnesty International")
    return incident


def test_adding_a_contradicting_claim_highlights_it_in_the_matrix(browser_page, researcher, market):
    page = browser_page
    sign_in(page, researcher.username)
    page.goto(market.get_absolute_url())
    claims = page.get_by_role("region", name=re.compile(r"^Claims"))
    expect(claims.get_by_text("34 killed according to 1 source")).to_be_visible()
    expect(claims.locator("td.disagrees")).to_have_count(0)

    page.get_by_role("link", name="Add a claim").click()  # opens the form on this page
    form = page.locator("#claim-entry-form")
    form.get_by_label("Find a source").fill("Amnesty International")
    expect(form.get_by_text("Selected: Amnesty International")).to_be_visible()
    form.get_by_label("Stance:", exact=True).select_option(label="Alleges the attack")
    form.get_by_label("Excerpt").fill("Forty-nine civilians were killed.")
    form.get_by_label("Killed min").fill("49")
    form.get_by_label("Killed max").fill("49")
    form.get_by_label("Credibility").select_option("2")
    form.get_by_role("button", name="Add claim").click()

    claims = page.get_by_role("region", name=re.compile(r"^Claims"))
    expect(claims.get_by_text("Claim from Amnesty International added.")).to_be_visible()
    assert page.url.endswith(market.get_absolute_url())  # no page hop
    expect(claims.get_by_text("34–49 killed according to 2 sources")).to_be_visible()
    expect(claims.get_by_text("1 disagreement")).to_be_visible()
    new_cell = claims.get_by_role("cell", name="49", exact=True)
    old_cell = claims.get_by_role("cell", name="34", exact=True)
    for cell in (new_cell, old_cell):
        expect(cell).to_have_accessible_description("Local activists: 34 killed vs Amnesty International: 49 killed")
        expect(cell).to_have_attribute("data-disagrees", "killed")
    expect(claims.get_by_text("Fair", exact=True)).to_be_visible()
    assert Claim.objects.filter(incident=market).count() == 2


def test_an_invalid_claim_shows_its_errors_in_place_and_saves_nothing(browser_page, researcher, market):
    page = browser_page
    sign_in(page, researcher.username)
    page.goto(market.get_absolute_url())
    page.get_by_text("Add a claim here").click()
    form = page.locator("#claim-entry-form")
    form.get_by_label("Find a source").fill("Amnesty International")
    form.get_by_label("Stance:", exact=True).select_option(label="Alleges the attack")
    form.get_by_label("Killed min").fill("60")
    form.get_by_label("Killed max").fill("6")
    form.get_by_role("button", name="Add claim").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The claim was not saved.")
    expect(page.get_by_text("The maximum killed cannot be lower than the minimum.")).to_be_visible()
    expect(page.locator("#claim-entry-form").get_by_label("Killed min")).to_have_value("60")
    assert Claim.objects.filter(incident=market).count() == 1
