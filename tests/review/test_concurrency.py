"""Real races on PostgreSQL: reviewers pressing "take next" at once, and saves based on the same version.

Each thread has its own database connection, so these are separate transactions racing in the database.
SQLite serialises every writer, so there is nothing to race there; the tests skip (or fail with REQUIRE_SERVICES).
"""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection, connections

from tests import factories
from tests.conftest import need
from tests.review.conftest import fresh
from verify.core.models import ConflictError
from verify.incidents import services as incident_services
from verify.incidents.models import Grade, Incident, Status, StatusTransition
from verify.review import services
from verify.review.models import ReviewDecision

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    need(connection.vendor == "postgresql", "these races need PostgreSQL (DATABASE_URL)")


def race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=20)
            outcome = call()
            with lock:
                results.append(outcome)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_twenty_parallel_take_next_on_ten_items_give_ten_distinct_assignments(researcher2):
    items = [
        services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
        for _ in range(10)
    ]
    reviewers = [factories.user(f"reviewer{i:02d}", role="Reviewer") for i in range(20)]

    results, errors = race([lambda r=r: services.review_take_next(user=r) for r in reviewers])

    assert errors == []
    taken = [incident.pk for incident in results if incident is not None]
    assert len(taken) == 10
    assert len(set(taken)) == 10, "an item was handed to two reviewers"
    assert results.count(None) == 10
    rows = Incident.objects.filter(pk__in=[i.pk for i in items])
    assert all(row.status == Status.IN_REVIEW for row in rows)
    assignees = [row.assigned_to_id for row in rows]
    assert len(set(assignees)) == 10 and None not in assignees
    # Exactly one "taken" transition per item, by the reviewer it is assigned to.
    taken_moves = StatusTransition.objects.filter(to_status=Status.IN_REVIEW)
    assert Counter(taken_moves.values_list("incident_id", flat=True)) == Counter({i.pk: 1 for i in items})
    assert {(t.incident_id, t.by_id) for t in taken_moves} == {(row.pk, row.assigned_to_id) for row in rows}


def test_one_reviewer_pressing_take_next_many_times_at_once_gets_distinct_items(researcher2, reviewer):
    for _ in range(4):
        services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)

    results, errors = race([lambda: services.review_take_next(user=reviewer) for _ in range(6)])

    assert errors == []
    taken = [i.pk for i in results if i is not None]
    assert len(taken) == len(set(taken)) == 4
    assert Incident.objects.filter(assigned_to=reviewer, status=Status.IN_REVIEW).count() == 4


def test_two_reviewers_taking_the_same_item_one_wins_one_is_told(researcher2, reviewer):
    item = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
    rosa = factories.user("rosa", role="Reviewer")

    results, errors = race([lambda u=u: services.review_take(incident=item, user=u) for u in (reviewer, rosa)])

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.TransitionError)
    assert "was taken by" in str(errors[0])
    assert StatusTransition.objects.filter(incident=item, to_status=Status.IN_REVIEW).count() == 1


def edit(pk: int, user, title: str, version: int) -> Callable[[], object]:
    """An edit based on `version`, loaded fresh in the thread that runs it."""
    return lambda: incident_services.incident_update(
        incident=Incident.objects.get(pk=pk), user=user, data={"title": title}, expected_version=version
    )


def verdict(item: Incident, reviewer, version: int) -> Callable[[], object]:
    return lambda: services.review_decide(
        incident=item,
        user=reviewer,
        verdict="verify",
        grade=Grade.FAIR,
        override_rationale="Checked against the footage.",
        note="OK.",
        expected_version=version,
    )


def test_two_stale_saves_give_one_success_and_one_conflict(researcher, researcher2):
    item = factories.claimed_incident(created_by=researcher)
    for round_ in range(3):
        version = fresh(item).version
        # New titles each round: a save that changes nothing writes nothing, so it could not conflict.
        titles = (f"Rita's title {round_}", f"Rami's title {round_}")

        results, errors = race(
            [edit(item.pk, researcher, titles[0], version), edit(item.pk, researcher2, titles[1], version)]
        )

        assert len(results) == 1, errors
        assert len(errors) == 1 and isinstance(errors[0], ConflictError)
        assert fresh(item).version == version + 1
        assert fresh(item).title in titles


def test_an_edit_racing_a_verdict_never_both_succeed(researcher2, researcher, reviewer):
    for _round in range(3):
        item = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
        services.review_take(incident=item, user=reviewer)
        version = fresh(item).version

        results, errors = race([verdict(item, reviewer, version), edit(item.pk, researcher, "Edited", version)])

        assert len(results) == 1 and len(errors) == 1, errors
        assert isinstance(errors[0], ConflictError)
        current = fresh(item)
        if isinstance(results[0], ReviewDecision):
            assert (current.status, current.title) == (Status.VERIFIED, item.title)
        else:
            assert (current.status, current.title) == (Status.IN_REVIEW, "Edited")
            assert not ReviewDecision.objects.filter(incident=item).exists()
