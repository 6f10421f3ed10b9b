"""Saved searches in a real browser (issue 20, item 12): filter the list, save the search, find it again."""

import re

import pytest

from tests.browser.test_signin import sign_in
from verify.incidents.models import Incident, SavedSearch
from verify.web.demo import DEMO_USERS, demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_researcher_filters_the_list_saves_the_search_and_opens_it_again(browser_page):
    demo_load()
    some = Incident.objects.exclude(title="").order_by("pk").first()
    word = some.title.split()[0]
    _, _, _, password = next(u for u in DEMO_USERS if u[0] == "researcher")
    page = browser_page
    sign_in(page, "researcher", password)
    page.goto("/incidents/")
    page.get_by_label(re.compile(r"^Search:?$")).fill(word)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    # the GET form sent every field; the list dropped the empty ones
    assert re.search(r"/incidents/\?q=[^&]+$", page.url), page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Saved searches").click()
    page.get_by_label("Name", exact=True).fill("My word search")
    page.get_by_label("Share with", exact=True).select_option(label="Only me")
    with page.expect_navigation():
        page.get_by_role("button", name="Save this search").click()
    assert page.get_by_text("Search “My word search” saved.").is_visible()
    search = SavedSearch.objects.get()
    assert search.owner.username == "researcher" and search.group is None and search.query.startswith("q=")

    page.goto("/incidents/searches/")
    with page.expect_navigation():
        page.get_by_role("link", name="My word search").click()
    assert page.url.endswith(search.get_absolute_url())
    assert page.get_by_label(re.compile(r"^Search:?$")).input_value() == word

    page.goto("/incidents/searches/")
    page.get_by_role("button", name="Delete saved search My word search").click()
    page.get_by_text("Search “My word search” deleted.").wait_for()
    assert not SavedSearch.objects.exists()
