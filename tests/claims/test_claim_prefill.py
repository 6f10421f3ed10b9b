"""The claim form starts from the incident (issue 20, item 8): its date and place are prefilled, and credibility
has no default: the researcher must choose it, and is told so when they do not."""

import datetime
from decimal import Decimal

import pytest

from tests import factories
from tests.claims.test_double_submit import key_from
from verify.claims.forms import ClaimForm
from verify.claims.models import Claim

pytestmark = pytest.mark.django_db


def test_a_new_claim_starts_with_the_incidents_date_and_place(client, researcher):
    ariha = factories.place("Ariha")
    incident = factories.incident(
        created_by=researcher,
        date_start=datetime.date(2015, 11, 29),
        date_end=datetime.date(2015, 12, 2),
        date_precision="week",
        place=ariha,
        location_precision="neighbourhood",
    )
    form = ClaimForm(incident=incident, user=researcher)
    assert form["event_date"].value() == datetime.date(2015, 11, 29)
    assert form["event_date_precision"].value() == "week"
    assert form["place"].value() == ariha.pk
    assert form["location_precision"].value() == "neighbourhood"
    assert form["credibility"].value() is None

    client.force_login(researcher)
    page = client.get(f"/incidents/{incident.reference}/claims/new/").content.decode()
    assert f'<option value="{ariha.pk}" selected>' in page
    assert 'value="2015-11-29"' in page
    assert '<option value="" selected>Choose…</option>' in page  # credibility: no rating chosen for them


def test_without_a_place_the_incidents_coordinates_are_the_start(researcher):
    incident = factories.incident(created_by=researcher, location_precision="exact")
    form = ClaimForm(incident=incident, user=researcher)
    assert form["place"].value() is None
    assert (form["latitude"].value(), form["longitude"].value()) == (Decimal("35.813740"), Decimal("36.609640"))
    assert form["location_precision"].value() == "exact"


def test_an_incident_with_no_date_prefills_no_date(researcher):
    incident = factories.incident(created_by=researcher, date_start=None, date_end=None, date_precision="unknown")
    assert ClaimForm(incident=incident, user=researcher)["event_date"].value() is None


def test_editing_a_claim_keeps_its_own_values(researcher):
    incident = factories.incident(created_by=researcher)
    claim = factories.claim(incident=incident, event_date=datetime.date(2015, 11, 30), credibility="2")
    form = ClaimForm(instance=claim, incident=incident, user=researcher)
    assert form["event_date"].value() == datetime.date(2015, 11, 30)
    assert form["credibility"].value() == "2"


def test_credibility_is_required_with_a_clear_message_and_nothing_is_saved(client, researcher, incident):
    source = factories.source("Local activists")
    client.force_login(researcher)
    url = f"/incidents/{incident.reference}/claims/new/"
    data = {"source": source.pk, "stance": "alleges", "event_date_precision": "day", "location_precision": "town"}
    response = client.post(url, {**data, "idempotency_key": key_from(client, url)})
    assert response.status_code == 200
    assert "Rate the credibility of this claim (1–6); choose 6 if it cannot be judged." in response.content.decode()
    assert not Claim.objects.exists()

    # Chosen explicitly, even "cannot be judged" is accepted.
    response = client.post(url, {**data, "credibility": "6", "idempotency_key": key_from(client, url)})
    assert response.status_code == 302
    assert Claim.objects.get().credibility == "6"
