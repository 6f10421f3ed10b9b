"""Bulk actions on the incidents ticked in the list (issue 20, item 12): each through its one-incident service,
refused one by one with the reason, hidden incidents not found."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tests import factories
from verify.accounts.models import AuditAction, AuditEvent
from verify.incidents.models import Incident, Label, Status
from verify.review import services
from verify.web.bulk import MAX_SELECTION

URL = "/incidents/bulk/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, refs, **data):
    response = client.post(URL, {"refs": list(refs), "next": "/incidents/?status=draft", **data})
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def fresh(incident: Incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


@pytest.fixture
def label(db):
    return Label.objects.create(name="Hospitals")


def test_adding_a_label_tags_each_visible_incident_once_and_says_which(client, researcher, researcher2, label):
    one = factories.incident(created_by=researcher2, title="One")
    two = factories.incident(created_by=researcher2, title="Two")
    two.labels.add(label)
    response, texts = post(signed_in(researcher), [one.reference, two.reference], action="label", label=label.pk)
    assert response.status_code == 302 and response["Location"] == "/incidents/?status=draft"
    assert list(fresh(one).labels.all()) == [label]
    assert f"Label “Hospitals” added to {one.reference}." in texts
    assert f"{two.reference} not done: it already has this label." in texts
    assert fresh(one).history.first().history_change_reason == f"labels:+{label.pk}"
    assert fresh(one).status == Status.DRAFT


def test_submitting_sends_ready_drafts_and_refuses_the_others_with_the_reason(researcher, researcher2):
    ready = factories.claimed_incident(created_by=researcher2, title="Ready")
    empty = factories.incident(created_by=researcher2, title="No claim yet")
    queued = services.incident_submit(
        incident=factories.claimed_incident(created_by=researcher2, title="Queued"), user=researcher2
    )
    refs = [ready.reference, empty.reference, queued.reference]
    _response, texts = post(signed_in(researcher), refs, action="submit")
    assert fresh(ready).status == Status.SUBMITTED
    assert fresh(empty).status == Status.DRAFT and fresh(queued).status == Status.SUBMITTED
    assert f"In the review queue: {ready.reference}." in texts
    assert any(t.startswith(f"{empty.reference} not done: Add at least one claim") for t in texts)
    # not an allowed transition: submitted cannot be submitted again
    assert any(t.startswith(f"{queued.reference} not done: Cannot submit") for t in texts)
    assert fresh(ready).transitions.count() == 1


def test_assigning_a_reviewer_follows_the_status_and_the_two_person_rule(reviewer, researcher2, admin_user):
    submitted = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
    own = services.incident_submit(incident=factories.claimed_incident(created_by=reviewer), user=reviewer)
    draft = factories.claimed_incident(created_by=researcher2)
    refs = [submitted.reference, own.reference, draft.reference]
    _response, texts = post(signed_in(admin_user), refs, action="assign", reviewer=reviewer.pk)
    assert fresh(submitted).status == Status.IN_REVIEW and fresh(submitted).assigned_to == reviewer
    assert fresh(own).status == Status.SUBMITTED and fresh(own).assigned_to is None
    assert fresh(draft).status == Status.DRAFT
    assert f"Assigned to ravi: {submitted.reference}." in texts
    assert any(t.startswith(f"{own.reference} not done: ravi cannot review it") for t in texts)
    assert any(t.startswith(f"{draft.reference} not done:") for t in texts)


def test_an_action_needs_its_permission_and_does_nothing_without_it(researcher, researcher2, reviewer, viewer, label):
    submitted = services.incident_submit(incident=factories.claimed_incident(created_by=researcher2), user=researcher2)
    _response, texts = post(signed_in(researcher), [submitted.reference], action="assign", reviewer=reviewer.pk)
    assert texts == ["You are not allowed to do that; nothing was done."]
    assert fresh(submitted).status == Status.SUBMITTED
    draft = factories.claimed_incident(created_by=researcher2)
    for action in ("label", "submit"):
        _response, texts = post(signed_in(viewer), [draft.reference], action=action, label=label.pk)
        assert texts == ["You are not allowed to do that; nothing was done."]
    assert fresh(draft).status == Status.DRAFT and not fresh(draft).labels.exists()


def test_a_restricted_incident_of_another_group_is_not_found_like_a_missing_one(researcher, researcher2, label):
    other_desk = factories.user("someone").groups.model.objects.create(name="Other desk")
    hidden = factories.claimed_incident(created_by=researcher2, restricted=True, groups=[other_desk])
    seen = factories.claimed_incident(created_by=researcher2)
    refs = [hidden.reference, "NO-SUCH-1", seen.reference]
    _response, texts = post(signed_in(researcher), refs, action="label", label=label.pk)
    assert f"{hidden.reference}: no such incident." in texts and "NO-SUCH-1: no such incident." in texts
    assert not any("Restricted" in t or "not allowed" in t for t in texts)
    assert not fresh(hidden).labels.exists() and list(fresh(seen).labels.all()) == [label]
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, target=hidden.reference).exists()
    _response, texts = post(signed_in(researcher), [hidden.reference], action="submit")
    assert texts == [f"{hidden.reference}: no such incident."] and fresh(hidden).status == Status.DRAFT


def test_the_export_is_the_verify_csv_of_the_visible_selection_only(researcher, researcher2):
    one = factories.claimed_incident(created_by=researcher2, title="Exported one")
    factories.claimed_incident(created_by=researcher2, title="Not ticked")
    other_desk = factories.user("someone").groups.model.objects.create(name="Other desk")
    hidden = factories.claimed_incident(
        created_by=researcher2, title="Hidden one", restricted=True, groups=[other_desk]
    )
    response = signed_in(researcher).post(URL, {"refs": [one.reference, hidden.reference], "action": "export"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("reference,") or "reference" in body.splitlines()[0]
    assert "Exported one" in body and "Not ticked" not in body and "Hidden one" not in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_bad_requests_change_nothing(client, researcher, researcher2, label):
    draft = factories.claimed_incident(created_by=researcher2)
    _response, texts = post(signed_in(researcher), [], action="submit")
    assert texts == ["Tick at least one incident first."]
    _response, texts = post(signed_in(researcher), [draft.reference], action="label")  # no label chosen
    assert texts[0].startswith("Nothing was done:") and "Choose the label to add." in texts[0]
    _response, texts = post(signed_in(researcher), [draft.reference], action="delete")
    assert texts[0].startswith("Nothing was done:")
    too_many = [f"X-{n}" for n in range(MAX_SELECTION)] + [draft.reference]
    _response, texts = post(signed_in(researcher), too_many, action="submit")
    assert texts[0].startswith(f"Select at most {MAX_SELECTION} incidents")
    assert fresh(draft).status == Status.DRAFT
    assert signed_in(researcher).get(URL).status_code == 405
    # an outside `next` is not followed
    outside = {"refs": [draft.reference], "action": "label", "next": "https://evil.example/"}
    response = signed_in(researcher).post(URL, outside)
    assert response["Location"] == "/incidents/"
    # without the CSRF token the form is refused
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(researcher)
    assert strict.post(URL, {"refs": [draft.reference], "action": "submit"}).status_code == 403


def test_the_list_offers_a_box_per_row_and_the_actions(researcher, researcher2):
    one = factories.incident(created_by=researcher2)
    html = signed_in(researcher).get("/incidents/").content.decode()
    assert f'name="refs" value="{one.reference}"' in html
    assert 'action="/incidents/bulk/"' in html and "csrfmiddlewaretoken" in html
    assert 'name="label"' in html and 'name="reviewer"' not in html  # a researcher does not assign
