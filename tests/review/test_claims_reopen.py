"""Claims are the substance of a record: changing one on a verified incident sends it back to review."""

import pytest

from tests import factories
from tests.review.conftest import fresh
from verify.claims import services as claim_services
from verify.claims.models import Stance
from verify.core.models import ConflictError
from verify.incidents.models import Grade, Status, StatusTransition
from verify.incidents.workflow import transition_text
from verify.review import services


@pytest.fixture
def verified(in_review, reviewer):
    services.review_decide(
        incident=in_review,
        user=reviewer,
        verdict="verify",
        grade=Grade.WEAK,
        note="One source, checked.",
        override_rationale="Test fixture grade.",
        expected_version=fresh(in_review).version,
    )
    incident = fresh(in_review)
    assert incident.status == Status.VERIFIED
    return incident


def test_adding_a_claim_to_a_verified_incident_sends_it_back_to_the_queue(verified, researcher):
    claim_services.claim_create(
        user=researcher, incident=verified, data={"source": factories.source("Civil Defence"), "stance": Stance.ALLEGES}
    )

    incident = fresh(verified)
    assert incident.status == Status.SUBMITTED
    last = StatusTransition.objects.filter(incident=verified).last()
    assert (last.from_status, last.to_status, last.by) == (Status.VERIFIED, Status.SUBMITTED, researcher)
    assert last.params == {"change": "claim_added", "source": "Civil Defence"}
    assert "Civil Defence" in transition_text(last)


def test_editing_and_deleting_claims_of_a_verified_incident_reopen_it(verified, researcher, reviewer):
    claim = factories.claim(incident=verified, created_by=researcher)
    claim_services.claim_update(claim=claim, user=researcher, data={"killed_min": 3}, expected_version=claim.version)
    assert fresh(verified).status == Status.SUBMITTED

    incident = services.review_take(incident=fresh(verified), user=reviewer)
    services.review_decide(
        incident=incident,
        user=reviewer,
        verdict="verify",
        grade=Grade.WEAK,
        note="Checked again.",
        override_rationale="Test grade.",
        expected_version=fresh(incident).version,
    )
    claim_services.claim_delete(claim=claim, user=researcher)
    assert fresh(verified).status == Status.SUBMITTED


def test_a_claim_added_during_review_makes_the_reviewers_verdict_stale(in_review, reviewer, researcher):
    seen = fresh(in_review).version
    claim_services.claim_create(
        user=researcher, incident=in_review, data={"source": factories.source("Activists"), "stance": Stance.ALLEGES}
    )
    assert fresh(in_review).status == Status.IN_REVIEW
    with pytest.raises(ConflictError):
        services.review_decide(
            incident=in_review,
            user=reviewer,
            verdict="verify",
            grade=Grade.WEAK,
            note="Based on what I saw.",
            override_rationale="Test grade.",
            expected_version=seen,
        )
