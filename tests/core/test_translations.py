"""The Arabic catalogs are complete and current (issue 14).

- every message of locale/ar is translated, and none is fuzzy;
- each committed .mo file holds exactly what its .po says (so `make run` and `make test` need no gettext);
- `makemessages` over the source finds no message the catalog lacks (needs GNU gettext: skipped without it unless
  REQUIRE_SERVICES=1, as in CI).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGS = sorted((LOCALE / "ar" / "LC_MESSAGES").glob("*.po"))


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(entries) -> dict:
    return {
        _key(e): (tuple(v for _k, v in sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr)
        for e in entries
        if e.msgid and (not hasattr(e, "translated") or e.translated())  # a .mo holds translated entries only
    }


def test_there_is_an_arabic_catalog():
    assert [p.name for p in CATALOGS][:1] == ["django.po"]


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.name)
def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    catalog = polib.pofile(str(po_path))

    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    empty_plurals = [e.msgid for e in catalog if e.msgid_plural and not all(e.msgstr_plural.values())]

    assert untranslated == []
    assert fuzzy == []
    assert empty_plurals == []
    assert "nplurals=6" in catalog.metadata["Plural-Forms"]


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.name)
def test_the_compiled_catalog_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.name} is missing: run `make messages`"

    assert _translations(polib.mofile(str(mo_path))) == _translations(polib.pofile(str(po_path))), (
        f"{mo_path.name} is stale: run `make messages`"
    )


def test_the_catalog_is_used():
    with translation.override("ar"):
        assert translation.gettext("Incidents") != "Incidents"


@pytest.mark.skipif(
    shutil.which("xgettext") is None and os.environ.get("REQUIRE_SERVICES") != "1",
    reason="makemessages needs GNU gettext (apt install gettext)",
)
def test_makemessages_finds_nothing_new(tmp_path):
    """Run makemessages on a copy of the source and its catalogs, and compare the message ids with the committed
    ones (a copy, because makemessages writes into the catalogs it finds)."""
    assert shutil.which("xgettext"), "GNU gettext is required (REQUIRE_SERVICES=1)"
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    for part in ("verify", "templates", "locale"):
        shutil.copytree(base / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(base / "static", copy / "static", ignore=shutil.ignore_patterns("vendor"))
    shutil.copy(base / "manage.py", copy / "manage.py")
    for domain, extensions in (("django", "html,txt,py"), ("djangojs", "js")):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "ar",
                "-d",
                domain,
                "-e",
                extensions,
                "--no-obsolete",
                "--add-location=file",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
            env={**os.environ, "DEBUG": "1", "VERIFY_VAR_DIR": str(tmp_path / "var")},
        )
    for po_path in CATALOGS:
        fresh = polib.pofile(str(copy / "locale" / "ar" / "LC_MESSAGES" / po_path.name))
        committed = polib.pofile(str(po_path))
        missing = sorted({_key(e) for e in fresh if e.msgid} - {_key(e) for e in committed if e.msgid})
        gone = sorted({_key(e) for e in committed if e.msgid} - {_key(e) for e in fresh if e.msgid})
        assert missing == [], f"{po_path.name} lacks messages the source marks: run `make messages`"
        assert gone == [], f"{po_path.name} has messages the source no longer has: run `make messages`"
