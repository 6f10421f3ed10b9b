"""Who may do what, asserted on the server through the pages: a role-by-action matrix and the two-person rule."""

import pytest
from django.urls import reverse

from tests import factories
from tests.incidents.test_views import incident_data
from tests.review.conftest import fresh, signed_in
from verify.incidents import services as incident_services
from verify.incidents.models import Grade, Incident, Status
from verify.review import services
from verify.review.models import Comment, ReviewDecision

ROLES = ["researcher", "reviewer", "viewer", "outsider"]
ACTIONS = ["create", "edit", "submit", "take", "verify", "request_changes", "comment"]

# What each role gets; "ok" means the action happened (checked in the database), a number is the status code.
EXPECTED = {
    "researcher": {
        "create": "ok",
        "edit": "ok",
        "submit": "ok",
        "take": 403,
        "verify": 403,
        "request_changes": 403,
        "comment": "ok",
    },
    "reviewer": {
        "create": "ok",
        "edit": "ok",
        "submit": "ok",
        "take": "ok",
        "verify": "ok",
        "request_changes": "ok",
        "comment": "ok",
    },
    "viewer": {
        "create": 403,
        "edit": 403,
        "submit": 403,
        "take": 403,
        "verify": 403,
        "request_changes": 403,
        "comment": 403,
    },
    "outsider": {
        "create": 403,
        "edit": 404,
        "submit": 404,
        "take": 404,
        "verify": 404,
        "request_changes": 404,
        "comment": 404,
    },
}


def setup_for(action: str, author, reviewer) -> Incident:
    """An incident by `author` in the state the action starts from."""
    incident = factories.claimed_incident(created_by=author, title="Strike under test")
    if action in ("take", "verify", "request_changes"):
        services.incident_submit(incident=incident, user=author)
    if action in ("verify", "request_changes"):
        # Taken by the role under test if it may review; otherwise by another reviewer.
        services.review_take(incident=incident, user=reviewer)
    return fresh(incident)


def perform(client, action: str, incident: Incident):
    ref = incident.reference
    if action == "create":
        return client.post(reverse("incidents:create"), incident_data(title="Created in the matrix"))
    if action == "edit":
        return client.post(
            reverse("incidents:edit", args=[ref]), incident_data(title="Edited in the matrix", version=incident.version)
        )
    if action == "submit":
        return client.post(reverse("review:submit", args=[ref]))
    if action == "take":
        return client.post(reverse("review:take", args=[ref]))
    if action in ("verify", "request_changes"):
        data = {
            "verdict": "verify" if action == "verify" else "request_changes",
            "grade": "fair",
            "override_rationale": "Checked against the footage.",
            "note": "Matrix note.",
            "version": incident.version,
        }
        return client.post(reverse("review:decide", args=[ref]), data)
    if action == "comment":
        return client.post(reverse("review:comment", args=[ref]), {"body": "A comment from the matrix."})
    raise AssertionError(action)


def happened(action: str, incident: Incident, user) -> bool:
    if action == "create":
        return Incident.objects.filter(title="Created in the matrix", created_by=user).exists()
    current = fresh(incident)
    return {
        "edit": current.title == "Edited in the matrix",
        "submit": current.status == Status.SUBMITTED,
        "take": current.status == Status.IN_REVIEW and current.assigned_to == user,
        "verify": current.status == Status.VERIFIED and current.grade == Grade.FAIR,
        "request_changes": current.status == Status.CHANGES_REQUESTED,
        "comment": Comment.objects.filter(incident=incident, author=user).exists(),
    }[action]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_by_action_matrix(role, action, request, researcher2):
    user = request.getfixturevalue(role)
    other_reviewer = factories.user("rosa", role="Reviewer")
    taker = user if role == "reviewer" else other_reviewer
    incident = setup_for(action, researcher2, taker)
    expected = EXPECTED[role][action]

    response = perform(signed_in(user), action, incident)

    if expected == "ok":
        assert response.status_code in (200, 302), response.content[:500]
        assert happened(action, incident, user)
    else:
        assert response.status_code == expected
        assert not happened(action, incident, user)


def test_the_matrix_covers_every_role_and_action():
    assert set(EXPECTED) == set(ROLES)
    assert all(set(row) == set(ACTIONS) for row in EXPECTED.values())


# --- two-person rule -------------------------------------------------------------------------------


def test_reviewer_cannot_take_their_own_incident(reviewer):
    own = services.incident_submit(incident=factories.claimed_incident(created_by=reviewer), user=reviewer)

    response = signed_in(reviewer).post(reverse("review:take", args=[own.reference]), follow=True)

    assert fresh(own).status == Status.SUBMITTED
    assert "two-person rule" in response.content.decode()
    assert "You logged this incident" in response.content.decode()


