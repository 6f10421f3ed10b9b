"""Two-factor enrolment and sign-in, re-authentication before an export, and ending another session."""

import re
from pathlib import Path

import pytest

from tests.accounts.conftest import PASSWORD, totp_code
from tests.browser.test_signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_enrols_totp_then_signs_in_with_a_code(browser_page, settings, reviewer):
    settings.MFA_REQUIRED_ROLES = ["Reviewer"]
    settings.MFA_TOTP_TOLERANCE = 1  # so that the second sign-in can use the next period's code without waiting
    page = browser_page
    sign_in(page, reviewer.username, PASSWORD)
    page.get_by_role("heading", name="Two-Factor Authentication").wait_for()
    assert "second factor" in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Activate").first.click()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before adding a factor
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    assert page.get_by_role("img").first.is_visible()  # the QR code
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.get_by_text("Authenticator app activated.").wait_for()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, reviewer.username, PASSWORD)
    page.get_by_role("heading", name="Two-Factor Authentication").wait_for()
    page.get_by_label("Code").fill(totp_code(secret, offset=1))  # a fresh code: each is accepted once
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Dashboard").wait_for()


def test_export_asks_for_the_password_again(browser_page, settings, viewer, incident):
    settings.SENSITIVE_ACTION_REAUTHENTICATION = True
    page = browser_page
    sign_in(page, viewer.username, PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/incidents/")
    page.get_by_role("link", name="Export CSV").click()
    page.get_by_text("Enter your password").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert incident.reference in Path(download.value.path()).read_text(encoding="utf-8")


def test_ending_another_session_signs_it_out(browser_page, live_server, researcher):
    page = browser_page
    other = page.context.browser.new_context(base_url=live_server.url).new_page()
    sign_in(other, researcher.username, PASSWORD)
    other.get_by_role("heading", name="Dashboard").wait_for()

    sign_in(page, researcher.username, PASSWORD)
    with page.expect_navigation():  # the sessions page, not the dashboard, is counted
        page.get_by_role("link", name="Sessions").click()
    assert page.get_by_role("row").count() == 3  # the header and two sessions
    page.get_by_role("button", name="Sign Out Other Sessions").click()
    page.get_by_role("heading", name="Sessions").wait_for()
    assert page.get_by_role("row").count() == 2

    other.reload()
    assert re.search(r"/accounts/login/", other.url)
    page.goto("/")
    page.get_by_role("heading", name="Dashboard").wait_for()
