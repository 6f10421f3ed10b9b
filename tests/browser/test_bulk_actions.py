"""Bulk actions in a real browser (issue 20, item 12): tick two incidents in the list, add a label, submit them, and
read the result."""

import datetime

import pytest

from tests import factories
from tests.browser.test_signin import sign_in
from verify.incidents.models import Incident, Label, Status
from verify.web.demo import DEMO_USERS, demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_researcher_labels_and_submits_two_ticked_incidents(browser_page):
    demo_load()
    author = factories.user("bulk-author", role="Researcher")
    today = datetime.date.today()  # newest first: at the top of the list
    one = factories.claimed_incident(created_by=author, title="Bulk one", date_start=today, date_end=today)
    two = factories.claimed_incident(created_by=author, title="Bulk two", date_start=today, date_end=today)
    label = Label.objects.create(name="Bulk-tested")
    _, _, _, password = next(u for u in DEMO_USERS if u[0] == "researcher")
    page = browser_page
    sign_in(page, "researcher", password)
    page.goto("/incidents/")

    # "select all on this page" (JavaScript) ticks every row, and untick all again
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    assert page.locator("input[name=refs]:checked").count() == page.locator("input[name=refs]").count() > 2
    select_all.uncheck()
    assert page.locator("input[name=refs]:checked").count() == 0

    for incident in (one, two):
        page.get_by_label(f"Select {incident.reference}", exact=True).check()
    page.get_by_label("With the selected incidents").select_option(label="Add a label")
    page.get_by_label("Label (to add)").select_option(label="Bulk-tested")
    with page.expect_navigation():
        page.get_by_role("button", name="Run on the selected").click()
    done = page.locator(".messages .msg-success")
    assert "Label “Bulk-tested” added to" in done.inner_text()
    assert one.reference in done.inner_text() and two.reference in done.inner_text()
    assert all(label in Incident.objects.get(pk=i.pk).labels.all() for i in (one, two))

    for incident in (one, two):
        page.get_by_label(f"Select {incident.reference}", exact=True).check()
    page.get_by_label("With the selected incidents").select_option(label="Submit for review")
    with page.expect_navigation():
        page.get_by_role("button", name="Run on the selected").click()
    done = page.locator(".messages .msg-success")
    assert "In the review queue:" in done.inner_text()
    assert one.reference in done.inner_text() and two.reference in done.inner_text()
    assert {Incident.objects.get(pk=i.pk).status for i in (one, two)} == {Status.SUBMITTED}
    row = page.locator("tr", has=page.get_by_label(f"Select {one.reference}", exact=True))
    assert "Submitted" in row.inner_text()
