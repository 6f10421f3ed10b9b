"""The review queue page, take-next and release through the pages, "My work", the activity feed, claim history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.review.conftest import fresh, signed_in
from verify.gazetteer.models import Place
from verify.incidents.models import Incident, Status
from verify.review import services
from verify.review.activity import activity_feed


def submit_aged(author, *, days: float, **fields) -> Incident:
    incident = services.incident_submit(incident=factories.claimed_incident(created_by=author, **fields), user=author)
    Incident.objects.filter(pk=incident.pk).update(submitted_at=timezone.now() - timedelta(days=days))
    return fresh(incident)


@pytest.fixture
def governorates(db):
    idlib = factories.place("Idlib", kind=Place.Kind.GOVERNORATE)
    aleppo = factories.place("Aleppo", kind=Place.Kind.GOVERNORATE)
    ariha = factories.place("Ariha", governorate=idlib)
    return idlib, aleppo, ariha


def queue_refs(response) -> list[str]:
    return [i.reference for i in response.context["page"].object_list]


def test_queue_lists_submitted_items_oldest_first_with_age_and_counts(reviewer, researcher2):
    newer = submit_aged(researcher2, days=1, title="Newer")
    older = submit_aged(researcher2, days=9, title="Older")
    factories.claim(incident=older)
    factories.claim(incident=older)
    factories.claimed_incident(created_by=researcher2, title="Still a draft")
    Incident.objects.filter(pk=newer.pk).update(has_disagreements=True, denied_by_party=True, suggested_grade="weak")

    response = signed_in(reviewer).get(reverse("review:queue"))

    assert queue_refs(response) == [older.reference, newer.reference]
    rows = {i.reference: i for i in response.context["page"].object_list}
    assert (rows[older.reference].claim_count, rows[older.reference].evidence_count) == (3, 0)
    page = response.content.decode()
    assert "Still a draft" not in page
    assert "1\xa0week" in page  # the age of the older one
    assert "Claims disagree" in page and "Denied by a party" in page
    assert 'class="badge grade-weak"' in page and ">Weak</a>" in page


def test_queue_filters_by_governorate_attack_type_and_age_with_counts(reviewer, researcher2, governorates):
    idlib, aleppo, ariha = governorates
    in_ariha = submit_aged(researcher2, days=10, place=ariha, attack_type="missile")
    in_idlib = submit_aged(researcher2, days=2, place=idlib, attack_type="airstrike")
    in_aleppo = submit_aged(researcher2, days=0.1, place=aleppo, attack_type="missile")
    client = signed_in(reviewer)

    assert queue_refs(client.get(reverse("review:queue"), {"governorate": idlib.pk})) == [
        in_ariha.reference,
        in_idlib.reference,
    ]
    assert queue_refs(client.get(reverse("review:queue"), {"attack_type": "missile"})) == [
        in_ariha.reference,
        in_aleppo.reference,
    ]
    assert queue_refs(client.get(reverse("review:queue"), {"age": "7"})) == [in_ariha.reference]
    assert queue_refs(client.get(reverse("review:queue"), {"age": "1", "attack_type": "missile"})) == [
        in_ariha.reference
    ]

    facets = client.get(reverse("review:queue")).context["facets"]
    assert facets.total == 3
    assert facets.governorates == [(aleppo.pk, "Aleppo", 1), (idlib.pk, "Idlib", 2)]
    assert [(v, n) for v, _label, n in facets.attack_types] == [("airstrike", 1), ("missile", 2)]
    assert [(d, n) for d, _label, n in facets.ages] == [(1, 2), (3, 1), (7, 1), (30, 0)]
    page = client.get(reverse("review:queue")).content.decode()
    assert "Idlib (2)" in page and "Missile (2)" in page and "Over a week (1)" in page


def test_queue_ignores_a_bad_filter_value_with_a_message(reviewer, researcher2):
    submit_aged(researcher2, days=1)
    response = signed_in(reviewer).get(reverse("review:queue"), {"age": "forever", "governorate": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("role", ["researcher", "viewer", "outsider"])
def test_queue_is_for_reviewers_only(role, request):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(reverse("review:queue")).status_code == 403
    assert client.post(reverse("review:take_next")).status_code == 403


def _queue_queries(client, django_assert_num_queries, n: int) -> None:
    with django_assert_num_queries(n):
        response = client.get(reverse("review:queue"), {"attack_type": "other"})
    assert response.status_code == 200


def test_queue_query_count_does_not_grow_with_the_number_of_items(
    reviewer, researcher2, governorates, django_assert_num_queries
):
    client = signed_in(reviewer)
    _idlib, _aleppo, ariha = governorates
    incident = submit_aged(researcher2, days=1, place=ariha)
    factories.claim(incident=incident)
    client.get(reverse("review:queue"))  # warm up the session and the content types

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("review:queue"), {"attack_type": "other"})
    for i in range(12):
        item = submit_aged(researcher2, days=2 + i, place=ariha)
        factories.claim(incident=item)
        factories.claim(incident=item)

    _queue_queries(client, django_assert_num_queries, len(one.captured_queries))
    assert len(client.get(reverse("review:queue")).context["page"].object_list) == 13


def test_take_next_from_the_page_takes_the_oldest_and_opens_it(reviewer, researcher2):
    newer = submit_aged(researcher2, days=1)
    older = submit_aged(researcher2, days=5)

    response = signed_in(reviewer).post(reverse("review:take_next"))

    assert response.status_code == 302
    assert response.url == older.get_absolute_url() + "#review-h"
    assert (fresh(older).status, fresh(older).assigned_to) == (Status.IN_REVIEW, reviewer)
    assert fresh(newer).status == Status.SUBMITTED


def test_take_next_respects_the_queue_filters(reviewer, researcher2):
    submit_aged(researcher2, days=5, attack_type="shelling")
    missile = submit_aged(researcher2, days=1, attack_type="missile")

    signed_in(reviewer).post(reverse("review:take_next"), {"attack_type": "missile"})

    assert fresh(missile).assigned_to == reviewer


def test_take_next_on_an_empty_queue_says_so_and_keeps_the_filters(reviewer):
    response = signed_in(reviewer).post(reverse("review:take_next"), {"attack_type": "chemical"})
    assert response.url == reverse("review:queue") + "?attack_type=chemical"
    page = signed_in(reviewer).post(reverse("review:take_next"), follow=True).content.decode()
    assert "Nothing left in the queue that you may review." in page


def test_the_reviewer_sees_the_verdict_form_after_taking_and_can_release(reviewer, researcher2):
    item = submit_aged(researcher2, days=1)
    client = signed_in(reviewer)
    client.post(reverse("review:take", args=[item.reference]))

    page = client.get(item.get_absolute_url()).content.decode()
    assert "Give verdict" in page
    assert "Release back to the queue" in page

    client.post(reverse("review:release", args=[item.reference]))
    assert fresh(item).status == Status.SUBMITTED
    assert "Give verdict" not in client.get(item.get_absolute_url()).content.decode()


# --- my work ---------------------------------------------------------------------------------------


def test_my_work_lists_drafts_items_sent_back_and_items_i_review(researcher, reviewer, researcher2):
    my_draft = factories.claimed_incident(created_by=researcher, title="My own draft")
    sent_back = services.incident_submit(incident=factories.claimed_incident(created_by=researcher), user=researcher)
    services.review_take(incident=sent_back, user=reviewer)
    services.review_decide(
        incident=sent_back,
        user=reviewer,
        verdict="request_changes",
        note="More sources.",
        expected_version=fresh(sent_back).version,
    )
    reviewing = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
    services.review_take(incident=reviewing, user=reviewer)
    factories.claimed_incident(created_by=researcher2, title="Someone else's draft")

    mine = signed_in(researcher).get(reverse("review:mine")).context
    assert list(mine["drafts"]) == [my_draft]
    assert list(mine["sent_back"]) == [fresh(sent_back)]
    assert list(mine["reviewing"]) == []

    theirs = signed_in(reviewer).get(reverse("review:mine"))
    assert list(theirs.context["reviewing"]) == [fresh(reviewing)]
    assert "Someone else&#x27;s draft" not in theirs.content.decode()


def test_my_work_hides_restricted_incidents_i_can_no_longer_see(restricted_incident, researcher, desk):
    researcher.groups.remove(desk)
    page = signed_in(researcher).get(reverse("review:mine"))
    assert list(page.context["drafts"]) == []


# --- activity feed and history ---------------------------------------------------------------------


def test_activity_feed_shows_transitions_comments_and_edits(draft, researcher2, reviewer, researcher):
    services.incident_submit(incident=draft, user=researcher2)
    services.comment_create(incident=draft, user=researcher, body="Looks solid.")
    factories.claim(incident=draft)

    page = signed_in(researcher).get(reverse("dashboard")).content.decode()

    feed = activity_feed(researcher)
    verbs = [a.verb for a in feed]
    assert "submitted for review" in verbs
    assert "commented on" in verbs
    assert "logged" in verbs
    assert any(v.startswith("added a claim from") for v in verbs)
    assert "Looks solid." in page
    claim_entry = next(a for a in feed if a.claim_id)
    assert reverse("review:claim_history", args=[claim_entry.claim_id]) in page
    assert f'href="/incidents/{draft.reference}/"' in page


def test_activity_feed_leaves_out_the_cross_checks_own_recomputations(draft, researcher):
    from verify.claims import services as claim_services
    from verify.claims.crosscheck import CROSSCHECK_REASON

    data = {"source": factories.source("Activists"), "stance": "alleges"}
    claim_services.claim_create(user=researcher, incident=draft, data=data)
    assert draft.history.filter(history_change_reason=CROSSCHECK_REASON).exists()

    feed = activity_feed(researcher)
    assert any(a.verb.startswith("added a claim from <bdi>Activists</bdi>") for a in feed)
    assert all(a.detail != CROSSCHECK_REASON for a in feed)


def test_activity_feed_leaves_out_restricted_incidents_for_outsiders(restricted_incident, researcher, reviewer):
    factories.claim(incident=restricted_incident)
    services.incident_submit(incident=restricted_incident, user=researcher)
    services.comment_create(incident=restricted_incident, user=researcher, body="Secret remark.")

    assert activity_feed(reviewer) == []
    page = signed_in(reviewer).get(reverse("dashboard")).content.decode()
    assert restricted_incident.reference not in page
    assert "Secret remark." not in page
    assert len(activity_feed(researcher)) >= 3


def test_claim_history_page_shows_field_old_new_who_and_when(incident, researcher, researcher2):
    from verify.claims import services as claim_services

    claim = factories.claim(incident=incident, killed_min=34, killed_max=34)
    claim_services.claim_update(claim=claim, user=researcher2, data={"killed_max": 49}, expected_version=1)

    response = signed_in(researcher).get(reverse("review:claim_history", args=[claim.pk]))

    assert response.status_code == 200
    entry = response.context["history"][0]
    assert entry.who == "rami"
    assert ("killed max", "34", "49") in entry.changes
    assert "<time" in response.content.decode()


def test_claim_history_of_a_restricted_incident_is_404_to_outsiders(restricted_incident, reviewer, outsider):
    claim = factories.claim(incident=restricted_incident)
    for user in (reviewer, outsider):
        assert signed_in(user).get(reverse("review:claim_history", args=[claim.pk])).status_code == 404


def test_take_next_within_a_governorate_filter(reviewer, researcher2, governorates):
    idlib, aleppo, ariha = governorates
    submit_aged(researcher2, days=5, place=aleppo)
    in_ariha = submit_aged(researcher2, days=1, place=ariha)

    signed_in(reviewer).post(reverse("review:take_next"), {"governorate": idlib.pk})

    assert fresh(in_ariha).assigned_to == reviewer
    assert Incident.objects.filter(status=Status.IN_REVIEW).count() == 1


def test_demo_data_has_submitted_items_the_demo_reviewer_may_review(db):
    from django.contrib.auth.models import User

    from verify.web.demo import demo_load

    demo_load()
    reviewer = User.objects.get(username="reviewer")
    reviewable = services.reviewable_by(Incident.objects.filter(status=Status.SUBMITTED), reviewer)
    assert reviewable.count() >= 2
    assert services.review_take_next(user=reviewer) is not None
