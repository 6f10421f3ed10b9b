"""Comments with @mentions, notifications and their unread count, and the pages that show them."""

import pytest
from django.urls import reverse

from tests import factories
from tests.review.conftest import signed_in
from verify.review import services
from verify.review.models import Comment, Notification


def post_comment(client, incident, body):
    return client.post(reverse("review:comment", args=[incident.reference]), {"body": body})


def test_comment_is_posted_and_shown_in_the_thread(draft, researcher):
    response = post_comment(signed_in(researcher), draft, "The casualty figures differ by 15.")

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.incident, comment.author, comment.body) == (draft, researcher, "The casualty figures differ by 15.")
    page = signed_in(researcher).get(draft.get_absolute_url()).content.decode()
    assert "The casualty figures differ by 15." in page


def test_an_empty_comment_is_refused_and_nothing_is_saved(draft, researcher):
    response = post_comment(signed_in(researcher), draft, "   ")

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_script_in_a_comment_is_shown_as_text(draft, researcher):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> @rami'
    post_comment(signed_in(researcher), draft, hostile)

    page = signed_in(researcher).get(draft.get_absolute_url()).content.decode()

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<strong class="mention">@rami</strong>' in page


def test_mention_notifies_the_user_who_can_see_the_incident(draft, researcher, reviewer):
    post_comment(signed_in(researcher), draft, "@ravi could you check the date? Thanks @ravi.")

    note = Notification.objects.get()
    assert (note.recipient, note.actor, note.kind, note.incident) == (
        reviewer,
        researcher,
        Notification.Kind.MENTION,
        draft,
    )
    assert note.comment == Comment.objects.get()
    assert draft.reference in note.text
    assert "could you check the date" in note.message


def test_mentions_of_unknown_users_self_and_email_addresses_notify_nobody(draft, researcher):
    post_comment(signed_in(researcher), draft, "@nobody @rita and mail rita@example.org")

    assert not Notification.objects.exists()


def test_mentioning_someone_who_cannot_see_a_restricted_incident_tells_them_nothing(
    restricted_incident, researcher, reviewer
):
    post_comment(signed_in(researcher), restricted_incident, "@ravi have a look")

    assert not Notification.objects.filter(recipient=reviewer).exists()
    page = signed_in(reviewer).get(reverse("review:notifications")).content.decode()
    assert restricted_incident.reference not in page


def test_notifications_about_an_incident_that_became_restricted_disappear(draft, researcher, reviewer, desk):
    post_comment(signed_in(researcher), draft, "@ravi have a look")
    assert Notification.objects.for_user(reviewer).unread().count() == 1

    type(draft).objects.filter(pk=draft.pk).update(restricted=True)
    draft.allowed_groups.set([desk])

    client = signed_in(reviewer)
    assert Notification.objects.for_user(reviewer).unread().count() == 0
    assert draft.reference not in client.get(reverse("review:notifications")).content.decode()
    note = Notification.objects.get()
    response = client.get(reverse("review:notification_open", args=[note.pk]))
    assert response.url == reverse("review:notifications")


def test_unread_count_in_the_header_and_mark_read(draft, researcher, reviewer):
    post_comment(signed_in(researcher), draft, "@ravi one")
    post_comment(signed_in(researcher), draft, "@ravi two")
    client = signed_in(reviewer)

    page = client.get(reverse("dashboard")).content.decode()
    assert 'aria-label="2 unread"' in page

    one = Notification.objects.filter(recipient=reviewer).first()
    client.post(reverse("review:notifications_read"), {"notification": one.pk})
    assert 'aria-label="1 unread"' in client.get(reverse("dashboard")).content.decode()

    client.post(reverse("review:notifications_read"))
    page = client.get(reverse("dashboard")).content.decode()
    assert "unread" not in page
    assert Notification.objects.filter(recipient=reviewer, read_at__isnull=True).count() == 0


def test_a_user_cannot_mark_someone_elses_notification_read(draft, researcher, reviewer, viewer):
    post_comment(signed_in(researcher), draft, "@ravi look")
    note = Notification.objects.get()

    signed_in(viewer).post(reverse("review:notifications_read"), {"notification": note.pk})
    response = signed_in(viewer).get(reverse("review:notification_open", args=[note.pk]))

    note.refresh_from_db()
    assert note.read_at is None
    assert response.url == reverse("review:notifications")


def test_opening_a_notification_marks_it_read_and_goes_to_the_discussion(draft, researcher, reviewer):
    post_comment(signed_in(researcher), draft, "@ravi look")
    note = Notification.objects.get()

    response = signed_in(reviewer).get(reverse("review:notification_open", args=[note.pk]))

    assert response.url == draft.get_absolute_url() + "#discussion-h"
    note.refresh_from_db()
    assert note.read_at is not None


def test_assigning_an_item_notifies_the_assignee(submitted, reviewer):
    lead = factories.user("lena", role="Reviewer")

    response = signed_in(lead).post(reverse("review:assign", args=[submitted.reference]), {"reviewer": reviewer.pk})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.assigned_to == reviewer
    note = Notification.objects.get(recipient=reviewer)
    assert note.kind == Notification.Kind.ASSIGNED
    assert "lena assigned" in note.text


def test_taking_an_item_yourself_sends_no_notification(submitted, reviewer):
    services.review_take(incident=submitted, user=reviewer)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "outsider"])
def test_notifications_page_is_empty_for_users_with_nothing(role, request):
    user = request.getfixturevalue(role)
    response = signed_in(user).get(reverse("review:notifications"))
    assert response.status_code == 200
    assert "No notifications." in response.content.decode()
