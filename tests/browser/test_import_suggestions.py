"""A researcher pastes a wire report, sees the suggestions highlighted, accepts one after correcting it, and finds
the claim on the incident."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_signin import sign_in
from tests.imports.conftest import places  # noqa: F401 - the places fixture
from verify.claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = (
    "At least 34 civilians were killed on Sunday when missiles hit the market in Ariha, according to local "
    "activists. The weather was cold."
)


def test_researcher_turns_a_report_into_a_claim(browser_page, researcher, places, settings, tmp_path):  # noqa: F811
    settings.IMPORT_ROOT = tmp_path / "imports"
    activists = factories.source("Local activists")
    incident = factories.incident(created_by=researcher, title="Ariha market strike")
    page = browser_page
    sign_in(page, "rita", "pw-for-tests-123")
    page.goto("/suggestions/")
    page.get_by_label("Report text").fill(REPORT)
    page.get_by_label("Published on").fill("2015-11-30")
    page.get_by_label("Incident reference").fill(incident.reference)
    page.get_by_role("button", name="Find claims").click()

    expect(page.get_by_role("heading", name="1 suggestion")).to_be_visible()
    suggestion = page.get_by_role("group", name="Suggestion 1")
    expect(suggestion.locator("mark", has_text="At least 34")).to_be_visible()
    expect(suggestion.get_by_label("Source")).to_have_value(str(activists.pk))
    expect(suggestion.get_by_label("Killed min")).to_have_value("34")
    suggestion.get_by_label("Killed max").fill("36")
    suggestion.get_by_label("Accept").check()
    page.get_by_role("button", name="Add the accepted claims").click()

    expect(page.get_by_role("heading", name="Ariha market strike")).to_be_visible()
    expect(page.get_by_text("1 claim added from the report.")).to_be_visible()
    claim = Claim.objects.get(incident=incident)
    assert (claim.source, claim.killed_min, claim.killed_max) == (activists, 34, 36)
    assert claim.event_date.isoformat() == "2015-11-29"
