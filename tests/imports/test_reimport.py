"""Importing the same file again updates what it created and duplicates nothing."""

import pytest

from tests import factories
from tests.imports.conftest import ARIHA_ROWS, run_import, verify_csv
from verify.claims.models import Actor, Claim, Source
from verify.incidents.models import Grade, Incident

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Incident.objects.values_list("external_id", "title", "version")),
        sorted(Claim.objects.values_list("incident__external_id", "source__name", "killed_min", "version")),
        Source.objects.count(),
        Actor.objects.count(),
    )


def test_reimporting_the_same_file_changes_nothing(researcher, places):
    data = verify_csv(ARIHA_ROWS).encode()
    run_import(researcher, data)
    before = snapshot()
    checked, job = run_import(researcher, data)
    assert checked.summary["incidents_created"] == 0 and checked.summary["incidents_updated"] == 2
    assert checked.summary["claims_created"] == 0
    assert job.summary["incidents_unchanged"] == 2 and job.summary["claims_unchanged"] == 3
    assert snapshot() == before


def test_reimporting_a_corrected_file_updates_in_place(researcher, places):
    run_import(researcher, verify_csv(ARIHA_ROWS).encode())
    strike = Incident.objects.get(external_id="PARTNER-0001")
    corrected = [dict(r) for r in ARIHA_ROWS]
    corrected[0]["killed_min"] = "36"
    for row in corrected[:2]:
        row["title"] = "Missile strike on the Ariha market"
    _, job = run_import(researcher, verify_csv(corrected).encode())
    assert job.summary["incidents_updated"] == 1 and job.summary["claims_updated"] == 1
    assert Incident.objects.count() == 2 and Claim.objects.count() == 3
    strike.refresh_from_db()
    assert strike.title == "Missile strike on the Ariha market" and strike.version == 2
    assert strike.claims.get(source__name="Local activists").killed_min == 36
    # The change is in the history, by the importing researcher.
    assert strike.history.first().history_user == researcher


def test_rows_without_ids_match_by_their_content(researcher, places):
    rows = [{k: v for k, v in r.items() if k != "external_id"} for r in ARIHA_ROWS[:2]]
    run_import(researcher, verify_csv(rows).encode())
    assert Incident.objects.count() == 1 and Claim.objects.count() == 2
    run_import(researcher, verify_csv(rows).encode())
    assert Incident.objects.count() == 1 and Claim.objects.count() == 2


def test_a_row_with_a_known_reference_updates_that_incident(researcher, places):
    incident = factories.incident(created_by=researcher, title="Logged by hand")
    row = ARIHA_ROWS[0] | {"reference": incident.reference, "external_id": "", "title": "Logged by hand, then imported"}
    _, job = run_import(researcher, verify_csv([row]).encode())
    assert job.summary["incidents_updated"] == 1
    incident.refresh_from_db()
    assert incident.title == "Logged by hand, then imported"
    assert incident.claims.get().source.name == "Local activists"
    assert Incident.objects.count() == 1


def test_a_restricted_incident_cannot_be_updated_by_someone_outside_its_groups(
    researcher, restricted_incident, researcher2, places
):
    row = ARIHA_ROWS[0] | {"reference": restricted_incident.reference, "external_id": ""}
    run_import(researcher2, verify_csv([row]).encode())
    restricted_incident.refresh_from_db()
    assert restricted_incident.version == 1 and not restricted_incident.claims.exists()


def test_reimport_sends_a_verified_incident_back_to_review(researcher, places):
    run_import(researcher, verify_csv(ARIHA_ROWS[:1]).encode())
    Incident.objects.filter(external_id="PARTNER-0001").update(status="verified")
    changed = [ARIHA_ROWS[0] | {"summary": "New detail from the partner."}]
    run_import(researcher, verify_csv(changed).encode())
    assert Incident.objects.get(external_id="PARTNER-0001").status == "submitted"


