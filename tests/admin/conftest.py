"""A small world for the admin tests: a staff member who is not a superuser, a superuser, and one record of each
kind attached to a restricted incident, so a leak of any of them shows up as the restricted title or reference."""

import pytest
from django.contrib.auth.models import User

from tests import factories
from tests.evidence.conftest import jpeg
from verify.evidence.services import evidence_store
from verify.review.models import Comment


@pytest.fixture
def staff(admin_user) -> User:
    """The Admin role with is_staff, but not a superuser: everything Django would let into its admin."""
    admin_user.is_staff = True
    admin_user.save()
    return admin_user


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="pw-for-tests-123")


@pytest.fixture
def restricted_world(researcher, restricted_incident):
    claim = factories.claim(incident=restricted_incident, excerpt="Restricted excerpt")
    item, _ = evidence_store(
        user=researcher,
        chunks=[jpeg(seed=7)],
        original_filename="restricted.jpg",
        metadata={"title": "Restricted photo", "kind": "photo"},
        incident=restricted_incident,
    )
    comment = Comment.objects.create(incident=restricted_incident, author=researcher, body="Restricted comment")
    return {"incident": restricted_incident, "claim": claim, "evidence": item, "comment": comment}


@pytest.fixture
def staff_researcher(researcher2) -> User:
    """A researcher with is_staff, outside the restricted incident's groups."""
    researcher2.is_staff = True
    researcher2.save()
    return researcher2
