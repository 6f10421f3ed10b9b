"""The sources register: each source with its reliability and rationale, its claims, and its track record."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests import factories
from verify.claims.models import Stance
from verify.claims.track_record import track_records
from verify.incidents.models import Incident, Status

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verified(incident: Incident) -> Incident:
    Incident.objects.filter(pk=incident.pk).update(status=Status.VERIFIED)
    return incident


def test_track_record_counts_figures_within_the_other_sources_range_and_denials_of_verified(researcher, viewer):
    activists, amnesty, hrw = factories.source("Activists"), factories.source("Amnesty"), factories.source("HRW")
    ministry = factories.source("Ministry", affiliation=factories.actor("Forces"))
    market = verified(factories.incident(created_by=researcher))
    factories.claim(incident=market, source=activists, killed_min=34)
    factories.claim(incident=market, source=amnesty, killed_min=49, killed_max=49)
    factories.claim(incident=market, source=hrw, killed_min=40, killed_max=45)
    factories.claim(incident=market, source=ministry, stance=Stance.DENIES)
    draft = factories.incident(created_by=researcher)  # not verified: neither figures nor denials count
    factories.claim(incident=draft, source=activists, killed_min=500, killed_max=500)
    factories.claim(incident=draft, source=amnesty, killed_min=1, killed_max=1)
    factories.claim(incident=draft, source=ministry, stance=Stance.DENIES)

    records = track_records(viewer)

    # Activists' 34 lies below the others' 40–49, Amnesty's 49 above the others' 34–45, HRW's 40 within 34–49.
    assert (records[activists.pk].figures_within, records[activists.pk].figures_compared) == (0, 1)
    assert (records[amnesty.pk].figures_within, records[amnesty.pk].figures_compared) == (0, 1)
    assert (records[hrw.pk].figures_within, records[hrw.pk].figures_compared) == (1, 1)
    assert (records[ministry.pk].denials_of_verified, records[ministry.pk].denials) == (1, 2)
    assert records[ministry.pk].denials_text == "1 of 2 denials concern incidents later verified"
    assert records[activists.pk].claims == 2


def test_a_lone_figure_has_nothing_to_be_compared_with(researcher, viewer):
    source = factories.source()
    factories.claim(incident=verified(factories.incident(created_by=researcher)), source=source, killed_min=3)

    record = track_records(viewer)[source.pk]

    assert record.figures_compared == 0
    assert record.figures_text == "No figures to compare yet"


def test_register_lists_reliability_rationale_and_track_record(researcher, viewer):
    source = factories.source("Amnesty", reliability="B", reliability_rationale="Field research record.")
    other = factories.source("HRW")
    market = verified(factories.incident(created_by=researcher, title="Market strike"))
    factories.claim(incident=market, source=source, killed_min=49, killed_max=49)
    factories.claim(incident=market, source=other, killed_min=40, killed_max=50)
    client = client_for(viewer)

    listing = client.get(reverse("claims:source_list")).content.decode()
    detail = client.get(reverse("claims:source_detail", args=[source.pk])).content.decode()

    assert "B – Usually reliable" in listing and "1 of 1" in listing
    assert "Field research record." in detail
    assert "1 of 1 within the range of verified incidents" in detail
    assert "Market strike" in detail and "Alleges the attack" in detail


def test_restricted_claims_stay_out_of_the_register_for_non_members(researcher, researcher2, restricted_incident):
    source = factories.source("Desk source")
    factories.claim(incident=restricted_incident, source=source, stance=Stance.DENIES, killed_min=5)
    client = client_for(researcher2)  # a researcher outside the desk

    detail = client.get(reverse("claims:source_detail", args=[source.pk])).content.decode()
    listing = client.get(reverse("claims:source_list")).content.decode()

    assert "Restricted strike" not in detail and restricted_incident.reference not in detail
    assert "No claims you can see." in detail
    assert track_records(researcher2) == {}
    assert "Restricted strike" not in listing
    assert (
        "Restricted strike"
        in client_for(researcher).get(reverse("claims:source_detail", args=[source.pk])).content.decode()
    )


def test_outsider_sees_nothing_of_the_register(outsider):
    source = factories.source()
    client = client_for(outsider)

    assert client.get(reverse("claims:source_list")).status_code == 403
    assert client.get(reverse("claims:source_detail", args=[source.pk])).status_code == 404
