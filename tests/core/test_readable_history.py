"""Issue 20, item 13: histories and the custody log read as a person would write them: dates in the reader's
format, Yes/No rather than `False → True`, coordinates as numbers, sizes in KB or MB, plurals, and a merge shown in
the kept incident's history."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.evidence.conftest import jpeg
from verify.accounts.language import save_language
from verify.claims import merging as entity_merging
from verify.claims import services as claim_services
from verify.claims.models import Stance
from verify.core import display
from verify.core.history import entries_for
from verify.evidence import services as evidence_services

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(html: str, start_id: str) -> str:
    """The words of the section starting at `id="start_id"`, tags removed, spaces collapsed."""
    start = html.index(f'id="{start_id}"')
    end = html.find("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


@pytest.fixture
def edited(researcher):
    """An incident whose claim had its military objective, coordinates and date filled in, and whose own dates and
    coordinates were changed."""
    from verify.incidents import services as incident_services

    incident = factories.incident(created_by=researcher, title="Market strike")
    claim = claim_services.claim_create(
        user=researcher,
        incident=incident,
        data={"source": factories.source("SNHR"), "stance": Stance.ALLEGES, "military_objective_present": False},
    )
    claim_services.claim_update(
        claim=claim,
        user=researcher,
        data={
            "military_objective_present": True,
            "latitude": Decimal("35.8137"),
            "longitude": Decimal("36.6096"),
            "event_date": date(2015, 11, 29),
        },
        expected_version=claim.version,
    )
    incident.refresh_from_db()
    incident_services.incident_update(
        incident=incident,
        user=researcher,
        data={"date_start": date(2015, 11, 28), "latitude": Decimal("35.8"), "longitude": Decimal("36.6")},
        expected_version=incident.version,
    )
    return incident, claim


def test_the_incident_history_reads_yes_no_dates_and_numbers(edited, researcher):
    incident, _claim = edited

    history = text_of(client_for(researcher).get(incident.get_absolute_url()).content.decode(), "history-h")

    assert "military objective present No Yes" in history
    assert "event date — 29 Nov 2015" in history
    assert "latitude — 35.8137" in history and "longitude — 36.6096" in history
    assert "latitude 35.81374 35.8 " in history  # the incident's own, from the factory's 35.813740
    assert "False" not in history and "True" not in history and "2015-11-29" not in history
    assert "35.813700" not in history and "['" not in history
    stamp = incident.history.latest().history_date
    with translation.override("en"):
        assert f"{stamp.day} {stamp:%b} {stamp.year}, {stamp:%H:%M}" in history  # DATETIME_FORMAT, "j M Y, H:i"


def test_the_history_in_arabic_uses_arabic_month_names(edited, researcher):
    incident, _claim = edited
    save_language(researcher, "ar")

    history = text_of(client_for(researcher).get(incident.get_absolute_url()).content.decode(), "history-h")

    assert "29 نوفمبر 2015" in history
    assert "29 Nov 2015" not in history


def test_an_unanswered_yes_no_question_reads_unknown(researcher, incident):
    claim = claim_services.claim_create(
        user=researcher,
        incident=incident,
        data={"source": factories.source("SNHR"), "stance": Stance.ALLEGES, "military_objective_present": True},
    )
    claim_services.claim_update(
        claim=claim, user=researcher, data={"military_objective_present": None}, expected_version=claim.version
    )

    with translation.override("en"):
        records = claim.history.order_by("-history_date", "-history_id")
        [edit] = [e for e in entries_for(records, "claim") if e.changes]

    assert ("military objective present", "Yes", "Unknown") in edit.changes


def test_the_merge_is_in_the_kept_incident_history_and_its_message_counts_in_words(researcher, admin_user):
    kept = factories.incident(created_by=researcher, title="Kept")
    gone = factories.incident(created_by=researcher, title="Gone")
    claim_services.claim_create(
        user=researcher, incident=gone, data={"source": factories.source("SNHR"), "stance": Stance.ALLEGES}
    )
    client = client_for(researcher)

    response = client.post(
        reverse("incidents:merge", args=[gone.reference, kept.reference]), {"note": "Same strike"}, follow=True
    )

    page = response.content.decode()
    assert f"{gone.reference} merged into {kept.reference}: 1 claim and 0 evidence links moved." in page
    history = text_of(page, "history-h")
    assert f"{gone.reference} was merged into this incident: Same strike" in history
    assert f"Moved by a merge ({gone.reference} → {kept.reference})" in history


def test_a_source_merge_reads_as_a_source_merge(researcher, admin_user):
    kept, gone = factories.source("Syrian Network for Human Rights"), factories.source("SNHR")
    entity_merging.source_merge(source=gone, into=kept, user=admin_user, reason="One organisation.")

    with translation.override("en"):
        reasons = [e.reason for e in entries_for(kept.history.order_by("-history_date"), "source")]

    assert f"#{gone.pk} was merged into this one" in reasons
    assert not any("incident" in r for r in reasons)


def test_the_custody_log_reads_sizes_numbers_yes_no_and_dates(researcher):
    incident = factories.incident(created_by=researcher)
    stored = evidence_services.evidence_store_file(
        user=researcher,
        original_filename="market.jpg",
        metadata={"title": "Market photo", "kind": "photo"},
        incident=incident,
        chunks=[jpeg(seed=7, gps=(35.8137, 36.6096))],
    )
    evidence_services.evidence_process(evidence_id=stored.item.pk)
    size = stored.item.size_bytes

    page = client_for(researcher).get(reverse("evidence:detail", args=[stored.item.pk])).content.decode()
    custody = text_of(page, "custody-h")

    assert f"size: {size / 1024:.1f} KB" in custody
    assert "extension_mismatch: No" in custody
    assert "gps: 35.8137, 36.6096" in custody
    assert "size: 320 × 240" in custody
    # PostgreSQL's jsonb keeps its own key order: the nested details read as pairs, whatever their order.
    assert re.search(r"ocr: \([^)]*\bsource: ocr\b[^)]*\)", custody), custody[-600:]
    assert "False" not in custody and "['" not in custody and "{'" not in custody
    uploaded = stored.item.custody_events.get(action="uploaded").at
    assert f'datetime="{uploaded.isoformat()}"' in page
    with translation.override("en"):
        assert f"{uploaded.day} {uploaded:%b} {uploaded.year}, {uploaded:%H:%M}" in custody
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", custody) is None


@pytest.mark.parametrize(
    ("value", "key", "words"),
    [
        (True, "complete", "Yes"),
        (False, "extension_mismatch", "No"),
        (12_345_678, "size", "11.8\xa0MB"),
        (2048, "bytes", "2.0\xa0KB"),
        (7, "claim", "7"),
        (["35.813700", "36.609600"], "gps", "35.8137, 36.6096"),
        ([320, 240], "size", "320 × 240"),
        ({"pages": 1, "notes": []}, "ocr", "(pages: 1)"),
        ("SYR-2015-0001", "incident", "SYR-2015-0001"),
        ("eng+ara", "languages", "eng+ara"),
        ("", "error", ""),
        (None, "error", ""),
    ],
)
def test_stored_values_in_words(value, key, words):
    with translation.override("en"):
        assert display.stored_value_text(value, key) == words


def test_decimals_lose_only_their_trailing_zeros():
    with translation.override("en"):
        assert display.decimal_text(Decimal("35.813740")) == "35.81374"
        assert display.decimal_text(Decimal("36.000000")) == "36"
        assert display.decimal_text("-0.500") == "-0.5"
