"""A person rates a source, aliases it, merges two actors, and sees the incident's suggestion change."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from verify.claims.crosscheck import incident_recompute

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw-for-tests-123")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()


def test_rate_alias_and_merge_change_the_suggestion(browser_page, admin_user, researcher, settings, tmp_path):
    settings.MFA_REQUIRED_ROLES = []  # the admin's second factor is tested elsewhere
    # VERIFY_SCREENSHOTS=docs/screenshots refreshes the README's pictures; otherwise they go to a temporary folder.
    shots = Path(os.environ.get("VERIFY_SCREENSHOTS") or tmp_path)
    page = browser_page
    incident = factories.incident(created_by=researcher, title="Strike on the market")
    sohr = factories.source("Syrian Observatory for Human Rights", reliability="F")
    acled = factories.actor("Military Forces of Russia (2000-)")
    russia = factories.actor("Armed Forces of the Russian Federation", kind="state_armed_force")
    factories.actor("Russian Aerospace Forces", kind="branch", parent=russia)
    factories.claim(incident=incident, source=sohr, perpetrator=acled, killed_min=9, killed_max=9)
    factories.claim(incident=incident, perpetrator=russia, killed_min=9, killed_max=9)
    incident_recompute(incident)

    sign_in(page, admin_user)
    page.goto(incident.get_absolute_url())
    expect(page.get_by_text("Competing perpetrators are named").first).to_be_visible()

    page.goto(f"/claims/sources/{sohr.pk}/")
    page.get_by_role("link", name="Rate source").click()
    page.get_by_label("Reliability").select_option("C")
    page.get_by_label("Rationale").fill("A wide network of contacts; figures usually close to others'.")
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_text("C – Fairly reliable")).to_be_visible()
    page.get_by_label("Another name").fill("SOHR")
    page.get_by_role("button", name="Add alias").click()
    expect(page.get_by_text("Alias added.")).to_be_visible()
    page.get_by_label("Another name").fill("المرصد السوري لحقوق الإنسان")
    page.get_by_role("button", name="Add alias").click()
    page.screenshot(path=shots / "sources.png", full_page=True)

    page.goto(f"/claims/actors/{acled.pk}/")
    page.get_by_role("link", name="Merge into another").click()
    page.get_by_label("Merge into").select_option(label="Armed Forces of the Russian Federation")
    page.get_by_label("Reason").fill("ACLED's name for the Russian armed forces.")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("heading", name="Armed Forces of the Russian Federation")).to_be_visible()
    expect(page.get_by_text("Military Forces of Russia (2000-)", exact=True).first).to_be_visible()
    page.goto("/claims/actors/")
    page.screenshot(path=shots / "actors.png", full_page=True)

    page.goto(incident.get_absolute_url())
    expect(page.get_by_text("Competing perpetrators are named")).to_have_count(0)
    expect(page.get_by_text(re.compile("Armed Forces of the Russian Federation")).first).to_be_visible()
