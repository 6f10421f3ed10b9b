"""Dates before 1900 (or typed as year 1) are refused everywhere, and extreme dates never break a page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests import factories
from verify.incidents.duplicates import duplicate_candidates
from verify.incidents.models import Incident
from verify.lib.proximity import widened, windows_overlap

pytestmark = pytest.mark.django_db


def test_widening_the_first_and_last_representable_dates_does_not_overflow():
    early = widened(date.min, None, 31)
    late = widened(date.max, date.max, 31)
    assert early.start == date.min and late.end == date.max
    assert windows_overlap(early, widened(date(1, 1, 5), None, 0))


def test_an_incident_dated_year_1_in_memory_does_not_break_the_duplicate_search(researcher):
    factories.incident(created_by=researcher)
    ancient = Incident(pk=10_000, date_start=date(1, 1, 1), date_end=date(1, 1, 1), latitude=35.8, longitude=36.6)
    assert duplicate_candidates(ancient, user=researcher) == []


def test_the_incident_form_refuses_a_date_before_1900(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("incidents:create"),
        {
            "title": "Old",
            "date_start": "0001-01-01",
            "date_precision": "day",
            "location_precision": "town",
            "attack_type": "other",
            "target_type": "unknown",
        },
    )
    assert response.status_code == 200
    assert "1900" in response.content.decode()
    assert not Incident.objects.exists()


def test_incident_create_refuses_a_date_before_1900(researcher):
    with pytest.raises(ValidationError) as caught:
        factories.incident(created_by=researcher, date_start=date(1899, 12, 31), date_end=date(1900, 1, 2))
    assert "date_start" in caught.value.message_dict
    assert not Incident.objects.exists()


def test_incident_edit_refuses_a_date_end_in_the_future(researcher):
    incident = factories.incident(created_by=researcher)
    from verify.incidents.services import incident_update

    with pytest.raises(ValidationError):
        incident_update(
            incident=incident,
            user=researcher,
            data={"date_end": date.today() + timedelta(days=400)},
            expected_version=incident.version,
        )


def test_the_database_refuses_a_date_before_1900(researcher):
    incident = factories.incident(created_by=researcher)
    for field in ("date_start", "date_end"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Incident.objects.filter(pk=incident.pk).update(**{field: date(1, 1, 1)})


@pytest.mark.parametrize("field", ["published_on", "event_date"])
def test_a_claim_dated_before_1900_is_refused(researcher, field):
    incident = factories.incident(created_by=researcher)
    with pytest.raises(ValidationError) as caught:
        factories.claim(incident=incident, **{field: date(1, 1, 1)})
    assert field in caught.value.message_dict
