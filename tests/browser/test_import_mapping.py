"""Issue 20, item 11: a researcher uploads another dataset's CSV as if it were a verify CSV; the page says what it
looks like, previews each column's first values and has guessed the mapping from its English and Arabic headers."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_signin import sign_in
from tests.imports.conftest import places  # noqa: F401 - the places fixture
from verify.imports.models import ImportFormat, ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def import_root(settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"


def test_mapping_page_previews_the_columns_and_guesses_the_mapping(
    import_root,
    browser_page,
    researcher,
    places,  # noqa: F811
    tmp_path,
):
    path = tmp_path / "civil-defence.csv"
    path.write_text(
        "Headline,Day,Town,Dead,Wounded,Link,الجهة المنفذة\n"
        "Strike on a bakery,2015-11-29,Ariha,7,12,https://example.org/1,سلاح الجو\n"
        "Shelling of a school,2015-12-02,Idlib,3,,https://example.org/2,\n",
        encoding="utf-8",
    )
    page = browser_page
    sign_in(page, "rita", "pw-for-tests-123")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("verify CSV (our own columns)").check()
    page.get_by_role("button", name="Upload and check").click()

    # Not refused: sent to the mapping page, with the reason.
    expect(page.get_by_role("heading", name="Which column holds what?")).to_be_visible()
    expect(page.get_by_text("Other CSV (map its columns to ours)").first).to_be_visible()
    assert ImportJob.objects.get().format == ImportFormat.MAPPED_CSV
    preview = page.locator("#column-preview")
    expect(preview.locator('tr[data-column="Dead"]')).to_contain_text("7")
    expect(preview.locator('tr[data-column="Dead"]')).to_contain_text("3")
    expect(preview.locator('tr[data-column="Town"]')).to_contain_text("Ariha")
    expect(preview.locator('tr[data-column="الجهة المنفذة"]')).to_contain_text("سلاح الجو")
    for ours, theirs in [
        ("title", "Headline"),
        ("date_start", "Day"),
        ("place", "Town"),
        ("killed_min", "Dead"),
        ("injured_min", "Wounded"),
        ("source_url", "Link"),
        ("perpetrator", "الجهة المنفذة"),
    ]:
        expect(page.locator(f"#id_col_{ours}")).to_have_value(theirs)
    expect(page.locator("#id_col_killed_max")).to_have_value("")
