"""Every fact of a claim and of an incident that the verify CSV carries survives export and import (issue 20).

The fields are read from the models, so a new field makes these tests fail until the CSV carries it or it joins
one of the commented exclusion lists below. The file goes through the real export view and the real import
(check, then import), into a database whose incidents and claims were deleted.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from tests.imports.conftest import run_import, verify_csv
from tests.imports.test_roundtrip import real_export
from verify.claims.crosscheck import incident_recompute
from verify.claims.models import Claim, Stance
from verify.incidents.columns import CLAIM_DETAIL_COLUMNS, COMPUTED_COLUMNS, VERIFY_CSV_COLUMNS
from verify.incidents.models import Incident, Label

pytestmark = pytest.mark.django_db

# Claim fields the CSV does not carry, and why.
CLAIM_NOT_CARRIED = {
    "id",  # this database's key; the file names a claim by its incident and claim_key
    "incident",  # the row's incident columns
    "created_by",  # whoever imports the file
    "last_edited_by",  # idem
    "created_at",  # set when the claim is written here
    "updated_at",  # idem
    "version",  # this database's edit counter
}
# Incident fields the CSV does not carry (or carries without importing), and why.
INCIDENT_NOT_CARRIED = {
    "id",  # this database's key
    "reference",  # this database's number: the import keeps it as the external id when the incident is new
    "status",  # exported; an imported record starts as a draft and is reviewed here
    "grade",  # exported; graded in review here
    "grade_rationale",  # part of the review
    "restricted",  # the import job decides who may see what it imports
    "created_by",  # whoever imports the file
    "last_edited_by",  # idem
    "submitted_at",  # workflow state of this database
    "assigned_to",  # idem
    "assigned_at",  # idem
    "merged_into",  # a merged record is exported as the record it was merged into
    "merge_note",  # idem
    "search_text",  # derived from the other fields
    "suggestion_reasons",  # not exported: the import's recompute rewrites them from the claims
    "created_at",  # set when the incident is written here
    "updated_at",  # idem
    "version",  # this database's edit counter
}
# Exported, and recomputed from the claims by the import rather than read from the file.
INCIDENT_RECOMPUTED = {"suggested_grade", "has_disagreements", "denied_by_party"}


def _field_names(model, excluded: set[str]) -> list[str]:
    return sorted(f.name for f in model._meta.concrete_fields if f.name not in excluded)


CLAIM_CARRIED = _field_names(Claim, CLAIM_NOT_CARRIED)
INCIDENT_CARRIED = _field_names(Incident, INCIDENT_NOT_CARRIED | INCIDENT_RECOMPUTED)


def test_the_lists_name_real_fields():
    """Every exclusion names a field that exists (a renamed field cannot hide in a stale list)."""
    claim_names = {f.name for f in Claim._meta.concrete_fields}
    incident_names = {f.name for f in Incident._meta.concrete_fields}
    assert claim_names >= CLAIM_NOT_CARRIED
    assert incident_names >= INCIDENT_NOT_CARRIED | INCIDENT_RECOMPUTED


def _claim_facts(claim: Claim) -> dict:
    facts = {}
    for name in CLAIM_CARRIED:
        value = getattr(claim, name)
        if name == "derived_from":  # the same claim, named by what identifies it in its incident
            value = (value.source_id, value.url, value.published_on) if value else None
        elif hasattr(value, "pk"):  # source, perpetrator, place: the same rows of the vocabulary and gazetteer
            value = value.pk
        facts[name] = value
    return facts


def snapshot() -> dict[str, dict]:
    """Each incident by its external id: its carried fields, its labels, its claims' carried fields, and the values
    the import recomputes."""
    result = {}
    for incident in Incident.objects.prefetch_related("labels", "claims__derived_from"):
        claims = sorted((_claim_facts(c) for c in incident.claims.all()), key=str)
        result[incident.external_id] = {
            "fields": {name: getattr(incident, f"{name}_id" if name == "place" else name) for name in INCIDENT_CARRIED},
            "labels": sorted(label.name for label in incident.labels.all()),
            "claims": claims,
            "recomputed": {name: getattr(incident, name) for name in sorted(INCIDENT_RECOMPUTED)},
        }
    return result


def build(researcher, places) -> None:
    """Incidents whose claims set every carried field to something other than its default."""
    activists = factories.source("Local activists")
    amnesty = factories.source("Amnesty International")
    russia = factories.actor("Russian Aerospace Forces")
    ministry = factories.source("Russian Ministry of Defence", affiliation=russia)  # a party: its denial counts
    market = factories.incident(
        created_by=researcher,
        external_id="PARTNER-0001",
        title="Ariha market strike",
        summary="Missiles hit the market.\nSecond line, أريحا",
        date_start=date(2015, 11, 29),
        date_end=date(2015, 11, 30),
        date_precision="week",
        place=places["ariha"],
        location_name="main market street",
        location_precision="neighbourhood",
        attack_type="missile",
        target_type="market",
        latitude=Decimal("35.813740"),
        longitude=Decimal("36.609640"),
    )
    market.labels.set([Label.objects.create(name="double tap"), Label.objects.create(name="market")])
    first = factories.claim(
        incident=market,
        source=activists,
        stance=Stance.ALLEGES,
        published_on=date(2015, 11, 29),
        url="https://example.org/activists",
        excerpt="=34 dead, they counted",
        killed_min=30,
        killed_max=34,
        injured_min=70,
        injured_max=90,
        perpetrator=russia,
        munition="three missiles",
        event_date=date(2015, 11, 28),
        event_date_precision="week",
        place=places["kafr_zita_hama"],  # a name two governorates share: claim_governorate tells them apart
        latitude=Decimal("35.374100"),
        longitude=Decimal("36.601200"),
        location_precision="neighbourhood",
        military_objective_present=True,
        military_objective_distance_m=350,
        credibility="2",
    )
    factories.claim(
        incident=market,
        source=amnesty,
        published_on=date(2015, 12, 23),
        url="https://example.org/amnesty",
        killed_min=49,
        killed_max=49,
        event_date=date(2015, 11, 29),
        event_date_precision="month",
        place=places["idlib_gov"],
        location_precision="governorate",
        military_objective_present=False,
        credibility="3",
        derived_from=first,
    )
    factories.claim(incident=market, source=ministry, stance=Stance.DENIES, published_on=date(2015, 12, 24))
    factories.incident(
        created_by=researcher,
        external_id="PARTNER-0002",
        title="No claims yet",
        date_start=None,
        date_end=None,
        date_precision="unknown",
        place=places["idlib_gov"],
        latitude=places["idlib_gov"].latitude,
        longitude=places["idlib_gov"].longitude,
        location_precision="governorate",
    )
    for incident in Incident.objects.all():
        incident_recompute(incident, user=researcher)


def clear() -> None:
    """A fresh database as far as the file is concerned: the gazetteer, sources and actors stay; no incidents."""
    Claim.objects.all().delete()
    Incident.history.all().delete()
    Incident.objects.all().delete()


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_field_round_trips(researcher, places):
    build(researcher, places)
    before = snapshot()
    claims = [claim for incident in before.values() for claim in incident["claims"]]
    field_defaults = {f.name: f.get_default() for f in Claim._meta.concrete_fields}
    # The test data really sets every carried claim field (else it would prove nothing about that field).
    unset = [name for name in CLAIM_CARRIED if all(c[name] in (None, "", field_defaults[name]) for c in claims)]
    assert unset == [], f"no claim of the test sets {unset}"
    incident_defaults = {f.name: f.get_default() for f in Incident._meta.concrete_fields}
    unset = [
        name
        for name in INCIDENT_CARRIED
        if all(i["fields"][name] in (None, "", incident_defaults[name]) for i in before.values())
    ]
    assert unset == [], f"no incident of the test sets {unset}"
    assert before["PARTNER-0001"]["recomputed"]["has_disagreements"]
    assert before["PARTNER-0001"]["recomputed"]["denied_by_party"]

    exported = real_export(researcher)
    rows = rows_of(exported)
    assert list(rows[0]) == list(VERIFY_CSV_COLUMNS)
    market_rows = [row for row in rows if row["external_id"] == "PARTNER-0001"]
    assert [row["claim_key"] for row in market_rows] == ["1", "2", "3"]
    assert [row["derived_from"] for row in market_rows] == ["", "1", ""]
    assert market_rows[0]["military_objective"] == "yes" and market_rows[1]["military_objective"] == "no"
    assert market_rows[0]["claim_place"] == "Kafr Zita" and market_rows[0]["claim_governorate"] == "Hama"
    assert market_rows[0]["has_disagreements"] == "yes" and market_rows[0]["denied_by_party"] == "yes"

    clear()
    checked, job = run_import(researcher, exported)
    assert checked.rows_bad == 0, checked.errors
    assert job is not None and job.status == "done", job and job.errors
    assert job.summary["incidents_created"] == 2 and job.summary["claims_created"] == 3
    after = snapshot()
    for reference in before:
        for part in ("fields", "labels", "recomputed"):
            assert after[reference][part] == before[reference][part], (reference, part)
        for old, new in zip(before[reference]["claims"], after[reference]["claims"], strict=True):
            assert {k: (v, new[k]) for k, v in old.items() if new[k] != v} == {}
    assert after == before
    # The flags and suggested grade were recomputed from the claims, and equal what the file says.
    for row in rows:
        recomputed = after[row["external_id"]]["recomputed"]
        assert row["suggested_grade"] == recomputed["suggested_grade"]
        assert row["has_disagreements"] == ("yes" if recomputed["has_disagreements"] else "no")
        assert row["denied_by_party"] == ("yes" if recomputed["denied_by_party"] else "no")

    # Importing the same file again changes nothing.
    _, again = run_import(researcher, exported)
    assert again is not None
    assert again.summary["incidents_unchanged"] == 2 and again.summary["claims_unchanged"] == 3, again.summary
    assert snapshot() == before


def _without_new_columns(data: bytes) -> bytes:
    old = [c for c in VERIFY_CSV_COLUMNS if c not in CLAIM_DETAIL_COLUMNS | COMPUTED_COLUMNS]
    return verify_csv(rows_of(data), columns=old).encode()


def test_an_older_file_without_the_new_columns_still_imports(researcher, places):
    build(researcher, places)
    before = snapshot()
    old_file = _without_new_columns(real_export(researcher))
    assert "claim_key" not in old_file.decode().splitlines()[0]

    # Over the same records: matched, nothing changed, the claims' own facts left as they were.
    checked, job = run_import(researcher, old_file)
    assert checked.rows_bad == 0, checked.errors
    assert job is not None and job.summary["incidents_unchanged"] == 2 and job.summary["claims_unchanged"] == 3
    assert snapshot() == before

    # Into an empty database: the claims get the defaults for what the file does not say.
    clear()
    checked, job = run_import(researcher, old_file)
    assert checked.rows_bad == 0 and job is not None, checked.errors
    assert job.summary["claims_created"] == 3
    first = Claim.objects.get(source__name="Local activists")
    assert (first.killed_max, first.event_date, first.place_id, first.derived_from_id) == (34, None, None, None)


CLAIM_ROW = {
    "external_id": "PARTNER-0009",
    "title": "Strike on Ariha",
    "date_start": "2015-11-29",
    "governorate": "Idlib",
    "place": "Ariha",
    "source": "Local activists",
    "published_on": "2015-11-29",
    "claim_key": "1",
}


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"derived_from": "7"}, "derived_from", "No claim of the same incident has the claim key 7"),
        ({"derived_from": "1"}, "derived_from", "A claim cannot be derived from itself."),
        ({"claim_latitude": "95", "claim_longitude": "36.6"}, "claim_latitude", "between -90 and 90"),
        ({"claim_latitude": "35.8"}, "claim_longitude", "Give both latitude and longitude, or neither."),
        ({"claim_longitude": "east"}, "claim_longitude", "Enter a number."),
        ({"claim_location_precision": "roughly"}, "claim_location_precision", "Unknown value “roughly”"),
        ({"claim_date_precision": "fortnight"}, "claim_date_precision", "Unknown value “fortnight”"),
        ({"claim_date": "29/11/2015"}, "claim_date", "Enter a valid date."),
        ({"claim_date": "2999-01-01"}, "claim_date", "The date is in the future."),
        ({"military_objective": "maybe"}, "military_objective", "use yes, no or leave it empty"),
        ({"military_objective_distance_m": "-5"}, "military_objective_distance_m", "greater than or equal to 0"),
        ({"claim_place": "Atlantis"}, "claim_place", "Atlantis"),
    ],
)
def test_bad_claim_facts_are_refused(researcher, places, changes, column, message):
    factories.source("Local activists")
    checked, job = run_import(researcher, verify_csv([CLAIM_ROW | changes]).encode())
    assert job is None and checked.rows_bad == 1
    assert [(e["row"], e["column"]) for e in checked.errors] == [(2, column)], checked.errors
    assert message in checked.errors[0]["message"]
    assert not Incident.objects.exists() and not Claim.objects.exists()


def test_an_unknown_derived_from_leaves_its_row_out_whole(researcher, places):
    """With "good rows only", the row whose derived_from names no claim is not imported at all; the other rows are,
    and a link to a claim of another incident is not made (keys are per incident)."""
    other = CLAIM_ROW | {"external_id": "PARTNER-0010", "title": "Another strike", "claim_key": "5"}
    rows = [
        CLAIM_ROW,
        CLAIM_ROW | {"source": "Amnesty International", "claim_key": "2", "derived_from": "1"},
        other | {"source": "SOHR", "claim_key": "3", "derived_from": "2"},
        other,
    ]
    checked, job = run_import(researcher, verify_csv(rows).encode(), good_rows=True)
    assert [(e["row"], e["column"]) for e in checked.errors] == [(4, "derived_from")], checked.errors
    assert job is not None and job.status == "done" and job.rows_bad == 1, job.errors
    assert sorted(Claim.objects.values_list("source__name", "derived_from__source__name")) == [
        ("Amnesty International", "Local activists"),
        ("Local activists", None),
        ("Local activists", None),
    ]


def test_a_repeated_claim_key_is_refused(researcher, places):
    rows = [CLAIM_ROW, CLAIM_ROW | {"source": "Amnesty International"}]
    checked, job = run_import(researcher, verify_csv(rows).encode())
    assert job is None
    assert [(e["row"], e["column"]) for e in checked.errors] == [(3, "claim_key")], checked.errors
