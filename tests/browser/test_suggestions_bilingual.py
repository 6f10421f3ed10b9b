"""Issue 15 in a browser: a researcher pastes an English wire with a denial and an Arabic report, adds the denying
source to the register without leaving the page, accepts the suggestions, checks the drafted incident, creates it,
and finds the denial in the claims matrix with "denied by"."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_signin import sign_in
from tests.imports.conftest import places  # noqa: F401 - the places fixture
from verify.claims.entities import source_alias_add
from verify.claims.models import Claim, Source
from verify.incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = (
    "Russian jets killed 11 civilians in Ariha on Sunday, according to the Syrian Observatory for Human Rights. "
    "Moscow denied the reports.\n\n"
    "قُتل 34 مدنياً في غارات جوية على أريحا يوم الأحد، وفق ما أحصى المرصد السوري لحقوق الإنسان."
)


def test_english_denial_and_arabic_report_become_an_incident(browser_page, researcher, places, settings, tmp_path):  # noqa: F811
    settings.IMPORT_ROOT = tmp_path / "imports"
    sohr = factories.source("SOHR", kind=Source.Kind.MONITOR)
    source_alias_add(source=sohr, name="Syrian Observatory for Human Rights")
    source_alias_add(source=sohr, name="المرصد السوري لحقوق الإنسان")
    page = browser_page
    sign_in(page, "rita", "pw-for-tests-123")
    page.goto("/suggestions/")
    page.get_by_label("Report text").fill(REPORT)
    page.get_by_label("Published on").fill("2015-11-30")
    page.get_by_role("button", name="Find claims").click()

    expect(page.get_by_role("heading", name="3 suggestions")).to_be_visible()
    english, denial, arabic = (page.get_by_role("group", name=f"Suggestion {n}") for n in (1, 2, 3))
    expect(english.get_by_label("Source")).to_have_value(str(sohr.pk))
    expect(english.get_by_label("Killed min")).to_have_value("11")
    expect(arabic.get_by_label("Source")).to_have_value(str(sohr.pk))
    expect(arabic.get_by_label("Killed min")).to_have_value("34")
    expect(arabic.locator("blockquote")).to_have_attribute("dir", "auto")
    expect(denial.locator("select[name$='-stance']")).to_have_value("denies")
    expect(denial.get_by_label("Killed min")).to_have_value("")

    # Moscow is not in the register: add it from the page.
    denial.get_by_label("Kind of source").select_option("government")
    denial.get_by_role("button", name="Add “Moscow” to the register").click()
    expect(denial.get_by_role("status")).to_contain_text("Added “Moscow” to the register")
    moscow = Source.objects.get(name="Moscow")
    expect(denial.get_by_label("Source:")).to_have_value(str(moscow.pk))

    draft = page.get_by_role("group", name="The new incident")
    expect(draft.get_by_label("Title")).to_have_value("Airstrike in Arīḩā, 29 November 2015")
    expect(draft.get_by_label("Date (from)")).to_have_value("2015-11-29")
    draft.get_by_label("Title").fill("Ariha market strike")
    for suggestion in (english, denial, arabic):
        suggestion.get_by_label("Accept").check()
    page.get_by_role("button", name="Add the accepted claims").click()

    expect(page.get_by_role("heading", name="Ariha market strike")).to_be_visible()
    expect(page.get_by_text("3 claims added from the report.")).to_be_visible()
    matrix = page.locator("table.matrix")
    expect(matrix.locator("tr.stance-denies")).to_contain_text("Moscow")
    expect(page.locator("#claims-panel")).to_contain_text("Denied by Moscow")
    incident = Incident.objects.get()
    assert incident.reference.startswith("SYR-2015-") and incident.place == places["ariha"]
    assert incident.attack_type == "airstrike"
    assert Claim.objects.filter(incident=incident, stance="denies", source=moscow).exists()
