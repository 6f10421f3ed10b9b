import re

import pytest

from tests.browser.test_signin import sign_in
from verify.incidents.models import Grade, Incident, Status
from verify.web.demo import DEMO_USERS, demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_reviewer_takes_the_next_item_verifies_it_and_it_leaves_the_queue(browser_page):
    demo_load()
    oldest = Incident.objects.filter(status=Status.SUBMITTED).order_by("submitted_at").first()
    reviewer = next(u for u in DEMO_USERS if u[0] == "reviewer")
    assert oldest.created_by.username != "reviewer"
    # The reviewer accepts the cross-check's suggestion, so no override rationale is needed.
    assert oldest.suggested_grade not in (Grade.UNASSESSED, Grade.DISCOUNTED)
    grade = Grade(oldest.suggested_grade)
    page = browser_page
    sign_in(page, "reviewer", reviewer[3])

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    assert page.get_by_role("link", name=oldest.reference).is_visible()
    page.get_by_role("button", name="Take next").click()

    page.get_by_role("heading", name=oldest.title).wait_for()
    assert page.get_by_role("status").filter(has_text=f"{oldest.reference} is yours to review").is_visible()
    page.get_by_label("Verify", exact=True).check()
    assert page.get_by_label("Final grade").input_value() == grade.value
    page.get_by_label(re.compile(r"^Note:?$")).fill("HRW's documentation holds up; the ministry's denial is noted.")
    with page.expect_navigation():  # the page's scripts have run before anything is checked
        page.get_by_role("button", name="Give verdict").click()

    assert page.get_by_role("status").filter(has_text=f"{oldest.reference} is verified as {grade.label}").is_visible()
    review = page.get_by_role("region", name="Review")
    assert review.get_by_text("Verified", exact=True).first.is_visible()
    assert review.get_by_text("HRW's documentation holds up").first.is_visible()
    assert page.get_by_role("button", name="Give verdict").count() == 0

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    assert page.get_by_role("link", name=oldest.reference).count() == 0
    assert page.get_by_text(re.compile(r"^1 incident waiting")).is_visible()

    incident = Incident.objects.get(pk=oldest.pk)
    assert (incident.status, incident.grade, incident.assigned_to) == (Status.VERIFIED, grade, None)


def test_verdict_form_asks_for_a_rationale_only_when_overriding_the_suggestion(browser_page):
    demo_load()
    item = Incident.objects.filter(status=Status.SUBMITTED).order_by("submitted_at").first()
    Incident.objects.filter(pk=item.pk).update(suggested_grade=Grade.WEAK, suggestion_reasons=["One source only."])
    reviewer = next(u for u in DEMO_USERS if u[0] == "reviewer")
    page = browser_page
    sign_in(page, "reviewer", reviewer[3])
    page.goto(item.get_absolute_url())
    with page.expect_navigation():  # the page's scripts have run before anything is checked
        page.get_by_role("button", name="Take for review").click()

    grade = page.get_by_label("Final grade")
    rationale = page.get_by_label(re.compile("Why a different grade"))
    assert grade.input_value() == "weak"
    assert not rationale.is_visible()

    grade.select_option(label="Fair")
    assert rationale.is_visible()
    page.get_by_label("Request changes").check()
    assert not grade.is_visible()

    # Submitting the override without a rationale is refused by the server, with the reason beside the field.
    page.get_by_label("Verify", exact=True).check()
    page.get_by_label(re.compile(r"^Note:?$")).fill("Fair, not weak.")
    with page.expect_navigation():  # the page's scripts have run before anything is checked
        page.get_by_role("button", name="Give verdict").click()
    assert page.get_by_text("explain why you set a different one").is_visible()
    assert Incident.objects.get(pk=item.pk).status == Status.IN_REVIEW
