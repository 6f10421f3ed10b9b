"""The status machine, through the services: every allowed move, every refused one, every move recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from tests.review.conftest import fresh, signed_in
from verify.core.models import ConflictError
from verify.incidents import services as incident_services
from verify.incidents.models import Grade, Status, StatusTransition
from verify.incidents.workflow import transition_text
from verify.review import services
from verify.review.models import ReviewDecision
from verify.review.queries import review_queue


def moves(incident) -> list[tuple[str, str]]:
    return list(StatusTransition.objects.filter(incident=incident).values_list("from_status", "to_status"))


def test_submit_puts_a_draft_in_the_queue_and_records_who_and_when(draft, researcher2, reviewer):
    incident = services.incident_submit(incident=draft, user=researcher2, note="Ready for a second look.")

    assert incident.status == Status.SUBMITTED
    assert incident.submitted_at is not None
    transition = StatusTransition.objects.get(incident=draft)
    assert (transition.from_status, transition.to_status, transition.by, transition.note) == (
        Status.DRAFT,
        Status.SUBMITTED,
        researcher2,
        "Ready for a second look.",
    )
    assert transition.at is not None
    assert list(review_queue(reviewer)) == [draft]


def test_the_whole_road_to_verified_is_recorded_in_order(submitted, reviewer, researcher2):
    services.review_take(incident=submitted, user=reviewer)
    services.review_decide(
        incident=submitted,
        user=reviewer,
        verdict="verify",
        grade=Grade.FAIR,
        override_rationale="Two independent sources agree.",
        note="Two independent sources agree.",
        expected_version=fresh(submitted).version,
    )

    incident = fresh(submitted)
    assert (incident.status, incident.grade, incident.grade_rationale) == (
        Status.VERIFIED,
        Grade.FAIR,
        "Two independent sources agree.",
    )
    assert (incident.assigned_to, incident.assigned_at) == (None, None)
    assert moves(submitted) == [
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.VERIFIED),
    ]
    decision = ReviewDecision.objects.get(incident=submitted)
    assert (decision.reviewer, decision.verdict, decision.grade) == (reviewer, "verify", Grade.FAIR)


def test_changes_requested_goes_back_to_submitted_when_resubmitted(in_review, reviewer, researcher2):
    services.review_decide(
        incident=in_review,
        user=reviewer,
        verdict="request_changes",
        note="Add the Amnesty report.",
        expected_version=in_review.version,
    )
    assert fresh(in_review).status == Status.CHANGES_REQUESTED
    assert fresh(in_review).grade == Grade.UNASSESSED

    services.incident_submit(incident=in_review, user=researcher2, note="Added it.")

    assert fresh(in_review).status == Status.SUBMITTED
    assert moves(in_review)[-2:] == [
        (Status.IN_REVIEW, Status.CHANGES_REQUESTED),
        (Status.CHANGES_REQUESTED, Status.SUBMITTED),
    ]


def test_withdraw_takes_a_submitted_incident_back_to_draft_and_out_of_the_queue(submitted, researcher2, reviewer):
    services.incident_withdraw(incident=submitted, user=researcher2)

    incident = fresh(submitted)
    assert (incident.status, incident.submitted_at) == (Status.DRAFT, None)
    assert moves(submitted)[-1] == (Status.SUBMITTED, Status.DRAFT)
    assert list(review_queue(reviewer)) == []


def test_only_the_authors_may_withdraw(submitted, researcher):
    with pytest.raises(PermissionDenied, match="Only the researchers who wrote"):
        services.incident_withdraw(incident=submitted, user=researcher)
    assert fresh(submitted).status == Status.SUBMITTED


def test_release_puts_the_incident_back_in_the_queue_at_its_old_place(submitted, reviewer, researcher2):
    older = submitted
    newer = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
    services.review_take(incident=older, user=reviewer)
    assert list(review_queue(reviewer)) == [newer]

    services.review_release(incident=older, user=reviewer)

    incident = fresh(older)
    assert (incident.status, incident.assigned_to) == (Status.SUBMITTED, None)
    assert list(review_queue(reviewer)) == [older, newer]
    assert moves(older)[-1] == (Status.IN_REVIEW, Status.SUBMITTED)


def test_only_the_reviewer_who_took_it_may_release_it(in_review, db):
    other = factories.user("rosa", role="Reviewer")
    with pytest.raises(PermissionDenied, match="Only the reviewer who took"):
        services.review_release(incident=in_review, user=other)
    assert fresh(in_review).assigned_to.username == "ravi"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.SUBMITTED, "submit"),
        (Status.IN_REVIEW, "submit"),
        (Status.VERIFIED, "submit"),
        (Status.DRAFT, "withdraw"),
        (Status.IN_REVIEW, "withdraw"),
        (Status.VERIFIED, "withdraw"),
        (Status.DRAFT, "take"),
        (Status.VERIFIED, "take"),
        (Status.CHANGES_REQUESTED, "take"),
        (Status.DRAFT, "release"),
        (Status.SUBMITTED, "release"),
        (Status.DRAFT, "verify"),
        (Status.SUBMITTED, "verify"),
        (Status.VERIFIED, "verify"),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_error_and_change_nothing(
    status, action, draft, researcher2, reviewer
):
    type(draft).objects.filter(pk=draft.pk).update(status=status, assigned_to=reviewer)
    incident = fresh(draft)
    calls = {
        "submit": lambda: services.incident_submit(incident=incident, user=researcher2),
        "withdraw": lambda: services.incident_withdraw(incident=incident, user=researcher2),
        "take": lambda: services.review_take(incident=incident, user=reviewer),
        "release": lambda: services.review_release(incident=incident, user=reviewer),
        "verify": lambda: services.review_decide(
            incident=incident,
            user=reviewer,
            verdict="verify",
            grade="fair",
            override_rationale="Checked against the footage.",
            note="n",
            expected_version=1,
        ),
    }

    with pytest.raises(services.TransitionError) as caught:
        calls[action]()

    message = str(caught.value)
    assert incident.reference in message
    assert f"it is {Status(status).label.lower()}" in message
    assert fresh(draft).status == status
    assert fresh(draft).version == 1
    assert not StatusTransition.objects.filter(incident=draft).exists()


def test_taking_an_item_someone_else_took_says_who(in_review, db):
    other = factories.user("rosa", role="Reviewer")
    with pytest.raises(services.TransitionError, match="was taken by"):
        services.review_take(incident=in_review, user=other)


def test_every_transition_bumps_the_version_so_stale_edit_forms_are_refused(draft, researcher, researcher2, reviewer):
    assert draft.version == 1
    services.incident_submit(incident=draft, user=researcher2)
    services.review_take(incident=draft, user=reviewer)
    assert fresh(draft).version == 3

    # An edit form opened on version 1, before the reviewer took it, must not write the old status back.
    with pytest.raises(ConflictError):
        incident_services.incident_update(incident=draft, user=researcher, data={"title": "Stale"}, expected_version=1)
    incident = fresh(draft)
    assert (incident.status, incident.assigned_to, incident.title) == (
        Status.IN_REVIEW,
        reviewer,
        "Market strike logged by Rami",
    )


def test_transitions_appear_in_the_incident_history(in_review, reviewer):
    reasons = list(in_review.history.values_list("history_change_reason", flat=True))
    assert "status:in_review" in reasons
    assert "status:submitted" in reasons
    page = signed_in(reviewer).get(in_review.get_absolute_url()).content.decode()
    assert "Status: In review" in page
    assert in_review.history.filter(status=Status.IN_REVIEW, history_user=reviewer).exists()


# --- a verified incident that is edited goes back to the queue -----------------------------------


def verify(incident, reviewer, grade=Grade.FAIR):
    services.review_take(incident=incident, user=reviewer)
    return services.review_decide(
        incident=incident,
        user=reviewer,
        verdict="verify",
        grade=grade,
        override_rationale="Checked against the footage.",
        note="Checked.",
        expected_version=fresh(incident).version,
    )


def test_editing_a_verified_incident_sends_it_back_to_the_queue_and_says_so(submitted, reviewer, researcher):
    verify(submitted, reviewer)
    assert list(review_queue(reviewer)) == []

    incident_services.incident_update(
        incident=fresh(submitted),
        user=researcher,
        data={"summary": "Corrected toll."},
        expected_version=fresh(submitted).version,
    )

    incident = fresh(submitted)
    assert incident.status == Status.SUBMITTED
    assert list(review_queue(reviewer)) == [incident]
    last = StatusTransition.objects.filter(incident=submitted).last()
    assert (last.from_status, last.to_status, last.by) == (Status.VERIFIED, Status.SUBMITTED, researcher)
    assert last.params["change"] == "incident_edited"
    assert "back to review" in transition_text(last)
    assert incident.last_edited_by == researcher


def test_editing_a_verified_incident_through_the_page_shows_it_went_back(submitted, reviewer, researcher):
    from tests.incidents.test_views import incident_data
    from tests.review.conftest import signed_in

    verify(submitted, reviewer)
    client = signed_in(researcher)
    url = f"/incidents/{submitted.reference}/edit/"
    response = client.post(url, incident_data(title="A corrected title", version=fresh(submitted).version), follow=True)

    assert response.status_code == 200
    assert fresh(submitted).status == Status.SUBMITTED
    page = response.content.decode()
    assert f"{submitted.reference} was verified; this change sends it back to review." in page
    assert "back to review" in page
    assert submitted.reference in signed_in(reviewer).get("/review/").content.decode()


def test_verdict_requires_a_note_in_the_service_too(in_review, reviewer):
    with pytest.raises(ValidationError) as caught:
        services.review_decide(
            incident=in_review,
            user=reviewer,
            verdict="verify",
            grade=Grade.FAIR,
            override_rationale="Checked against the footage.",
            note="  ",
            expected_version=in_review.version,
        )
    assert "note" in caught.value.message_dict
    assert fresh(in_review).status == Status.IN_REVIEW
    assert not ReviewDecision.objects.exists()