def test_reviewer_who_made_the_last_substantive_edit_cannot_take_it(reviewer, researcher2, draft):
    incident_services.incident_update(
        incident=draft, user=reviewer, data={"summary": "Reviewer's edit."}, expected_version=1
    )
    services.incident_submit(incident=draft, user=researcher2)

    with pytest.raises(services.PermissionDenied, match="last substantive edit"):
        services.review_take(incident=draft, user=reviewer)
    assert fresh(draft).status == Status.SUBMITTED


def test_reviewer_who_edited_earlier_may_review_once_someone_else_edited_after(
    reviewer, researcher, researcher2, draft
):
    incident_services.incident_update(
        incident=draft, user=reviewer, data={"summary": "Reviewer's edit."}, expected_version=1
    )
    incident_services.incident_update(
        incident=draft, user=researcher, data={"summary": "Rita's edit."}, expected_version=2
    )
    services.incident_submit(incident=draft, user=researcher2)

    assert services.review_refusal(fresh(draft), reviewer) is None
    services.review_take(incident=draft, user=reviewer)
    assert fresh(draft).assigned_to == reviewer


def test_reviewer_who_edited_a_claim_cannot_review(reviewer, submitted):
    factories.claim(incident=submitted, created_by=reviewer, last_edited_by=reviewer)

    with pytest.raises(services.PermissionDenied, match="claims"):
        services.review_take(incident=submitted, user=reviewer)


def test_reviewer_who_edits_during_review_can_no_longer_give_the_verdict(in_review, reviewer):
    incident_services.incident_update(
        incident=in_review, user=reviewer, data={"title": "Fixed by the reviewer"}, expected_version=in_review.version
    )
    client = signed_in(reviewer)
    version = fresh(in_review).version

    response = client.post(
        reverse("review:decide", args=[in_review.reference]),
        {
            "verdict": "verify",
            "grade": "fair",
            "override_rationale": "Checked.",
            "note": "Fine now.",
            "version": version,
        },
        follow=True,
    )

    assert fresh(in_review).status == Status.IN_REVIEW
    assert not ReviewDecision.objects.exists()
    assert "last substantive edit" in response.content.decode()


def test_take_next_skips_the_reviewers_own_work(reviewer, researcher2):
    own = services.incident_submit(incident=factories.claimed_incident(created_by=reviewer), user=reviewer)
    other = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
    assert own.submitted_at < other.submitted_at

    taken = services.review_take_next(user=reviewer)

    assert taken == other
    assert services.review_take_next(user=reviewer) is None
    assert fresh(own).status == Status.SUBMITTED


def test_assigning_to_the_author_is_refused(submitted, reviewer, researcher2, db):
    lead = factories.user("lena", role="Reviewer")
    researcher2.groups.add(*lead.groups.all())  # Rami is a reviewer too, and the author

    with pytest.raises(services.PermissionDenied, match="rami cannot review it"):
        services.review_assign(incident=submitted, reviewer=researcher2, by=lead)
    assert fresh(submitted).status == Status.SUBMITTED


def test_own_incident_page_hides_the_take_and_verdict_buttons(reviewer):
    own = services.incident_submit(incident=factories.claimed_incident(created_by=reviewer), user=reviewer)

    page = signed_in(reviewer).get(own.get_absolute_url()).content.decode()

    assert "Take for review" not in page
    assert "Give verdict" not in page
    assert "two-person rule" in page


def test_queue_marks_own_work_instead_of_offering_take(reviewer, researcher2):
    own = services.incident_submit(incident=factories.claimed_incident(created_by=reviewer), user=reviewer)
    other = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)

    page = signed_in(reviewer).get(reverse("review:queue")).content.decode()

    assert f'aria-label="Take {other.reference}"' in page
    assert f'aria-label="Take {own.reference}"' not in page
    assert "Your work" in page


# --- restricted incidents --------------------------------------------------------------------------


def test_restricted_incident_actions_are_404_for_a_reviewer_outside_its_groups(
    restricted_incident, researcher, reviewer
):
    factories.claim(incident=restricted_incident)
    services.incident_submit(incident=restricted_incident, user=researcher)
    client = signed_in(reviewer)
    for name in ("take", "submit", "withdraw", "release", "comment", "decide", "assign"):
        response = client.post(reverse(f"review:{name}", args=[restricted_incident.reference]), {"body": "x"})
        assert response.status_code == 404, name
    assert services.review_take_next(user=reviewer) is None
    assert fresh(restricted_incident).status == Status.SUBMITTED
    page = client.get(reverse("review:queue")).content.decode()
    assert restricted_incident.reference not in page
    assert "0 incidents waiting" in page


def test_restricted_incident_is_in_the_queue_for_a_reviewer_in_its_group(
    restricted_incident, researcher, reviewer, desk
):
    factories.claim(incident=restricted_incident)
    services.incident_submit(incident=restricted_incident, user=researcher)
    reviewer.groups.add(desk)

    page = signed_in(reviewer).get(reverse("review:queue")).content.decode()

    assert restricted_incident.reference in page
    assert services.review_take_next(user=reviewer) == restricted_incident
