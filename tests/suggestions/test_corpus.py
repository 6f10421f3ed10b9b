"""The evaluation corpus as a regression test: the issue's targets are the bar (issue 15).

40 reports written for the tests (24 English, 16 Arabic; the last 8 were written after the extractor, as a
held-out check) with the claims a researcher would record, including denials, coreference, multiple events and
background statistics. `manage.py evaluate_suggestions` prints the table.
"""

import json

import pytest

from verify.suggestions.evaluation import CORPUS_DIR, TARGETS, Count, evaluate, load_corpus, run


@pytest.fixture(scope="module")
def result():
    return run()


def test_the_corpus_is_large_enough_and_in_both_languages():
    texts, _register = load_corpus()
    assert len(texts) >= 30
    assert {t["lang"] for t in texts} == {"en", "ar"}
    assert sum(c["stance"] == "denies" for t in texts for c in t["claims"]) >= 10
    assert any(c.get("other_event") for t in texts for c in t["claims"])
    assert len({t["id"] for t in texts}) == len(texts)


@pytest.mark.parametrize("field", sorted(TARGETS))
def test_targets_are_met(result, field):
    count = result.counts[field]
    assert count.precision >= TARGETS[field], result.table() + "\n" + "\n".join(result.misses)
    assert count.recall >= TARGETS[field], result.table() + "\n" + "\n".join(result.misses)


def test_every_field_is_measured(result):
    for name in ("source", "place", "date", "injured", "other event"):
        assert result.counts[name].expected > 0


def test_the_evaluation_counts_misses_and_extras():
    """The scorer itself: a missed claim lowers recall, an extra one precision, a wrong value both."""
    texts = [{"id": "t", "text": "x", "published_on": "2019-07-23", "claims": [
        {"anchor": "ten died", "source": "SOHR", "stance": "alleges", "killed": [10, 10], "injured": None,
         "place": None, "date": None},
        {"anchor": "denied", "source": "SOHR", "stance": "denies", "killed": None, "injured": None, "place": None,
         "date": None},
    ]}]  # fmt: skip
    suggested = [
        {"sentence": "ten died", "source": "SOHR", "stance": "alleges", "killed": (9, 9)},
        {"sentence": "extra", "source": "", "stance": "alleges"},
    ]
    result = evaluate(lambda text, day, index: suggested, texts, [{"name": "SOHR", "aliases": []}])
    assert (result.counts["claim"].right, result.counts["claim"].suggested, result.counts["claim"].expected) == (
        1,
        2,
        2,
    )
    assert result.counts["killed"] == Count(right=0, suggested=1, expected=1)
    assert result.counts["denial"] == Count(right=0, suggested=0, expected=1)


def test_the_command_prints_the_table(capsys):
    from django.core.management import call_command

    call_command("evaluate_suggestions", "--check")
    out = capsys.readouterr().out
    assert "precision" in out and "denial" in out and "Every target met." in out


def test_the_command_rejects_a_folder_without_a_corpus(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"No corpus\.json"):
        call_command("evaluate_suggestions", "--corpus", str(tmp_path))


def test_corpus_files_are_valid_json():
    for name in ("corpus.json", "register.json"):
        json.loads((CORPUS_DIR / name).read_text(encoding="utf-8"))
