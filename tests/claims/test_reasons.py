"""The suggested grade's reasons: stored as codes, put into words only when shown, and old sentences migrated."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from tests import factories
from verify.claims.reasons import join_names, reason_text
from verify.incidents.models import Grade, Incident
from verify.lib import grading

migration = importlib.import_module("verify.incidents.migrations.0011_suggestion_reasons_as_codes")

RUSSIA = "Russian Aerospace Forces"
MOD = {"name": "Russian Ministry of Defence", "party": True}


CASES = [
    ({"code": "no_claims"}, "No claims have been recorded yet."),
    ({"code": "no_affirming_claim"}, "No independent claim alleges, corroborates or acknowledges the attack."),
    (
        {"code": "acknowledged", "source": "Ministry", "side": RUSSIA},
        f"Ministry, speaking for {RUSSIA}, acknowledges responsibility.",
    ),
    (
        {"code": "acknowledgement_settles", "perpetrators": ["A", "B", "C"]},
        "Other claims name A, B and C; the acknowledgement settles who is responsible.",
    ),
    (
        {
            "code": "competing_perpetrators",
            "namers": [{"sources": ["A", "B"], "perpetrator": RUSSIA}, {"sources": ["C"], "perpetrator": "X"}],
        },
        f"Competing perpetrators are named: A and B name {RUSSIA}; C names X.",
    ),
    (
        {"code": "fair_sources", "sources": ["A", "B"]},
        "2 independent sources (A and B) make credible claims (credibility 1–3, sources rated A–C).",
    ),
    ({"code": "single_source", "source": "Activists"}, "Only one independent source: Activists."),
    (
        {"code": "below_fair_bar", "sources": ["A", "B"], "meeting": 1},
        "2 independent sources (A and B), but only one meets the bar for Fair (credibility 1–3 from a source "
        "rated A–C).",
    ),
    (
        {"code": "below_fair_bar", "sources": ["A", "B", "C"], "meeting": 0},
        "3 independent sources (A, B and C), but none meet the bar for Fair (credibility 1–3 from a source rated A–C).",
    ),
    (
        {"code": "derived_not_counted", "count": 2, "sources": ["Wire"]},
        "2 derived claims (Wire) only repeat other claims and are not counted as independent.",
    ),
    (
        {"code": "denial_not_contesting", "deniers": [MOD, {"name": "Local council", "party": False}]},
        "Denied by Russian Ministry of Defence (party to the conflict) and Local council; a denial alone does "
        "not make the incident contested.",
    ),
    ({"code": "legacy", "text": "Only one source."}, "Only one source."),
]


@pytest.mark.parametrize(("reason", "words"), CASES)
def test_each_code_is_put_into_words(reason, words):
    assert reason_text(reason) == words


def test_every_code_of_the_grading_rules_is_put_into_words_above():
    assert {reason["code"] for reason, _ in CASES} >= grading.CODES


def test_a_reason_object_a_plain_sentence_and_an_unknown_code_are_all_shown():
    assert reason_text(grading.Reason(grading.SINGLE_SOURCE, {"source": "HRW"})) == "Only one independent source: HRW."
    assert reason_text("Written before codes.") == "Written before codes."
    assert reason_text({"code": "from_a_newer_version", "x": 1}) == "from_a_newer_version"


def test_names_are_joined_with_commas_and_a_final_and():
    assert [join_names(n) for n in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == ["", "A", "A and B", "A, B and C"]


# --- Pages ---------------------------------------------------------------------------------------------------


def test_the_review_panel_shows_the_stored_reasons_in_words(researcher, incident):
    Incident.objects.filter(pk=incident.pk).update(
        suggested_grade=Grade.WEAK,
        suggestion_reasons=[
            {"code": "single_source", "source": "Stored source"},
            {"code": "legacy", "text": "An old sentence."},
        ],
    )
    client = Client()
    client.force_login(researcher)
    page = client.get(incident.get_absolute_url()).content.decode()

    assert "<li>Only one independent source: Stored source.</li>" in page
    assert "<li>An old sentence.</li>" in page
    assert "single_source" not in page and "legacy" not in page


def test_the_claims_panel_shows_the_live_reasons_in_words(researcher, incident):
    factories.claim(incident=incident, created_by=researcher, source=factories.source("Activists"))
    client = Client()
    client.force_login(researcher)
    page = client.get(incident.get_absolute_url()).content.decode()

    assert "<li>Only one independent source: Activists.</li>" in page


# --- The data migration ------------------------------------------------------------------------------------


def test_the_migration_wraps_old_sentences_as_legacy_reasons_and_keeps_codes():
    coded = {"code": "single_source", "source": "A"}
    assert migration.legacy_reasons(["Only one source.", coded]) == [
        {"code": "legacy", "text": "Only one source."},
        coded,
    ]
    assert migration.legacy_reasons([]) == [] and migration.legacy_reasons(None) == []
    assert migration.sentences(migration.legacy_reasons(["Old.", coded])) == ["Old.", coded]


def test_the_migration_converts_incidents_and_their_history(researcher, incident):
    old = ["2 independent sources (A and B) make credible claims (credibility 1–3, sources rated A–C)."]
    Incident.objects.filter(pk=incident.pk).update(suggestion_reasons=old)
    history = incident.history.first()
    type(history).objects.filter(pk=history.pk).update(suggestion_reasons=old)
    other = factories.incident(created_by=researcher, title="Already codes")
    Incident.objects.filter(pk=other.pk).update(suggestion_reasons=[{"code": "no_claims"}])

    migration.forwards(apps, None)

    expected = [{"code": "legacy", "text": old[0]}]
    assert Incident.objects.get(pk=incident.pk).suggestion_reasons == expected
    assert type(history).objects.get(pk=history.pk).suggestion_reasons == expected
    assert Incident.objects.get(pk=other.pk).suggestion_reasons == [{"code": "no_claims"}]
    assert reason_text(expected[0]) == old[0]

    migration.forwards(apps, None)  # safe to run twice
    assert Incident.objects.get(pk=incident.pk).suggestion_reasons == expected
    migration.backwards(apps, None)
    assert Incident.objects.get(pk=incident.pk).suggestion_reasons == old
