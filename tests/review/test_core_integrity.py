"""Issue 12's problems 3 to 6: each of these failed before the workflow had one owner."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tests.review.conftest import fresh, signed_in
from verify.claims.models import Stance
from verify.incidents import services as incident_services
from verify.incidents.models import Grade, Incident, Status
from verify.review import services
from verify.review.merging import incident_merge


def test_an_incident_without_claims_cannot_be_submitted(researcher2):
    bare = factories.incident(created_by=researcher2)

    with pytest.raises(ValidationError, match="at least one claim"):
        services.incident_submit(incident=bare, user=researcher2)
    assert fresh(bare).status == Status.DRAFT
    assert not bare.transitions.exists()


def test_an_incident_with_only_denials_cannot_be_submitted(researcher2):
    denied = factories.incident(created_by=researcher2)
    factories.claim(incident=denied, stance=Stance.DENIES)

    response = signed_in(researcher2).post(reverse("review:submit", args=[denied.reference]))

    assert response.status_code == 302
    assert fresh(denied).status == Status.DRAFT
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("at least one claim" in m for m in messages)


def test_confirmed_over_an_unassessed_suggestion_needs_a_rationale(in_review, reviewer):
    assert fresh(in_review).suggested_grade == Grade.UNASSESSED

    with pytest.raises(ValidationError) as caught:
        services.review_decide(
            incident=in_review,
            user=reviewer,
            verdict="verify",
            grade=Grade.CONFIRMED,
            note="Looks right.",
            expected_version=fresh(in_review).version,
        )
    assert set(caught.value.message_dict) == {"override_rationale"}
    assert fresh(in_review).status == Status.IN_REVIEW


def test_an_edit_with_a_real_change_says_saved_and_nothing_else(researcher2, draft):
    response = signed_in(researcher2).post(
        reverse("incidents:edit", args=[draft.reference]),
        {**edit_form_data(draft), "title": "Market strike, corrected"},
        follow=True,
    )

    texts = [str(m) for m in response.context["messages"]]
    assert any(t.startswith(f"Saved {draft.reference}") for t in texts)
    assert "Nothing changed." not in texts


def test_an_edit_without_a_change_says_nothing_changed_only(researcher2, draft):
    response = signed_in(researcher2).post(
        reverse("incidents:edit", args=[draft.reference]), edit_form_data(draft), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["Nothing changed."]


def test_a_save_that_changes_nothing_writes_no_version_and_no_history(researcher2, draft):
    before = fresh(draft)
    history_rows = before.history.count()

    changed = incident_services.incident_update(
        incident=before, user=researcher2, data={"title": before.title}, expected_version=before.version
    )

    assert changed == []
    after = fresh(draft)
    assert after.version == before.version
    assert after.history.count() == history_rows


def test_a_reviewer_gets_no_false_conflict_after_a_save_without_changes(in_review, reviewer, researcher2):
    read_version = fresh(in_review).version
    incident_services.incident_update(
        incident=fresh(in_review), user=researcher2, data={"title": in_review.title}, expected_version=read_version
    )

    decision = services.review_decide(
        incident=in_review,
        user=reviewer,
        verdict="request_changes",
        note="Add a second source.",
        expected_version=read_version,
    )
    assert decision.pk


def test_a_merge_needs_a_reason(researcher):
    kept, gone = factories.incident(created_by=researcher), factories.incident(created_by=researcher)

    with pytest.raises(ValidationError, match="Say why"):
        incident_merge(source=gone, target=kept, user=researcher, note="   ")
    assert fresh(gone).merged_into is None


def test_a_merge_is_in_the_kept_incidents_history_with_its_reason(researcher):
    kept, gone = factories.incident(created_by=researcher), factories.incident(created_by=researcher)
    factories.claim(incident=gone)

    incident_merge(source=gone, target=kept, user=researcher, note="Same Amnesty report, same street.")

    page = signed_in(researcher).get(kept.get_absolute_url()).content.decode()
    assert f"{gone.reference} was merged into this incident: Same Amnesty report, same street." in page


def test_the_list_finds_an_incident_by_the_reference_merged_into_it(researcher):
    kept, gone = factories.incident(created_by=researcher, title="Kept"), factories.incident(created_by=researcher)
    incident_merge(source=gone, target=kept, user=researcher, note="Duplicate entry.")

    found = Incident.objects.visible_to(researcher).search(gone.reference)
    assert list(found) == [kept]
    response = signed_in(researcher).get(reverse("incidents:list"), {"q": gone.reference})
    assert kept.reference in response.content.decode()


def edit_form_data(incident: Incident) -> dict:
    incident = fresh(incident)
    data = {
        "title": incident.title,
        "summary": incident.summary,
        "date_start": incident.date_start or "",
        "date_end": incident.date_end or "",
        "date_precision": incident.date_precision,
        "location_name": incident.location_name,
        "latitude": incident.latitude if incident.latitude is not None else "",
        "longitude": incident.longitude if incident.longitude is not None else "",
        "location_precision": incident.location_precision,
        "attack_type": incident.attack_type,
        "target_type": incident.target_type,
        "version": incident.version,
    }
    if incident.place_id:
        data["place"] = incident.place_id
    return data


def test_the_status_log_on_the_page_says_why_in_words(researcher2, draft):
    services.incident_submit(incident=draft, user=researcher2, note="Ready for a second look.")

    page = signed_in(researcher2).get(draft.get_absolute_url()).content.decode()

    assert "Submitted for review" in page
    assert "Ready for a second look." in page
