"""The verdict form: a note always, a grade to verify, a rationale to override the suggestion, no stale verdicts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.review.conftest import fresh, signed_in
from verify.incidents import services as incident_services
from verify.incidents.models import Grade, Incident, Status
from verify.review import services
from verify.review.models import Notification, ReviewDecision


def post_verdict(client, incident, **data):
    payload = {
        "verdict": "verify",
        "grade": "fair",
        "note": "Checked both sources.",
        "version": fresh(incident).version,
    }
    payload.update(data)
    return client.post(reverse("review:decide", args=[incident.reference]), payload)


@pytest.fixture
def suggested_weak(in_review):
    """Cross-checking (issue 4) keeps these fields; here they are set as it would."""
    Incident.objects.filter(pk=in_review.pk).update(suggested_grade=Grade.WEAK, suggestion_reasons=["Only one source."])
    return fresh(in_review)


def test_verdict_form_shows_and_preselects_the_suggested_grade(suggested_weak, reviewer):
    response = signed_in(reviewer).get(suggested_weak.get_absolute_url())

    form = response.context["verdict_form"]
    assert form["grade"].value() == Grade.WEAK
    page = response.content.decode()
    assert "Only one source." in page
    assert '<option value="weak" selected>' in page


def test_verify_with_the_suggested_grade_needs_no_rationale(suggested_weak, reviewer):
    response = post_verdict(signed_in(reviewer), suggested_weak, grade="weak")

    assert response.status_code == 302
    incident = fresh(suggested_weak)
    assert (incident.status, incident.grade) == (Status.VERIFIED, Grade.WEAK)
    decision = ReviewDecision.objects.get()
    assert (decision.suggested_grade, decision.override_rationale) == (Grade.WEAK, "")


def test_overriding_the_suggestion_without_a_rationale_is_refused(suggested_weak, reviewer):
    response = post_verdict(signed_in(reviewer), suggested_weak, grade="fair")

    assert response.status_code == 400
    assert "explain why you set a different one" in response.content.decode()
    assert fresh(suggested_weak).status == Status.IN_REVIEW
    assert not ReviewDecision.objects.exists()
    # What the reviewer typed is still in the form.
    assert "Checked both sources." in response.content.decode()


def test_overriding_the_suggestion_with_a_rationale_is_recorded(suggested_weak, reviewer):
    response = post_verdict(
        signed_in(reviewer), suggested_weak, grade="fair", override_rationale="A second source came in today."
    )

    assert response.status_code == 302
    incident = fresh(suggested_weak)
    assert (incident.grade, incident.grade_rationale) == (Grade.FAIR, "A second source came in today.")
    decision = ReviewDecision.objects.get()
    assert (decision.grade, decision.suggested_grade, decision.override_rationale) == (
        Grade.FAIR,
        Grade.WEAK,
        "A second source came in today.",
    )


def test_the_service_refuses_an_override_without_rationale_too(suggested_weak, reviewer):
    with pytest.raises(services.ValidationError) as caught:
        services.review_decide(
            incident=suggested_weak,
            user=reviewer,
            verdict="verify",
            grade=Grade.CONFIRMED,
            note="n",
            expected_version=suggested_weak.version,
        )
    assert "override_rationale" in caught.value.message_dict


def test_an_unassessed_suggestion_is_overridden_only_with_a_rationale(in_review, reviewer):
    """Issue 12, problem 3: Unassessed is a suggestion like any other; setting a grade over it needs a reason."""
    assert in_review.suggested_grade == Grade.UNASSESSED

    refused = post_verdict(signed_in(reviewer), in_review, grade="contested")
    assert refused.status_code == 400
    assert fresh(in_review).status == Status.IN_REVIEW

    response = post_verdict(
        signed_in(reviewer), in_review, grade="contested", override_rationale="Two sides blame each other on video."
    )
    assert response.status_code == 302
    assert fresh(in_review).grade == Grade.CONTESTED


def test_confirmed_without_an_acknowledging_claim_needs_a_rationale(in_review, reviewer):
    Incident.objects.filter(pk=in_review.pk).update(suggested_grade=Grade.CONFIRMED)  # a stale suggestion
    in_review = fresh(in_review)
    with pytest.raises(ValidationError) as caught:
        services.review_decide(
            incident=in_review,
            user=reviewer,
            verdict="verify",
            grade=Grade.CONFIRMED,
            note="n",
            expected_version=in_review.version,
        )
    assert "override_rationale" in caught.value.message_dict


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": ""}, "note", "This field is required."),
        ({"note": "   "}, "note", "This field is required."),
        ({"grade": ""}, "grade", "Choose the final grade to verify."),
        ({"grade": "unassessed"}, "grade", "Select a valid choice."),
        ({"grade": "excellent"}, "grade", "Select a valid choice."),
        ({"verdict": "approve"}, "verdict", "Select a valid choice."),
        ({"verdict": ""}, "verdict", "This field is required."),
    ],
)
def test_bad_verdicts_are_refused_beside_the_field_and_nothing_is_saved(in_review, reviewer, data, field, message):
    response = post_verdict(signed_in(reviewer), in_review, **data)

    assert response.status_code == 400
    assert message in response.context["verdict_form"].errors[field][0]
    assert fresh(in_review).status == Status.IN_REVIEW
    assert not ReviewDecision.objects.exists()


def test_request_changes_needs_a_note_but_no_grade(in_review, reviewer, researcher2):
    response = post_verdict(signed_in(reviewer), in_review, verdict="request_changes", grade="", note="Add sources.")

    assert response.status_code == 302
    incident = fresh(in_review)
    assert (incident.status, incident.grade, incident.assigned_to) == (Status.CHANGES_REQUESTED, Grade.UNASSESSED, None)
    decision = ReviewDecision.objects.get()
    assert (decision.verdict, decision.grade, decision.note) == ("request_changes", "", "Add sources.")


def test_verdict_notifies_the_author(in_review, reviewer, researcher2):
    post_verdict(signed_in(reviewer), in_review, verdict="request_changes", note="Add the HRW report.")

    note = Notification.objects.get(recipient=researcher2)
    assert note.kind == Notification.Kind.VERDICT
    assert "requested changes" in note.text
    assert "Add the HRW report." in note.message
    assert not Notification.objects.filter(recipient=reviewer).exists()


def test_a_verdict_on_a_version_the_reviewer_did_not_read_is_refused_and_kept(in_review, reviewer, researcher):
    read_version = fresh(in_review).version
    incident_services.incident_update(
        incident=fresh(in_review), user=researcher, data={"title": "Changed meanwhile"}, expected_version=read_version
    )

    response = post_verdict(
        signed_in(reviewer), in_review, version=read_version, note="My careful note.", override_rationale="Seen."
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert f"you read version {read_version}, it is now version {read_version + 1}" in page
    assert "Your verdict has not been saved" in page
    assert "My careful note." in page
    assert ("title", "Market strike logged by Rami", "Changed meanwhile") in response.context["verdict_conflict"]
    assert "Changed since you read it" in page
    assert response.context["verdict_form"].data["version"] == read_version + 1
    assert fresh(in_review).status == Status.IN_REVIEW
    assert not ReviewDecision.objects.exists()

    again = post_verdict(
        signed_in(reviewer), in_review, version=read_version + 1, note="My careful note.", override_rationale="Seen."
    )
    assert again.status_code == 302
    assert fresh(in_review).status == Status.VERIFIED


def test_only_the_assigned_reviewer_can_give_the_verdict(in_review, db):
    from tests import factories

    other = factories.user("rosa", role="Reviewer")

    response = post_verdict(signed_in(other), in_review, override_rationale="Seen.")

    assert response.status_code == 302
    assert fresh(in_review).status == Status.IN_REVIEW
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("being reviewed by ravi, not by you" in m for m in messages)


def test_verdict_page_renders_the_incident_when_reached_by_get(in_review, reviewer):
    response = signed_in(reviewer).get(reverse("review:decide", args=[in_review.reference]))
    assert response.status_code == 302
    assert response.url == in_review.get_absolute_url()
