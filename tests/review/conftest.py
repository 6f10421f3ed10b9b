import pytest
from django.test import Client

from tests import factories
from verify.incidents.models import Incident
from verify.review import services


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(incident: Incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


@pytest.fixture
def draft(researcher2):
    """A draft logged by Rami, so that Rita (researcher) and Ravi (reviewer) are both free to act on it."""
    return factories.claimed_incident(created_by=researcher2, title="Market strike logged by Rami")


@pytest.fixture
def submitted(draft, researcher2):
    return services.incident_submit(incident=draft, user=researcher2)


@pytest.fixture
def in_review(submitted, reviewer):
    return services.review_take(incident=submitted, user=reviewer)
