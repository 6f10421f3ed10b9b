"""Sources, actors and labels (list, detail, create, update by role; stale versions; invalid input), and the
map data and timeline with the list's filters."""

from tests import factories


def test_sources(db, researcher, researcher2, viewer, api_as):
    api = api_as(researcher)
    made = api.post("/api/v1/sources/", {"name": "Syrian Civil Defence", "kind": "ngo"}, format="json")
    assert made.status_code == 201, made.content
    source = made.json()
    twin = api.post("/api/v1/sources/", {"name": "syrian civil  defence", "kind": "ngo"}, format="json")
    assert twin.status_code == 400 and "name" in twin.json()["errors"]
    assert api.post("/api/v1/sources/", {"kind": "ngo"}, format="json").json()["errors"]["name"]
    assert api_as(viewer).post("/api/v1/sources/", {"name": "X", "kind": "ngo"}, format="json").status_code == 403
    assert [s["name"] for s in api_as(viewer).get("/api/v1/sources/").json()["results"]] == ["Syrian Civil Defence"]
    url = f"/api/v1/sources/{source['id']}/"
    assert api.patch(url, {"notes": "first", "version": source["version"]}, format="json").status_code == 200
    stale = api_as(researcher2).patch(url, {"notes": "second", "version": source["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["notes"] == "first"


def test_actors_and_labels(db, researcher, admin_user, viewer, api_as):
    made = api_as(researcher).post(
        "/api/v1/actors/", {"name": "Armed Forces of X", "kind": "state_armed_force"}, format="json"
    )
    assert made.status_code == 201, made.content
    actor = made.json()
    url = f"/api/v1/actors/{actor['id']}/"
    # Editing an actor is for admins, as on the page.
    assert api_as(researcher).patch(url, {"short_name": "AFX", "version": 1}, format="json").status_code == 403
    assert (
        api_as(admin_user).patch(url, {"short_name": "AFX", "version": 1}, format="json").json()["short_name"] == "AFX"
    )
    assert api_as(viewer).get(url).json()["short_name"] == "AFX"

    label = api_as(researcher).post("/api/v1/labels/", {"name": "double tap"}, format="json")
    assert label.status_code == 201
    child = api_as(researcher).post("/api/v1/labels/", {"name": "night", "parent": label.json()["id"]}, format="json")
    assert child.status_code == 201
    cycle = api_as(researcher).patch(
        f"/api/v1/labels/{label.json()['id']}/", {"parent": child.json()["id"]}, format="json"
    )
    assert cycle.status_code == 400 and cycle.json()["code"] == "invalid"
    assert api_as(viewer).post("/api/v1/labels/", {"name": "y"}, format="json").status_code == 403
    assert len(api_as(viewer).get("/api/v1/labels/").json()["results"]) == 2


def test_map_and_timeline_follow_the_filters(db, researcher, viewer, desk, api_as):
    shown = factories.claimed_incident(created_by=researcher, attack_type="shelling")
    factories.claimed_incident(created_by=researcher, attack_type="airstrike")
    factories.claimed_incident(created_by=researcher, restricted=True, groups=[desk], attack_type="shelling")
    api = api_as(viewer)
    data = api.get("/api/v1/map/data/?attack_type=shelling&zoom=12").json()
    refs = [f["properties"].get("reference") for f in data["features"]]
    assert refs == [shown.reference]
    timeline = api.get("/api/v1/map/timeline/?attack_type=shelling")
    assert timeline.status_code == 200
    assert sum(b["count"] for b in timeline.json()["buckets"]) == 1
    bad = api.get("/api/v1/map/data/?bbox=nonsense")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
