"""The import check is no oracle: a reference or external id of an incident the importer cannot see gets exactly
the answer an unknown one gets, and the hidden incident is never touched."""

import pytest

from tests import factories
from tests.imports.conftest import ARIHA_ROWS, run_import, verify_csv
from verify.claims.models import Actor, Source
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db


def answer(job) -> tuple:
    """What the check tells the importer, with the tested identifier blanked out."""
    return job.status, job.rows_total, job.rows_bad, job.summary, job.errors, job.warnings


def forget_first_import(kept: Incident) -> None:
    Incident.objects.exclude(pk=kept.pk).delete()
    Source.objects.all().delete()
    Actor.objects.all().delete()


def test_a_hidden_reference_gets_the_answer_of_an_unknown_one(researcher2, restricted_incident, places):
    hidden = restricted_incident.reference
    unknown = hidden[:-4] + "9999"
    assert not Incident.objects.filter(reference=unknown).exists()
    row = ARIHA_ROWS[0] | {"external_id": ""}
    checked_unknown, _ = run_import(researcher2, verify_csv([row | {"reference": unknown}]).encode())
    forget_first_import(restricted_incident)
    checked_hidden, job = run_import(researcher2, verify_csv([row | {"reference": hidden}]).encode())
    assert answer(checked_hidden) == answer(checked_unknown)
    assert job.summary["incidents_created"] == 1
    restricted_incident.refresh_from_db()
    assert restricted_incident.version == 1 and restricted_incident.title == "Restricted strike"
    assert not restricted_incident.claims.exists()
    created = Incident.objects.exclude(pk=restricted_incident.pk).get()
    assert created.created_by == researcher2 and created.title == row["title"]


def test_a_hidden_external_id_gets_the_answer_of_a_new_one_and_is_not_merged(researcher2, restricted_incident, places):
    Incident.objects.filter(pk=restricted_incident.pk).update(external_id="PARTNER-0001")
    fresh = [r | {"external_id": "PARTNER-7777"} for r in ARIHA_ROWS[:2]]
    checked_new, _ = run_import(researcher2, verify_csv(fresh).encode())
    forget_first_import(restricted_incident)
    checked_hidden, job = run_import(researcher2, verify_csv(ARIHA_ROWS[:2]).encode())
    assert answer(checked_hidden) == answer(checked_new)
    assert job.status == "done" and job.summary["incidents_created"] == 1 and job.summary["claims_created"] == 2
    restricted_incident.refresh_from_db()
    assert restricted_incident.version == 1 and not restricted_incident.claims.exists()
    mine = Incident.objects.exclude(pk=restricted_incident.pk).get()
    assert mine.claims.count() == 2
    # Importing the same file again updates the importer's own record, not the hidden one.
    checked_again, again = run_import(researcher2, verify_csv(ARIHA_ROWS[:2]).encode())
    assert checked_again.summary["incidents_updated"] == 1 and checked_again.summary["incidents_created"] == 0
    assert again.summary["incidents_unchanged"] == 1 and Incident.objects.count() == 2


def test_a_member_of_the_group_still_updates_the_restricted_incident(researcher, restricted_incident, places):
    row = ARIHA_ROWS[0] | {"reference": restricted_incident.reference, "external_id": ""}
    checked, _ = run_import(researcher, verify_csv([row]).encode())
    assert checked.summary["incidents_updated"] == 1
    restricted_incident.refresh_from_db()
    assert restricted_incident.title == row["title"] and Incident.objects.count() == 1


def test_an_incident_merged_into_a_hidden_one_is_unknown_too(researcher2, restricted_incident, places):
    public = factories.incident(created_by=researcher2, title="Merged away")
    Incident.objects.filter(pk=public.pk).update(merged_into=restricted_incident)
    row = ARIHA_ROWS[0] | {"reference": public.reference, "external_id": ""}
    checked, _ = run_import(researcher2, verify_csv([row]).encode())
    assert checked.rows_bad == 0 and checked.summary["incidents_created"] == 1
    restricted_incident.refresh_from_db()
    assert restricted_incident.version == 1
