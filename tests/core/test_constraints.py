"""The database itself refuses bad rows, even when model validation is bypassed.

Each bad write goes through QuerySet.update() or a plain save(), which skip full_clean(); the constraint or
trigger in the database has to catch it.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from tests import factories
from verify.claims.models import Claim
from verify.evidence.models import AppendOnlyError, CustodyAction, CustodyEvent, EvidenceItem
from verify.incidents.models import Incident

SHA_A = "a" * 64
SHA_B = "b" * 64


def evidence_item(user, *, sha256: str = SHA_A, size_bytes: int = 1024, **fields) -> EvidenceItem:
    """An evidence row written directly with the ORM, without the upload service or full_clean()."""
    values = {
        "mime_type": "image/jpeg",
        "original_filename": "market.jpg",
        "storage_name": f"{sha256[:2]}/{sha256}",
        "title": "Photo of the market",
        "kind": "photo",
        **fields,
    }
    return EvidenceItem.objects.create(sha256=sha256, size_bytes=size_bytes, uploaded_by=user, **values)


def assert_update_refused(model, pk: int, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


# --- claims ---------------------------------------------------------------------------------------


@pytest.fixture
def claim(incident):
    return factories.claim(incident=incident, killed_min=10, killed_max=20, injured_min=5, injured_max=8)


def test_database_refuses_claim_with_killed_min_above_killed_max(claim):
    assert_update_refused(Claim, claim.pk, killed_min=21)

    claim.refresh_from_db()
    assert (claim.killed_min, claim.killed_max) == (10, 20)


def test_database_refuses_claim_with_injured_min_above_injured_max(claim):
    assert_update_refused(Claim, claim.pk, injured_max=4)

    claim.refresh_from_db()
    assert (claim.injured_min, claim.injured_max) == (5, 8)


def test_database_accepts_claim_with_equal_killed_min_and_max(claim):
    Claim.objects.filter(pk=claim.pk).update(killed_min=20)

    claim.refresh_from_db()
    assert claim.killed_min == 20


def test_database_refuses_claim_derived_from_itself(claim):
    assert_update_refused(Claim, claim.pk, derived_from=claim.pk)


# --- incidents ------------------------------------------------------------------------------------


def test_database_refuses_incident_latitude_200(incident):
    assert_update_refused(Incident, incident.pk, latitude=Decimal("200"))

    incident.refresh_from_db()
    assert incident.latitude == Decimal("35.813740")


def test_database_refuses_incident_longitude_minus_181(incident):
    assert_update_refused(Incident, incident.pk, longitude=Decimal("-181"))

    incident.refresh_from_db()
    assert incident.longitude == Decimal("36.609640")


def test_database_accepts_incident_coordinates_on_the_limits(incident):
    Incident.objects.filter(pk=incident.pk).update(latitude=Decimal("-90"), longitude=Decimal("180"))

    incident.refresh_from_db()
    assert (incident.latitude, incident.longitude) == (Decimal("-90"), Decimal("180"))


def test_database_refuses_incident_with_only_one_coordinate(incident):
    assert_update_refused(Incident, incident.pk, longitude=None)


def test_database_refuses_incident_starting_after_it_ends(incident):
    assert_update_refused(Incident, incident.pk, date_start=date(2015, 11, 30), date_end=date(2015, 11, 29))

    incident.refresh_from_db()
    assert incident.date_start == incident.date_end == date(2015, 11, 29)


def test_database_refuses_incident_merged_into_itself(incident):
    assert_update_refused(Incident, incident.pk, merged_into=incident.pk)


def test_database_refuses_a_second_incident_with_the_same_reference(incident, researcher):
    other = factories.incident(created_by=researcher)

    assert_update_refused(Incident, other.pk, reference=incident.reference)


# --- evidence -------------------------------------------------------------------------------------


def test_database_keeps_one_evidence_item_per_sha256(researcher):
    evidence_item(researcher, sha256=SHA_A)

    with pytest.raises(IntegrityError), transaction.atomic():
        evidence_item(researcher, sha256=SHA_A, title="Same bytes, uploaded again")

    assert EvidenceItem.objects.filter(sha256=SHA_A).count() == 1


def test_database_keeps_one_evidence_item_per_sha256_in_bulk_create(researcher):
    rows = [
        EvidenceItem(
            sha256=SHA_B,
            size_bytes=10,
            mime_type="image/png",
            original_filename=f"copy{i}.png",
            storage_name=f"bb/{SHA_B}",
            title=f"Copy {i}",
            kind="photo",
            uploaded_by=researcher,
        )
        for i in range(2)
    ]

    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceItem.objects.bulk_create(rows)

    assert not EvidenceItem.objects.filter(sha256=SHA_B).exists()


def test_database_refuses_an_empty_evidence_file(researcher):
    with pytest.raises(IntegrityError), transaction.atomic():
        evidence_item(researcher, size_bytes=0)

    assert not EvidenceItem.objects.exists()


def test_database_refuses_evidence_gps_latitude_out_of_range(researcher):
    item = evidence_item(researcher)

    assert_update_refused(EvidenceItem, item.pk, gps_latitude=Decimal("91"), gps_longitude=Decimal("36"))


def test_evidence_item_delete_raises_and_keeps_the_row(researcher):
    item = evidence_item(researcher)

    with pytest.raises(ValidationError, match="never deleted"):
        item.delete()

    assert EvidenceItem.objects.filter(pk=item.pk).exists()


# --- chain of custody -----------------------------------------------------------------------------


@pytest.fixture
def custody_event(researcher):
    item = evidence_item(researcher)
    return CustodyEvent.objects.create(evidence=item, action=CustodyAction.UPLOADED, actor=researcher, sha256=SHA_A)


def test_database_refuses_to_update_a_custody_event(custody_event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CustodyEvent.objects.filter(pk=custody_event.pk).update(action=CustodyAction.VIEWED)

    assert CustodyEvent.objects.get(pk=custody_event.pk).action == CustodyAction.UPLOADED


def test_database_refuses_to_delete_a_custody_event(custody_event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CustodyEvent.objects.filter(pk=custody_event.pk).delete()

    assert CustodyEvent.objects.filter(pk=custody_event.pk).exists()


def test_database_still_accepts_new_custody_events(custody_event, researcher):
    CustodyEvent.objects.create(evidence=custody_event.evidence, action=CustodyAction.VIEWED, actor=researcher)

    assert CustodyEvent.objects.filter(evidence=custody_event.evidence).count() == 2


def test_saving_an_existing_custody_event_raises_append_only_error(custody_event):
    custody_event.action = CustodyAction.VIEWED

    with pytest.raises(AppendOnlyError):
        custody_event.save()

    assert CustodyEvent.objects.get(pk=custody_event.pk).action == CustodyAction.UPLOADED


def test_deleting_a_custody_event_raises_append_only_error(custody_event):
    with pytest.raises(AppendOnlyError):
        custody_event.delete()

    assert CustodyEvent.objects.filter(pk=custody_event.pk).exists()
