"""Evidence against the incident (issue 20, item 10): the incident page warns when a photo's capture time falls
outside the incident's date window or its GPS position outside the precision circle; the claims panel shows
evidence that contradicts a claim and the checks that evidence failed. Nothing from evidence the reader cannot
see."""

import re

import pytest

from tests import factories
from tests.evidence.conftest import jpeg, upload
from verify.evidence.models import EvidenceItem
from verify.evidence.services import evidence_link_claim, evidence_process, verification_check_add

pytestmark = pytest.mark.django_db

MISFITS = "Evidence that does not fit this incident"


def uploaded(client, incident, name: str, content: bytes, **fields) -> EvidenceItem:
    [result] = upload(client, [(name, content)], incident=incident.reference, title=name, **fields).json()["results"]
    evidence_process(evidence_id=result["id"])  # what the queued task does after the upload commits
    item = EvidenceItem.objects.get(pk=result["id"])
    assert item.processing_status == "done", item.processing_error
    return item


def test_a_photo_taken_weeks_before_and_far_away_is_flagged_on_the_incident_page(client, researcher, viewer, incident):
    client.force_login(researcher)
    # The incident: 29 Nov 2015 (exact day), Ariha, town precision (5 km).
    fits = uploaded(client, incident, "on-the-day.jpg", jpeg(seed=1, taken="2015:11:29 14:00:00", gps=(35.812, 36.61)))
    early = uploaded(client, incident, "old-photo.jpg", jpeg(seed=2, taken="2015:11:01 09:30:00"))
    far = uploaded(client, incident, "aleppo.jpg", jpeg(seed=3, taken="2015:11:29 15:00:00", gps=(36.2, 37.15)))
    assert early.captured_at and far.has_position and fits.has_position

    client.force_login(viewer)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert MISFITS in page
    box = page[page.index(MISFITS) : page.index("</ul>", page.index(MISFITS))]
    assert "old-photo.jpg" in box and "taken 28 days before the incident" in box
    assert "aleppo.jpg" in box
    assert re.search(
        r"its GPS position is [\d.,]+ km from the incident, outside its precision circle of ± 5,000 m", box
    )
    assert "on-the-day.jpg" not in box


def test_a_window_with_a_week_of_precision_tolerates_a_photo_a_few_days_off(client, researcher):
    incident = factories.incident(created_by=researcher, date_precision="week")
    client.force_login(researcher)
    uploaded(client, incident, "days-later.jpg", jpeg(seed=4, taken="2015:12:03 10:00:00"))
    assert MISFITS not in client.get(incident.get_absolute_url()).content.decode()


def test_the_claims_panel_shows_contradicting_evidence_and_failed_checks(client, researcher, reviewer, incident):
    denial = factories.claim(incident=incident, stance="denies", credibility="4")
    allegation = factories.claim(incident=incident, credibility="2")
    client.force_login(researcher)
    crater = uploaded(client, incident, "crater.jpg", jpeg(seed=5))
    evidence_link_claim(evidence=crater, claim=denial, relation="contradicts", user=researcher)
    evidence_link_claim(evidence=crater, claim=allegation, relation="supports", user=researcher)
    verification_check_add(evidence=crater, kind="geolocated", result="fail", note="No match", user=reviewer)
    verification_check_add(evidence=crater, kind="source_identified", result="pass", note="", user=reviewer)

    page = client.get(incident.get_absolute_url()).content.decode()
    panel = page[page.index('id="claims-panel"') : page.index("</section>", page.index('id="claims-panel"'))]
    denial_row = panel[panel.index(f'data-claim="{denial.pk}"') :]
    denial_row = denial_row[: denial_row.index("</tr>")]
    assert "Contradicted by evidence" in denial_row and "crater.jpg" in denial_row
    assert "failed check: Geolocated" in denial_row and "Source identified" not in denial_row
    allegation_row = panel[panel.index(f'data-claim="{allegation.pk}"') :]
    allegation_row = allegation_row[: allegation_row.index("</tr>")]
    assert "Supported by evidence" in allegation_row and "Contradicted" not in allegation_row


def test_restricted_evidence_leaves_no_trace_in_the_claims_panel_or_the_warnings(
    client, researcher, viewer, desk, incident
):
    researcher.groups.add(desk)
    hidden_incident = factories.incident(created_by=researcher, restricted=True, groups=[desk])
    client.force_login(researcher)
    secret = uploaded(
        client, hidden_incident, "secret-witness.jpg", jpeg(seed=6, taken="2014:01:01 10:00:00", gps=(33.5, 36.3))
    )
    assert not EvidenceItem.objects.visible_to(viewer).filter(pk=secret.pk).exists()
    claim = factories.claim(incident=incident)
    evidence_link_claim(evidence=secret, claim=claim, relation="contradicts", user=researcher)
    client.force_login(viewer)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "secret-witness.jpg" not in page and "Contradicted by evidence" not in page and MISFITS not in page
