"""Incidents through the API: the same filters, access rules, services and conflicts as the pages."""

import pytest
from django.test import Client

from tests import factories
from verify.claims.models import Stance
from verify.incidents.models import Incident, Status


def _refs(response) -> list[str]:
    return [row["reference"] for row in response.json()["results"]]


def test_list_and_detail_for_a_viewer(db, researcher, viewer, api_as):
    incident = factories.claimed_incident(created_by=researcher, title="Market strike")
    api = api_as(viewer)
    listed = api.get("/api/v1/incidents/")
    assert listed.status_code == 200
    assert _refs(listed) == [incident.reference]
    assert listed.json()["results"][0]["claim_count"] == 1
    detail = api.get(f"/api/v1/incidents/{incident.reference}/").json()
    assert detail["title"] == "Market strike"
    assert len(detail["claims"]) == 1
    assert detail["crosscheck"]["suggested_grade"] in {"weak", "unassessed", "fair", "confirmed"}
    assert detail["history"], "the history is part of the detail"


def test_restricted_incident_is_a_404_and_never_counted(db, researcher, viewer, desk, api_as):
    hidden = factories.claimed_incident(created_by=researcher, restricted=True, groups=[desk], title="ZQX hidden")
    seen = factories.claimed_incident(created_by=researcher)
    api = api_as(viewer)
    assert _refs(api.get("/api/v1/incidents/")) == [seen.reference]
    missing = api.get(f"/api/v1/incidents/{hidden.reference}/")
    bogus = api.get("/api/v1/incidents/SYR-1999-9999/")
    assert missing.status_code == bogus.status_code == 404
    assert missing.json() == bogus.json()
    assert missing.json()["code"] == "not_found"
    claim = hidden.claims.get()
    assert api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert api.get(f"/api/v1/incidents/{hidden.reference}/claims/").status_code == 404
    assert hidden.reference not in api.get("/api/v1/map/data/").content.decode()
    assert hidden.reference not in api.get(f"/api/v1/incidents/?q={hidden.reference}").content.decode()
    assert api.get(f"/api/v1/incidents/?q={hidden.reference}").json()["results"] == []
    # A member of the group sees it.
    viewer.groups.add(desk)
    assert api_as(viewer).get(f"/api/v1/incidents/{hidden.reference}/").status_code == 200


