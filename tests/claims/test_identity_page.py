"""Issue 13: on the incident page, an actor and its branch are one perpetrator, named once."""

from django.test import Client

from tests import factories
from verify.claims.crosscheck import incident_crosscheck
from verify.claims.models import Actor


def test_a_force_and_its_branch_are_one_perpetrator_named_together(researcher, incident):
    russia = factories.actor("Armed Forces of Russia")
    aerospace = factories.actor("Russian Aerospace Forces", parent=russia)
    factories.claim(incident=incident, perpetrator=russia, source=factories.source("Local activists"))
    factories.claim(incident=incident, perpetrator=aerospace, source=factories.source("Amnesty"))

    check = incident_crosscheck(incident)
    assert not [d for d in check.disagreements if d.column == "perpetrator"]
    assert check.perpetrator == "Armed Forces of Russia (Russian Aerospace Forces)"

    client = Client()
    client.force_login(researcher)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Perpetrator named: Armed Forces of Russia (Russian Aerospace Forces)" in page


def test_two_states_forces_compete_and_no_single_perpetrator_is_named(researcher, incident):
    factories.claim(incident=incident, perpetrator=factories.actor("Armed Forces of Russia"))
    factories.claim(incident=incident, perpetrator=factories.actor("Syrian Arab Armed Forces"))

    check = incident_crosscheck(incident)
    assert [d for d in check.disagreements if d.column == "perpetrator"]
    assert check.perpetrator is None
    assert Actor.objects.count() == 2
