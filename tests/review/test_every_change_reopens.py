"""Every way a verified record's substance can change sends it back to review (issue 12).

Each case starts from an incident verified through the workflow, makes one change the way a researcher would
(page, inline form, import, merge, evidence link and unlink) and checks that the incident is submitted again,
with a transition that says what changed.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from tests import factories
from tests.imports.conftest import run_import, verify_csv
from tests.incidents.test_views import claim_data
from tests.review.conftest import fresh, signed_in
from tests.review.test_core_integrity import edit_form_data
from verify.evidence import services as evidence_services
from verify.incidents.models import Grade, Incident, Status, StatusTransition
from verify.review import services
from verify.review.merging import incident_merge


@pytest.fixture
def verified(in_review, reviewer) -> Incident:
    services.review_decide(
        incident=in_review,
        user=reviewer,
        verdict="verify",
        grade=Grade.WEAK,
        override_rationale="One activist account, checked against the footage.",
        note="Checked.",
        expected_version=fresh(in_review).version,
    )
    incident = fresh(in_review)
    assert incident.status == Status.VERIFIED
    return incident


def edit_on_the_page(incident: Incident, researcher) -> None:
    data = {**edit_form_data(incident), "title": "Missile strike on the market, corrected"}
    response = signed_in(researcher).post(reverse("incidents:edit", args=[incident.reference]), data)
    assert response.status_code == 302


def add_a_claim_inline(incident: Incident, researcher) -> None:
    response = signed_in(researcher).post(
        reverse("incidents:claim_create", args=[incident.reference]),
        claim_data(factories.source("Civil Defence"), killed_min="12", killed_max="12"),
        HTTP_X_REQUESTED_WITH="claim-entry",
    )
    assert response.status_code == 200


def import_a_claim(incident: Incident, researcher) -> None:
    row = {
        "reference": incident.reference,
        "title": incident.title,
        "date_start": incident.date_start.isoformat(),
        "latitude": str(incident.latitude),
        "longitude": str(incident.longitude),
        "source": "Syrian Civil Defence",
        "stance": "corroborates",
        "killed_min": "9",
        "killed_max": "9",
    }
    checked, job = run_import(researcher, verify_csv([row]).encode())
    assert job is not None and job.status == "done", (checked.status, checked.rows_bad)


def merge_another_into_it(incident: Incident, researcher) -> None:
    other = factories.incident(created_by=researcher, title="Same strike, logged twice")
    factories.claim(incident=other)
    incident_merge(source=other, target=incident, user=researcher, note="The same strike, entered twice.")


def link_evidence(incident: Incident, researcher) -> None:
    item, _ = evidence_services.evidence_store(
        user=researcher,
        original_filename="note.txt",
        metadata={"title": "Witness note", "kind": "document"},
        chunks=[b"seen at noon"],
    )
    response = signed_in(researcher).post(
        reverse("evidence:incident_link", args=[item.pk]), {"incident": incident.reference}
    )
    assert response.status_code == 302


def unlink_evidence(incident: Incident, researcher) -> None:
    item, _ = evidence_services.evidence_store(
        user=researcher,
        original_filename="note.txt",
        metadata={"title": "Witness note", "kind": "document"},
        chunks=[b"seen at one"],
    )
    evidence_services.evidence_link(evidence=item, incident=incident, user=researcher)
    # Linking already reopened it: verify again so that the unlink is tested on its own.
    Incident.objects.filter(pk=incident.pk).update(status=Status.VERIFIED)
    StatusTransition.objects.filter(incident=incident).delete()
    response = signed_in(researcher).post(reverse("evidence:incident_unlink", args=[item.pk, incident.reference]))
    assert response.status_code == 302


WAYS: dict[str, tuple[Callable, str]] = {
    "page edit": (edit_on_the_page, "incident_edited"),
    "inline claim": (add_a_claim_inline, "claim_added"),
    "import": (import_a_claim, "imported"),
    "merge": (merge_another_into_it, "merged"),
    "evidence link": (link_evidence, "evidence_linked"),
    "evidence unlink": (unlink_evidence, "evidence_unlinked"),
}


@pytest.mark.parametrize("way", WAYS)
def test_a_change_to_a_verified_incident_sends_it_back_to_review(way, verified, researcher):
    change, code = WAYS[way]

    change(verified, researcher)

    incident = fresh(verified)
    assert incident.status == Status.SUBMITTED
    last = StatusTransition.objects.filter(incident=incident).last()
    assert (last.from_status, last.to_status) == (Status.VERIFIED, Status.SUBMITTED)
    assert last.params["change"] == code
