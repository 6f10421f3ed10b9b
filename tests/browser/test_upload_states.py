"""Upload states in a real Chromium (issue 20, item 9): each file's kind is guessed from its type and can be
changed before uploading; a rejected file is shown red with no full progress bar; the evidence panel refreshes
itself when the uploads finish."""

import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.browser.test_evidence_upload import sign_in
from tests.conftest import need
from tests.evidence.conftest import jpeg
from verify.evidence.models import EvidenceItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kinds_are_guessed_per_file_a_rejected_file_is_red_and_the_panel_refreshes(
    browser_page, researcher, incident, tmp_path
):
    need(connection.vendor == "postgresql", "needs PostgreSQL: the committed custody log cannot be flushed on SQLite")
    photo = tmp_path / "crater.jpg"
    photo.write_bytes(jpeg(seed=3))
    statement = tmp_path / "statement.txt"
    statement.write_bytes(b"What the first responder saw.\n" * 20)
    scan = tmp_path / "scan-of-the-ledger.jpg"
    scan.write_bytes(jpeg(seed=4))
    hostile = tmp_path / "invoice.pdf"  # a program dressed as a PDF: its bytes say otherwise, and it is refused
    hostile.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200))

    page = browser_page
    sign_in(page, researcher)
    page.goto(incident.get_absolute_url() + "#upload-evidence")
    evidence = page.get_by_role("region", name=re.compile(r"^Evidence"))
    expect(evidence.get_by_text("No evidence attached yet.")).to_be_visible()
    form = page.locator("#upload-evidence")
    form.get_by_label("Files to preserve").set_input_files([str(photo), str(statement), str(scan), str(hostile)])

    # Guessed from each file's type; the scan of a ledger is a document, whatever its type says.
    expect(form.get_by_label("Kind of crater.jpg")).to_have_value("photo")
    expect(form.get_by_label("Kind of statement.txt")).to_have_value("document")
    expect(form.get_by_label("Kind of scan-of-the-ledger.jpg")).to_have_value("photo")
    form.get_by_label("Kind of scan-of-the-ledger.jpg").select_option(label="Document or report")
    form.get_by_role("button", name="Upload 4 files").click()

    results = form.get_by_role("list", name="Upload results")
    rejected = results.get_by_role("listitem").filter(has_text="invoice.pdf")
    rejected.get_by_text("Rejected.").wait_for()
    expect(rejected).to_have_class(re.compile(r"\bresult-rejected\b"))
    expect(rejected.get_by_role("progressbar")).to_have_count(0)  # no full blue bar for a file not stored
    colour = rejected.evaluate("el => getComputedStyle(el).borderInlineStartColor")
    assert colour == rejected.evaluate("el => getComputedStyle(el).color")  # the danger red, border and text
    stored = results.get_by_role("listitem").filter(has_text="crater.jpg")
    expect(stored.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(stored).to_have_class(re.compile(r"\bresult-stored\b"))

    # The panel now lists the three stored files without a reload, with their kinds.
    form.get_by_text("The evidence list below is up to date.").wait_for()
    rows = evidence.locator("table.evidence-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#evidence-count")).to_have_text("3")
    expect(rows.filter(has_text="scan-of-the-ledger.jpg")).to_contain_text("Document or report")
    expect(rows.filter(has_text="statement.txt")).to_contain_text("Document or report")
    expect(rows.filter(has_text="crater.jpg")).to_contain_text("Photo")
    kinds = dict(EvidenceItem.objects.values_list("original_filename", "kind"))
    assert kinds == {"crater.jpg": "photo", "statement.txt": "document", "scan-of-the-ledger.jpg": "document"}