def test_rows_of_one_incident_far_apart_in_a_long_file(researcher, places, monkeypatch):
    """Written in batches: a later row of an incident already written attaches to it, and a repeated claim
    updates the one written before instead of adding a second."""
    monkeypatch.setattr("verify.imports.run_write.BATCH_SIZE", 1)
    first, amnesty, other = ARIHA_ROWS
    repeated = first | {"killed_min": "35"}  # the same claim (source, URL, date, stance), corrected
    _, job = run_import(researcher, verify_csv([first, other, amnesty, repeated]).encode())
    assert job.summary["incidents_created"] == 2
    strike = Incident.objects.get(external_id="PARTNER-0001")
    claims = {c.source.name: c for c in strike.claims.select_related("source")}
    assert set(claims) == {"Local activists", "Amnesty International"}
    assert claims["Local activists"].killed_min == 35
    assert Claim.objects.count() == 3


def test_new_records_carry_their_history(researcher, places):
    run_import(researcher, verify_csv(ARIHA_ROWS).encode(), name="partner.csv")
    strike = Incident.objects.get(external_id="PARTNER-0001")
    record = strike.history.get()
    assert record.history_user == researcher and record.history_type == "+"
    assert record.history_change_reason.startswith("imported:")
    assert {c.history.get().history_user for c in strike.claims.all()} == {researcher}
    assert strike.created_by == researcher and strike.last_edited_by == researcher
    assert strike.reference.startswith("SYR-2015-")


def test_after_an_import_commits_the_cross_check_of_every_incident_it_wrote_is_up_to_date(
    researcher, places, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(researcher, verify_csv(ARIHA_ROWS).encode())

    from verify.claims.crosscheck import incident_crosscheck

    imported = Incident.objects.all()
    assert imported
    # Claims are bulk-inserted: only the follow-up queued on commit brings the derived fields up to date.
    stored = {i.reference: i.suggested_grade for i in imported}
    computed = {i.reference: incident_crosscheck(i).suggestion.grade for i in imported}
    assert stored == computed
    assert set(computed.values()) != {"unassessed"}


def test_an_incident_edited_after_the_check_is_not_overwritten(researcher, researcher2, places):
    from verify.imports import services
    from verify.imports.tasks import import_commit_task, import_validate_task
    from verify.incidents import services as incident_services

    run_import(researcher, verify_csv(ARIHA_ROWS).encode())
    corrected = [r | {"summary": "From the partner's second file."} for r in ARIHA_ROWS]
    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(corrected).encode()], filename="v2.csv", fmt="verify_csv", start=False
    )
    import_validate_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.rows_bad == 0 and job.summary["incidents_updated"] == 2
    # Meanwhile a colleague edits one of them by hand.
    strike = Incident.objects.get(external_id="PARTNER-0001")
    incident_services.incident_update(
        incident=strike, user=researcher2, data={"summary": "Checked on the ground."}, expected_version=strike.version
    )
    services.import_confirm(job=job, good_rows_only=False, queue=False)
    import_commit_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == "failed" and "nothing was imported" in job.failure
    assert "was changed by Rami after the check" in job.errors[0]["message"]
    strike.refresh_from_db()
    assert strike.summary == "Checked on the ground."
    assert Incident.objects.get(external_id="PARTNER-0002").summary == ""


def test_imported_claims_bring_the_cross_check_up_to_date(researcher, places, django_capture_on_commit_callbacks):
    """Imports bulk-insert claims; once they commit, the flags and the suggested grade follow the claims."""
    with django_capture_on_commit_callbacks(execute=True):
        _, job = run_import(researcher, verify_csv(ARIHA_ROWS).encode())
    assert job.status == "done"

    incident = Incident.objects.get(external_id=ARIHA_ROWS[0]["external_id"])
    assert incident.claims.count() >= 2
    assert incident.has_disagreements  # 34 against 49 killed
    assert incident.suggested_grade != Grade.UNASSESSED
    assert incident.suggestion_reasons
