"""Possible duplicates are stored when incidents change, and the site-wide list pages them in the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from verify.imports.services import _after_import
from verify.incidents.duplicates import duplicate_candidates, duplicate_dismiss, duplicates_rebuild
from verify.incidents.models import DuplicateCandidate, DuplicateDismissal, Incident
from verify.incidents.services import incident_update
from verify.review.merging import incident_merge

pytestmark = pytest.mark.django_db
ARIHA = (Decimal("35.813740"), Decimal("36.609640"))


def near(user, k: int = 0, **fields) -> Incident:
    return factories.incident(created_by=user, latitude=ARIHA[0] + Decimal(k) / 1000, longitude=ARIHA[1], **fields)


def stored() -> set[tuple[int, int]]:
    return set(DuplicateCandidate.objects.values_list("incident_a_id", "incident_b_id"))


def test_creating_an_incident_stores_its_pairs(researcher):
    a = near(researcher)
    b = near(researcher, 1)
    assert stored() == {(a.pk, b.pk)}
    row = DuplicateCandidate.objects.get()
    assert row.latest_date == date(2015, 11, 29) and 100 < row.distance_m < 130


def test_moving_an_incident_away_removes_its_pairs_and_moving_it_back_restores_them(researcher):
    a, b = near(researcher), near(researcher, 1)
    incident_update(
        incident=b,
        user=researcher,
        data={"latitude": Decimal("36.2"), "longitude": Decimal("37.1")},
        expected_version=b.version,
    )
    assert stored() == set()
    b.refresh_from_db()
    incident_update(incident=b, user=researcher, data={"latitude": ARIHA[0]}, expected_version=b.version)
    b.refresh_from_db()
    incident_update(incident=b, user=researcher, data={"longitude": ARIHA[1]}, expected_version=b.version)
    assert stored() == {(a.pk, b.pk)}


def test_a_merged_away_incident_keeps_no_pairs(researcher):
    a, b, c = near(researcher), near(researcher, 1), near(researcher, 2)
    incident_merge(source=b, target=a, user=researcher, note="Same strike.")
    assert stored() == {(a.pk, c.pk)}


def test_not_a_duplicate_removes_the_stored_pair_and_a_refresh_keeps_it_out(researcher):
    a, b = near(researcher), near(researcher, 1)
    duplicate_dismiss(incident=b, other=a, user=researcher)
    assert stored() == set()
    duplicates_rebuild()
    assert stored() == set()


def test_an_import_refreshes_the_pairs_of_the_incidents_it_wrote(researcher):
    a = near(researcher)
    imported = Incident.objects.create(
        reference="IMP-1",
        title="Imported",
        created_by=researcher,
        date_start=a.date_start,
        date_end=a.date_end,
        latitude=a.latitude,
        longitude=a.longitude,
    )  # bulk-inserted by the importer: no service ran
    assert stored() == set()
    _after_import([imported.reference])  # what an import queues once it commits
    assert stored() == {(a.pk, imported.pk)}


def test_the_rebuild_command_finds_the_same_pairs_as_the_incremental_refresh(researcher):
    made = [near(researcher, k, date_precision=p) for k, p in [(0, "day"), (3, "week"), (9, "day"), (400, "month")]]
    incremental = stored()
    assert incremental
    DuplicateCandidate.objects.all().delete()
    call_command("duplicates_rebuild", "--batch-size", "2")
    assert stored() == incremental
    assert all(duplicate_candidates(i, user=researcher) is not None for i in made)


def test_the_site_wide_list_shows_one_page_and_counts_only_visible_pairs(
    client, researcher, researcher2, desk, django_assert_max_num_queries
):
    researcher.groups.add(desk)
    for k in range(12):  # 66 pairs
        near(researcher, k)
    secret = near(researcher, 5, restricted=True, groups=[desk])  # 12 more, visible to desk members only
    client.force_login(researcher2)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("incidents:duplicates"))
    assert response.context["total"] == 66
    assert len(response.context["page"].object_list) == 50
    assert secret.reference not in response.content.decode()
    assert client.get(reverse("incidents:duplicates"), {"page": 2}).context["page"].object_list.__len__() == 16
    client.force_login(researcher)
    assert client.get(reverse("incidents:duplicates")).context["total"] == 78


def test_the_incident_page_panel_reads_the_stored_pairs(client, researcher):
    a, b = near(researcher), near(researcher, 1)
    DuplicateCandidate.objects.all().delete()  # as if nothing had been worked out
    client.force_login(researcher)
    assert b.reference not in client.get(a.get_absolute_url()).content.decode()
    duplicates_rebuild()
    assert b.reference in client.get(a.get_absolute_url()).content.decode()


def test_an_incident_cannot_be_marked_not_a_duplicate_of_itself(client, researcher):
    a = near(researcher)
    client.force_login(researcher)
    response = client.post(reverse("incidents:dismiss_duplicate", args=[a.reference, a.reference]))
    assert response.status_code == 400
    assert "itself" in response.content.decode()
    assert not DuplicateDismissal.objects.exists()


def test_an_incident_and_the_one_merged_into_it_cannot_be_dismissed_as_a_pair(client, researcher):
    a, b = near(researcher), near(researcher, 1)
    incident_merge(source=b, target=a, user=researcher, note="Same strike.")
    client.force_login(researcher)
    response = client.post(reverse("incidents:dismiss_duplicate", args=[a.reference, b.reference]))
    assert response.status_code in (302, 400)
    assert not DuplicateDismissal.objects.exists()
