"""Two people editing the same record: the second save is refused and shown, never silently lost."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.incidents.test_views import claim_data, incident_data
from verify.claims import services as claim_services
from verify.claims.models import Claim
from verify.core.models import ConflictError
from verify.incidents import services
from verify.incidents.models import Incident, Status, StatusTransition

CONFLICT_HEADING = "Not saved: someone else changed this while you were editing"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hidden_version(response) -> str:
    form = response.context["form"]
    return str(form["version"].value())


# --- incidents through the edit page --------------------------------------------------------------


@pytest.fixture
def two_editors(researcher, researcher2, incident):
    """Rita and Rami both opened the edit form of version 1."""
    rita, rami = signed_in(researcher), signed_in(researcher2)
    url = reverse("incidents:edit", args=[incident.reference])
    for client in (rita, rami):
        response = client.get(url)
        assert response.status_code == 200
        assert hidden_version(response) == "1"
    return rita, rami, url


def test_first_save_of_two_concurrent_edits_succeeds(two_editors, incident):
    rita, _rami, url = two_editors

    response = rita.post(url, incident_data(title="Title saved by Rita", version=1))

    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.version) == ("Title saved by Rita", 2)


def test_second_save_based_on_the_old_version_is_refused_with_409(two_editors, incident):
    rita, rami, url = two_editors
    rita.post(url, incident_data(title="Title saved by Rita", version=1))

    response = rami.post(url, incident_data(title="Title typed by Rami", version=1))

    assert response.status_code == 409
    incident.refresh_from_db()
    assert (incident.title, incident.version) == ("Title saved by Rita", 2)
    assert incident.history.filter(title="Title typed by Rami").count() == 0


def test_conflict_page_shows_the_message_and_both_values(two_editors, incident):
    rita, rami, url = two_editors
    rita.post(url, incident_data(title="Title saved by Rita", version=1))

    response = rami.post(url, incident_data(title="Title typed by Rami", version=1))

    content = response.content.decode()
    assert CONFLICT_HEADING in content
    assert "you edited version 1, it is now version 2" in content
    assert "Your changes have not been saved." in content
    rows = {row.label: (row.yours, row.theirs) for row in response.context["conflict"]["rows"]}
    assert rows == {"Title": ("Title typed by Rami", "Title saved by Rita")}
    conflict_table = content[content.index(CONFLICT_HEADING) : content.index("</section>")]
    assert "Title typed by Rami" in conflict_table
    assert "Title saved by Rita" in conflict_table


def test_conflict_page_keeps_the_unsaved_values_in_the_form_with_the_new_version(two_editors, incident):
    rita, rami, url = two_editors
    rita.post(url, incident_data(title="Title saved by Rita", version=1))

    response = rami.post(url, incident_data(title="Title typed by Rami", version=1))

    assert response.context["form"]["title"].value() == "Title typed by Rami"
    assert hidden_version(response) == "2"
    content = response.content.decode()
    assert 'name="title" value="Title typed by Rami"' in content
    assert 'name="version" value="2"' in content


def test_saving_again_after_a_conflict_replaces_the_newer_version_knowingly(two_editors, incident):
    rita, rami, url = two_editors
    rita.post(url, incident_data(title="Title saved by Rita", version=1))
    conflict = rami.post(url, incident_data(title="Title typed by Rami", version=1))

    response = rami.post(url, incident_data(title="Title typed by Rami", version=hidden_version(conflict)))

    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.version) == ("Title typed by Rami", 3)
    titles = list(incident.history.order_by("history_id").values_list("title", flat=True))
    assert titles[-2:] == ["Title saved by Rita", "Title typed by Rami"]


def test_resubmitting_the_stale_version_after_a_conflict_is_refused_again(two_editors, incident):
    rita, rami, url = two_editors
    rita.post(url, incident_data(title="Title saved by Rita", version=1))
    rami.post(url, incident_data(title="Title typed by Rami", version=1))

    response = rami.post(url, incident_data(title="Title typed by Rami", version=1))

    assert response.status_code == 409
    incident.refresh_from_db()
    assert incident.title == "Title saved by Rita"


# --- claims through the edit page -----------------------------------------------------------------


@pytest.fixture
def claim(incident):
    return factories.claim(incident=incident, excerpt="Original excerpt.", killed_min=3, killed_max=5)


@pytest.fixture
def two_claim_editors(researcher, researcher2, claim):
    rita, rami = signed_in(researcher), signed_in(researcher2)
    url = reverse("claims:edit", args=[claim.pk])
    for client in (rita, rami):
        assert hidden_version(client.get(url)) == "1"
    return rita, rami, url


def test_second_claim_save_based_on_the_old_version_is_refused_with_409(two_claim_editors, claim):
    rita, rami, url = two_claim_editors
    first = rita.post(url, claim_data(claim.source, excerpt="Excerpt saved by Rita", version=1))
    assert first.status_code == 302

    response = rami.post(url, claim_data(claim.source, excerpt="Excerpt typed by Rami", killed_max="7", version=1))

    assert response.status_code == 409
    content = response.content.decode()
    assert CONFLICT_HEADING in content
    assert "you edited version 1, it is now version 2" in content
    rows = {row.label: (row.yours, row.theirs) for row in response.context["conflict"]["rows"]}
    assert rows["Excerpt"] == ("Excerpt typed by Rami", "Excerpt saved by Rita")
    assert rows["Killed max"] == ("7", "5")
    assert "Excerpt typed by Rami" in content
    assert "Excerpt saved by Rita" in content
    claim.refresh_from_db()
    assert (claim.excerpt, claim.killed_max, claim.version) == ("Excerpt saved by Rita", 5, 2)
    assert 'name="version" value="2"' in content


def test_saving_a_claim_again_after_a_conflict_succeeds(two_claim_editors, claim):
    rita, rami, url = two_claim_editors
    rita.post(url, claim_data(claim.source, excerpt="Excerpt saved by Rita", version=1))
    conflict = rami.post(url, claim_data(claim.source, excerpt="Excerpt typed by Rami", version=1))

    again = claim_data(claim.source, excerpt="Excerpt typed by Rami", version=hidden_version(conflict))
    response = rami.post(url, again)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.excerpt, claim.version) == ("Excerpt typed by Rami", 3)


def test_claim_update_with_a_stale_version_raises_and_changes_nothing(researcher, researcher2, claim):
    stale = Claim.objects.get(pk=claim.pk)
    claim_services.claim_update(claim=claim, user=researcher, data={"excerpt": "First"}, expected_version=1)
    records = Claim.history.filter(id=claim.pk).count()

    with pytest.raises(ConflictError):
        claim_services.claim_update(claim=stale, user=researcher2, data={"excerpt": "Second"}, expected_version=1)

    claim.refresh_from_db()
    assert (claim.excerpt, claim.version, claim.last_edited_by) == ("First", 2, researcher)
    assert Claim.history.filter(id=claim.pk).count() == records


# --- the service --------------------------------------------------------------------------------


def test_incident_update_with_a_stale_version_raises_conflict_error(researcher, researcher2, incident):
    stale = Incident.objects.get(pk=incident.pk)
    services.incident_update(incident=incident, user=researcher, data={"title": "First"}, expected_version=1)
    records = incident.history.count()

    with pytest.raises(ConflictError) as caught:
        services.incident_update(incident=stale, user=researcher2, data={"title": "Second"}, expected_version=1)

    assert (caught.value.expected_version, caught.value.current_version) == (1, 2)
    assert caught.value.current.title == "First"
    fresh = Incident.objects.get(pk=incident.pk)
    assert (fresh.title, fresh.version, fresh.last_edited_by) == ("First", 2, researcher)
    assert fresh.history.count() == records


def test_incident_update_with_the_current_version_saves_and_bumps_it(researcher, incident):
    changed = services.incident_update(
        incident=incident, user=researcher, data={"title": "New", "summary": "More"}, expected_version=1
    )

    assert changed == ["title", "summary"]
    fresh = Incident.objects.get(pk=incident.pk)
    assert (fresh.title, fresh.summary, fresh.version) == ("New", "More", 2)


def test_save_versioned_refuses_a_future_version(incident):
    incident.title = "From the future"

    with pytest.raises(ConflictError):
        incident.save_versioned(expected_version=5)

    assert Incident.objects.get(pk=incident.pk).version == 1


def test_save_versioned_is_only_for_existing_rows(researcher):
    with pytest.raises(ValueError, match="existing rows"):
        Incident(title="New", created_by=researcher).save_versioned(expected_version=1)


# --- a verified incident edited goes back to review ----------------------------------------------


@pytest.fixture
def verified_incident(incident):
    Incident.objects.filter(pk=incident.pk).update(status=Status.VERIFIED)
    incident.refresh_from_db()
    return incident


def test_substantive_edit_sends_a_verified_incident_back_to_submitted(researcher2, verified_incident):
    services.incident_update(
        incident=verified_incident, user=researcher2, data={"title": "Corrected title"}, expected_version=1
    )

    fresh = Incident.objects.get(pk=verified_incident.pk)
    assert fresh.status == Status.SUBMITTED
    assert fresh.submitted_at is not None
    assert fresh.last_edited_by == researcher2
    transition = StatusTransition.objects.get(incident=verified_incident)
    assert (transition.from_status, transition.to_status, transition.by) == (
        Status.VERIFIED,
        Status.SUBMITTED,
        researcher2,
    )
    assert transition.params == {"change": "incident_edited", "fields": ["title"]}


def test_substantive_edit_through_the_page_sends_a_verified_incident_back_to_submitted(researcher2, verified_incident):
    client = signed_in(researcher2)

    response = client.post(
        reverse("incidents:edit", args=[verified_incident.reference]),
        incident_data(attack_type="airstrike", title=verified_incident.title, version=1),
    )

    assert response.status_code == 302
    assert Incident.objects.get(pk=verified_incident.pk).status == Status.SUBMITTED
    assert StatusTransition.objects.filter(
        incident=verified_incident, from_status=Status.VERIFIED, to_status=Status.SUBMITTED, by=researcher2
    ).exists()


def test_restricting_a_verified_incident_keeps_it_verified(researcher, desk, verified_incident):
    changed = services.incident_update(
        incident=verified_incident,
        user=researcher,
        data={"restricted": True},
        expected_version=1,
        allowed_groups=[desk],
    )

    assert changed == ["restricted", "allowed_groups"]
    assert Incident.objects.get(pk=verified_incident.pk).status == Status.VERIFIED
    assert not StatusTransition.objects.filter(incident=verified_incident).exists()


def test_saving_a_verified_incident_unchanged_keeps_it_verified(researcher, verified_incident):
    changed = services.incident_update(
        incident=verified_incident, user=researcher, data={"title": verified_incident.title}, expected_version=1
    )

    assert changed == []
    assert Incident.objects.get(pk=verified_incident.pk).status == Status.VERIFIED
    assert not StatusTransition.objects.exists()


def test_stale_edit_to_a_verified_incident_leaves_it_verified_with_no_transition(researcher, verified_incident):
    Incident.objects.filter(pk=verified_incident.pk).update(version=2)

    with pytest.raises(ConflictError):
        services.incident_update(
            incident=verified_incident, user=researcher, data={"title": "Stale edit"}, expected_version=1
        )

    fresh = Incident.objects.get(pk=verified_incident.pk)
    assert fresh.status == Status.VERIFIED
    assert fresh.title != "Stale edit"
    assert not StatusTransition.objects.exists()


# --- a real race, on PostgreSQL -------------------------------------------------------------------


def _race(pk: int, titles: list[str]) -> tuple[list[str], list[BaseException]]:
    """Each thread loads version 1 on its own connection, then all save at once."""
    barrier = threading.Barrier(len(titles))
    saved: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def edit(title: str) -> None:
        close_old_connections()
        try:
            incident = Incident.objects.get(pk=pk)
            incident.title = title
            barrier.wait(timeout=10)
            incident.save_versioned(expected_version=1)
            with lock:
                saved.append(title)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(title,)) for title in titles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return saved, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_the_same_version_one_wins_one_gets_conflict_error(researcher):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no real race to test")
    incident = factories.incident(created_by=researcher)

    for _round in range(5):
        Incident.objects.filter(pk=incident.pk).update(version=1)
        saved, errors = _race(incident.pk, ["From thread A", "From thread B"])

        assert len(saved) == 1, errors
        assert len(errors) == 1
        assert isinstance(errors[0], ConflictError)
        fresh = Incident.objects.get(pk=incident.pk)
        assert (fresh.title, fresh.version) == (saved[0], 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_on_the_row_lock_gets_conflict_error_once_the_first_commits(researcher):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no real race to test")
    incident = factories.incident(created_by=researcher)
    first_updated = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            mine = Incident.objects.get(pk=incident.pk)
            mine.title = "First, holding the lock"
            with transaction.atomic():
                mine.save_versioned(expected_version=1)
                first_updated.set()
                time.sleep(0.5)  # the second save now waits on the row lock
            outcome["first"] = "saved"
        except BaseException as exc:
            outcome["first"] = exc
        finally:
            connections.close_all()

    def second() -> None:
        try:
            theirs = Incident.objects.get(pk=incident.pk)
            assert first_updated.wait(timeout=10)
            theirs.title = "Second, based on version 1"
            started = time.monotonic()
            try:
                theirs.save_versioned(expected_version=1)
                outcome["second"] = "saved"
            except ConflictError as exc:
                outcome["second"] = exc
            outcome["waited"] = time.monotonic() - started
        except BaseException as exc:
            outcome["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], ConflictError), outcome["second"]
    assert outcome["second"].current_version == 2
    assert outcome["waited"] >= 0.3  # it really did wait for the first transaction
    fresh = Incident.objects.get(pk=incident.pk)
    assert (fresh.title, fresh.version) == ("First, holding the lock", 2)