def test_create_with_field_errors_and_roles(db, researcher, viewer, api_as):
    api = api_as(researcher)
    bad = api.post("/api/v1/incidents/", {"title": "", "latitude": 91, "longitude": 10}, format="json")
    assert bad.status_code == 400
    body = bad.json()
    assert body["code"] == "invalid"
    assert "title" in body["errors"] and "latitude" in body["errors"]
    assert Incident.objects.count() == 0

    made = api.post("/api/v1/incidents/", {"title": "Shelling of Ariha", "date_start": "2015-11-29"}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["status"] == Status.DRAFT
    assert made.json()["date_end"] == "2015-11-29"  # the page's form rule: a single day is a window of that day

    # A viewer's token (read-only) cannot write; a viewer with a session is refused by role.
    assert api_as(viewer).post("/api/v1/incidents/", {"title": "x"}, format="json").status_code == 403
    session = Client()
    session.force_login(viewer)
    refused = session.post("/api/v1/incidents/", {"title": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


def test_update_with_version_and_stale_conflict(db, researcher, researcher2, api_as):
    incident = factories.claimed_incident(created_by=researcher)
    url = f"/api/v1/incidents/{incident.reference}/"
    first = api_as(researcher).patch(url, {"title": "First", "version": incident.version}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == incident.version + 1
    stale = api_as(researcher2).patch(url, {"title": "Second", "version": incident.version}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict"
    assert body["your_version"] == incident.version
    assert body["current_version"] == incident.version + 1
    assert body["current"]["title"] == "First"
    assert Incident.objects.get(pk=incident.pk).title == "First"
    missing = api_as(researcher).patch(url, {"title": "No version"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]


def test_claims_create_update_delete_through_the_workflow(db, researcher, api_as):
    incident = factories.incident(created_by=researcher)
    source = factories.source("SNHR")
    api = api_as(researcher)
    url = f"/api/v1/incidents/{incident.reference}/claims/"
    bad = api.post(url, {"stance": "alleges"}, format="json")
    assert bad.status_code == 400 and "source" in bad.json()["errors"]
    made = api.post(
        url, {"source": source.pk, "stance": Stance.ALLEGES, "killed_min": 3, "killed_max": 5}, format="json"
    )
    assert made.status_code == 201, made.content
    claim = made.json()
    updated = api.patch(f"/api/v1/claims/{claim['id']}/", {"killed_max": 7, "version": claim["version"]}, format="json")
    assert updated.status_code == 200, updated.content
    assert updated.json()["killed_max"] == 7
    stale = api.patch(f"/api/v1/claims/{claim['id']}/", {"killed_max": 8, "version": claim["version"]}, format="json")
    assert stale.status_code == 409
    # Deleting needs the admin's permission, as on the page.
    assert api.delete(f"/api/v1/claims/{claim['id']}/").status_code == 403


def test_verified_incident_goes_back_to_review_when_a_claim_is_added(db, researcher, reviewer, admin_user, api_as):
    incident = factories.claimed_incident(created_by=researcher)
    api_as(researcher).post(f"/api/v1/incidents/{incident.reference}/submit/", {}, format="json")
    taken = api_as(reviewer).post("/api/v1/review/take-next/")
    assert taken.status_code == 200, taken.content
    assert taken.json()["reference"] == incident.reference
    version = taken.json()["version"]
    verdict = api_as(reviewer).post(
        f"/api/v1/incidents/{incident.reference}/verdict/",
        {
            "verdict": "verify",
            "grade": "weak",
            "note": "Checked",
            "override_rationale": "One source only",
            "version": version,
        },
        format="json",
    )
    assert verdict.status_code == 200, verdict.content
    assert verdict.json()["status"] == Status.VERIFIED
    source = factories.source()
    api_as(researcher).post(
        f"/api/v1/incidents/{incident.reference}/claims/", {"source": source.pk, "stance": "alleges"}, format="json"
    )
    assert Incident.objects.get(pk=incident.pk).status == Status.SUBMITTED


def test_two_person_rule(db, reviewer, api_as):
    incident = factories.claimed_incident(created_by=reviewer)
    api = api_as(reviewer)
    api.post(f"/api/v1/incidents/{incident.reference}/submit/", {}, format="json")
    refused = api.post(f"/api/v1/incidents/{incident.reference}/take/")
    assert refused.status_code == 403
    assert "two-person" in refused.json()["message"]
    assert api.post("/api/v1/review/take-next/").status_code == 204


def test_comments(db, researcher, viewer, api_as):
    incident = factories.claimed_incident(created_by=researcher)
    url = f"/api/v1/incidents/{incident.reference}/comments/"
    assert api_as(researcher).post(url, {"body": " "}, format="json").status_code == 400
    assert api_as(researcher).post(url, {"body": "Looks right"}, format="json").status_code == 201
    assert [c["body"] for c in api_as(viewer).get(url).json()["results"]] == ["Looks right"]


@pytest.mark.parametrize(
    "query",
    ["", "status=draft", "q=Ariha", "attack_type=shelling", "date_from=2015-11-01&date_to=2015-11-30", "grade=weak"],
)
def test_api_and_page_give_the_same_incidents(db, researcher, query, api_as):
    factories.claimed_incident(created_by=researcher, title="Shelling in Ariha", attack_type="shelling")
    factories.claimed_incident(created_by=researcher, title="Airstrike", attack_type="airstrike")
    from datetime import date

    factories.claimed_incident(created_by=researcher, title="Old", date_start=date(2014, 1, 1), date_end=None)
    page = Client()
    page.force_login(researcher)
    html = page.get(f"/incidents/?{query}")
    page_refs = [incident.reference for incident in html.context["page"].object_list]
    api_refs = _refs(api_as(researcher).get(f"/api/v1/incidents/?{query}"))
    assert api_refs == page_refs


def test_cursor_pages_are_stable_under_inserts(db, researcher, api_as):
    made = [factories.incident(created_by=researcher, title=f"I{i}") for i in range(7)]
    api = api_as(researcher)
    first = api.get("/api/v1/incidents/?page_size=3").json()
    assert len(first["results"]) == 3 and first["next_cursor"]
    factories.incident(created_by=researcher, title="Inserted")  # lands on the first page, which was already read
    seen = _refs_of(first)
    cursor = first["next_cursor"]
    while cursor:
        page = api.get(f"/api/v1/incidents/?page_size=3&cursor={cursor}").json()
        seen += _refs_of(page)
        cursor = page["next_cursor"]
    assert sorted(seen) == sorted(i.reference for i in made)
    assert len(seen) == len(set(seen))
    assert api.get("/api/v1/incidents/?cursor=garbage").status_code == 400


def _refs_of(page) -> list[str]:
    return [row["reference"] for row in page["results"]]


def test_unknown_paths_and_bad_json_are_json(db, researcher, api_as):
    api = api_as(researcher)
    missing = api.get("/api/v1/nothing-here/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert missing.json()["code"] == "not_found"
    broken = api.post("/api/v1/incidents/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    anonymous = Client().get("/api/v1/incidents/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


def test_changing_the_restriction_in_a_session_needs_the_password_again(db, researcher, desk, settings):
    settings.SENSITIVE_ACTION_REAUTHENTICATION = True
    incident = factories.claimed_incident(created_by=researcher)
    session = Client()
    session.force_login(researcher)
    url = f"/api/v1/incidents/{incident.reference}/"
    data = {"restricted": True, "allowed_groups": [desk.pk], "version": incident.version}
    refused = session.patch(url, data, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "reauthentication_required"
    assert not Incident.objects.get(pk=incident.pk).restricted
    # Other edits need nothing more.
    ok = session.patch(url, {"title": "New", "version": incident.version}, content_type="application/json")
    assert ok.status_code == 200


def test_idempotency_key_creates_once(db, researcher, api_as):
    api = api_as(researcher)
    key = "0123456789abcdef0123456789abcdef"
    first = api.post("/api/v1/incidents/", {"title": "Once"}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = api.post("/api/v1/incidents/", {"title": "Once"}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert Incident.objects.count() == 1
    bad = api.post("/api/v1/incidents/", {"title": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="nope")
    assert bad.status_code == 400 and "Idempotency-Key" in bad.json()["errors"]


def test_ids_beyond_the_databases_range_are_invalid_not_a_server_error(db, researcher, api_as):
    api = api_as(researcher)
    huge = 10**20
    sent = api.post("/api/v1/incidents/", {"title": "T", "place": huge, "labels": [huge]}, format="json")
    assert sent.status_code == 400
    assert set(sent.json()["errors"]) == {"place", "labels"}
    assert api.get(f"/api/v1/claims/{huge}/").status_code == 404


def test_cursor_pages_neither_repeat_nor_skip_under_deletes_and_other_orders(db, researcher, api_as):
    made = [factories.incident(created_by=researcher, title=f"D{i}") for i in range(9)]
    api = api_as(researcher)
    first = api.get("/api/v1/incidents/?page_size=3&ordering=reference").json()
    assert _refs_of(first) == sorted(i.reference for i in made)[:3]
    # the first page's last row and a row of the next page are deleted between pages
    Incident.objects.filter(reference__in=[_refs_of(first)[-1], sorted(i.reference for i in made)[4]]).delete()
    seen, cursor = _refs_of(first), first["next_cursor"]
    while cursor:
        page = api.get(f"/api/v1/incidents/?page_size=3&ordering=reference&cursor={cursor}").json()
        seen += _refs_of(page)
        cursor = page["next_cursor"]
    expected = sorted(i.reference for i in made)
    assert seen == expected[:3] + [r for r in expected[3:] if r != expected[4]]


def test_bad_cursors_are_a_clear_400(db, researcher, api_as):
    from verify.core.keyset import encode_cursor

    for i in range(3):
        factories.incident(created_by=researcher, title=f"C{i}")
    api = api_as(researcher)
    good = api.get("/api/v1/incidents/?page_size=1&ordering=reference").json()["next_cursor"]
    assert api.get(f"/api/v1/incidents/?page_size=1&ordering=reference&cursor={good}").status_code == 200
    forged = "reference." + encode_cursor(["A", 1])  # the right shape, unsigned
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    for cursor, ordering in [("garbage", "reference"), (forged, "reference"), (tampered, "reference"), (good, "-date")]:
        response = api.get(f"/api/v1/incidents/?page_size=1&ordering={ordering}&cursor={cursor}")
        assert response.status_code == 400, cursor
        assert "start again from the first page" in response.content.decode()
