"""A person uploads evidence on an incident's page in a real Chromium: progress per file, then a result per file."""

import os
import re

import pytest
from django.db import connection
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import need
from verify.evidence.models import EvidenceItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Record every value each progress bar takes, so the test can see the bars move, not only where they end.
WATCH_PROGRESS = """
() => {
  window.progressSeen = {};
  const results = document.querySelector("#upload-evidence .upload-results");
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (el.tagName !== "PROGRESS") continue;
      const name = el.getAttribute("aria-label");
      (window.progressSeen[name] = window.progressSeen[name] || []).push(el.value);
    }
  }).observe(results, { subtree: true, attributes: true, attributeFilter: ["value"] });
}
"""


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw-for-tests-123")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()


def test_researcher_uploads_two_files_and_sees_progress_and_results(browser_page, researcher, incident, tmp_path):
    need(connection.vendor == "postgresql", "needs PostgreSQL: the committed custody log cannot be flushed on SQLite")
    # One photo large enough for the bar to move through several steps on a throttled link, and one document.
    photo = tmp_path / "market-north.jpg"
    noise = Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3))
    noise.save(photo, format="JPEG", quality=95)  # noise does not compress: a few megabytes
    notes = tmp_path / "witness.txt"
    notes.write_bytes(b"Statement of a first responder typed from the call\n" * 2000)

    page = browser_page
    sign_in(page, researcher)
    page.goto(incident.get_absolute_url())
    page.get_by_role("link", name="Upload evidence").click()
    panel = page.locator("#upload-evidence")
    panel.get_by_label("Kind").select_option(label="Photo")
    panel.get_by_label("Source URL").fill("https://example.org/post/1")
    panel.get_by_label("Files to preserve").set_input_files([str(photo), str(notes)])
    assert panel.get_by_role("list", name="Files chosen").get_by_role("listitem").count() == 2

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1_000_000},
    )
    page.evaluate(WATCH_PROGRESS)
    panel.get_by_role("button", name="Upload 2 files").click()

    results = panel.get_by_role("list", name="Upload results")
    photo_row = results.get_by_role("listitem").filter(has_text="market-north.jpg")
    notes_row = results.get_by_role("listitem").filter(has_text="witness.txt")
    assert photo_row.get_by_role("progressbar", name="Upload progress of market-north.jpg").is_visible()
    assert notes_row.get_by_role("progressbar", name="Upload progress of witness.txt").is_visible()
    photo_row.get_by_text("Stored.").wait_for()
    notes_row.get_by_text("Stored.").wait_for()
    assert re.search(r"Evidence #\d+: image/jpeg, SHA-256 [0-9a-f]{12}", photo_row.inner_text())
    assert "text/plain" in notes_row.inner_text()

    seen = page.evaluate("window.progressSeen")
    photo_steps = seen["Upload progress of market-north.jpg"]
    assert photo_steps[-1] == 100
    assert any(0 < v < 100 for v in photo_steps), f"the photo's bar never showed partial progress: {photo_steps}"
    assert seen["Upload progress of witness.txt"][-1] == 100

    assert EvidenceItem.objects.count() == 2
    assert set(incident.evidence_links.values_list("evidence__original_filename", flat=True)) == {
        "market-north.jpg",
        "witness.txt",
    }

    # The same photo again is recognised by its hash and not stored twice.
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    panel.get_by_label("Files to preserve").set_input_files([str(photo)])
    panel.get_by_role("button", name="Upload").click()
    again = results.get_by_role("listitem").filter(has_text="market-north.jpg")
    again.get_by_text("Already in the archive.").wait_for()
    assert "Not stored again" in again.inner_text()
    assert EvidenceItem.objects.count() == 2

    # The panel refreshes itself when the uploads finish.
    panel.get_by_text("The evidence list below is up to date.").wait_for()
    evidence = page.get_by_role("region", name=re.compile(r"^Evidence"))
    expect(evidence.get_by_role("link", name="market-north.jpg")).to_be_visible()
    expect(evidence.get_by_role("link", name="witness.txt")).to_be_visible()
